"""Input pages: who may see each, what staff and other survivors never see, and the
author's control over their words (docs/design.md promises 4, 5 and 7)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AccessRecord, ConsentScope, Role
from accounts.services.consent import ensure_consent_texts, grant_consent
from meetings.models import Input, InputStatus, InputVisibility
from meetings.services.input import give_input, record_input_on_behalf
from tests.factories import MembershipFactory, SurvivorProfileFactory, UserFactory
from tests.meetings.factories import MeetingFactory, MeetingInvitationFactory
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db

ANON = InputVisibility.ANONYMOUS
ATTR = InputVisibility.ATTRIBUTED
NOTICE = "Wording can give people away: avoid details only you would know."
# What a view of the meeting's input costs, however many inputs there are. Any signed-in
# request costs 4 outside the view (session, user, the MFA check, the viewer's time zone):
# reading a page writes nothing.
# Staff, 11 more: the organization, their role (asked by the meeting lookup, the page, the
# selector and the labels), the meeting, the page's count and rows (agenda item and the
# author's profile joined in), the consent of all attributed authors in one query, and one
# access record for the one person whose name is shown. A survivor leader, 16 more: the
# MFA middleware's two role checks, the same lookups, whether they are invited (asked by
# the page and the selector), whether they may attribute, how many could have written
# anonymous input and the agenda topics for the form. Nothing is asked per input.
PINNED_STAFF_QUERIES = 15
PINNED_SURVIVOR_QUERIES = 20


@pytest.fixture
def meeting(personas):
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ashling")
    SurvivorProfileFactory.create(user=personas.river, chosen_name="Riverdale")
    meeting = MeetingFactory.create(organization=personas.harbor, title="Spring meeting")
    for person in (personas.ash, personas.river):
        MeetingInvitationFactory.create(meeting=meeting, user=person)
    return meeting


def allow_attribution(personas, user):
    ensure_consent_texts(organization=personas.harbor)
    grant_consent(
        user=user,
        organization=personas.harbor,
        scope=ConsentScope.ATTRIBUTE_TO_STAFF,
        text_version=1,
        language="en",
    )


def page_url(meeting, name="meeting_input"):
    return reverse(name, kwargs={"org": meeting.organization.slug, "pk": meeting.pk})


def input_url(input, name):
    org = input.meeting.organization.slug
    return reverse(name, kwargs={"org": org, "public_id": input.public_id})


def give(meeting, author, body="More evening meetings, please.", visibility=ANON):
    return give_input(meeting=meeting, author=author, body=body, visibility=visibility)


def on_behalf(personas, meeting, body="Bus fares should be paid up front."):
    return record_input_on_behalf(
        meeting=meeting, recorded_by=personas.sam, author=personas.ash, body=body
    )


def html(user, url) -> str:
    response = client_for(user).get(url)
    assert response.status_code == 200
    return response.content.decode()


def assert_author_hidden(page: str, personas) -> None:
    for secret in ("Ashling", personas.ash.email):
        assert secret not in page


# --- the meeting's input page ------------------------------------------------------------


def test_who_may_open_the_meeting_input_page(personas, meeting):
    uninvited = UserFactory.create()
    MembershipFactory.create(user=uninvited, organization=personas.harbor)
    for person in (personas.ash, personas.river, personas.sam, personas.ada):
        assert client_for(person).get(page_url(meeting)).status_code == 200
    for person in (uninvited, personas.fin, personas.faye, personas.otto):
        assert client_for(person).get(page_url(meeting)).status_code == 404
    assert (
        client_for(personas.ash).get(page_url(meeting, "record_input_on_behalf")).status_code == 404
    )


def test_the_give_input_form_reassures_and_counts_possible_authors(personas, meeting):
    page = html(personas.ash, page_url(meeting))
    assert "You never have to share anything about your past." in page
    assert NOTICE in page
    assert "2 board members were invited to this meeting" in page
    assert 'value="attributed"' not in page  # no consent: the choice is not offered


def test_the_attributed_choice_is_offered_only_with_consent(personas, meeting):
    allow_attribution(personas, personas.ash)
    assert 'value="attributed"' in html(personas.ash, page_url(meeting))
    assert 'value="attributed"' not in html(personas.river, page_url(meeting))


def test_a_survivor_gives_anonymous_input(personas, meeting):
    response = client_for(personas.ash).post(
        page_url(meeting), {"body": "Meet in the evening.", "visibility": "anonymous"}
    )
    assert response.status_code == 302
    input = Input.objects.get()
    assert (input.author, input.visibility, input.status) == (personas.ash, ANON, "confirmed")


def test_posting_attributed_without_consent_saves_nothing(personas, meeting):
    response = client_for(personas.ash).post(
        page_url(meeting), {"body": "Meet in the evening.", "visibility": "attributed"}
    )
    assert response.status_code == 200
    assert not Input.objects.exists()


def test_staff_never_identify_an_author_without_attribute_to_staff(personas, meeting):
    give(meeting, personas.ash, body="Evening meetings work better.")
    page = html(personas.sam, page_url(meeting))
    assert "Evening meetings work better." in page
    assert "A board member" in page
    assert_author_hidden(page, personas)
    assert not AccessRecord.objects.exists()


def test_staff_see_a_consented_attributed_name_and_the_view_is_recorded(personas, meeting):
    allow_attribution(personas, personas.ash)
    give(meeting, personas.ash, visibility=ATTR)
    give(meeting, personas.ash, body="Second thought.", visibility=ATTR)
    assert "Ashling" in html(personas.sam, page_url(meeting))
    record = AccessRecord.objects.get()
    assert (record.viewer, record.subject, record.what) == (personas.sam, personas.ash, "input")


def test_no_survivor_ever_sees_who_wrote_anothers_input(personas, meeting):
    allow_attribution(personas, personas.ash)
    give(meeting, personas.ash, body="Attributed words.", visibility=ATTR)
    page = html(personas.river, page_url(meeting))
    assert "Attributed words." in page
    assert_author_hidden(page, personas)
    assert "Riverdale" not in page


def test_pending_input_is_invisible_to_other_staff_and_survivors(personas, meeting):
    other_staff = UserFactory.create()
    MembershipFactory.create(user=other_staff, organization=personas.harbor, role=Role.STAFF)
    on_behalf(personas, meeting, body="Words waiting to be checked.")
    assert "Words waiting to be checked." in html(personas.sam, page_url(meeting))
    assert "Words waiting to be checked." in html(personas.ash, page_url(meeting))
    for person in (other_staff, personas.ada, personas.river):
        assert "Words waiting to be checked." not in html(person, page_url(meeting))


def test_withdrawn_input_disappears_from_staff_views(personas, meeting):
    input = give(meeting, personas.ash, body="Soon withdrawn.")
    assert "Soon withdrawn." in html(personas.sam, page_url(meeting))
    response = client_for(personas.ash).post(input_url(input, "withdraw_input"))
    assert response.status_code == 302
    assert "Soon withdrawn." not in html(personas.sam, page_url(meeting))
    assert "Soon withdrawn." not in html(personas.river, page_url(meeting))
    assert "Soon withdrawn." in html(personas.ash, page_url(meeting))


def add_inputs(personas, meeting, number):
    for n in range(number):
        author = personas.ash if n % 2 else personas.river
        give(meeting, author, body=f"Thought {n}", visibility=ATTR if n % 2 else ANON)


@pytest.mark.parametrize("number", [3, 300])
def test_the_staff_view_costs_the_same_queries_however_many_inputs(
    personas, meeting, number, django_assert_num_queries
):
    allow_attribution(personas, personas.ash)
    add_inputs(personas, meeting, number)
    client = client_for(personas.sam)
    client.get(page_url(meeting))  # the first request of a session also records the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page_url(meeting)).status_code == 200
    assert len(queries) == PINNED_STAFF_QUERIES


@pytest.mark.parametrize("number", [3, 300])
def test_the_survivor_view_costs_the_same_queries_however_many_inputs(personas, meeting, number):
    allow_attribution(personas, personas.ash)
    add_inputs(personas, meeting, number)
    client = client_for(personas.river)
    client.get(page_url(meeting))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page_url(meeting)).status_code == 200
    assert len(queries) == PINNED_SURVIVOR_QUERIES


# --- the author's own input --------------------------------------------------------------


def test_editing_is_the_authors_alone_and_history_is_theirs_alone(personas, meeting):
    input = give(meeting, personas.ash, body="First words")
    ash = client_for(personas.ash)
    response = ash.post(input_url(input, "edit_input"), {"body": "Better words"})
    assert response.status_code == 302
    history = ash.get(input_url(input, "input_history")).content.decode()
    assert "First words" in history
    assert "Better words" in history
    for person in (personas.river, personas.sam, personas.ada, personas.otto):
        client = client_for(person)
        for name in ("edit_input", "input_history", "confirm_input"):
            assert client.get(input_url(input, name)).status_code == 404, (person, name)
        assert client.post(input_url(input, "withdraw_input")).status_code == 404
    assert "First words" not in html(personas.sam, page_url(meeting))


def test_reading_or_confirming_someone_elses_pending_input_is_404(personas, meeting):
    input = on_behalf(personas, meeting)
    for person in (personas.river, personas.sam, personas.ada):
        client = client_for(person)
        assert client.get(input_url(input, "confirm_input")).status_code == 404
        response = client.post(input_url(input, "confirm_input"), {"action": "confirm"})
        assert response.status_code == 404
        assert client.get(input_url(input, "input_history")).status_code == 404
    input.refresh_from_db()
    assert input.status == InputStatus.PENDING


def test_the_author_is_asked_is_this_what_you_said(personas, meeting):
    input = on_behalf(personas, meeting, body="Bus fares paid later.")
    page = html(personas.ash, input_url(input, "confirm_input"))
    for words in ("Is this what you said?", "Bus fares paid later.", "Yes"):
        assert words in page
    assert "Not quite — here&#x27;s what I meant" in page or "Not quite — here's" in page
    assert "No, I didn&#x27;t say this" in page or "No, I didn't say this" in page


def test_the_author_corrects_and_confirms(personas, meeting):
    input = on_behalf(personas, meeting, body="Bus fares paid later.")
    response = client_for(personas.ash).post(
        input_url(input, "confirm_input"), {"action": "correct", "body": "Bus fares paid first."}
    )
    assert response.status_code == 302
    input.refresh_from_db()
    assert (input.status, input.body) == (InputStatus.CONFIRMED, "Bus fares paid first.")
    history = html(personas.ash, input_url(input, "input_history"))
    assert "Bus fares paid later." in history
    assert "Bus fares paid later." not in html(personas.sam, page_url(meeting))


def test_the_author_rejects(personas, meeting):
    input = on_behalf(personas, meeting, body="Not said.")
    client_for(personas.ash).post(input_url(input, "confirm_input"), {"action": "reject"})
    input.refresh_from_db()
    assert input.status == InputStatus.REJECTED
    assert "Not said." not in html(personas.sam, page_url(meeting))


def test_a_confirmed_input_cannot_be_confirmed_again(personas, meeting):
    input = give(meeting, personas.ash)
    assert client_for(personas.ash).get(input_url(input, "confirm_input")).status_code == 404


# --- staff record on someone's behalf ----------------------------------------------------


def test_staff_record_input_on_behalf(personas, meeting):
    sam = client_for(personas.sam)
    page = sam.get(page_url(meeting, "record_input_on_behalf")).content.decode()
    assert "Ashling" in page
    assert personas.ash.email not in page
    response = sam.post(
        page_url(meeting, "record_input_on_behalf"),
        {"author": personas.ash.pk, "body": "Said at the meeting."},
    )
    assert response.status_code == 302
    input = Input.objects.get()
    assert (input.status, input.recorded_by) == (InputStatus.PENDING, personas.sam)


def test_staff_cannot_record_for_someone_not_invited(personas, meeting):
    response = client_for(personas.sam).post(
        page_url(meeting, "record_input_on_behalf"),
        {"author": personas.otto.pk, "body": "Said at the meeting."},
    )
    assert response.status_code == 200
    assert not Input.objects.exists()


def test_waiting_for_you_to_check_lists_only_ones_own_pending_input(personas, meeting):
    input = on_behalf(personas, meeting, body="Words to check.")
    url = reverse("inputs_to_check", kwargs={"org": "harbor"})
    page = html(personas.ash, url)
    assert "Words to check." in page
    assert input_url(input, "confirm_input") in page
    assert "Words to check." not in html(personas.river, url)
    assert client_for(personas.sam).get(url).status_code == 404


def test_staff_follow_up_what_they_recorded_by_name_state_and_deletion_day(personas, meeting):
    waiting = record_input_on_behalf(
        meeting=meeting, recorded_by=personas.sam, author=personas.ash, body="Bus fares first."
    )
    page = client_for(personas.sam).get(page_url(meeting)).content.decode()
    assert "<strong>Ashling</strong>" in page
    assert "Recorded by you, waiting for them to check" in page
    assert "Waiting for you to check" not in page  # the author's words, not staff's
    day = waiting.deleted_if_unchecked_at.strftime("%-d %B %Y")
    assert f"is deleted on {day} if they do not check it" in page
    assert AccessRecord.objects.filter(viewer=personas.sam, subject=personas.ash).exists()
    other_staff = client_for(personas.ada).get(page_url(meeting)).content.decode()
    assert "Bus fares first." not in other_staff
    assert "Ashling" not in other_staff
