"""Minutes services: who may draft, comment and approve; approved minutes stay as they are."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEvent
from meetings.models import Minutes, MinutesComment, MinutesStatus
from meetings.services.minutes import approve_minutes, comment_on_minutes, draft_minutes
from tests.meetings.minutes_support import make_co_chair, meeting_with

pytestmark = pytest.mark.django_db


def written():
    return (
        list(Minutes.objects.values_list("body", "status")),
        MinutesComment.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def meeting(personas):
    return meeting_with(personas, invited=("ash", "river"), note_taker="river")


def test_staff_draft_and_update_the_minutes_with_an_audit_code(personas, meeting):
    minutes = draft_minutes(meeting=meeting, by=personas.sam, body="We talked about outreach.")
    again = draft_minutes(meeting=meeting, by=personas.sam, body="We talked about training.")
    assert minutes.pk == again.pk
    assert Minutes.objects.get().body == "We talked about training."
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions[-2:] == ["minutes.drafted", "minutes.updated"]


def test_the_note_taker_may_draft(personas, meeting):
    draft_minutes(meeting=meeting, by=personas.river, body="Notes.")
    assert Minutes.objects.get().drafted_by == personas.river


@pytest.mark.parametrize("who", ["ash", "fin", "faye", "otto"])
def test_others_may_not_draft(personas, meeting, who):
    before = written()
    with pytest.raises(PermissionDenied):
        draft_minutes(meeting=meeting, by=getattr(personas, who), body="Notes.")
    assert written() == before


def test_invited_survivors_and_staff_comment(personas, meeting):
    minutes = draft_minutes(meeting=meeting, by=personas.sam, body="Notes.")
    comment_on_minutes(minutes=minutes, author=personas.ash, body="Please add the budget.")
    comment_on_minutes(minutes=minutes, author=personas.sam, body="Added.")
    assert MinutesComment.objects.count() == 2
    assert AuditEvent.objects.filter(action="minutes.commented").count() == 2


@pytest.mark.parametrize("who", ["fin", "faye", "otto"])
def test_others_may_not_comment(personas, meeting, who):
    minutes = draft_minutes(meeting=meeting, by=personas.sam, body="Notes.")
    before = written()
    with pytest.raises(PermissionDenied):
        comment_on_minutes(minutes=minutes, author=getattr(personas, who), body="Hi.")
    assert written() == before


def test_a_survivor_not_invited_may_not_comment(personas):
    meeting = meeting_with(personas, invited=("ash",))
    minutes = draft_minutes(meeting=meeting, by=personas.sam, body="Notes.")
    with pytest.raises(PermissionDenied):
        comment_on_minutes(minutes=minutes, author=personas.river, body="Hi.")


def test_only_a_survivor_co_chair_approves(personas, meeting):
    make_co_chair(personas.ash, personas.harbor)
    minutes = draft_minutes(meeting=meeting, by=personas.sam, body="Notes.")
    for who in ("river", "sam", "ada", "fin", "faye", "otto"):
        with pytest.raises(PermissionDenied):
            approve_minutes(minutes=minutes, by=getattr(personas, who))
    assert Minutes.objects.get().status == MinutesStatus.DRAFT
    approved = approve_minutes(minutes=minutes, by=personas.ash)
    assert approved.status == MinutesStatus.APPROVED
    assert approved.approved_by == personas.ash
    assert approved.approved_at is not None
    assert AuditEvent.objects.filter(action="minutes.approved", actor_id=personas.ash.pk).exists()


def test_approved_minutes_are_read_only(personas, meeting):
    make_co_chair(personas.ash, personas.harbor)
    minutes = draft_minutes(meeting=meeting, by=personas.sam, body="Notes.")
    approve_minutes(minutes=minutes, by=personas.ash)
    before = written()
    with pytest.raises(ValidationError, match="approved"):
        draft_minutes(meeting=meeting, by=personas.sam, body="Changed.")
    with pytest.raises(ValidationError, match="approved"):
        comment_on_minutes(minutes=minutes, author=personas.river, body="Late.")
    with pytest.raises(ValidationError, match="approved"):
        approve_minutes(minutes=minutes, by=personas.ash)
    assert written() == before


def test_empty_minutes_are_refused(personas, meeting):
    with pytest.raises(ValidationError):
        draft_minutes(meeting=meeting, by=personas.sam, body="")
    assert not Minutes.objects.exists()
