"""Pages for consent: the survivor's "My choices", the staff's counts, the admin's texts."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms.consent import ChoiceForm, ConsentTextForm
from accounts.models import Organization, User
from accounts.permissions import AuthenticatedRequest, Capability, organization_for
from accounts.selectors.consent import (
    DEFAULT_LANGUAGE,
    MIN_GROUP,
    consent_counts,
    consent_texts_for_admin,
    earliest_effective_date,
    get_consent_text_for_admin,
    my_choices,
    offered_scopes,
    survivor_leader_ids,
)
from accounts.services import consent as services


def _language() -> str:
    language = (get_language() or DEFAULT_LANGUAGE).split("-")[0]
    return language if language in dict(settings.LANGUAGES) else DEFAULT_LANGUAGE


# --- the survivor's choices --------------------------------------------------------------


@login_required
def my_choices_page(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    return render(
        request,
        "accounts/consent/my_choices.html",
        {
            "organization": organization,
            "choices": my_choices(user, organization, _language()),
            "review_days": settings.CONSENT_TEXT_REVIEW_DAYS,
        },
    )


@login_required
@require_POST
def change_choice(request: AuthenticatedRequest, org: str, scope: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    if scope not in {offered.value for offered in offered_scopes()}:
        raise Http404  # not a choice, or a channel nothing sends on: never offered
    form = ChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose yes or no."))
    elif form.cleaned_data["answer"] == "no":
        services.withdraw_consent(user=user, organization=organization, scope=scope)
        services.mark_renewal_updates_seen(user=user, organization=organization)
        messages.success(request, _("Saved. Your answer is now no."))
    elif _grant(request, user, organization, scope, form):
        services.mark_renewal_updates_seen(user=user, organization=organization)
    return redirect("my_choices", org=organization.slug)


def _grant(
    request: HttpRequest, user: User, organization: Organization, scope: str, form: ChoiceForm
) -> bool:
    if (form.cleaned_data["language"] or DEFAULT_LANGUAGE) != _language():
        # A yes counts only for words read in the language of the page around them.
        messages.error(request, _("These words have changed. Please read them again."))
        return False
    try:
        services.grant_consent(
            user=user,
            organization=organization,
            scope=scope,
            text_version=form.cleaned_data["version"] or 0,
            language=form.cleaned_data["language"] or DEFAULT_LANGUAGE,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, _("Saved. Your answer is now yes. You can change it any time."))
    return True


# --- counts for staff --------------------------------------------------------------------


@login_required
def consent_overview(request: AuthenticatedRequest, org: str) -> HttpResponse:
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    return render(
        request,
        "accounts/consent/overview.html",
        {
            "organization": organization,
            "counts": consent_counts(organization),
            "MIN_GROUP": MIN_GROUP,
            "survivor_count": survivor_leader_ids(organization).count(),
        },
    )


# --- the admin's texts -------------------------------------------------------------------


def _render_texts(
    request: HttpRequest, organization: Organization, form: ConsentTextForm
) -> HttpResponse:
    rows = []
    in_effect: set[tuple[str, str]] = set()
    for text in consent_texts_for_admin(organization):  # newest version first
        if text.effective_at is None:
            status = "pending"
        elif (text.scope, text.language) in in_effect:
            status = "replaced"
        else:
            status = "current"
            in_effect.add((text.scope, text.language))
        rows.append({"text": text, "status": status, "ready_at": earliest_effective_date(text)})
    return render(
        request,
        "accounts/consent/texts.html",
        {
            "organization": organization,
            "rows": rows,
            "form": form,
            "review_days": settings.CONSENT_TEXT_REVIEW_DAYS,
        },
    )


@login_required
def consent_texts(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.MANAGE_ORGANIZATION)
    if request.method != "POST":
        return _render_texts(request, organization, ConsentTextForm())
    form = ConsentTextForm(request.POST)
    if form.is_valid():
        try:
            services.propose_consent_text(organization=organization, by=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The board can read the new wording now on their choices page.")
            )
            return redirect("consent_texts", org=organization.slug)
    return _render_texts(request, organization, form)


@login_required
@require_POST
def make_consent_text_effective(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.MANAGE_ORGANIZATION)
    text = get_consent_text_for_admin(organization, pk)
    try:
        services.make_consent_text_effective(text=text, by=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The new wording is now in effect."))
    return redirect("consent_texts", org=organization.slug)
