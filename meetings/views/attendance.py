"""Attendance pages: the one-screen sheet for staff and co-chairs, and a survivor's own."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.concurrency import SavedAtTheSameMoment, retry_once_on_conflict
from accounts.permissions import AuthenticatedRequest, Capability, organization_for
from meetings.forms.attendance import AttendanceSheetForm
from meetings.selectors.attendance import (
    attendance_sheet,
    get_meeting_for_attendance,
    my_attendance,
    why_attendance_cannot_be_recorded,
)
from meetings.services.attendance import SheetChangedError
from meetings.services.attendance import record_attendance as record

PAGE_SIZE = 25


def _saved_message(changed: int) -> str:
    if not changed:
        return _("Nothing had changed, so nothing new was saved.")
    return ngettext(
        "Attendance saved. %(count)s person's attendance changed.",
        "Attendance saved. %(count)s people's attendance changed.",
        changed,
    ) % {"count": changed}


@login_required
def record_attendance(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.RECORD_ATTENDANCE)
    meeting = get_meeting_for_attendance(organization, pk, user)
    data = request.POST if request.method == "POST" else None
    form = AttendanceSheetForm(data, sheet=attendance_sheet(meeting))
    if form.is_valid():
        try:
            changed = retry_once_on_conflict(
                partial(
                    record,
                    meeting=meeting,
                    by=user,
                    rows=form.rows(),
                    seen_versions=form.cleaned_data["saved_versions"],
                )
            )
        except (SheetChangedError, SavedAtTheSameMoment):
            # Nothing of this save was written: show the sheet as it is saved now.
            messages.error(request, SheetChangedError().messages[0])
            return redirect("record_attendance", org=organization.slug, pk=meeting.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _saved_message(len(changed)))
            return redirect("record_attendance", org=organization.slug, pk=meeting.pk)
    context = {
        "organization": organization,
        "meeting": meeting,
        "form": form,
        "refusal": why_attendance_cannot_be_recorded(meeting),
    }
    return render(request, "meetings/attendance/record.html", context)


@login_required
def my_attendance_page(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    page = Paginator(my_attendance(user, organization), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"organization": organization, "page": page}
    return render(request, "meetings/attendance/mine.html", context)
