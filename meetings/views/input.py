"""Pages for input: give it, edit it, withdraw it, read its history, check what staff wrote
down on your behalf; and, for staff, the meeting's input and recording input for someone."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from accounts.models import ConsentScope, User
from accounts.permissions import AuthenticatedRequest, Capability, allows, organization_for
from accounts.selectors.consent import has_consent
from accounts.services.access import ACCESS_INPUT, record_access
from meetings.forms.input import (
    CorrectInputForm,
    EditInputForm,
    InputFilterForm,
    InputForm,
    OnBehalfForm,
)
from meetings.models import InputStatus, Meeting
from meetings.selectors.input import (
    INPUTS_PER_PAGE,
    OVERVIEW_PER_PAGE,
    agenda_items_for_input,
    authors_shown,
    confirmed_input_for_staff,
    get_meeting_for_input,
    get_meeting_for_staff,
    get_my_input,
    group_by_meeting,
    input_rows,
    inputs_visible_to,
    invited_survivors,
    meetings_for_filter,
    overview_rows,
    revisions_visible_to,
    topics_for_filter,
    waiting_for_me,
)
from meetings.services import input as services


def _input_form(request: HttpRequest, user: User, meeting: Meeting) -> InputForm:
    return InputForm(
        request.POST if request.method == "POST" else None,
        agenda_items=agenda_items_for_input(meeting),
        may_attribute=has_consent(user, meeting.organization, ConsentScope.ATTRIBUTE_TO_STAFF),
    )


def _to_meeting(meeting: Meeting) -> HttpResponse:
    return redirect("meeting_input", org=meeting.organization.slug, pk=meeting.pk)


@login_required
def meeting_input(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    meeting = get_meeting_for_input(user, org, pk)
    can_give = services.is_invited_survivor(user, meeting)
    form = _input_form(request, user, meeting) if can_give else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.give_input(meeting=meeting, author=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Thank you. Your input is saved."))
            return _to_meeting(meeting)
    page = Paginator(inputs_visible_to(user, meeting), INPUTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = input_rows(user, meeting, list(page.object_list))
    for author in authors_shown(rows):
        record_access(
            viewer=user, subject=author, organization=meeting.organization, what=ACCESS_INPUT
        )
    context = {
        "organization": meeting.organization,
        "meeting": meeting,
        "page": page,
        "rows": rows,
        "form": form,
        "for_staff": allows(user, meeting.organization, Capability.LOOK_AFTER_BOARD),
        "possible_authors": services.possible_authors_count(meeting) if can_give else 0,
        "anonymity_notice": services.ANONYMITY_NOTICE,
    }
    return render(request, "meetings/input/meeting_input.html", context)


@login_required
def edit_input(request: AuthenticatedRequest, org: str, public_id: UUID) -> HttpResponse:
    user = request.user
    input = get_my_input(user, org, public_id, status=InputStatus.CONFIRMED)
    data = request.POST if request.method == "POST" else None
    form = EditInputForm(data, initial={"body": input.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_input(input=input, author=user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Your changes are saved. Only you can see earlier wording.")
            )
            return _to_meeting(input.meeting)
    context = {"organization": input.meeting.organization, "input": input, "form": form}
    return render(request, "meetings/input/edit_input.html", context)


@login_required
@require_POST
def withdraw_input(request: AuthenticatedRequest, org: str, public_id: UUID) -> HttpResponse:
    user = request.user
    input = get_my_input(user, org, public_id, status=InputStatus.CONFIRMED)
    services.withdraw_input(input=input, author=user)
    messages.success(request, _("Withdrawn. Nobody else can see it now, and it counts nowhere."))
    return _to_meeting(input.meeting)


@login_required
def input_history(request: AuthenticatedRequest, org: str, public_id: UUID) -> HttpResponse:
    user = request.user
    input = get_my_input(user, org, public_id)
    context = {
        "organization": input.meeting.organization,
        "input": input,
        "revisions": revisions_visible_to(user, input),
    }
    return render(request, "meetings/input/input_history.html", context)


@login_required
def confirm_input(request: AuthenticatedRequest, org: str, public_id: UUID) -> HttpResponse:
    user = request.user
    input = get_my_input(user, org, public_id, status=InputStatus.PENDING)
    action = request.POST.get("action") if request.method == "POST" else None
    form = CorrectInputForm(
        request.POST if action == "correct" else None, initial={"body": input.body}
    )
    if action == "confirm" or (action == "correct" and form.is_valid()):
        body = form.cleaned_data["body"] if action == "correct" else None
        services.confirm_input(input=input, author=user, body=body)
        messages.success(request, _("Thank you. It is confirmed and now counts."))
        return _to_meeting(input.meeting)
    if action == "reject":
        services.reject_input(input=input, author=user)
        messages.success(request, _("Thank you for telling us. It will not be used."))
        return _to_meeting(input.meeting)
    context = {"organization": input.meeting.organization, "input": input, "form": form}
    return render(request, "meetings/input/confirm_input.html", context)


@login_required
def record_input_on_behalf(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    meeting = get_meeting_for_staff(user, org, pk)
    form = OnBehalfForm(
        request.POST if request.method == "POST" else None,
        agenda_items=agenda_items_for_input(meeting),
        people=invited_survivors(meeting),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_input_on_behalf(meeting=meeting, recorded_by=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Saved. It counts once they check it. Unchecked after 30 days, it is deleted."),
            )
            return _to_meeting(meeting)
    context = {"organization": meeting.organization, "meeting": meeting, "form": form}
    return render(request, "meetings/input/record_on_behalf.html", context)


@login_required
def inputs_to_check(request: AuthenticatedRequest, org: str) -> HttpResponse:
    """What staff wrote down for this survivor that waits for them to check."""
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    context = {"organization": organization, "inputs": waiting_for_me(user, organization)}
    return render(request, "meetings/input/inputs_to_check.html", context)


# What the page says when a filter value is not one it offers (a changed or old link).
IGNORED_FILTERS = {
    "meeting": _lazy("That meeting is not in the list, so input from all meetings is shown."),
    "topic": _lazy("That topic is not in the list, so input on all topics is shown."),
}


@login_required
def input_overview(request: AuthenticatedRequest, org: str) -> HttpResponse:
    """Staff: confirmed input across the organization's meetings, by meeting and topic."""
    user = request.user
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    form = InputFilterForm(
        request.GET,
        meetings=meetings_for_filter(organization),
        topics=topics_for_filter(organization),
    )
    form.is_valid()  # values not offered are ignored below, never an error page
    meeting_id: int | None = form.cleaned_data.get("meeting")
    topic: str | None = form.cleaned_data.get("topic") or None
    filters = {
        key: value
        for key, value in (("meeting", meeting_id), ("topic", topic))
        if value is not None
    }
    page = Paginator(
        confirmed_input_for_staff(organization, meeting_id=meeting_id, topic=topic),
        OVERVIEW_PER_PAGE,
    ).get_page(request.GET.get("page"))
    rows = overview_rows(user, organization, list(page.object_list))
    for author in authors_shown(rows):
        record_access(viewer=user, subject=author, organization=organization, what=ACCESS_INPUT)
    context = {
        "organization": organization,
        "form": form,
        "ignored": [IGNORED_FILTERS[name] for name in IGNORED_FILTERS if name in form.errors],
        "filtered": bool(filters),
        "filter_query": urlencode(filters),
        "page": page,
        "groups": group_by_meeting(rows),
    }
    return render(request, "meetings/input/overview.html", context)
