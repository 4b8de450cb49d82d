"""Minutes pages: read with mentions resolved, draft, comment, approve."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import AuthenticatedRequest
from meetings.forms.minutes import CommentForm, MinutesForm
from meetings.selectors.minutes import (
    MinutesAccess,
    get_minutes_access,
    minutes_shown_to,
    people_to_mention,
)
from meetings.services import minutes as services
from meetings.services.minutes import MINUTES_APPROVED, NO_MINUTES_YET


def _back(access: MinutesAccess) -> HttpResponse:
    return redirect("minutes", org=access.organization.slug, pk=access.meeting.pk)


def _refused(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, text)


@login_required
def minutes(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    access = get_minutes_access(user, org, pk)
    shown = (
        minutes_shown_to(user, access.minutes, viewer_is_staff=access.is_program_staff)
        if access.minutes is not None
        else None
    )
    return render(
        request,
        "meetings/minutes/minutes.html",
        {"access": access, "shown": shown, "comment_form": CommentForm()},
    )


@login_required
def edit_minutes(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    access = get_minutes_access(user, org, pk)
    if not access.can_draft:
        raise Http404
    if access.is_approved:
        messages.info(request, MINUTES_APPROVED)
        return _back(access)
    people = people_to_mention(access.meeting)
    initial = {"body": access.minutes.body} if access.minutes else {}
    form = MinutesForm(request.POST or None, initial=initial, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            services.draft_minutes(meeting=access.meeting, by=user, body=form.body_with_mention())
        except (ValidationError, PermissionDenied) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The draft minutes were saved."))
            return _back(access)
    return render(request, "meetings/minutes/edit.html", {"access": access, "form": form})


@require_POST
@login_required
def comment_on_minutes(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    access = get_minutes_access(user, org, pk)
    form = CommentForm(request.POST)
    if access.minutes is None:
        messages.error(request, _("There are no minutes to comment on yet."))
    elif not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("body", [])))
    else:
        try:
            services.comment_on_minutes(
                minutes=access.minutes, author=user, body=form.cleaned_data["body"]
            )
        except (ValidationError, PermissionDenied) as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Your comment was added."))
    return _back(access)


@require_POST
@login_required
def approve_minutes(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    access = get_minutes_access(user, org, pk)
    if access.minutes is None:
        messages.error(request, NO_MINUTES_YET)
        return _back(access)
    try:
        services.approve_minutes(minutes=access.minutes, by=user)
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The minutes are approved. They are now read-only."))
    return _back(access)
