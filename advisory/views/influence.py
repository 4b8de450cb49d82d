"""Pages for influence links: staff link input to a decision, revise links and answer
proposals; a survivor leader proposes a link from their own input, reads what became of
it and answers "Is this what you said?"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Organization, User
from accounts.permissions import AuthenticatedRequest, Capability, organization_for
from accounts.services.access import ACCESS_INPUT, record_access_to_many
from advisory.forms.influence import (
    ACCEPT,
    AnswerLinkForm,
    AnswerProposalForm,
    LinkFilterForm,
    LinkInputForm,
    ProposeLinkForm,
    ReviseLinkForm,
)
from advisory.models import Decision, Influence, InfluenceAnswer, InfluenceProposal
from advisory.selectors.influence import (
    LINKABLE_SHOWN,
    LINKS_PER_PAGE,
    OUTCOMES_PER_PAGE,
    PROPOSALS_PER_PAGE,
    MyInputOutcome,
    MyLink,
    ProposalRow,
    answer_for,
    decision_links,
    decisions_to_propose,
    get_decision_for_linking,
    get_link_of_decision,
    get_my_current_link,
    get_my_input_to_propose_from,
    get_proposal_for_staff,
    input_for_linking,
    link_rows,
    linkable_inputs,
    my_outcome_inputs,
    my_outcomes,
    proposal_rows,
    waiting_proposals,
)
from advisory.services import influence as services
from meetings.selectors.input import InputRow, authors_shown, meetings_for_filter


def _record_names(viewer: User, organization: Organization, rows: list[InputRow]) -> None:
    """Staff were shown these authors' names (they allowed it): each person's access log
    says so, in one insert."""
    record_access_to_many(
        viewer=viewer,
        subject_ids=[author.pk for author in authors_shown(rows)],
        organization=organization,
        what=ACCESS_INPUT,
    )


# --- staff: a decision's links ------------------------------------------------------------


def _links_url(decision: Decision, meeting_id: int | None = None) -> str:
    url = reverse("link_inputs", kwargs={"org": decision.organization.slug, "pk": decision.pk})
    return f"{url}?{urlencode({'meeting': meeting_id})}" if meeting_id is not None else url


def _revise_form(link: Influence, data: Any = None) -> ReviseLinkForm:
    return ReviseLinkForm(
        data,
        initial={"level": link.level, "rationale": link.rationale},
        auto_id=f"revise-{link.pk}-%s",
    )


@login_required
def link_inputs(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    decision = get_decision_for_linking(user, org, pk)
    organization = decision.organization
    filters = LinkFilterForm(request.GET, meetings=meetings_for_filter(organization))
    filters.is_valid()  # a meeting not offered is ignored, never an error page
    meeting_id: int | None = filters.cleaned_data.get("meeting")
    inputs = linkable_inputs(decision, meeting_id=meeting_id)
    data = request.POST if request.method == "POST" else None
    form = LinkInputForm(data, inputs=inputs[:LINKABLE_SHOWN])
    if data is not None and form.is_valid():
        input = input_for_linking(organization, form.cleaned_data["input"])
        if input is None:
            form.add_error(None, _("Choose input from the list."))
        else:
            try:
                services.link_input(
                    decision=decision,
                    input=input,
                    by=user,
                    level=form.cleaned_data["level"],
                    rationale=form.cleaned_data["rationale"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("Linked. The person who said it is told there is an update.")
                )
                return redirect(_links_url(decision, meeting_id))
    page = Paginator(decision_links(decision), LINKS_PER_PAGE).get_page(request.GET.get("page"))
    rows = link_rows(user, decision, list(page.object_list))
    _record_names(user, organization, [row.input_row for row in rows])
    context = {
        "organization": organization,
        "decision": decision,
        "page": page,
        "entries": [(row, _revise_form(row.link)) for row in rows],
        "filters": filters,
        "ignored_meeting": "meeting" in filters.errors,
        "meeting_id": meeting_id,
        "page_query": urlencode({"meeting": meeting_id}) if meeting_id is not None else "",
        "form": form,
        "more_inputs": len(inputs) > LINKABLE_SHOWN,
        "linkable_shown": LINKABLE_SHOWN,
    }
    return render(request, "advisory/influence/links.html", context)


@login_required
@require_POST
def revise_link(request: AuthenticatedRequest, org: str, pk: int, link_pk: int) -> HttpResponse:
    user = request.user
    decision = get_decision_for_linking(user, org, pk)
    link = get_link_of_decision(decision, link_pk)
    form = _revise_form(link, request.POST)
    if form.is_valid():
        try:
            services.revise_link(link=link, by=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Saved. The earlier wording is kept, and the person who said it is told."),
            )
            return redirect(_links_url(decision))
    row = link_rows(user, decision, [link])[0]
    _record_names(user, decision.organization, [row.input_row])
    context = {"organization": decision.organization, "decision": decision, "row": row}
    return render(request, "advisory/influence/revise_link.html", context | {"form": form})


# --- staff: proposals ---------------------------------------------------------------------


def _proposal_form(proposal: InfluenceProposal, data: Any = None) -> AnswerProposalForm:
    return AnswerProposalForm(data, auto_id=f"proposal-{proposal.pk}-%s")


@login_required
def link_proposals(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.LOOK_AFTER_BOARD)
    page = Paginator(waiting_proposals(organization), PROPOSALS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = proposal_rows(user, organization, list(page.object_list))
    _record_names(user, organization, [row.input_row for row in rows])
    context = {
        "organization": organization,
        "page": page,
        "entries": [(row, _proposal_form(row.proposal)) for row in rows],
    }
    return render(request, "advisory/influence/proposals.html", context)


@login_required
@require_POST
def answer_proposal(request: AuthenticatedRequest, org: str, pk: int) -> HttpResponse:
    user = request.user
    proposal = get_proposal_for_staff(user, org, pk)
    organization = proposal.decision.organization
    form = _proposal_form(proposal, request.POST)
    if form.is_valid():
        accept = form.cleaned_data["outcome"] == ACCEPT
        try:
            services.answer_proposal(
                proposal=proposal,
                by=user,
                accept=accept,
                level=form.cleaned_data["level"],
                rationale=form.cleaned_data["rationale"],
                answer=form.cleaned_data["answer"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            done = (
                _("Accepted and linked. The person who proposed it is told.")
                if accept
                else _("Answered. The person who proposed it is told, and reads your answer.")
            )
            messages.success(request, done)
            return redirect("link_proposals", org=organization.slug)
    row: ProposalRow = proposal_rows(user, organization, [proposal])[0]
    _record_names(user, organization, [row.input_row])
    context = {"organization": organization, "row": row, "form": form}
    return render(request, "advisory/influence/answer_proposal.html", context)


# --- the author: proposing, what became of my input, "Is this what you said?" ------------


@login_required
def propose_link(request: AuthenticatedRequest, org: str, public_id: UUID) -> HttpResponse:
    user = request.user
    input = get_my_input_to_propose_from(user, org, public_id)
    organization = input.meeting.organization
    data = request.POST if request.method == "POST" else None
    decisions = decisions_to_propose(input)
    form = ProposeLinkForm(data, decisions=decisions)
    if data is not None and form.is_valid():
        try:
            services.propose_link(input=input, by=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Sent. Staff will answer you, and you will see their answer here.")
            )
            return redirect("my_input_outcomes", org=organization.slug)
    context = {
        "organization": organization,
        "input": input,
        "form": form,
        "has_decisions": decisions.exists(),
    }
    return render(request, "advisory/influence/propose.html", context)


@dataclass(frozen=True)
class _OutcomeEntry:
    outcome: MyInputOutcome
    links: list[tuple[MyLink, AnswerLinkForm]]


def _answer_form(
    link: Influence, answer: InfluenceAnswer | None, data: Any = None
) -> AnswerLinkForm:
    initial = {"answer": answer.answer, "comment": answer.comment} if answer else {}
    return AnswerLinkForm(data, initial=initial, auto_id=f"answer-{link.pk}-%s")


@login_required
def my_input_outcomes(request: AuthenticatedRequest, org: str) -> HttpResponse:
    user = request.user
    organization = organization_for(request, org, Capability.USE_OWN_SEAT)
    page = Paginator(my_outcome_inputs(user, organization), OUTCOMES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    entries = [
        _OutcomeEntry(
            outcome=outcome,
            links=[(mine, _answer_form(mine.link, mine.answer)) for mine in outcome.links],
        )
        for outcome in my_outcomes(user, organization, list(page.object_list))
    ]
    context = {"organization": organization, "page": page, "entries": entries}
    return render(request, "advisory/influence/outcomes.html", context)


@login_required
@require_POST
def answer_link(request: AuthenticatedRequest, org: str, link_pk: int) -> HttpResponse:
    user = request.user
    link = get_my_current_link(user, org, link_pk)
    organization = link.decision.organization
    form = _answer_form(link, None, request.POST)
    if form.is_valid():
        try:
            services.answer_link(
                link=link,
                by=user,
                answer=form.cleaned_data["answer"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Thank you. You can change your answer any time."))
            url = reverse("my_input_outcomes", kwargs={"org": organization.slug})
            back = request.POST.get("page", "")
            return redirect(f"{url}?{urlencode({'page': back})}" if back.isdigit() else url)
    context = {
        "organization": organization,
        "link": link,
        "answer": answer_for(link),
        "form": form,
    }
    return render(request, "advisory/influence/answer_link.html", context)
