"""Loop health for staff: is input reaching decisions, and is the board's advice answered?

Plain figures, never scores or targets:
- confirmed input with no outcome (no current link) for more than the organization's
  `input_outcome_days`, counted from when it was confirmed (or given, if it was never
  pending);
- recommendations waiting for an answer, and how many of them are overdue;
- the median number of days from input to decision, over current links;
- how many confirmed inputs have an outcome their author was told about (at least one
  current link: linking tells the author).

Links are read only through `current_links`, so a withdrawn input's links count nowhere.
Authors are never shown here.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Organization
from advisory.models import AdvisorySettings, Recommendation
from advisory.selectors.links import current_links
from advisory.selectors.recommendations import advisory_settings
from compensation.selectors.ledger import organization_today
from meetings.models import Input
from meetings.selectors.input import counted_inputs

STALE_PER_PAGE = 25


def _has_outcome(organization: Organization) -> Exists:
    """True for an input of the outer query that has at least one current link."""
    return Exists(current_links(organization).filter(input_id=OuterRef("pk")))


def stale_inputs(
    organization: Organization, *, days: int, now: datetime | None = None
) -> QuerySet[Input]:
    """Confirmed input with no current link, given more than `days` days ago; oldest
    first, with its meeting and topic."""
    since = (now or timezone.now()) - timedelta(days=days)
    return (
        counted_inputs(organization=organization)
        .annotate(given_at=Coalesce("confirmed_at", "created_at"))
        .filter(given_at__lt=since)
        .exclude(_has_outcome(organization))
        .select_related("meeting", "agenda_item")
        .order_by("given_at", "id")
    )


@dataclass(frozen=True)
class Waiting:
    """Recommendations with no answer yet, and how many of those are past their date."""

    awaiting: int
    overdue: int


def recommendations_waiting(organization: Organization) -> Waiting:
    today = organization_today(organization)
    counts = Recommendation.objects.filter(organization=organization, response="").aggregate(
        awaiting=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today))
    )
    return Waiting(awaiting=counts["awaiting"], overdue=counts["overdue"])


def median_days_to_decision(organization: Organization) -> int | None:
    """Median days from input (confirmed, or given) to the decision's date, over current
    links, in whole days; None with no links. One query."""
    zone = ZoneInfo(organization.time_zone)
    pairs = (
        current_links(organization)
        .annotate(given_at=Coalesce("input__confirmed_at", "input__created_at"))
        .values_list("given_at", "decision__decided_on")
    )
    # A decision dated before the input counts as the same day: the input still shaped a
    # decision that was on the table, and no outcome takes "negative" time.
    days = [max((decided - given.astimezone(zone).date()).days, 0) for given, decided in pairs]
    if not days:
        return None
    median: float = statistics.median(days)
    return round(median)


@dataclass(frozen=True)
class Told:
    """Confirmed inputs, and how many of them have an outcome their author was told."""

    told: int
    inputs: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.told / self.inputs) if self.inputs else None


def authors_told(organization: Organization) -> Told:
    counts = counted_inputs(organization=organization).aggregate(
        inputs=Count("id"), told=Count("id", filter=Q(_has_outcome(organization)))
    )
    return Told(told=counts["told"], inputs=counts["inputs"])


@dataclass(frozen=True)
class LoopHealth:
    outcome_days: int
    stale: int
    waiting: Waiting
    median_days: int | None
    told: Told


def loop_health(
    organization: Organization, *, settings: AdvisorySettings, stale: int
) -> LoopHealth:
    """The page's figures. `stale` comes from the paginated list's own count."""
    return LoopHealth(
        outcome_days=settings.input_outcome_days,
        stale=stale,
        waiting=recommendations_waiting(organization),
        median_days=median_days_to_decision(organization),
        told=authors_told(organization),
    )


def has_something_to_say(organization: Organization, *, now: datetime | None = None) -> bool:
    """For the weekly digest: an overdue recommendation, or input with no outcome for
    longer than the organization's setting."""
    today = (now or timezone.now()).astimezone(ZoneInfo(organization.time_zone)).date()
    overdue = Recommendation.objects.filter(
        organization=organization, response="", due_on__lt=today
    ).exists()
    if overdue:
        return True
    days = advisory_settings(organization).input_outcome_days
    return stale_inputs(organization, days=days, now=now).exists()
