"""Decision pages: staff log decisions, change their status and correct them; survivor
leaders read the board's decision log, with what authors said about the links."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import Organization
from accounts.permissions import AuthenticatedRequest, Capability, organization_for
from advisory.forms.decisions import (
    AreaFilterForm,
    DecisionFilterForm,
    DecisionForm,
    EditDecisionForm,
    StatusForm,
)
from advisory.models import Decision, DecisionStatus
from advisory.selectors.decisions import (
    DECISIONS_PER_PAGE,
    area_counts,
    decisions_in,
    get_decision,
    meetings_for_decisions,
    not_quite_comments,
    timeline,
    with_counts,
)
from advisory.selectors.links import answer_counts
from advisory.services import decisions as services
from compensation.selectors.ledger import organization_today

# What the page says when a filter value is not one it offers (a changed or old link).
IGNORED_FILTER = gettext_lazy("That choice is not in the list, so it was left out.")


def _page(request: HttpRequest, decisions: QuerySet[Decision]) -> Page[Decision]:
    return Paginator(decisions, DECISIONS_PER_PAGE).get_page(request.GET.get("page"))


def _filters(form: forms.Form, names: tuple[str, ...]) -> dict[str, str]:
    """The filters that were offered and chosen; a value not offered is ignored."""
    form.is_valid()
    return {name: form.cleaned_data[name] for name in names if form.cleaned_data.get(name)}


def _to_decision(decision: Decision) -> HttpResponse:
    return redirect("decision", org=decision.organization.slug, pk=decision.pk)


# --- staff -------------------------------------------------------------------------------


@login_required
def decisions(request: AuthenticatedRequest, org: str) -> HttpResponse:
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    form = DecisionFilterForm(request.GET)
    filters = _filters(form, ("area", "status"))
    page = _page(request, decisions_in(organization, **filters))
    context = {
        "organization": organization,
        "form": form,
        "ignored": IGNORED_FILTER if form.errors else "",
        "filtered": bool(filters),
        "filter_query": urlencode(filters),
        "page": page,
        "cards": with_counts(organization, list(page.object_list)),
    }
    return render(request, "advisory/decisions/list.html", context)


@login_required
def new_decision(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        meetings=meetings_for_decisions(organization),
        initial={
            "decided_on": organization_today(organization),
            "status": DecisionStatus.UNDER_CONSIDERATION,
        },
    )
    if form.is_valid():
        try:
            decision = services.log_decision(
                organization=organization, by=user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Decision saved."))
            return _to_decision(decision)
    context = {"organization": organization, "form": form}
    return render(request, "advisory/decisions/new.html", context)


def _staff_decision_page(
    request: HttpRequest, organization: Organization, decision: Decision, form: StatusForm
) -> HttpResponse:
    context = {
        "organization": organization,
        "decision": decision,
        "timeline": timeline(decision),
        "counts": answer_counts(organization, [decision.pk])[decision.pk],
        "form": form,
    }
    return render(request, "advisory/decisions/decision.html", context)


@login_required
def decision(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    decision = get_decision(organization, pk)
    return _staff_decision_page(request, organization, decision, StatusForm())


@login_required
@require_POST
def change_decision_status(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    decision = get_decision(organization, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.change_decision_status(decision=decision, by=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Status changed. People whose input is linked to it will hear there is news."),
            )
            return _to_decision(decision)
    return _staff_decision_page(request, organization, decision, form)


@login_required
def edit_decision(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    decision = get_decision(organization, pk)
    form = EditDecisionForm(
        request.POST if request.method == "POST" else None,
        meetings=meetings_for_decisions(organization),
        initial={
            "title": decision.title,
            "description": decision.description,
            "area": decision.area,
            "decided_on": decision.decided_on,
            "meeting": decision.meeting_id,
        },
    )
    if form.is_valid():
        try:
            services.edit_decision(decision=decision, by=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes saved."))
            return _to_decision(decision)
    context = {"organization": organization, "decision": decision, "form": form}
    return render(request, "advisory/decisions/edit.html", context)


# --- the board ---------------------------------------------------------------------------


@login_required
def decision_log(request: AuthenticatedRequest, org: str) -> HttpResponse:
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    form = AreaFilterForm(request.GET)
    filters = _filters(form, ("area",))
    page = _page(request, decisions_in(organization, **filters))
    areas = area_counts(organization)
    context = {
        "organization": organization,
        "ignored": IGNORED_FILTER if form.errors else "",
        "area": filters.get("area", ""),
        "areas": areas,
        "total": sum(area.count for area in areas),
        "filter_query": urlencode(filters),
        "page": page,
        "cards": with_counts(organization, list(page.object_list)),
    }
    return render(request, "advisory/decisions/log.html", context)


@login_required
def board_decision(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    decision = get_decision(organization, pk)
    context = {
        "organization": organization,
        "decision": decision,
        "timeline": timeline(decision),
        "counts": answer_counts(organization, [decision.pk])[decision.pk],
        "not_quite": not_quite_comments(organization, decision),
    }
    return render(request, "advisory/decisions/board_decision.html", context)
