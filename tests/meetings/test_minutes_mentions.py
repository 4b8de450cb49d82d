"""Mention tokens: "a board member" for everyone, whatever anyone chose; no query;
everything else escaped. Pages built from them are in test_minutes_views."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.services.data_rights import erase_account
from meetings.mentions import render, token_for
from tests.factories import MembershipFactory, SurvivorProfileFactory
from tests.meetings.minutes_support import allow_name

pytestmark = pytest.mark.django_db

NEUTRAL = '<span class="mention">a board member</span>'


@pytest.fixture
def named(personas):
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ash")
    SurvivorProfileFactory.create(user=personas.river, chosen_name="River")
    SurvivorProfileFactory.create(user=personas.otto, chosen_name="Otto")
    allow_name(personas.ash, personas.harbor)
    allow_name(personas.otto, personas.second)
    return personas


def test_a_token_reads_a_board_member_whether_or_not_the_person_allowed_their_name(named):
    text = f"{token_for(named.ash.pk)} and {token_for(named.river.pk)} agreed."
    assert str(render(text)) == f"{NEUTRAL} and {NEUTRAL} agreed."


def test_unknown_people_other_organizations_and_erased_accounts_read_the_same(named):
    MembershipFactory.create(user=named.otto, organization=named.harbor)
    erase_account(user=named.river, keep_input_anonymous=False)
    html = str(render(" ".join(token_for(pk) for pk in (987654, named.otto.pk, named.river.pk))))
    assert html == f"{NEUTRAL} {NEUTRAL} {NEUTRAL}"


def test_markup_in_the_text_is_escaped_and_line_breaks_kept(named):
    text = f"<script>alert(1)</script> {token_for(named.ash.pk)}\r\nnext line"
    html = str(render(text))
    assert "<script>" not in html
    assert html == f"&lt;script&gt;alert(1)&lt;/script&gt; {NEUTRAL}<br>next line"


def test_look_alike_tokens_stay_text(named):
    html = str(render("@[member:abc] @[member:] @[staff:1] a & b"))
    assert html == "@[member:abc] @[member:] @[staff:1] a &amp; b"


def test_rendering_reads_nothing_from_the_database(named):
    """Nothing to read means nothing that could differ by consent or by reader."""
    text = " ".join(token_for(pk) for pk in (named.ash.pk, named.river.pk, 5, 6))
    with CaptureQueriesContext(connection) as queries:
        render(text)
    assert len(queries) == 0
