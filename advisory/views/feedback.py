"""Open feedback and "What we changed": survivor leaders tell the program what works and
what doesn't and read what changed; staff answer and record the changes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import ConsentScope
from accounts.permissions import AuthenticatedRequest, Capability, organization_for
from accounts.selectors.consent import has_consent
from accounts.services.access import ACCESS_INPUT, record_access
from advisory.forms.feedback import (
    AnswerFeedbackForm,
    BoardMayReadForm,
    FeedbackForm,
    ProgramChangeForm,
)
from advisory.selectors.feedback import (
    CHANGES_PER_PAGE,
    FEEDBACK_PER_PAGE,
    authors_shown,
    feedback_for_board,
    feedback_inbox,
    feedback_to_link,
    get_feedback_for_staff,
    get_my_feedback,
    inbox_rows,
    inputs_to_link,
    my_feedback,
    possible_authors_count,
    program_changes,
)
from advisory.services import feedback as service
from compensation.selectors.ledger import organization_today
from meetings.services.input import ANONYMITY_NOTICE

# --- survivor leaders --------------------------------------------------------------------


@login_required
def my_feedback_page(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    may_name = has_consent(user, organization, ConsentScope.ATTRIBUTE_TO_STAFF)
    form = FeedbackForm(request.POST if request.method == "POST" else None, may_name=may_name)
    if form.is_valid():
        try:
            service.send_feedback(organization=organization, author=user, terms=form.terms())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Thank you. It is sent, and staff will answer it here."))
            return redirect("my_feedback", org=organization.slug)
    page = Paginator(my_feedback(user, organization), FEEDBACK_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "organization": organization,
        "form": form,
        "page": page,
        "may_name": may_name,
        "possible_authors": possible_authors_count(organization),
        "anonymity_notice": ANONYMITY_NOTICE,
    }
    return render(request, "advisory/feedback/mine.html", context)


@login_required
def my_feedback_detail(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    feedback = get_my_feedback(user, organization, pk)
    form = BoardMayReadForm(initial={"board_may_read": feedback.board_may_read})
    context = {"organization": organization, "feedback": feedback, "form": form}
    return render(request, "advisory/feedback/mine_detail.html", context)


@login_required
@require_POST
def share_feedback_with_board(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    feedback = get_my_feedback(user, organization, pk)
    form = BoardMayReadForm(request.POST)
    form.is_valid()  # one tick box: anything but "on" is no
    allowed = bool(form.cleaned_data.get("board_may_read"))
    service.set_board_may_read(feedback=feedback, author=user, board_may_read=allowed)
    if allowed:
        messages.success(request, _("The board can read this and the answer, without your name."))
    else:
        messages.success(request, _("Only you and staff can read this now."))
    return redirect("my_feedback_detail", org=organization.slug, pk=feedback.pk)


@login_required
def board_feedback(request: AuthenticatedRequest, org: str) -> HttpResponse:
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    page = Paginator(feedback_for_board(organization), FEEDBACK_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"organization": organization, "page": page}
    return render(request, "advisory/feedback/board.html", context)


@login_required
def what_we_changed(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    page = Paginator(program_changes(organization, viewer=user), CHANGES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"organization": organization, "page": page}
    return render(request, "advisory/feedback/changes.html", context)


# --- staff -------------------------------------------------------------------------------


@login_required
def feedback_inbox_page(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    page = Paginator(feedback_inbox(organization), FEEDBACK_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = inbox_rows(organization, list(page.object_list))
    for author in authors_shown(rows):
        record_access(viewer=user, subject=author, organization=organization, what=ACCESS_INPUT)
    context = {"organization": organization, "page": page, "rows": rows}
    return render(request, "advisory/feedback/inbox.html", context)


@login_required
def answer_feedback(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    feedback = get_feedback_for_staff(organization, pk)
    form = AnswerFeedbackForm(
        request.POST if request.method == "POST" else None,
        initial={"answer": feedback.answer},
    )
    if form.is_valid():
        try:
            service.answer_feedback(feedback=feedback, by=user, answer=form.cleaned_data["answer"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your answer is saved. The person who sent it is told."))
            return redirect("feedback_inbox", org=organization.slug)
    row = inbox_rows(organization, [feedback])[0]
    if row.author_shown:
        record_access(
            viewer=user, subject=feedback.author, organization=organization, what=ACCESS_INPUT
        )
    context = {"organization": organization, "row": row, "feedback": feedback, "form": form}
    return render(request, "advisory/feedback/answer.html", context)


@login_required
def program_changes_page(request: AuthenticatedRequest, org: str) -> HttpResponse:
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    page = Paginator(program_changes(organization), CHANGES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"organization": organization, "page": page}
    return render(request, "advisory/feedback/staff_changes.html", context)


def _chosen_feedback(request: HttpRequest) -> list[int]:
    """ "Record a change this led to" on a message's page picks that message to start with."""
    value = request.GET.get("feedback", "")
    return [int(value)] if value.isdigit() else []


@login_required
def new_program_change(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    form = ProgramChangeForm(
        request.POST if request.method == "POST" else None,
        feedback=feedback_to_link(organization),
        inputs=inputs_to_link(organization),
        initial={
            "changed_on": organization_today(organization),
            "feedback": _chosen_feedback(request),
        },
    )
    if form.is_valid():
        try:
            service.record_program_change(organization=organization, by=user, terms=form.terms())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The change is saved. The people whose words led to it are told.")
            )
            return redirect("program_changes", org=organization.slug)
    context = {"organization": organization, "form": form}
    return render(request, "advisory/feedback/new_change.html", context)
