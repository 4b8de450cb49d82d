"""Logging decisions and changing their status: reasons where the board needs them, a
timeline nobody can rewrite, nothing written on any refusal, and authors of linked input
told only that there is an update."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.models import AuditEvent, OutboxMessage
from advisory.models import Decision, DecisionArea, DecisionStatus, DecisionStatusChange
from advisory.notify import DECISION_CHANGED
from advisory.services.decisions import change_decision_status, edit_decision, log_decision
from meetings.models import InputStatus
from tests.advisory.factories import DecisionFactory, confirmed_input, link
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db

NEEDS_A_REASON = [DecisionStatus.NOT_ADOPTED, DecisionStatus.PARTLY_ADOPTED]


def written() -> tuple[int, int, int, int]:
    """Everything a decision service can write."""
    return (
        Decision.objects.count(),
        DecisionStatusChange.objects.count(),
        AuditEvent.objects.count(),
        OutboxMessage.objects.count(),
    )


def log(personas: Any, **overrides: Any) -> Decision:
    fields: dict[str, Any] = {
        "organization": personas.harbor,
        "by": personas.sam,
        "title": "Shorter intake forms",
        "description": "The intake form drops to one page.",
        "area": DecisionArea.INTAKE,
        "status": DecisionStatus.UNDER_CONSIDERATION,
        "reason": "",
        "decided_on": datetime.date(2026, 3, 2),
        "meeting": None,
    }
    return log_decision(**(fields | overrides))


def logged(personas: Any, status: str = DecisionStatus.UNDER_CONSIDERATION) -> Decision:
    reason = "Money ran out." if status in NEEDS_A_REASON else ""
    return log(personas, status=status, reason=reason)


# --- logging -----------------------------------------------------------------------------


def test_logging_a_decision_puts_its_first_status_on_the_timeline(personas):
    meeting = MeetingFactory.create(organization=personas.harbor)
    decision = log(personas, meeting=meeting)
    assert decision.organization == personas.harbor
    assert decision.meeting == meeting
    assert decision.created_by == personas.sam
    [first] = DecisionStatusChange.objects.filter(decision=decision)
    assert (first.status, first.reason, first.actor_id) == (
        DecisionStatus.UNDER_CONSIDERATION,
        "",
        personas.sam.pk,
    )


def test_logging_is_audited_with_ids_only(personas):
    decision = log(personas)
    event = AuditEvent.objects.get(action="decision.logged")
    assert (event.actor_id, event.organization_id, event.target_type, event.target_id) == (
        personas.sam.pk,
        personas.harbor.pk,
        "decision",
        decision.pk,
    )
    assert "intake" not in event.payload.lower()


def test_admins_log_decisions_too(personas):
    assert log(personas, by=personas.ada).created_by == personas.ada


@pytest.mark.parametrize("status", NEEDS_A_REASON)
@pytest.mark.parametrize("reason", ["", "   "])
def test_not_or_partly_adopted_needs_a_reason_and_nothing_is_written(personas, status, reason):
    before = written()
    with pytest.raises(ValidationError) as refusal:
        log(personas, status=status, reason=reason)
    assert "reason" in refusal.value.message_dict
    assert "board reads" in refusal.value.message_dict["reason"][0]
    assert written() == before


@pytest.mark.parametrize("status", NEEDS_A_REASON)
def test_with_a_reason_the_board_can_read_it(personas, status):
    decision = log(personas, status=status, reason="  The budget did not allow it.  ")
    assert decision.reason == "The budget did not allow it."
    assert DecisionStatusChange.objects.get(decision=decision).reason == decision.reason


def test_another_organizations_meeting_is_refused(personas):
    theirs = MeetingFactory.create(organization=personas.second)
    before = written()
    with pytest.raises(ValidationError) as refusal:
        log(personas, meeting=theirs)
    assert "meeting" in refusal.value.message_dict
    assert written() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "   "), ("area", "weather"), ("status", "maybe_later")],
)
def test_bad_details_are_refused_with_nothing_written(personas, field, value):
    before = written()
    with pytest.raises(ValidationError) as refusal:
        log(personas, **{field: value})
    assert field in refusal.value.message_dict
    assert written() == before


@pytest.mark.parametrize("who", ["ash", "fin", "otto"])
def test_only_staff_and_admins_of_the_organization_log_decisions(personas, who):
    before = written()
    with pytest.raises(PermissionDenied):
        log(personas, by=getattr(personas, who))
    assert written() == before


# --- changing the status -----------------------------------------------------------------


def test_each_status_change_adds_to_the_timeline_and_keeps_the_earlier_steps(personas):
    decision = logged(personas)
    change_decision_status(
        decision=decision, by=personas.sam, status=DecisionStatus.NOT_ADOPTED, reason="No money."
    )
    change_decision_status(
        decision=decision, by=personas.ada, status=DecisionStatus.ADOPTED, reason=""
    )
    decision.refresh_from_db()
    assert (decision.status, decision.reason) == (DecisionStatus.ADOPTED, "")
    steps = list(
        DecisionStatusChange.objects.filter(decision=decision).values_list("status", "reason")
    )
    assert steps == [
        (DecisionStatus.UNDER_CONSIDERATION, ""),
        (DecisionStatus.NOT_ADOPTED, "No money."),
        (DecisionStatus.ADOPTED, ""),
    ]
    assert (
        AuditEvent.objects.filter(action="decision.status_changed", target_id=decision.pk).count()
        == 2
    )


@pytest.mark.parametrize("status", NEEDS_A_REASON)
def test_a_change_to_not_or_partly_adopted_needs_a_reason(personas, status):
    decision = logged(personas)
    before = written()
    with pytest.raises(ValidationError) as refusal:
        change_decision_status(decision=decision, by=personas.sam, status=status, reason=" ")
    assert "reason" in refusal.value.message_dict
    assert written() == before
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.UNDER_CONSIDERATION


def test_the_same_status_again_is_refused_with_a_message(personas):
    decision = logged(personas, DecisionStatus.ADOPTED)
    link(decision, confirmed_input(personas.ash, personas.harbor))
    before = written()
    with pytest.raises(ValidationError) as refusal:
        change_decision_status(
            decision=decision, by=personas.sam, status=DecisionStatus.ADOPTED, reason="Again."
        )
    assert "already" in refusal.value.messages[0]
    assert "Adopted" in refusal.value.messages[0]
    assert written() == before


def test_the_status_is_read_again_under_the_lock(personas):
    """A page opened before someone else's change must not write the same status twice."""
    decision = logged(personas)
    stale = Decision.objects.get(pk=decision.pk)
    change_decision_status(
        decision=decision, by=personas.sam, status=DecisionStatus.ADOPTED, reason=""
    )
    with pytest.raises(ValidationError):
        change_decision_status(
            decision=stale, by=personas.ada, status=DecisionStatus.ADOPTED, reason=""
        )
    assert DecisionStatusChange.objects.filter(decision=decision).count() == 2


def test_an_unknown_status_is_refused(personas):
    decision = logged(personas)
    before = written()
    with pytest.raises(ValidationError):
        change_decision_status(decision=decision, by=personas.sam, status="shelved", reason="")
    assert written() == before


@pytest.mark.parametrize("who", ["ash", "fin", "otto"])
def test_only_staff_change_a_status(personas, who):
    decision = logged(personas)
    before = written()
    with pytest.raises(PermissionDenied):
        change_decision_status(
            decision=decision, by=getattr(personas, who), status="adopted", reason=""
        )
    assert written() == before


def test_a_status_change_tells_linked_authors_once_each_through_the_outbox(personas):
    decision = logged(personas)
    link(decision, confirmed_input(personas.ash, personas.harbor))
    link(decision, confirmed_input(personas.ash, personas.harbor, body="And evening hours."))
    link(decision, confirmed_input(personas.river, personas.harbor))
    change_decision_status(
        decision=decision, by=personas.sam, status=DecisionStatus.ADOPTED, reason=""
    )
    messages = OutboxMessage.objects.order_by("recipient_id")
    assert [(m.recipient_id, m.organization_id, m.kind) for m in messages] == sorted(
        [
            (personas.ash.pk, personas.harbor.pk, DECISION_CHANGED),
            (personas.river.pk, personas.harbor.pk, DECISION_CHANGED),
        ]
    )


def test_the_outbox_carries_a_kind_and_no_content(personas):
    decision = logged(personas)
    link(decision, confirmed_input(personas.ash, personas.harbor, body="Secret words here."))
    change_decision_status(
        decision=decision, by=personas.sam, status=DecisionStatus.NOT_ADOPTED, reason="No money."
    )
    [message] = OutboxMessage.objects.values()
    stored = " ".join(str(value) for value in message.values())
    for words in ("Secret words", "No money", decision.title, "not_adopted"):
        assert words not in stored
    assert message["kind"] == DECISION_CHANGED


def test_withdrawn_or_superseded_links_tell_nobody(personas):
    decision = logged(personas)
    withdrawn = confirmed_input(personas.ash, personas.harbor, status=InputStatus.WITHDRAWN)
    link(decision, withdrawn)
    old = link(decision, confirmed_input(personas.river, personas.harbor))
    link(decision, old.input, supersedes=old)  # the revision is current; River hears once
    change_decision_status(
        decision=decision, by=personas.sam, status=DecisionStatus.ADOPTED, reason=""
    )
    assert list(OutboxMessage.objects.values_list("recipient_id", flat=True)) == [personas.river.pk]


# --- the timeline is append-only ---------------------------------------------------------


def test_the_timeline_refuses_update_and_delete(personas):
    decision = logged(personas)
    step = DecisionStatusChange.objects.get(decision=decision)
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionStatusChange.objects.filter(pk=step.pk).update(reason="Rewritten.")
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionStatusChange.objects.filter(pk=step.pk).delete()
    assert DecisionStatusChange.objects.get(pk=step.pk).reason == ""


# --- correcting the details --------------------------------------------------------------


def test_editing_changes_the_details_but_never_the_status_or_timeline(personas):
    decision = logged(personas, DecisionStatus.NOT_ADOPTED)
    meeting = MeetingFactory.create(organization=personas.harbor)
    edit_decision(
        decision=decision,
        by=personas.sam,
        title="One-page intake form",
        description="",
        area=DecisionArea.SERVICES,
        decided_on=datetime.date(2026, 4, 1),
        meeting=meeting,
    )
    decision.refresh_from_db()
    assert (decision.title, decision.area, decision.meeting) == (
        "One-page intake form",
        DecisionArea.SERVICES,
        meeting,
    )
    assert (decision.status, decision.reason) == (DecisionStatus.NOT_ADOPTED, "Money ran out.")
    assert DecisionStatusChange.objects.filter(decision=decision).count() == 1
    assert AuditEvent.objects.filter(action="decision.edited", target_id=decision.pk).exists()
    assert not OutboxMessage.objects.exists()


def test_editing_refuses_another_organizations_meeting(personas):
    decision = logged(personas)
    theirs = MeetingFactory.create(organization=personas.second)
    before = written()
    with pytest.raises(ValidationError) as refusal:
        edit_decision(
            decision=decision,
            by=personas.sam,
            title="New title",
            description="",
            area=DecisionArea.INTAKE,
            decided_on=decision.decided_on,
            meeting=theirs,
        )
    assert "meeting" in refusal.value.message_dict
    assert written() == before
    decision.refresh_from_db()
    assert decision.title == "Shorter intake forms"


def test_editing_is_for_staff_only(personas):
    decision = DecisionFactory.create(organization=personas.harbor)
    with pytest.raises(PermissionDenied):
        edit_decision(
            decision=decision,
            by=personas.river,
            title="Mine now",
            description="",
            area=DecisionArea.INTAKE,
            decided_on=decision.decided_on,
        )
