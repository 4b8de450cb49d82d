"""Pages for scheduling meetings, replying, and the agenda. Thin: fetch within scope (404
outside it), call one service, say what happened."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organization, User
from accounts.permissions import AuthenticatedRequest, Capability, allows, organization_for
from meetings.forms.scheduling import AgendaItemForm, MeetingForm, ReplyForm, meeting_roles_from
from meetings.models import Meeting, MeetingRole, MeetingStatus
from meetings.selectors.attendance import (
    may_record_attendance_for,
    why_attendance_cannot_be_recorded,
)
from meetings.selectors.scheduling import (
    agenda_for,
    can_see_location,
    get_agenda_item_for,
    get_meeting_for,
    meeting_roles_sheet,
    meetings_visible_to,
    my_invitation,
    reply_counts,
)
from meetings.services import scheduling as services
from meetings.services.scheduling import ANSWER_MISSING, MEETING_CANCELLED

PAGE_SIZE = 20


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _meeting_url(meeting: Meeting) -> HttpResponse:
    return redirect("meeting", org=meeting.organization.slug, pk=meeting.pk)


@login_required
def meeting_list(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.TAKE_PART_IN_MEETINGS)
    page = Paginator(meetings_visible_to(user, organization), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "organization": organization,
        "page": page,
        "can_schedule": allows(user, organization, Capability.RUN_MEETINGS),
        "now": timezone.now(),
    }
    return render(request, "meetings/scheduling/meeting_list.html", context)


def _render_form(
    request: HttpRequest,
    organization: Organization,
    form: MeetingForm,
    meeting: Meeting | None = None,
) -> HttpResponse:
    context = {"organization": organization, "form": form, "meeting": meeting}
    return render(request, "meetings/scheduling/meeting_form.html", context)


@login_required
def schedule_meeting(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.RUN_MEETINGS)
    if request.method != "POST":
        return _render_form(request, organization, MeetingForm())
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            meeting = services.schedule_meeting(
                organization=organization, by=user, **form.service_kwargs()
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("The meeting is scheduled. Board members have been told."))
            return _meeting_url(meeting)
    return _render_form(request, organization, form)


def _runner_meeting(request: AuthenticatedRequest, org: str, pk: int) -> tuple[User, Meeting]:
    user = request.user
    organization = organization_for(request, org, Capability.RUN_MEETINGS)
    return user, get_meeting_for(user, organization, pk)


@login_required
def edit_meeting(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user, meeting = _runner_meeting(request, org, pk)
    organization = meeting.organization
    if meeting.status == MeetingStatus.CANCELLED:
        messages.error(request, MEETING_CANCELLED)
        return _meeting_url(meeting)
    if request.method != "POST":
        local = timezone.localtime(meeting.starts_at)
        initial = {
            "title": meeting.title,
            "date": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            "duration_minutes": meeting.duration_minutes,
            "format": meeting.format,
            "location": meeting.location,
        }
        return _render_form(request, organization, MeetingForm(initial=initial), meeting)
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            services.reschedule_meeting(meeting=meeting, by=user, **form.service_kwargs())
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("The meeting is changed. Everyone invited has been told."))
            return _meeting_url(meeting)
    return _render_form(request, organization, form, meeting)


@login_required
@require_POST
def cancel_meeting(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user, meeting = _runner_meeting(request, org, pk)
    try:
        services.cancel_meeting(meeting=meeting, by=user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The meeting is cancelled. Everyone invited has been told."))
    return _meeting_url(meeting)


@login_required
def meeting_page(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.TAKE_PART_IN_MEETINGS)
    meeting = get_meeting_for(user, organization, pk)
    return _render_meeting(request, user, meeting)


def _render_meeting(
    request: HttpRequest,
    user: User,
    meeting: Meeting,
    *,
    propose_form: AgendaItemForm | None = None,
) -> HttpResponse:
    organization = meeting.organization
    runner = allows(user, organization, Capability.RUN_MEETINGS)
    invitation = my_invitation(user, meeting)
    open_ = meeting.status == MeetingStatus.SCHEDULED and not meeting.has_ended
    context = {
        "organization": organization,
        "meeting": meeting,
        "runner": runner,
        "invitation": invitation,
        "show_location": can_see_location(user, meeting),
        "reply_form": ReplyForm(initial={"reply": invitation.reply}) if invitation else None,
        "agenda": agenda_for(user, meeting, runner=runner),
        "counts": reply_counts(meeting) if runner else None,
        "can_propose": open_ and services.can_propose(user, meeting),
        "propose_form": propose_form or AgendaItemForm(),
        "is_open": open_,
        "has_ended": meeting.has_ended,
        "role_rows": meeting_roles_sheet(meeting) if runner and open_ else [],
        "role_choices": MeetingRole.choices,
        "can_record_attendance": may_record_attendance_for(user, meeting)
        and why_attendance_cannot_be_recorded(meeting) is None,
    }
    return render(request, "meetings/scheduling/meeting.html", context)


@login_required
@require_POST
def set_meeting_roles(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user, meeting = _runner_meeting(request, org, pk)
    try:
        changed = services.set_meeting_roles(
            meeting=meeting, by=user, roles=meeting_roles_from(request.POST)
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        if changed:
            messages.success(request, _("The meeting roles are saved."))
        else:
            messages.info(request, _("Nothing had changed, so nothing new was saved."))
    return _meeting_url(meeting)


@login_required
@require_POST
def reply_to_meeting(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.TAKE_PART_IN_MEETINGS)
    meeting = get_meeting_for(user, organization, pk)
    invitation = my_invitation(user, meeting)
    if invitation is None:
        raise Http404
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, ANSWER_MISSING)
        return _meeting_url(meeting)
    try:
        services.reply_to_meeting(
            invitation=invitation, person=user, reply=form.cleaned_data["reply"]
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Thank you. Your answer is saved. You can change it."))
    return _meeting_url(meeting)


@login_required
@require_POST
def answer_meeting_role(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.TAKE_PART_IN_MEETINGS)
    meeting = get_meeting_for(user, organization, pk)
    invitation = my_invitation(user, meeting)
    if invitation is None:
        raise Http404
    answer = request.POST.get("answer")
    if answer not in {"yes", "no"}:
        messages.error(request, _("Choose yes or no."))
        return _meeting_url(meeting)
    try:
        services.answer_meeting_role(invitation=invitation, person=user, accept=answer == "yes")
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        if answer == "yes":
            messages.success(request, _("Thank you. You said yes to this role."))
        else:
            messages.success(request, _("You said no. You take part as a participant."))
    return _meeting_url(meeting)


@login_required
@require_POST
def propose_agenda_item(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.TAKE_PART_IN_MEETINGS)
    meeting = get_meeting_for(user, organization, pk)
    if not services.can_propose(user, meeting):
        raise Http404
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            services.propose_agenda_item(meeting=meeting, by=user, **form.cleaned_data)
        except ValidationError as exc:
            # About the meeting, not the words (cancelled, or over): the form is gone.
            messages.error(request, _errors(exc))
            return _meeting_url(meeting)
        else:
            messages.success(
                request, _("Thank you. Your topic is proposed. The co-chairs will decide.")
            )
            return _meeting_url(meeting)
    return _render_meeting(request, user, meeting, propose_form=form)


@login_required
@require_POST
def decide_agenda_item(
    request: AuthenticatedRequest, org: str, pk: int, item_pk: int
) -> HttpResponse:
    user, meeting = _runner_meeting(request, org, pk)
    item = get_agenda_item_for(user, meeting, item_pk)
    accept = request.POST.get("decision") == "accept"
    try:
        services.decide_agenda_item(item=item, by=user, accept=accept)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        if accept:
            messages.success(request, _("The topic is on the agenda."))
        else:
            messages.success(request, _("The topic is not on the agenda this time."))
    return _meeting_url(meeting)


@login_required
@require_POST
def skip_agenda_item(
    request: AuthenticatedRequest, org: str, pk: int, item_pk: int
) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.TAKE_PART_IN_MEETINGS)
    meeting = get_meeting_for(user, organization, pk)
    if my_invitation(user, meeting) is None:
        raise Http404
    item = get_agenda_item_for(user, meeting, item_pk)
    skip = request.POST.get("skip") != "no"
    try:
        if skip:
            services.skip_agenda_item(item=item, person=user)
        else:
            services.unskip_agenda_item(item=item, person=user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    except PermissionDenied as exc:
        raise Http404 from exc
    else:
        if skip:
            messages.success(request, _("You are skipping this topic. You don't have to say why."))
        else:
            messages.success(request, _("You are no longer skipping this topic."))
    return _meeting_url(meeting)
