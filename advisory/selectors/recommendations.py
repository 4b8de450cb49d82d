"""Reads for the board's recommendations: who may record one, what the board reads, and
what staff answer. Who recorded a recommendation is never shown to anyone.

A recommendation is *overdue* while it has no answer and its due date has passed where
the organization is (`organization_today`): on the due date itself it is not yet late.
"""

from __future__ import annotations

from datetime import date

from django.db.models import BooleanField, Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from accounts.models import Organization
from advisory.models import AdvisorySettings, Decision, Recommendation
from meetings.models import Meeting, MeetingStatus

RECOMMENDATIONS_PER_PAGE = 20


def advisory_settings(organization: Organization) -> AdvisorySettings:
    """The organization's settings, or the defaults (unsaved) until someone changes them."""
    found = AdvisorySettings.objects.filter(organization=organization).first()
    return found or AdvisorySettings(organization=organization)


def meetings_for_recommendation(organization: Organization) -> QuerySet[Meeting]:
    """The meetings a recommendation can come from: this organization's, already started,
    not cancelled; newest first."""
    return Meeting.objects.filter(organization=organization, starts_at__lte=timezone.now()).exclude(
        status=MeetingStatus.CANCELLED
    )


def _overdue(today: date) -> Case:
    return Case(
        When(Q(response="") & Q(due_on__lt=today), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def _with_decisions(recommendations: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    titles = Decision.objects.only("id", "title").order_by("-decided_on", "-id")
    return recommendations.select_related("meeting").prefetch_related(
        Prefetch("decisions", queryset=titles)
    )


def recommendations_for_board(organization: Organization, today: date) -> QuerySet[Recommendation]:
    """Every recommendation of the organization, newest first, each with `overdue` and
    the titles of the decisions that came of it."""
    recommendations = Recommendation.objects.filter(organization=organization).annotate(
        overdue=_overdue(today)
    )
    return _with_decisions(recommendations).order_by("-adopted_on", "-id")


def recommendations_for_staff(organization: Organization, today: date) -> QuerySet[Recommendation]:
    """Overdue first (oldest due date first), then those still waiting for an answer,
    then the answered ones, newest first."""
    waiting = Case(
        When(Q(response="") & Q(due_on__lt=today), then=Value(0)),
        When(response="", then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    recommendations = Recommendation.objects.filter(organization=organization).annotate(
        overdue=_overdue(today)
    )
    return _with_decisions(recommendations).order_by(waiting, "due_on", "-adopted_on", "-id")


def get_recommendation_for_staff(
    organization: Organization, pk: int, today: date
) -> Recommendation:
    """One recommendation of this organization, with `overdue`; any other is a 404."""
    recommendation = (
        _with_decisions(Recommendation.objects.filter(organization=organization, pk=pk))
        .annotate(overdue=_overdue(today))
        .first()
    )
    if recommendation is None:
        raise Http404
    return recommendation


def decisions_to_link(organization: Organization) -> QuerySet[Decision]:
    """The decisions staff may link to an answer: this organization's, newest first."""
    return Decision.objects.filter(organization=organization).only(
        "id", "title", "decided_on", "organization_id"
    )
