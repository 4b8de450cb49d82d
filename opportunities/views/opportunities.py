"""Paid leadership opportunities: survivor leaders find work, say they are interested and
answer offers; staff, admins and co-chairs post it; staff make offers and mark work done,
which pays it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organization
from accounts.permissions import AuthenticatedRequest, Capability, allows, organization_for
from opportunities.forms import (
    AnswerOfferForm,
    CompleteForm,
    OpportunityForm,
    PublicTermsForm,
)
from opportunities.models import InterestStatus, Opportunity, OpportunityStatus, PayBasis
from opportunities.selectors import opportunities as selectors
from opportunities.services import opportunities as service


def _form_error(form: Form, exc: ValidationError) -> None:
    """A service's refusal, shown on the form: by field where the form has that field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- survivor leaders ----------------------------------------------------------------------


@login_required
def opportunities(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    listed = selectors.open_opportunities_for(user, organization)
    page = Paginator(listed, selectors.OPPORTUNITIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "organization": organization,
        "page": page,
        "may_post": allows(user, organization, Capability.POST_OPPORTUNITIES),
    }
    return render(request, "advisory/opportunities/list.html", context)


@login_required
def my_opportunities(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    listed = selectors.my_opportunity_interests(user, organization)
    page = Paginator(listed, selectors.OPPORTUNITIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"organization": organization, "page": page}
    return render(request, "advisory/opportunities/mine.html", context)


@login_required
def opportunity(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    found = selectors.get_opportunity_for_survivor(user, organization, pk)
    context = {
        "organization": organization,
        "opportunity": found,
        "area_label": selectors.area_label(found.area),
        "interest": selectors.my_interest_in(user, found),
        "pay": selectors.preview_for(found),
    }
    return render(request, "advisory/opportunities/detail.html", context)


@login_required
@require_POST
def opportunity_interest(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    found = selectors.get_opportunity_for_survivor(user, organization, pk)
    try:
        service.express_interest(opportunity=found, person=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("You said you are interested. Only staff can see this. You can take it back."),
        )
    return redirect("opportunity", org=organization.slug, pk=found.pk)


@login_required
@require_POST
def withdraw_opportunity_interest(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    interest = selectors.get_own_interest(user, organization, pk)
    try:
        service.withdraw_interest(interest=interest, person=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You took back your interest. Nobody needs a reason."))
    return redirect("opportunity", org=organization.slug, pk=pk)


@login_required
@require_POST
def step_back_from_opportunity(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    """One press, no reason asked, no "are you sure": saying you can't do it any more
    should be as easy as saying yes was."""
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    interest = selectors.get_own_interest(user, organization, pk)
    try:
        service.step_back(interest=interest, person=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("You stepped back from this work. Staff have been told. No reason needed.")
        )
    return redirect("opportunity", org=organization.slug, pk=pk)


@login_required
def answer_opportunity_offer(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    interest = selectors.get_own_interest(user, organization, pk)
    found = interest.opportunity
    form = AnswerOfferForm(
        request.POST if request.method == "POST" else None, public_facing=found.public_facing
    )
    if interest.status == InterestStatus.OFFERED and form.is_valid():
        accept = form.accepts()
        try:
            service.answer_offer(
                interest=interest,
                person=user,
                accept=accept,
                terms=form.public_terms() if accept and found.public_facing else None,
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            if accept:
                messages.success(request, _("You said yes. Staff have been told."))
            else:
                messages.success(request, _("You said no, thank you. Staff have been told."))
            return redirect("my_opportunities", org=organization.slug)
    context = {
        "organization": organization,
        "opportunity": found,
        "area_label": selectors.area_label(found.area),
        "interest": interest,
        "form": form,
        "pay": selectors.preview_for(found),
    }
    return render(request, "advisory/opportunities/answer.html", context)


@login_required
def opportunity_terms(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    interest = selectors.get_own_interest(user, organization, pk)
    found = interest.opportunity
    initial = {
        "no_photos": interest.no_photos,
        "no_recording": interest.no_recording,
        "first_name_only": interest.first_name_only,
        "different_name": interest.different_name,
        "no_organization_name": interest.no_organization_name,
    }
    form = PublicTermsForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        try:
            service.change_terms(interest=interest, person=user, terms=form.public_terms())
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Your terms are saved. Staff have been told."))
            return redirect("my_opportunities", org=organization.slug)
    context = {
        "organization": organization,
        "opportunity": found,
        "interest": interest,
        "form": form,
    }
    return render(request, "advisory/opportunities/terms.html", context)


# --- posting: staff, admins and co-chairs --------------------------------------------------


@login_required
def manage_opportunities(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.POST_OPPORTUNITIES)
    staff = allows(user, organization, Capability.LOOK_AFTER_BOARD)
    listed = selectors.opportunities_for_posters(organization, with_counts=staff)
    page = Paginator(listed, selectors.OPPORTUNITIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"organization": organization, "page": page, "staff_view": staff}
    return render(request, "advisory/opportunities/manage.html", context)


def _pay_key(terms: service.OpportunityTerms) -> str:
    """What the pay warning was shown for: the pay terms, so a warning seen for other pay
    does not count."""
    fixed = terms.fixed_amount.normalize() if terms.fixed_amount is not None else ""
    return f"{terms.pay_basis}:{terms.hours.normalize()}:{fixed}:{terms.starts_on.isoformat()}"


def _opportunity_form_page(
    request: AuthenticatedRequest, organization: Organization, found: Opportunity | None
) -> HttpResponse:
    user = request.user
    initial: dict[str, object] = {}
    if found is not None:
        initial = {
            name: getattr(found, name)
            for name in OpportunityForm.base_fields
            if hasattr(found, name)
        }
        initial["personal_sharing"] = found.story_expected
    form = OpportunityForm(request.POST if request.method == "POST" else None, initial=initial)
    pay = None
    pay_key = ""
    below_parity_unseen = False
    if form.is_valid():
        terms = form.terms()
        # The pay at parity is always worked out; nothing is saved with a check.
        pay = selectors.pay_preview(
            organization,
            pay_basis=terms.pay_basis,
            hours=terms.hours,
            fixed_amount=terms.fixed_amount,
            on=terms.starts_on,
        )
        if pay.below_parity:
            # Pay below parity is posted only by someone who has seen the warning for
            # this pay: a second press, whether or not they checked the pay first.
            pay_key = _pay_key(terms)
            below_parity_unseen = not form.confirmed_again(pay_key)
        if "check_pay" in request.POST:
            pass  # only the pay panel: nothing is saved
        elif below_parity_unseen:
            form.add_error(
                None,
                _(
                    "This pays below parity. Read what it pays, then press the button "
                    "again to go ahead, or change the pay."
                ),
            )
        else:
            try:
                if found is None:
                    saved = service.post_opportunity(
                        organization=organization, by=user, terms=terms
                    )
                    messages.success(request, _("The opportunity is posted."))
                else:
                    saved = service.edit_opportunity(opportunity=found, by=user, terms=terms)
                    messages.success(request, _("The changes are saved."))
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                if allows(user, organization, Capability.LOOK_AFTER_BOARD):
                    return redirect("staff_opportunity", org=organization.slug, pk=saved.pk)
                return redirect("manage_opportunities", org=organization.slug)
    context = {
        "organization": organization,
        "opportunity": found,
        "form": form,
        # The pay panel shows after a check, and with the below-parity warning.
        "pay": pay if "check_pay" in request.POST or below_parity_unseen else None,
        "pay_key": pay_key,
    }
    return render(request, "advisory/opportunities/form.html", context)


@login_required
def new_opportunity(request: AuthenticatedRequest, org: str) -> HttpResponse:
    organization = organization_for(request, org, Capability.POST_OPPORTUNITIES)
    return _opportunity_form_page(request, organization, None)


@login_required
def edit_opportunity(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    organization = organization_for(request, org, Capability.POST_OPPORTUNITIES)
    found = selectors.get_opportunity_for_poster(organization, pk)
    return _opportunity_form_page(request, organization, found)


@login_required
@require_POST
def end_opportunity(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.POST_OPPORTUNITIES)
    found = selectors.get_opportunity_for_poster(organization, pk)
    cancel = request.POST.get("action") == "cancel"
    try:
        service.end_opportunity(opportunity=found, by=user, cancel=cancel)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if cancel:
            messages.success(
                request,
                _(
                    "The opportunity is cancelled. People with an offer or booking have been "
                    "told. If it was cancelled late, the people booked are paid what was agreed."
                ),
            )
        else:
            messages.success(request, _("The opportunity is closed to new interest."))
    return redirect("manage_opportunities", org=organization.slug)


# --- staff: people, offers, bookings, work done ---------------------------------------------


@login_required
def staff_opportunity(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    found = selectors.get_opportunity_for_poster(organization, pk)
    people = selectors.interest_list(found)
    page = Paginator(people, selectors.PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "organization": organization,
        "opportunity": found,
        "area_label": selectors.area_label(found.area),
        "page": page,
        "pay": selectors.preview_for(found),
        "is_open": found.status == OpportunityStatus.OPEN,
    }
    return render(request, "advisory/opportunities/staff_detail.html", context)


@login_required
@require_POST
def offer_opportunity(
    request: AuthenticatedRequest, org: str, pk: int, interest: int
) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    found = selectors.get_opportunity_for_poster(organization, pk)
    chosen = selectors.get_interest_for_staff(found, interest)
    try:
        service.make_offer(interest=chosen, by=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The offer is made. The person has been told."))
    return redirect("staff_opportunity", org=organization.slug, pk=found.pk)


@login_required
def complete_opportunity_booking(
    request: AuthenticatedRequest, org: str, pk: int, interest: int
) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    found = selectors.get_opportunity_for_poster(organization, pk)
    booking = selectors.get_interest_for_staff(found, interest)
    hourly = found.pay_basis == PayBasis.HOURLY
    form = CompleteForm(
        request.POST if request.method == "POST" else None,
        hourly=hourly,
        # Start from what was agreed: staff change it only if the work took less or more.
        initial={"hours": found.hours},
    )
    fewer = False
    if form.is_valid() and hourly and form.fewer_unconfirmed(found.hours):
        # Paying less than agreed is asked about once: nothing is saved until it is pressed
        # again with the same hours.
        fewer = True
    elif form.is_valid():
        try:
            done = service.complete_booking(
                interest=booking, by=user, hours=form.cleaned_data.get("hours")
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            if done.already_done:
                messages.info(request, _("This work was already marked done. It is paid once."))
            else:
                messages.success(
                    request,
                    _("The work is marked done and the pay is recorded. The person has been told."),
                )
            return redirect("staff_opportunity", org=organization.slug, pk=found.pk)
    context = {
        "organization": organization,
        "opportunity": found,
        "booking": booking,
        "form": form,
        "hourly": hourly,
        "fewer": fewer,
        "pay": selectors.preview_for(found),
    }
    return render(request, "advisory/opportunities/complete.html", context)


@login_required
def opportunity_bookings(request: AuthenticatedRequest, org: str) -> HttpResponse:
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    listed = selectors.bookings_for_staff(organization)
    page = Paginator(listed, selectors.BOOKINGS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"organization": organization, "page": page}
    return render(request, "advisory/opportunities/bookings.html", context)
