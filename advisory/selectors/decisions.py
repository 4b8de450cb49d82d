"""Reads for decisions: staff's list and page, and the board's decision log.

Everything is scoped to an organization the caller already reached through
`organization_for` (`LOOK_AFTER_BOARD` or `USE_OWN_SEAT`); a decision of any
other organization is a 404. Counts of linked input come only from `advisory.selectors.links`,
so a withdrawn input's links are left out here as everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.http import Http404

from accounts.models import Organization
from advisory.models import (
    AnswerChoice,
    Decision,
    DecisionArea,
    DecisionStatusChange,
)
from advisory.selectors.links import AnswerCounts, answer_counts, current_answers
from meetings.models import Meeting

DECISIONS_PER_PAGE = 25


def decisions_in(
    organization: Organization, *, area: str | None = None, status: str | None = None
) -> QuerySet[Decision]:
    """The organization's decisions, newest first, with their meeting in the same query."""
    decisions = Decision.objects.filter(organization=organization).select_related("meeting")
    if area:
        decisions = decisions.filter(area=area)
    if status:
        decisions = decisions.filter(status=status)
    return decisions.order_by("-decided_on", "-id")


def get_decision(organization: Organization, pk: int) -> Decision:
    """A decision of this organization; anything else is 404."""
    try:
        decision = Decision.objects.select_related("meeting").get(pk=pk, organization=organization)
    except Decision.DoesNotExist as exc:
        raise Http404 from exc
    decision.organization = organization  # already fetched; saves a query
    return decision


def meetings_for_decisions(organization: Organization) -> QuerySet[Meeting]:
    """The meetings a decision can say it came from: this organization's, newest first."""
    return Meeting.objects.filter(organization=organization).order_by("-starts_at", "-id")


def timeline(decision: Decision) -> list[DecisionStatusChange]:
    """Every status the decision has had, oldest first, each with its reason."""
    return list(DecisionStatusChange.objects.filter(decision=decision).order_by("created_at", "id"))


@dataclass(frozen=True)
class DecisionCard:
    """A decision with its current links and how their authors answered."""

    decision: Decision
    counts: AnswerCounts


def with_counts(organization: Organization, decisions: list[Decision]) -> list[DecisionCard]:
    """Counts for a page of decisions in two grouped queries, whatever the page holds."""
    counts = answer_counts(organization, [decision.pk for decision in decisions])
    return [DecisionCard(decision=d, counts=counts[d.pk]) for d in decisions]


@dataclass(frozen=True)
class AreaCount:
    area: str
    label: str
    count: int


def area_counts(organization: Organization) -> list[AreaCount]:
    """How many decisions there are in each area, in the areas' usual order; areas with
    none are left out. One grouped query."""
    counts = dict(
        Decision.objects.filter(organization=organization)
        .order_by()
        .values("area")
        .annotate(n=Count("id"))
        .values_list("area", "n")
    )
    return [
        AreaCount(area=str(value), label=str(label), count=counts[value])
        for value, label in DecisionArea.choices
        if counts.get(value)
    ]


def not_quite_comments(organization: Organization, decision: Decision) -> list[str]:
    """What authors said they really meant, for the decision's current links only. The
    words alone: never who wrote them or which input they are about."""
    return list(
        current_answers(organization)
        .filter(decision=decision, answer=AnswerChoice.NOT_QUITE)
        .order_by("answered_at", "id")
        .values_list("comment", flat=True)
    )
