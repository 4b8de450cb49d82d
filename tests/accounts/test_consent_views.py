"""The consent pages: "My choices" changes any answer in one step, outdated wording is
refused with a clear message, staff see numbers only, admins change wording through the
board."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import (
    ConsentAction,
    ConsentEvent,
    ConsentScope,
    ConsentText,
    OutboxMessage,
    Role,
)
from accounts.selectors.consent import has_consent
from accounts.services.consent import (
    RENEWAL_KIND,
    ensure_consent_texts,
    grant_consent,
    make_consent_text_effective,
    propose_consent_text,
)
from tests.factories import MembershipFactory, SurvivorProfileFactory
from tests.mfa import give_totp, sign_in
from tests.test_url_access import walk_pages
from tests.url_walk import build_world

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
COUNT = ConsentScope.COUNT_IN_REPORTS
QUOTE = ConsentScope.QUOTE_ANONYMOUSLY


def travel(when: dt.datetime):
    return time_machine.travel(when, tick=False)


def my_choices_url() -> str:
    return reverse("my_choices", kwargs={"org": "harbor"})


def change_url(scope: str) -> str:
    return reverse("change_choice", kwargs={"org": "harbor", "scope": scope})


def page_text(response) -> str:
    # Downloads (a payment file, a statement) stream; read them whole, they are checked too.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return re.sub(r"\s+", " ", body.decode())


def test_my_choices_shows_each_choice_as_a_sentence_with_its_answer(client, personas):
    with travel(START):
        ensure_consent_texts(organization=personas.harbor)
        grant_consent(
            user=personas.ash,
            organization=personas.harbor,
            scope=COUNT,
            text_version=1,
            language="en",
        )
        sign_in(client, personas.ash)
        html = page_text(client.get(my_choices_url()))

    offered = [scope for scope in ConsentScope if scope != ConsentScope.CONTACT_SMS]
    for scope in offered:  # text messages are not offered while nothing sends them
        assert str(scope.label) in html
    assert "Yes, until 27 November 2027" in html
    assert html.count("Your answer:</strong> No") == len(offered) - 1
    assert html.count("Yes, I agree") == len(offered) - 1
    assert html.count("No, stop this") == 1
    assert "Nothing bad happens if you don't answer" in html
    assert "at least five people" in html


def test_saying_yes_and_no_each_take_one_post(client, personas):
    with travel(START):
        ensure_consent_texts(organization=personas.harbor)
        sign_in(client, personas.ash)
        response = client.post(change_url(COUNT), {"answer": "yes", "version": 1, "language": "en"})
        assert response.status_code == 302
        assert response["Location"] == my_choices_url()
        assert has_consent(personas.ash, personas.harbor, COUNT)

        response = client.post(change_url(COUNT), {"answer": "no"}, follow=True)
        assert not has_consent(personas.ash, personas.harbor, COUNT)
        assert "Saved. Your answer is now no." in page_text(response)

    actions = list(ConsentEvent.objects.values_list("action", flat=True))
    assert actions == [ConsentAction.GRANTED, ConsentAction.WITHDRAWN]


def test_outdated_wording_posted_is_refused_and_nothing_is_written(client, personas):
    with travel(START):
        ensure_consent_texts(organization=personas.harbor)
        proposal = propose_consent_text(
            organization=personas.harbor,
            scope=COUNT,
            language="en",
            text="Newer words.",
            by=personas.ada,
        )
    with travel(START + dt.timedelta(days=8)):
        make_consent_text_effective(text=proposal, by=personas.ada)
        sign_in(client, personas.ash)
        response = client.post(
            change_url(COUNT), {"answer": "yes", "version": 1, "language": "en"}, follow=True
        )

    assert "The wording changed since you opened this page. Please read it again." in (
        page_text(response)
    )
    assert not ConsentEvent.objects.exists()


def test_an_unknown_choice_is_not_found(client, personas):
    sign_in(client, personas.ash)
    assert client.post(change_url("everything"), {"answer": "yes"}).status_code == 404
    assert not ConsentEvent.objects.exists()


def test_a_survivor_sees_new_wording_coming(client, personas):
    with travel(START):
        ensure_consent_texts(organization=personas.harbor)
        propose_consent_text(
            organization=personas.harbor,
            scope=QUOTE,
            language="en",
            text="Proposed words for quotes.",
            by=personas.ada,
        )
        sign_in(client, personas.river)
        html = page_text(client.get(my_choices_url()))
    assert "New wording coming on 4 December 2026 at the earliest" in html
    assert "Proposed words for quotes." in html


def test_a_choice_ending_soon_says_nothing_bad_happens_and_offers_renewal(client, personas):
    with travel(START):
        ensure_consent_texts(organization=personas.harbor)
        grant_consent(
            user=personas.ash,
            organization=personas.harbor,
            scope=COUNT,
            text_version=1,
            language="en",
        )
    with travel(START + dt.timedelta(days=340)):
        OutboxMessage.objects.create(
            recipient=personas.ash, organization=personas.harbor, kind=RENEWAL_KIND
        )
        sign_in(client, personas.ash)
        html = page_text(client.get(my_choices_url()))
        assert "This yes ends on 27 November 2027" in html
        assert "the choice just goes back to “no”" in html
        assert "Yes, keep this for another year" in html
        # Reading the page writes nothing; answering the choice answers the reminder too.
        assert OutboxMessage.objects.get().seen_at is None
        client.post(
            reverse("change_choice", kwargs={"org": "harbor", "scope": COUNT}),
            {"answer": "yes", "version": 1, "language": "en"},
        )
        assert OutboxMessage.objects.get().seen_at is not None


def test_admin_proposes_wording_and_cannot_rush_it(client, personas):
    give_totp(personas.ada)
    sign_in(client, personas.ada)
    with travel(START):
        response = client.post(
            reverse("consent_texts", kwargs={"org": "harbor"}),
            {"scope": COUNT, "language": "en", "text": "Shorter words."},
            follow=True,
        )
        assert "The board can read the new wording now" in page_text(response)
        proposal = ConsentText.objects.get(version=2)
        response = client.post(
            reverse("make_consent_text_effective", kwargs={"org": "harbor", "pk": proposal.pk}),
            follow=True,
        )
        assert "can take effect on 4 December 2026" in page_text(response)
    proposal.refresh_from_db()
    assert proposal.effective_at is None


def test_staff_see_numbers_only(client, personas):
    give_totp(personas.sam)
    with travel(START):
        ensure_consent_texts(organization=personas.harbor)
        grant_consent(
            user=personas.ash,
            organization=personas.harbor,
            scope=COUNT,
            text_version=1,
            language="en",
        )
        sign_in(client, personas.sam)
        html = page_text(client.get(reverse("consent_overview", kwargs={"org": "harbor"})))
    # Two survivor leaders: too few for an exact number on either choice.
    assert html.count("Fewer than 5 survivor leaders said yes.") == 2
    assert " of 2 " not in html


def test_no_page_staff_can_open_reveals_who_said_yes_to_counting_or_quotes(personas):
    """Ash says yes to both counted-only choices, River to neither. On every page staff,
    finance and admins can open, neither person is named near those choices, and the
    numbers match."""
    for person, name in ((personas.ash, "Ash Leaf"), (personas.river, "River Stone")):
        SurvivorProfileFactory.create(user=person, chosen_name=name)
    ensure_consent_texts(organization=personas.harbor)
    for scope in (COUNT, QUOTE):
        grant_consent(
            user=personas.ash,
            organization=personas.harbor,
            scope=scope,
            text_version=1,
            language="en",
        )
    world = build_world(personas)
    identities = ("ash@example.test", "river@example.test", "Ash Leaf", "River Stone")
    scope_words = (str(COUNT.label), str(QUOTE.label), "count_in_reports", "quote_anonymously")
    seen = set()
    for who, name, response in walk_pages(world, ("sam", "fin", "ada")):
        seen.add(name)
        html = page_text(response)
        if any(words in html for words in scope_words):
            named = [identity for identity in identities if identity in html]
            assert not named, f"{who} on {name} sees {named} beside a counted-only choice"
    assert "consent_overview" in seen

    client = Client()
    sign_in(client, personas.sam)
    html = page_text(client.get(reverse("consent_overview", kwargs={"org": "harbor"})))
    assert html.count("Fewer than 5 survivor leaders said yes.") == 2


@pytest.mark.parametrize(
    ("yes", "of", "shown"),
    [
        (0, 4, "Fewer than 5 survivor leaders said yes."),
        (4, 4, "Fewer than 5 survivor leaders said yes."),
        (5, 9, "Fewer than 5 survivor leaders did not say yes."),
        (5, 10, "5 of 10 survivor leaders said yes."),
        (10, 10, "Fewer than 5 survivor leaders did not say yes."),
    ],
)
def test_staff_counts_never_show_what_one_person_chose(client, personas, yes, of, shown):
    """A unanimous small board would give every answer away: numbers appear only with at
    least five people on each side."""
    ensure_consent_texts(organization=personas.harbor)
    people = [personas.ash, personas.river]
    people += [
        MembershipFactory.create(organization=personas.harbor, role=Role.SURVIVOR_LEADER).user
        for _ in range(of - len(people))
    ]
    for person in people[:yes]:
        grant_consent(
            user=person,
            organization=personas.harbor,
            scope=COUNT,
            text_version=1,
            language="en",
        )
    give_totp(personas.sam)
    sign_in(client, personas.sam)
    html = page_text(client.get(reverse("consent_overview", kwargs={"org": "harbor"})))
    assert shown in html


# --- one language per page, and choices of equal weight -----------------------------------


def test_a_spanish_browser_gets_the_whole_page_and_the_consent_words_in_english(client, personas):
    ensure_consent_texts(organization=personas.harbor)
    spanish = ConsentText.objects.get(
        organization=personas.harbor, scope=COUNT, language="es", version=1
    )
    english = ConsentText.objects.get(
        organization=personas.harbor, scope=COUNT, language="en", version=1
    )
    sign_in(client, personas.ash)
    page = page_text(client.get(my_choices_url(), HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9"))
    assert '<html lang="en">' in page
    # The words are shown as a heading (the first sentence) and what follows.
    for sentence in english.text.rstrip(".").split(". "):
        assert sentence in page
    for sentence in spanish.text.rstrip(".").split(". "):
        assert sentence not in page


def test_a_yes_to_words_in_another_language_than_the_page_is_refused(client, personas):
    ensure_consent_texts(organization=personas.harbor)
    sign_in(client, personas.ash)
    response = client.post(
        change_url(COUNT), {"answer": "yes", "version": 1, "language": "es"}, follow=True
    )
    assert "These words have changed. Please read them again." in page_text(response)
    assert not has_consent(personas.ash, personas.harbor, COUNT)


def test_yes_and_no_look_the_same_wherever_a_person_chooses(client, personas):
    ensure_consent_texts(organization=personas.harbor)
    grant_consent(
        user=personas.ash, organization=personas.harbor, scope=COUNT, text_version=1, language="en"
    )
    sign_in(client, personas.ash)
    page = page_text(client.get(my_choices_url()))
    answers = re.findall(
        r'<button type="submit" name="answer" value="(yes|no)" class="([^"]*)"', page
    )
    assert {value for value, _style in answers} == {"yes", "no"}
    assert {style for _value, style in answers} == {"choice"}


def test_a_channel_nothing_sends_on_is_never_offered_as_a_choice(client, personas):
    ensure_consent_texts(organization=personas.harbor)
    sign_in(client, personas.ash)
    page = page_text(client.get(my_choices_url()))
    assert "You can e-mail me that there is an update" in page
    assert "text me" not in page.lower()
    response = client.post(
        change_url(ConsentScope.CONTACT_SMS), {"answer": "yes", "version": 1, "language": "en"}
    )
    assert response.status_code == 404
    assert not has_consent(personas.ash, personas.harbor, ConsentScope.CONTACT_SMS)
