"""Mention tokens: a name only with `attribute_to_staff`, "a board member" otherwise; one
query for everyone mentioned; everything else escaped."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import ConsentScope, SurvivorProfile
from accounts.selectors.consent import has_consent
from accounts.services.consent import withdraw_consent
from accounts.services.data_rights import erase_account
from meetings.mentions import mentioned_ids, names_for, render, render_all, token_for
from tests.factories import MembershipFactory, SurvivorProfileFactory
from tests.meetings.minutes_support import allow_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(personas):
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ash")
    SurvivorProfileFactory.create(user=personas.river, chosen_name="River")
    SurvivorProfileFactory.create(user=personas.otto, chosen_name="Otto")
    allow_name(personas.ash, personas.harbor)
    allow_name(personas.otto, personas.second)
    return personas


def show(text, organization):
    return str(render_all([text], organization)[0])


def test_a_name_shows_only_with_consent(named):
    text = f"{token_for(named.ash.pk)} and {token_for(named.river.pk)} agreed."
    assert has_consent(named.ash, named.harbor, ConsentScope.ATTRIBUTE_TO_STAFF)
    assert not has_consent(named.river, named.harbor, ConsentScope.ATTRIBUTE_TO_STAFF)
    html = show(text, named.harbor)
    assert (
        '<span class="mention">Ash</span> and <span class="mention">a board member</span>' in html
    )
    assert "River" not in html


def test_withdrawing_consent_hides_the_name_again(named):
    withdraw_consent(
        user=named.ash, organization=named.harbor, scope=ConsentScope.ATTRIBUTE_TO_STAFF
    )
    assert "Ash" not in show(token_for(named.ash.pk), named.harbor)


def test_unknown_people_and_people_of_other_organizations_are_a_board_member(named):
    html = show(f"{token_for(987654)} {token_for(named.otto.pk)}", named.harbor)
    assert html.count("a board member") == 2
    assert "Otto" not in html


def test_consent_given_to_another_organization_does_not_count(named):
    MembershipFactory.create(user=named.otto, organization=named.harbor)
    assert "Otto" not in show(token_for(named.otto.pk), named.harbor)


def test_a_name_given_to_another_organization_is_never_shown(named):
    """Otto joined Harbor and said yes to being named there, but gave Harbor no profile:
    the name Otto gave Second stays with Second."""
    MembershipFactory.create(user=named.otto, organization=named.harbor)
    allow_name(named.otto, named.harbor)
    assert "Otto" not in show(token_for(named.otto.pk), named.harbor)
    SurvivorProfileFactory.create(
        user=named.otto, organization=named.harbor, chosen_name="Harbor Otto"
    )
    assert show(token_for(named.otto.pk), named.harbor) == (
        '<span class="mention">Harbor Otto</span>'
    )
    assert show(token_for(named.otto.pk), named.second) == '<span class="mention">Otto</span>'


def test_an_erased_person_is_a_board_member(named):
    erase_account(user=named.ash, keep_input_anonymous=False)
    html = show(f"Thanks to {token_for(named.ash.pk)}.", named.harbor)
    assert html == 'Thanks to <span class="mention">a board member</span>.'


def test_markup_in_the_text_and_in_a_chosen_name_is_escaped(named):
    SurvivorProfile.objects.filter(user=named.ash, organization=named.harbor).update(
        chosen_name="<b>Ash</b>"
    )
    text = f"<script>alert(1)</script> {token_for(named.ash.pk)}\nnext line"
    html = show(text, named.harbor)
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Ash&lt;/b&gt;" in html
    assert html.endswith("<br>next line")


def test_look_alike_tokens_stay_text(named):
    html = show("@[member:abc] @[member:] @[staff:1]", named.harbor)
    assert html == "@[member:abc] @[member:] @[staff:1]"


def test_names_for_everyone_mentioned_in_one_query(named, django_assert_num_queries):
    texts = [" ".join(token_for(pk) for pk in (named.ash.pk, named.river.pk, 5, 6))] * 30
    with django_assert_num_queries(1):
        render_all(texts, named.harbor)


def test_no_query_when_nobody_is_mentioned(named):
    with CaptureQueriesContext(connection) as queries:
        render_all(["Plain words."], named.harbor)
    assert len(queries) == 0


def test_helpers(named):
    assert mentioned_ids(["@[member:3] x @[member:4]", "@[member:3]"]) == {3, 4}
    assert names_for(set(), named.harbor) == {}
    assert str(render("a & b", {})) == "a &amp; b"


def test_in_a_meetings_minutes_only_its_invitees_can_be_named(named):
    """Otherwise anyone able to write a token could learn the chosen name behind any id
    in the organization by guessing."""
    from tests.meetings.factories import MeetingFactory, MeetingInvitationFactory

    meeting = MeetingFactory.create(organization=named.harbor)
    MeetingInvitationFactory.create(meeting=meeting, user=named.river)
    text = f"{token_for(named.ash.pk)} was mentioned."
    assert "Ash" in str(render_all([text], named.harbor)[0])
    html = str(render_all([text], named.harbor, meeting=meeting)[0])
    assert "Ash" not in html
    assert "a board member" in html
    MeetingInvitationFactory.create(meeting=meeting, user=named.ash)
    assert "Ash" in str(render_all([text], named.harbor, meeting=meeting)[0])
