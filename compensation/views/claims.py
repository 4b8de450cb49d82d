"""Other paid work and flagged hours: survivors claim work and flag hours; staff decide
claims; co-chairs see decisions without names; finance answer flags."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organization
from accounts.permissions import AuthenticatedRequest, Capability, allows, organization_for
from accounts.selectors.profile import profile_here
from accounts.selectors.roles import chosen_name
from compensation.forms.claims import AnswerFlagForm, ClaimForm, DecideClaimForm, FlagHoursForm
from compensation.models import HoursFlag, WorkClaim
from compensation.selectors.claims import (
    as_decisions,
    claims_waiting,
    decided_claims,
    flags_for_attendance,
    get_claim_for_staff,
    get_flag_for_finance,
    get_my_attendance,
    get_my_claim,
    meetings_for_claims,
    my_claims,
    my_flags,
    open_flags,
)
from compensation.services import claims as claim_services
from compensation.services import flags as flag_services
from meetings.selectors.attendance import my_attendance

PAGE_SIZE = 20
FLAGS_SHOWN = 20
RECENT_MEETINGS_SHOWN = 5


def _page(request: HttpRequest, items: Any) -> Page[Any]:
    number = request.POST.get("page") or request.GET.get("page")
    return Paginator(items, PAGE_SIZE).get_page(number)


def _refusal(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- survivors: claim other paid work ----------------------------------------------------


@login_required
def my_claims_page(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    data = request.POST if request.method == "POST" else None
    form = ClaimForm(data, meetings=meetings_for_claims(user, organization))
    if form.is_valid():
        try:
            claim_services.make_claim(person=user, organization=organization, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Claim sent. Staff will answer it; you will see it below."))
            return redirect("my_claims", org=organization.slug)
    context = {
        "organization": organization,
        "form": form,
        "page": _page(request, my_claims(user, organization)),
        "flags": list(my_flags(user, organization)[:FLAGS_SHOWN]),
        "recent_attendance": list(
            my_attendance(user, organization).filter(attended=True)[:RECENT_MEETINGS_SHOWN]
        ),
        "is_co_chair": allows(user, organization, Capability.CHAIR_BOARD),
    }
    return render(request, "compensation/claims/mine.html", context)


@login_required
@require_POST
def withdraw_claim(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    claim = get_my_claim(user, organization, pk)
    try:
        claim_services.withdraw_claim(claim=claim, person=user)
    except ValidationError as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, _("Claim taken back."))
    return redirect("my_claims", org=organization.slug)


# --- staff: decide claims ----------------------------------------------------------------


@dataclass(frozen=True)
class ClaimRow:
    claim: WorkClaim
    name: str
    form: DecideClaimForm


def _staff_page(
    request: HttpRequest,
    organization: Organization,
    bound: tuple[WorkClaim, DecideClaimForm] | None = None,
) -> HttpResponse:
    """The waiting claims; after a refused decision, that claim's row keeps what was typed
    and its errors (and comes first if it is not on this page)."""
    page = _page(request, claims_waiting(organization))
    claims: list[WorkClaim] = list(page.object_list)
    forms = {claim.pk: DecideClaimForm(claim_id=claim.pk) for claim in claims}
    if bound is not None:
        claim, form = bound
        if claim.pk not in forms:
            claims.insert(0, claim)
        forms[claim.pk] = form
    rows = [ClaimRow(claim=c, name=chosen_name(profile_here(c)), form=forms[c.pk]) for c in claims]
    context = {"organization": organization, "page": page, "rows": rows}
    return render(request, "compensation/claims/staff.html", context)


@login_required
def pay_claims(request: AuthenticatedRequest, org: str) -> HttpResponse:
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    return _staff_page(request, organization)


def _decided_message(result: claim_services.ClaimDecisionResult) -> str:
    if result.waiting_for_rate:
        return _(
            "Approved. No rate covers that day yet, so finance have been asked to set one. "
            "It is paid once they do."
        )
    if result.entry is not None:
        return _("Approved. It is now earned, not yet paid; finance approve it for payment.")
    return _("Not approved. The person and the co-chairs can read your reason.")


@login_required
@require_POST
def decide_claim(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    claim = get_claim_for_staff(organization, pk)
    form = DecideClaimForm(request.POST, claim_id=claim.pk)
    if form.is_valid():
        try:
            result = claim_services.decide_claim(
                claim=claim, by=user, approve=form.approve, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            # Already decided by someone else: nothing to fix in the form, back to the list.
            if not hasattr(exc, "error_dict"):
                messages.error(request, _refusal(exc))
                return redirect("pay_claims", org=organization.slug)
            form.add_error(None, exc)
        else:
            messages.success(request, _decided_message(result))
            return redirect("pay_claims", org=organization.slug)
    return _staff_page(request, organization, bound=(claim, form))


# --- survivor co-chairs: decisions without names -----------------------------------------


@login_required
def claim_decisions(request: AuthenticatedRequest, org: str) -> HttpResponse:
    organization = organization_for(request, org, Capability.CHAIR_BOARD)
    page = _page(request, decided_claims(organization))
    context = {
        "organization": organization,
        "page": page,
        "decisions": as_decisions(list(page.object_list)),
    }
    return render(request, "compensation/claims/decisions.html", context)


# --- survivors: flag hours ---------------------------------------------------------------


@login_required
def flag_hours(request: AuthenticatedRequest, org: str, attendance_id: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    attendance = get_my_attendance(user, organization, attendance_id)
    refusal = flag_services.why_hours_cannot_be_flagged(attendance)
    data = request.POST if request.method == "POST" and not refusal else None
    form = FlagHoursForm(data)
    if form.is_valid():
        try:
            flag_services.flag_hours(
                person=user, organization=organization, attendance=attendance, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Sent to finance. They must answer; you will see the answer here.")
            )
            return redirect("flag_hours", org=organization.slug, attendance_id=attendance.pk)
    context = {
        "organization": organization,
        "attendance": attendance,
        "form": form,
        "refusal": refusal,
        "flags": flags_for_attendance(attendance),
    }
    return render(request, "compensation/claims/flag.html", context)


# --- finance: answer flags ---------------------------------------------------------------


@dataclass(frozen=True)
class FlagRow:
    flag: HoursFlag
    name: str
    form: AnswerFlagForm
    attendance_changed: bool


def _finance_page(
    request: HttpRequest,
    organization: Organization,
    bound: tuple[HoursFlag, AnswerFlagForm] | None = None,
) -> HttpResponse:
    """The open flags; after a refused answer, that flag's row keeps what was typed and its
    errors (and comes first if it is not on this page)."""
    page = _page(request, open_flags(organization))
    flags: list[HoursFlag] = list(page.object_list)
    forms = {flag.pk: AnswerFlagForm(flag_id=flag.pk) for flag in flags}
    if bound is not None:
        flag, form = bound
        if flag.pk not in forms:
            flags.insert(0, flag)
        forms[flag.pk] = form
    rows = [
        FlagRow(
            flag=flag,
            name=chosen_name(profile_here(flag)),
            form=forms[flag.pk],
            attendance_changed=flag.attendance.version != flag.attendance_version,
        )
        for flag in flags
    ]
    context = {"organization": organization, "page": page, "rows": rows}
    return render(request, "compensation/claims/flags.html", context)


@login_required
def hours_flags(request: AuthenticatedRequest, org: str) -> HttpResponse:
    organization = organization_for(request, org, Capability.HANDLE_PAY)
    return _finance_page(request, organization)


def _answered_message(result: flag_services.FlagAnswerResult) -> str:
    if result.entry is not None:
        return _("Answered. The difference is now earned, not yet paid, for you to approve.")
    return _("Answered. The person can read your answer.")


@login_required
@require_POST
def answer_flag(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.HANDLE_PAY)
    flag = get_flag_for_finance(organization, pk)
    form = AnswerFlagForm(request.POST, flag_id=flag.pk)
    if form.is_valid():
        try:
            result = flag_services.answer_flag(flag=flag, by=user, **form.cleaned_data)
        except ValidationError as exc:
            # Already answered by someone else: nothing to fix in the form, back to the list.
            if not hasattr(exc, "error_dict"):
                messages.error(request, _refusal(exc))
                return redirect("hours_flags", org=organization.slug)
            form.add_error(None, exc)
        else:
            messages.success(request, _answered_message(result))
            return redirect("hours_flags", org=organization.slug)
    return _finance_page(request, organization, bound=(flag, form))
