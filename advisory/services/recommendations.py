"""Writes for the board's recommendations, their answers, the advisory settings and the
weekly staff digest.

- The board's active members record a recommendation the board adopted; staff must answer
  it by `due_on` (adopted on + the organization's answer days), always with reasons.
- Staff answer, or change their answer, and link the decisions that came of it.
- People are told only through the outbox, which says nothing but "there is an update".

Every write checks everything first: bad input raises ValidationError and writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import record_event
from accounts.models import (
    AssignmentStatus,
    Organization,
    OutboxMessage,
    Role,
    User,
)
from accounts.outbox import enqueue_update
from accounts.permissions import Capability, allows, require
from accounts.selectors.roles import staff_of
from accounts.update_kinds import page
from advisory.models import (
    AdvisorySettings,
    Decision,
    DecisionArea,
    Recommendation,
    RecommendationResponse,
)
from advisory.selectors.loop import has_something_to_say
from advisory.selectors.recommendations import advisory_settings, meetings_for_recommendation
from compensation.selectors.ledger import organization_today
from meetings.models import Meeting

# Outbox kinds: short codes, never content.
RECOMMENDATION_ADOPTED = "recommendation_adopted"  # to staff and admins
RECOMMENDATION_ANSWERED = "recommendation_answered"  # to the board's active members
WEEKLY_DIGEST = "advisory_weekly_digest"  # to staff and admins


# The rules' words, written once: the forms show these same messages.
AREA_MISSING = gettext_lazy("Choose an area.")
MEETING_NOT_PAST = gettext_lazy("Choose one of this board's past meetings, or none.")
RESPONSE_MISSING = gettext_lazy("Choose accepted, accepted in part or declined.")
ADOPTED_ON_MISSING = gettext_lazy("Give the day the board adopted it.")
REASONS_MISSING = gettext_lazy("Give your reasons. The board reads them, whatever the answer.")
TEXT_MISSING = gettext_lazy("Write what the board recommends.")
DECISIONS_NOT_OURS = gettext_lazy("Choose only decisions of this organization.")


def active_board_members(organization: Organization) -> QuerySet[User]:
    """Survivor leaders with an active role on one of the organization's boards."""
    return (
        User.objects.filter(
            role_assignments__board__organization=organization,
            role_assignments__status=AssignmentStatus.ACTIVE,
        )
        .filter(
            memberships__organization=organization,
            memberships__role=Role.SURVIVOR_LEADER,
            is_active=True,
            erased_at__isnull=True,
        )
        .distinct()
        .order_by("pk")
    )


def _tell(people: QuerySet[User], organization: Organization, kind: str, target: str) -> int:
    told = 0
    for person in people:
        enqueue_update(recipient=person, organization=organization, kind=kind, target=target)
        told += 1
    return told


# --- recording a recommendation ----------------------------------------------------------


@dataclass(frozen=True)
class RecommendationTerms:
    text: str
    area: str
    adopted_on: date
    meeting_id: int | None = None


# A recommendation adopted longer ago than this would be overdue the moment it is saved.
ADOPTED_WITHIN = timedelta(days=366)
SAME_FORM_WINDOW = timedelta(minutes=10)


def _recommendation_errors(
    organization: Organization, terms: RecommendationTerms
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not terms.text.strip():
        errors["text"] = str(TEXT_MISSING)
    if terms.area not in DecisionArea.values:
        errors["area"] = str(AREA_MISSING)
    if not isinstance(terms.adopted_on, date):
        errors["adopted_on"] = ADOPTED_ON_MISSING
    elif terms.adopted_on > organization_today(organization):
        errors["adopted_on"] = _("The day it was adopted cannot be in the future.")
    elif terms.adopted_on < organization_today(organization) - ADOPTED_WITHIN:
        errors["adopted_on"] = _("Record recommendations adopted in the last year.")
    if terms.meeting_id is None:
        return errors
    meeting = meetings_for_recommendation(organization).filter(pk=terms.meeting_id).first()
    if meeting is None:
        errors["meeting"] = str(MEETING_NOT_PAST)
    elif "adopted_on" not in errors and terms.adopted_on < _day_of(meeting, organization):
        errors["adopted_on"] = _(
            "The board cannot have adopted it before the meeting it came from."
        )
    return errors


def _day_of(meeting: Meeting, organization: Organization) -> date:
    return meeting.starts_at.astimezone(ZoneInfo(organization.time_zone)).date()


@transaction.atomic
def record_recommendation(
    *, organization: Organization, by: User, terms: RecommendationTerms
) -> Recommendation:
    """The board adopted a recommendation: staff must answer it within the organization's
    answer days. Staff and admins are told there is an update."""
    if not allows(by, organization, Capability.RECOMMEND):
        raise PermissionDenied
    errors = _recommendation_errors(organization, terms)
    if errors:
        raise ValidationError(errors)
    # Locking the organization serializes two submits of the same form; the second finds
    # the first and is refused instead of recording the recommendation twice.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    if Recommendation.objects.filter(
        organization=organization,
        text=terms.text.strip(),
        adopted_on=terms.adopted_on,
        created_at__gte=timezone.now() - SAME_FORM_WINDOW,
    ).exists():
        raise ValidationError(
            _("This recommendation was just recorded. It is in the list already.")
        )
    days = advisory_settings(organization).recommendation_answer_days
    recommendation = Recommendation(
        organization=organization,
        text=terms.text.strip(),
        area=terms.area,
        meeting_id=terms.meeting_id,
        adopted_on=terms.adopted_on,
        adopted_by=by,
        due_on=terms.adopted_on + timedelta(days=days),
    )
    recommendation.full_clean()
    recommendation.save()
    record_event(
        action="recommendation.recorded",
        actor_id=by.pk,
        organization_id=organization.pk,
        target_type="recommendation",
        target_id=recommendation.pk,
    )
    _tell(
        staff_of(organization),
        organization,
        RECOMMENDATION_ADOPTED,
        page("recommendations", organization),
    )
    return recommendation


# --- staff answer ------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerTerms:
    response: str
    reason: str
    decision_ids: Sequence[int] = ()


def _answer_errors(organization: Organization, terms: AnswerTerms) -> dict[str, str]:
    errors: dict[str, str] = {}
    if terms.response not in RecommendationResponse.values:
        errors["response"] = str(RESPONSE_MISSING)
    if not terms.reason.strip():
        errors["reason"] = str(REASONS_MISSING)
    wanted = set(terms.decision_ids)
    mine = Decision.objects.filter(organization=organization, pk__in=wanted)
    found = set(mine.values_list("pk", flat=True))
    if wanted - found:
        errors["decisions"] = str(DECISIONS_NOT_OURS)
    return errors


@transaction.atomic
def answer_recommendation(
    *, recommendation: Recommendation, by: User, terms: AnswerTerms
) -> Recommendation:
    """Answer a recommendation, or change the answer: accepted, accepted in part or
    declined, always with reasons, and the decisions that came of it. The board's active
    members are told there is an update."""
    organization = recommendation.organization
    require(by, organization, Capability.LOOK_AFTER_BOARD)
    errors = _answer_errors(organization, terms)
    if errors:
        raise ValidationError(errors)
    # Locked, so two staff members answering at once write one after the other.
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    revised = bool(locked.response)
    locked.response = terms.response
    locked.response_reason = terms.reason.strip()
    locked.responded_by = by
    locked.responded_at = timezone.now()
    locked.full_clean()
    locked.save()
    locked.decisions.set(sorted(set(terms.decision_ids)))
    record_event(
        action="recommendation.answer_changed" if revised else "recommendation.answered",
        actor_id=by.pk,
        organization_id=organization.pk,
        target_type="recommendation",
        target_id=locked.pk,
    )
    _tell(
        active_board_members(organization),
        organization,
        RECOMMENDATION_ANSWERED,
        page("board_recommendations", organization),
    )
    return locked


# --- settings ----------------------------------------------------------------------------


@transaction.atomic
def save_advisory_settings(
    *, organization: Organization, by: User, answer_days: int, outcome_days: int
) -> AdvisorySettings:
    """Saves the two waiting times, creating the settings on the first save. A new answer
    time applies to recommendations recorded from then on."""
    require(by, organization, Capability.LOOK_AFTER_BOARD)
    # Locking the organization serializes two first saves, which would otherwise both
    # insert and trip the one-to-one constraint.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    settings = AdvisorySettings.objects.filter(
        organization=organization
    ).first() or AdvisorySettings(organization=organization)
    settings.recommendation_answer_days = answer_days
    settings.input_outcome_days = outcome_days
    settings.full_clean()
    settings.save()
    record_event(
        action="advisory_settings.saved",
        actor_id=by.pk,
        organization_id=organization.pk,
        target_type="advisory_settings",
        target_id=settings.pk,
    )
    return settings


# --- the weekly staff digest -------------------------------------------------------------


def start_of_week(organization: Organization, now: datetime) -> datetime:
    """Monday 00:00 of this ISO week, where the organization is."""
    zone = ZoneInfo(organization.time_zone)
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    return datetime.combine(monday, time.min, tzinfo=zone)


@transaction.atomic
def send_digest_to(*, organization: Organization, now: datetime | None = None) -> int:
    """Tell the organization's staff and admins there is an update, once per ISO week and
    only when there is something to say (overdue recommendations or input with no outcome
    for too long). Returns how many people were told."""
    now = now or timezone.now()
    # Locking the organization row makes two runs at once take turns, so nobody is told
    # twice in one week.
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if not has_something_to_say(organization, now=now):
        return 0
    already = set(
        OutboxMessage.objects.filter(
            organization=organization,
            kind=WEEKLY_DIGEST,
            created_at__gte=start_of_week(organization, now),
        ).values_list("recipient_id", flat=True)
    )
    return _tell(
        staff_of(organization).exclude(pk__in=already),
        organization,
        WEEKLY_DIGEST,
        page("loop_health", organization),
    )


def send_weekly_digest(*, now: datetime | None = None) -> int:
    """Every organization's digest, each in its own transaction. Returns how many people
    were told; running it twice in a week tells nobody twice."""
    return sum(
        send_digest_to(organization=organization, now=now)
        for organization in Organization.objects.order_by("pk")
    )
