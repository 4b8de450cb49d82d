"""Writes for open feedback and "What we changed": who may do what, bad input saves
nothing, the right people are told, and anonymous feedback leaves no trace of its author
in the audit log."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEvent, OutboxMessage, User
from advisory.models import Feedback, ProgramChange
from advisory.services.feedback import (
    FEEDBACK_ANSWERED,
    FEEDBACK_RECEIVED,
    PROGRAM_CHANGE,
    ChangeTerms,
    FeedbackTerms,
    answer_feedback,
    record_program_change,
    send_feedback,
    set_board_may_read,
)
from meetings.models import InputStatus
from tests.advisory.factories import confirmed_input
from tests.meetings.minutes_support import allow_name

pytestmark = pytest.mark.django_db

WORDS = "The bus pass takes too long to arrive."


def kinds_for(person: User) -> list[str]:
    return list(
        OutboxMessage.objects.filter(recipient=person).order_by("pk").values_list("kind", flat=True)
    )


def events_since(sequence: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(sequence__gt=sequence).order_by("sequence"))


def last_sequence() -> int:
    last = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    return last or 0


def send(personas, author=None, **terms) -> Feedback:
    return send_feedback(
        organization=personas.harbor,
        author=author or personas.ash,
        terms=FeedbackTerms(body=terms.pop("body", WORDS), **terms),
    )


def a_change(personas, **terms) -> ProgramChange:
    defaults = {
        "title": "Bus passes arrive in a week",
        "description": "",
        "changed_on": datetime.date.today(),
    }
    return record_program_change(
        organization=personas.harbor, by=personas.sam, terms=ChangeTerms(**{**defaults, **terms})
    )


# --- sending -----------------------------------------------------------------------------


def test_anonymous_feedback_is_audited_without_its_author_and_staff_are_told(personas):
    before = last_sequence()
    feedback = send(personas)
    assert feedback.anonymous
    events = events_since(before)
    assert [e.action for e in events if e.target_type == "feedback"] == ["feedback.sent"]
    assert all(event.actor_id != personas.ash.pk for event in events)
    assert kinds_for(personas.sam) == [FEEDBACK_RECEIVED]
    assert kinds_for(personas.ada) == [FEEDBACK_RECEIVED]
    assert kinds_for(personas.ash) == []
    assert kinds_for(personas.fin) == []


def test_named_feedback_needs_the_staff_can_see_my_name_consent(personas):
    with pytest.raises(ValidationError):
        send(personas, anonymous=False)
    assert not Feedback.objects.exists()
    allow_name(personas.ash, personas.harbor)
    before = last_sequence()
    feedback = send(personas, anonymous=False)
    sent = [e for e in events_since(before) if e.target_type == "feedback"]
    assert [(e.action, e.actor_id) for e in sent] == [("feedback.sent", personas.ash.pk)]
    assert not feedback.anonymous


@pytest.mark.parametrize("body", ["", "   ", "x" * 5001])
def test_feedback_without_words_or_too_long_saves_nothing(personas, body):
    with pytest.raises(ValidationError):
        send(personas, body=body)
    assert not Feedback.objects.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("who", ["sam", "fin", "ada", "otto"])
def test_only_the_organizations_survivor_leaders_send_feedback(personas, who):
    with pytest.raises(PermissionDenied):
        send(personas, author=getattr(personas, who))
    assert not Feedback.objects.exists()


def test_the_same_message_sent_twice_is_kept_once(personas):
    send(personas)
    with pytest.raises(ValidationError):
        send(personas)
    assert Feedback.objects.count() == 1


def test_only_the_author_lets_the_board_read_it_and_anonymously(personas):
    feedback = send(personas)
    with pytest.raises(PermissionDenied):
        set_board_may_read(feedback=feedback, author=personas.river, board_may_read=True)
    before = last_sequence()
    set_board_may_read(feedback=feedback, author=personas.ash, board_may_read=True)
    feedback.refresh_from_db()
    assert feedback.board_may_read
    events = events_since(before)
    assert [e.action for e in events] == ["feedback.board_may_read"]
    assert events[0].actor_id is None


# --- answering ---------------------------------------------------------------------------


def test_staff_answer_and_the_author_is_told(personas):
    feedback = send(personas)
    answered = answer_feedback(feedback=feedback, by=personas.sam, answer="  We will ask.  ")
    assert answered.answer == "We will ask."
    assert answered.answered_at is not None
    assert kinds_for(personas.ash) == [FEEDBACK_ANSWERED]
    assert kinds_for(personas.river) == []


def test_an_answer_is_required_and_nothing_is_saved_without_one(personas):
    feedback = send(personas)
    for empty in ("", "   "):
        with pytest.raises(ValidationError):
            answer_feedback(feedback=feedback, by=personas.sam, answer=empty)
    feedback.refresh_from_db()
    assert feedback.answer == ""
    assert feedback.answered_at is None
    assert kinds_for(personas.ash) == []


def test_changing_an_answer_keeps_when_it_was_first_answered_and_tells_the_author(personas):
    feedback = send(personas)
    first = answer_feedback(feedback=feedback, by=personas.sam, answer="We will ask.")
    before = last_sequence()
    second = answer_feedback(feedback=feedback, by=personas.ada, answer="We asked: yes.")
    assert second.answered_at == first.answered_at
    assert second.answer == "We asked: yes."
    actions = [e.action for e in events_since(before) if e.target_type == "feedback"]
    assert actions == ["feedback.answer_changed"]
    assert kinds_for(personas.ash) == [FEEDBACK_ANSWERED, FEEDBACK_ANSWERED]


@pytest.mark.parametrize("who", ["fin", "ash", "river"])
def test_only_staff_and_admins_answer(personas, who):
    feedback = send(personas)
    with pytest.raises(PermissionDenied):
        answer_feedback(feedback=feedback, by=getattr(personas, who), answer="Yes.")


# --- "What we changed" -------------------------------------------------------------------


def test_a_change_tells_every_author_of_what_prompted_it_and_nobody_else(personas):
    anonymous = send(personas)
    said = confirmed_input(personas.river, personas.harbor)
    before = last_sequence()
    change = a_change(personas, feedback_ids=[anonymous.pk], input_ids=[said.pk])
    assert set(change.feedback.all()) == {anonymous}
    assert set(change.inputs.all()) == {said}
    assert kinds_for(personas.ash) == [PROGRAM_CHANGE]
    assert kinds_for(personas.river) == [PROGRAM_CHANGE]
    assert PROGRAM_CHANGE not in kinds_for(personas.sam)
    events = events_since(before)
    assert all(event.actor_id in (None, personas.sam.pk) for event in events)


def test_an_author_of_two_linked_things_is_told_once(personas):
    first = send(personas)
    second = send(personas, body="And the forms are long.")
    a_change(personas, feedback_ids=[first.pk, second.pk])
    assert kinds_for(personas.ash) == [PROGRAM_CHANGE]


def test_a_change_needs_what_prompted_it(personas):
    with pytest.raises(ValidationError) as error:
        a_change(personas)
    assert "feedback" in error.value.message_dict
    assert not ProgramChange.objects.exists()


def test_another_organizations_feedback_or_unconfirmed_input_cannot_be_linked(personas):
    theirs = send_feedback(
        organization=personas.second, author=personas.otto, terms=FeedbackTerms(body=WORDS)
    )
    waiting = confirmed_input(personas.ash, personas.harbor, status=InputStatus.PENDING)
    with pytest.raises(ValidationError) as error:
        a_change(personas, feedback_ids=[theirs.pk], input_ids=[waiting.pk])
    assert set(error.value.message_dict) == {"feedback", "inputs"}
    assert not ProgramChange.objects.exists()
    assert kinds_for(personas.otto) == []


@pytest.mark.parametrize(
    "terms",
    [
        {"title": ""},
        {"title": "x" * 201},
        {"changed_on": datetime.date.today() + datetime.timedelta(days=2)},
    ],
)
def test_bad_change_terms_save_nothing(personas, terms):
    feedback = send(personas)
    with pytest.raises(ValidationError):
        a_change(personas, feedback_ids=[feedback.pk], **terms)
    assert not ProgramChange.objects.exists()
    assert kinds_for(personas.ash) == []


@pytest.mark.parametrize("who", ["fin", "ash"])
def test_only_staff_and_admins_record_changes(personas, who):
    feedback = send(personas)
    with pytest.raises(PermissionDenied):
        record_program_change(
            organization=personas.harbor,
            by=getattr(personas, who),
            terms=ChangeTerms(
                title="Change",
                description="",
                changed_on=datetime.date.today(),
                feedback_ids=[feedback.pk],
            ),
        )
