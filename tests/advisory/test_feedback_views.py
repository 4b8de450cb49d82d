"""The feedback pages and "What we changed": who sees what, anonymous feedback never
reveals its author to staff, the board or other survivors, answers are required, the
author is told, and the lists ask the same number of queries however long they get."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import (
    AccessRecord,
    AuditEvent,
    ConsentScope,
    OutboxMessage,
)
from accounts.selectors import waiting_updates_for
from accounts.services.consent import withdraw_consent
from advisory.models import Feedback, ProgramChange
from advisory.services.feedback import (
    FEEDBACK_ANSWERED,
    PROGRAM_CHANGE,
    ChangeTerms,
    FeedbackTerms,
    answer_feedback,
    record_program_change,
    send_feedback,
)
from tests.advisory.factories import confirmed_input
from tests.factories import SurvivorProfileFactory
from tests.meetings.minutes_support import allow_name
from tests.support.clients import client_for
from tests.support.urls import page, url

pytestmark = pytest.mark.django_db

ASH = "Juniper Quill"  # a name that appears nowhere else on any page
WORDS = "The evening bus stops too early for meetings."


def send(personas, author=None, **terms) -> Feedback:
    return send_feedback(
        organization=personas.harbor,
        author=author or personas.ash,
        terms=FeedbackTerms(body=terms.pop("body", WORDS), **terms),
    )


def change(personas, **links) -> ProgramChange:
    return record_program_change(
        organization=personas.harbor,
        by=personas.sam,
        terms=ChangeTerms(
            title="Meetings end before the last bus",
            description="We moved them half an hour earlier.",
            changed_on=datetime.date.today(),
            **links,
        ),
    )


@pytest.fixture
def named(personas):
    SurvivorProfileFactory.create(user=personas.ash, chosen_name=ASH)
    return personas


# --- sending -----------------------------------------------------------------------------


def test_a_survivor_sends_anonymous_feedback_after_being_told_who_could_have_written_it(named):
    client = client_for(named.ash)
    text = page(client, url("my_feedback"))
    # Ash and River are Harbor's survivor leaders; Otto is in another organization.
    assert "2 survivor leaders are in this program" in text
    assert "Wording can give people away" in text
    assert "You never have to share anything about your past." in text
    response = client.post(url("my_feedback"), {"body": WORDS, "sender": "anonymous"})
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.anonymous
    assert not feedback.board_may_read
    assert WORDS in page(client, url("my_feedback"))


def test_with_one_survivor_leader_the_notice_says_staff_could_tell(named):
    named.river.memberships.all().delete()
    text = page(client_for(named.ash), url("my_feedback"))
    assert "Only 1 survivor leader is in this program, so staff could tell" in text


def test_naming_yourself_is_offered_only_with_the_consent(named):
    client = client_for(named.ash)
    assert "Staff can see it is mine" not in page(client, url("my_feedback"))
    response = client.post(url("my_feedback"), {"body": WORDS, "sender": "named"})
    assert response.status_code == 200
    assert not Feedback.objects.exists()
    allow_name(named.ash, named.harbor)
    assert "Staff can see it is mine" in page(client, url("my_feedback"))


def test_empty_feedback_shows_an_error_and_saves_nothing(named):
    response = client_for(named.ash).post(url("my_feedback"), {"body": " ", "sender": "anonymous"})
    assert response.status_code == 200
    assert "Nothing was saved yet" in response.content.decode()
    assert not Feedback.objects.exists()


# --- anonymity ---------------------------------------------------------------------------


def _every_page_others_see(personas, feedback: Feedback) -> dict[str, str]:
    sam = client_for(personas.sam)
    river = client_for(personas.river)
    return {
        "staff inbox": page(sam, url("feedback_inbox")),
        "staff answer": page(sam, url("answer_feedback", pk=feedback.pk)),
        "staff changes": page(sam, url("program_changes")),
        "staff new change": page(sam, url("new_program_change")),
        "board": page(river, url("board_feedback")),
        "survivor changes": page(river, url("what_we_changed")),
    }


def test_anonymous_feedback_never_reveals_its_author(named):
    allow_name(named.ash, named.harbor)  # even someone who allows their name elsewhere
    before = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    client = client_for(named.ash)
    client.post(url("my_feedback"), {"body": WORDS, "sender": "anonymous", "board_may_read": "on"})
    feedback = Feedback.objects.get()
    answer_feedback(feedback=feedback, by=named.sam, answer="We will ask the bus company.")
    change(named, feedback_ids=[feedback.pk])

    sent_on = feedback.created_at.strftime("%-d %B %Y")
    for where, text in _every_page_others_see(named, feedback).items():
        assert ASH not in text, where
        assert named.ash.email not in text, where
        # The day it was sent could point at who was around that day: the month only.
        assert f"survivor leader, {sent_on}" not in text, where
        assert f"{sent_on}: " not in text, where  # the label of a message to link
    assert WORDS in _every_page_others_see(named, feedback)["board"]
    # Nothing that staff or anyone could read later names them: no audit actor, no access
    # record (staff were never shown a name), and the outbox holds codes only.
    events = AuditEvent.objects.filter(sequence__gt=before or 0)
    assert not events.filter(actor_id=named.ash.pk).exists()
    assert not AccessRecord.objects.filter(subject=named.ash).exists()
    for staff in (named.sam, named.ada):
        kinds = set(waiting_updates_for(staff, named.harbor).values_list("kind", flat=True))
        assert kinds == {"feedback_received"}
    assert set(
        OutboxMessage.objects.filter(recipient=named.ash).values_list("kind", flat=True)
    ) == {
        FEEDBACK_ANSWERED,
        PROGRAM_CHANGE,
    }


def test_named_feedback_shows_its_name_to_staff_only_and_records_the_access(named):
    allow_name(named.ash, named.harbor)
    feedback = send(named, anonymous=False, board_may_read=True)
    sam = client_for(named.sam)
    assert ASH in page(sam, url("feedback_inbox"))
    assert ASH in page(sam, url("answer_feedback", pk=feedback.pk))
    assert AccessRecord.objects.filter(subject=named.ash, viewer=named.sam).count() == 2
    river = client_for(named.river)
    assert ASH not in page(river, url("board_feedback"))
    assert WORDS in page(river, url("board_feedback"))


def test_a_name_is_no_longer_shown_once_the_consent_is_withdrawn(named):
    allow_name(named.ash, named.harbor)
    feedback = send(named, anonymous=False)
    withdraw_consent(
        user=named.ash, organization=named.harbor, scope=ConsentScope.ATTRIBUTE_TO_STAFF
    )
    sam = client_for(named.sam)
    assert ASH not in page(sam, url("feedback_inbox"))
    assert ASH not in page(sam, url("answer_feedback", pk=feedback.pk))
    assert not AccessRecord.objects.filter(subject=named.ash).exists()


# --- who sees what -----------------------------------------------------------------------


def test_another_survivor_cannot_open_my_feedback_and_the_board_sees_only_what_i_share(named):
    feedback = send(named)
    river = client_for(named.river)
    assert river.get(url("my_feedback_detail", pk=feedback.pk)).status_code == 404
    assert river.post(url("share_feedback_with_board", pk=feedback.pk)).status_code == 404
    assert WORDS not in page(river, url("board_feedback"))
    assert WORDS not in page(river, url("my_feedback"))

    ash = client_for(named.ash)
    ash.post(url("share_feedback_with_board", pk=feedback.pk), {"board_may_read": "on"})
    assert WORDS in page(river, url("board_feedback"))
    ash.post(url("share_feedback_with_board", pk=feedback.pk), {})
    assert WORDS not in page(river, url("board_feedback"))


def test_another_organizations_feedback_is_404_for_staff(named):
    theirs = send_feedback(
        organization=named.second, author=named.otto, terms=FeedbackTerms(body=WORDS)
    )
    sam = client_for(named.sam)
    address = url("answer_feedback", pk=theirs.pk)
    assert sam.get(address).status_code == 404
    assert sam.post(address, {"answer": "Hello."}).status_code == 404
    assert WORDS not in page(sam, url("feedback_inbox"))
    theirs.refresh_from_db()
    assert theirs.answer == ""


def test_another_organizations_feedback_cannot_be_linked_to_a_change(named):
    theirs = send_feedback(
        organization=named.second, author=named.otto, terms=FeedbackTerms(body=WORDS)
    )
    sam = client_for(named.sam)
    assert WORDS not in page(sam, url("new_program_change"))
    response = sam.post(
        url("new_program_change"),
        {
            "title": "A change",
            "changed_on": datetime.date.today().isoformat(),
            "feedback": theirs.pk,
        },
    )
    assert response.status_code == 200
    assert not ProgramChange.objects.exists()


# --- answering ---------------------------------------------------------------------------


def test_staff_answer_and_the_author_reads_it_on_their_own_page(named):
    feedback = send(named)
    sam = client_for(named.sam)
    response = sam.post(url("answer_feedback", pk=feedback.pk), {"answer": "We will ask."})
    assert response.status_code == 302
    assert list(
        OutboxMessage.objects.filter(recipient=named.ash).values_list("kind", flat=True)
    ) == [FEEDBACK_ANSWERED]
    ash = client_for(named.ash)
    assert "We will ask." in page(ash, url("my_feedback"))
    assert "We will ask." in page(ash, url("my_feedback_detail", pk=feedback.pk))
    # Staff can change the answer; the form starts from the saved one.
    assert "We will ask." in page(sam, url("answer_feedback", pk=feedback.pk))
    sam.post(url("answer_feedback", pk=feedback.pk), {"answer": "We asked: yes."})
    feedback.refresh_from_db()
    assert feedback.answer == "We asked: yes."


def test_an_answer_is_required(named):
    feedback = send(named)
    response = client_for(named.sam).post(url("answer_feedback", pk=feedback.pk), {"answer": ""})
    assert response.status_code == 200
    assert "Write your answer" in response.content.decode()
    feedback.refresh_from_db()
    assert feedback.answered_at is None
    assert not OutboxMessage.objects.filter(recipient=named.ash).exists()


def test_unanswered_feedback_comes_first_in_the_inbox(named):
    old = send(named, body="First message.")
    answer_feedback(feedback=old, by=named.sam, answer="Done.")
    send(named, author=named.river, body="Second message.")
    rows = client_for(named.sam).get(url("feedback_inbox")).context["rows"]
    assert [row.feedback.body for row in rows] == ["Second message.", "First message."]


# --- "What we changed" -------------------------------------------------------------------


def test_staff_record_a_change_and_survivors_read_why_never_who(named):
    feedback = send(named)
    said = confirmed_input(named.river, named.harbor, body="Meetings end too late.")
    sam = client_for(named.sam)
    start = page(sam, url("new_program_change") + f"?feedback={feedback.pk}")
    assert f'value="{feedback.pk}"' in start
    assert "Meetings end too late." in start
    response = sam.post(
        url("new_program_change"),
        {
            "title": "Meetings end before the last bus",
            "description": "Half an hour earlier.",
            "changed_on": datetime.date.today().isoformat(),
            "feedback": [feedback.pk],
            "inputs": [said.pk],
        },
    )
    assert response.status_code == 302
    assert ProgramChange.objects.count() == 1
    for person in (named.ash, named.river):
        assert OutboxMessage.objects.filter(recipient=person, kind=PROGRAM_CHANGE).exists()

    river_page = page(client_for(named.river), url("what_we_changed"))
    assert "Meetings end before the last bus" in river_page
    assert "Because of feedback" in river_page
    assert "Because of what was said in a meeting" in river_page
    assert "Something you said led to this" in river_page  # River's meeting input
    assert ASH not in river_page
    ash = client_for(named.ash)
    assert "Something you said led to this" in page(ash, url("what_we_changed"))
    mine = page(ash, url("my_feedback_detail", pk=feedback.pk))
    assert "It led to a change" in mine
    assert "Meetings end before the last bus" in mine


def test_a_change_without_what_prompted_it_shows_an_error_and_saves_nothing(named):
    response = client_for(named.sam).post(
        url("new_program_change"),
        {"title": "Something", "changed_on": datetime.date.today().isoformat()},
    )
    assert response.status_code == 200
    assert "Choose the feedback or meeting input that led to this change" in (
        response.content.decode()
    )
    assert not ProgramChange.objects.exists()


def test_survivors_who_said_nothing_behind_a_change_are_not_told_it_was_theirs(named):
    feedback = send(named)
    change(named, feedback_ids=[feedback.pk])
    river_page = page(client_for(named.river), url("what_we_changed"))
    assert "Meetings end before the last bus" in river_page
    assert "Something you said led to this" not in river_page
    assert not OutboxMessage.objects.filter(recipient=named.river).exists()


# --- query counts and pages --------------------------------------------------------------


def _many(personas, count: int) -> None:
    allow_name(personas.river, personas.harbor)
    for number in range(count):
        author = personas.river if number % 2 else personas.ash
        feedback = Feedback.objects.create(
            organization=personas.harbor,
            author=author,
            body=f"Message {number}",
            anonymous=author == personas.ash,
            board_may_read=True,
        )
        if number % 3 == 0:
            feedback.answer = "Thank you."
            feedback.answered_at = feedback.created_at
            feedback.save()
        made = ProgramChange.objects.create(
            organization=personas.harbor, title=f"Change {number}", changed_on=datetime.date.today()
        )
        made.feedback.add(feedback)


def _queries(client: Client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


# Every count below is the same for 3 items as for 45 (more than a page): nothing is asked
# per message or per change. Signed-in staff cost 4 before the page does anything (session
# and user 2, the MFA check 1, the viewer's time zone 1) and nothing after; survivor leaders
# 2 more before (a work role or funder access, for whether they must use a second factor).
#
# INBOX_QUERIES: organization and staff check (2); how many messages and this page's with
# their authors' profiles (2); whose name staff may see (1, one consent lookup); the access
# records for the named authors on the page (River: 1).
INBOX_QUERIES = 10
# STAFF_CHANGES_QUERIES: organization and staff check (2); how many changes and this page's,
# each with what prompted it, in one query (2).
STAFF_CHANGES_QUERIES = 8
# BOARD_QUERIES: organization and survivor check (2); how many and this page's (2).
BOARD_QUERIES = 10
# MINE_QUERIES: organization and survivor check (2); the consent check for "named" (1);
# how many of mine (1); how many survivor leaders could have written it (1); this page's
# messages (1) and the changes they led to (1, a prefetch).
MINE_QUERIES = 13
# CHANGES_QUERIES: organization and survivor check (2); how many changes and this page's,
# each with what prompted it and whether it is the reader's, in one query (2).
CHANGES_QUERIES = 10


@pytest.mark.parametrize("count", [3, 45])
def test_the_staff_lists_ask_the_same_number_of_queries(named, count):
    _many(named, count)
    assert _queries(client_for(named.sam), url("feedback_inbox")) == INBOX_QUERIES
    assert _queries(client_for(named.sam), url("program_changes")) == STAFF_CHANGES_QUERIES


@pytest.mark.parametrize("count", [3, 45])
def test_the_survivor_pages_ask_the_same_number_of_queries(named, count):
    _many(named, count)
    # A fresh sign-in for each page, so each costs the same.
    assert _queries(client_for(named.river), url("board_feedback")) == BOARD_QUERIES
    assert _queries(client_for(named.river), url("my_feedback")) == MINE_QUERIES
    assert _queries(client_for(named.river), url("what_we_changed")) == CHANGES_QUERIES


def test_the_lists_are_paginated(named):
    _many(named, 25)
    sam = client_for(named.sam)
    response = sam.get(url("feedback_inbox"))
    assert len(response.context["rows"]) == 20
    assert "Page 1 of 2" in response.content.decode()
    assert len(sam.get(url("feedback_inbox") + "?page=2").context["rows"]) == 5
    assert "Page 1 of 2" in page(sam, url("program_changes"))
    river = client_for(named.river)
    assert "Page 1 of 2" in page(river, url("board_feedback"))
    assert "Page 1 of 2" in page(river, url("what_we_changed"))


def test_empty_pages_say_what_to_do_next(named):
    assert "No feedback yet" in page(client_for(named.sam), url("feedback_inbox"))
    assert "No change is recorded yet" in page(client_for(named.sam), url("program_changes"))
    river = client_for(named.river)
    assert "You have not sent any feedback yet" in page(river, url("my_feedback"))
    assert "Nothing is shared with the board yet" in page(river, url("board_feedback"))
    assert "Nothing is listed yet" in page(river, url("what_we_changed"))


def test_no_page_has_inline_styles(named):
    feedback = send(named, board_may_read=True)
    pages = _every_page_others_see(named, feedback)
    ash = client_for(named.ash)
    pages["mine"] = page(ash, url("my_feedback"))
    pages["mine detail"] = page(ash, url("my_feedback_detail", pk=feedback.pk))
    for where, text in pages.items():
        assert "style=" not in text, where
