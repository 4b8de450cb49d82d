"""Recommendations and loop health: the board records and reads its recommendations; staff
answer them and watch whether input reaches decisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.permissions import AuthenticatedRequest, Capability, allows, organization_for
from advisory.forms.recommendations import AdvisorySettingsForm, AnswerForm, RecommendationForm
from advisory.selectors.loop import STALE_PER_PAGE, loop_health, stale_inputs
from advisory.selectors.recommendations import (
    RECOMMENDATIONS_PER_PAGE,
    advisory_settings,
    decisions_to_link,
    get_recommendation_for_staff,
    meetings_for_recommendation,
    recommendations_for_board,
    recommendations_for_staff,
)
from advisory.services import recommendations as service
from compensation.selectors.ledger import organization_today


@login_required
def new_recommendation(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.RECOMMEND)
    form = RecommendationForm(
        request.POST if request.method == "POST" else None,
        meetings=meetings_for_recommendation(organization),
        initial={"adopted_on": organization_today(organization)},
    )
    if form.is_valid():
        try:
            service.record_recommendation(organization=organization, by=user, terms=form.terms())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The recommendation is saved. Staff have been told."))
            return redirect("board_recommendations", org=organization.slug)
    context = {"organization": organization, "form": form}
    return render(request, "advisory/recommendations/new.html", context)


@login_required
def board_recommendations(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    today = organization_today(organization)
    recommendations = recommendations_for_board(organization, today)
    page = Paginator(recommendations, RECOMMENDATIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "organization": organization,
        "page": page,
        "may_record": allows(user, organization, Capability.RECOMMEND),
    }
    return render(request, "advisory/recommendations/board.html", context)


@login_required
def recommendations(request: AuthenticatedRequest, org: str) -> HttpResponse:
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    today = organization_today(organization)
    listed = recommendations_for_staff(organization, today)
    page = Paginator(listed, RECOMMENDATIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"organization": organization, "page": page}
    return render(request, "advisory/recommendations/staff_list.html", context)


@login_required
def answer_recommendation(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    recommendation = get_recommendation_for_staff(
        organization, pk, organization_today(organization)
    )
    initial = {
        "response": recommendation.response or None,
        "reason": recommendation.response_reason,
        "decisions": [decision.pk for decision in recommendation.decisions.all()],
    }
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        decisions=decisions_to_link(organization),
        initial=initial,
    )
    if form.is_valid():
        try:
            service.answer_recommendation(
                recommendation=recommendation, by=user, terms=form.terms()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your answer is saved. The board has been told."))
            return redirect("recommendations", org=organization.slug)
    context = {"organization": organization, "recommendation": recommendation, "form": form}
    return render(request, "advisory/recommendations/answer.html", context)


@login_required
def loop_health_page(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    settings = advisory_settings(organization)
    form = AdvisorySettingsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "recommendation_answer_days": settings.recommendation_answer_days,
            "input_outcome_days": settings.input_outcome_days,
        },
    )
    if form.is_valid():
        try:
            service.save_advisory_settings(
                organization=organization,
                by=user,
                answer_days=form.cleaned_data["recommendation_answer_days"],
                outcome_days=form.cleaned_data["input_outcome_days"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The settings are saved."))
            return redirect("loop_health", org=organization.slug)
    stale = stale_inputs(organization, days=settings.input_outcome_days)
    page = Paginator(stale, STALE_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "organization": organization,
        "page": page,
        "health": loop_health(organization, settings=settings, stale=page.paginator.count),
        "form": form,
    }
    return render(request, "advisory/recommendations/loop.html", context)
