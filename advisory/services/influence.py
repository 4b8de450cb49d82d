"""Writes for influence links ("you said, we did").

Staff link a decision to confirmed input with a level and a rationale, and revise a link by
writing a new row that supersedes it (links are append-only). A survivor leader proposes
that their own input shaped a decision; staff accept it (a link is written) or answer why
not. The author answers "Is this what you said?" and may change the answer any time.

Every write locks a row first, so a double submit waits and then finds the work done; the
database constraints are the backstop. Authors are told only through the outbox, which
says nothing but "there is an update". Audit events carry ids and codes, never words; a
survivor's own action on anonymous input is recorded without an actor (as meetings does).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.audit import record_event
from accounts.models import User
from accounts.permissions import Capability, require
from accounts.update_kinds import page
from advisory.models import (
    AnswerChoice,
    Decision,
    Influence,
    InfluenceAnswer,
    InfluenceLevel,
    InfluenceOrigin,
    InfluenceProposal,
    ProposalStatus,
)
from advisory.notify import (
    INPUT_LINKED,
    LINK_PROPOSED,
    PROPOSAL_ANSWERED,
    tell_author,
    tell_staff,
)
from meetings.models import Input, InputStatus, InputVisibility

ALREADY_LINKED = _("This input is already linked — revise it instead.")
NOT_LINKABLE = {
    InputStatus.PENDING: _(
        "This input is still waiting for its author to check it. "
        "It can be linked once they confirm it."
    ),
    InputStatus.WITHDRAWN: _("Its author withdrew this input, so it cannot be linked."),
    InputStatus.REJECTED: _("Its author said this is not what they said, so it cannot be linked."),
}
OTHER_ORGANIZATION = _("This input belongs to another organization, so it cannot be linked.")
ALREADY_REVISED = _(
    "Someone changed this link while you were writing. Look at the page again, then revise "
    "the newest version."
)
NO_LONGER_COUNTS = _("Its author withdrew this input, so the link no longer counts.")


# --- checks shared by the writes ----------------------------------------------------------


# The rules' words, written once: the forms show these same messages.
ANSWER_MISSING = _("Choose an answer.")


def _locked_decision(decision: Decision) -> Decision:
    return Decision.objects.select_for_update().select_related("organization").get(pk=decision.pk)


def _locked_input(input: Input) -> Input:
    return (
        Input.objects.select_for_update(of=("self",))
        .select_related("meeting", "author")
        .get(pk=input.pk)
    )


def _check_linkable(decision: Decision, input: Input) -> None:
    if input.meeting.organization_id != decision.organization_id:
        raise ValidationError(OTHER_ORGANIZATION, code="other_organization")
    status = InputStatus(input.status)
    if status in NOT_LINKABLE:
        raise ValidationError(NOT_LINKABLE[status], code=f"input_{status.value}")


def _check_level_and_rationale(level: str, rationale: str) -> str:
    if level not in InfluenceLevel.values:
        raise ValidationError(_("Choose how much the input changed the decision."), code="level")
    rationale = rationale.strip()
    if not rationale:
        raise ValidationError(
            _("Say in plain words how the input shaped the decision."), code="rationale"
        )
    return rationale


def _has_current_link(decision: Decision, input: Input) -> bool:
    return Influence.objects.filter(
        decision=decision, input=input, superseded_by__isnull=True
    ).exists()


def _audit(action: str, actor_id: int | None, decision: Decision, target: str, pk: int) -> None:
    record_event(
        action=action,
        actor_id=actor_id,
        organization_id=decision.organization_id,
        target_type=target,
        target_id=pk,
    )


def _author_actor(author: User, input: Input) -> int | None:
    # The audit log outlives erasure: naming the author of anonymous input there would undo
    # "anonymous to staff" for good.
    return None if input.visibility == InputVisibility.ANONYMOUS else author.pk


def _write_link(
    *,
    decision: Decision,
    input: Input,
    by: User,
    level: str,
    rationale: str,
    origin: str,
    supersedes: Influence | None = None,
) -> Influence:
    link = Influence(
        decision=decision,
        input=input,
        level=level,
        rationale=rationale,
        origin=origin,
        supersedes=supersedes,
        actor_id=by.pk,
    )
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError as exc:
        # The partial unique constraint (one first claim per decision and input) and the
        # one-to-one `supersedes`: the backstop if two submits ever got past the lock.
        message = ALREADY_LINKED if supersedes is None else ALREADY_REVISED
        raise ValidationError(message, code="already_linked") from exc
    return link


# --- staff: links -------------------------------------------------------------------------


@transaction.atomic
def link_input(
    *, decision: Decision, input: Input, by: User, level: str, rationale: str
) -> Influence:
    """Staff say this confirmed input shaped the decision. Pending, withdrawn, rejected or
    another organization's input is refused, and so is a second current link to the same
    input. The author is told there is an update."""
    require(by, decision.organization, Capability.LOOK_AFTER_BOARD)
    rationale = _check_level_and_rationale(level, rationale)
    decision = _locked_decision(decision)
    input = _locked_input(input)
    _check_linkable(decision, input)
    if _has_current_link(decision, input):
        raise ValidationError(ALREADY_LINKED, code="already_linked")
    link = _write_link(
        decision=decision,
        input=input,
        by=by,
        level=level,
        rationale=rationale,
        origin=InfluenceOrigin.STAFF,
    )
    tell_author(input.author, decision.organization, INPUT_LINKED)
    _audit("influence.linked", by.pk, decision, "influence", link.pk)
    return link


@transaction.atomic
def revise_link(*, link: Influence, by: User, level: str, rationale: str) -> Influence:
    """A new claim that supersedes `link` (never an update). The author's answer stays: it
    belongs to the decision and the input. The author is told there is an update."""
    decision = link.decision
    require(by, decision.organization, Capability.LOOK_AFTER_BOARD)
    rationale = _check_level_and_rationale(level, rationale)
    decision = _locked_decision(decision)
    old = Influence.objects.select_related("input__author").get(pk=link.pk)
    if Influence.objects.filter(supersedes=old).exists():
        raise ValidationError(ALREADY_REVISED, code="already_revised")
    if old.input.status != InputStatus.CONFIRMED:
        raise ValidationError(NO_LONGER_COUNTS, code="input_withdrawn")
    if old.level == level and old.rationale == rationale:
        raise ValidationError(_("Nothing was changed."), code="unchanged")
    new = _write_link(
        decision=decision,
        input=old.input,
        by=by,
        level=level,
        rationale=rationale,
        origin=old.origin,
        supersedes=old,
    )
    tell_author(old.input.author, decision.organization, INPUT_LINKED)
    _audit("influence.revised", by.pk, decision, "influence", new.pk)
    return new


# --- survivors: proposals -----------------------------------------------------------------


@transaction.atomic
def propose_link(
    *, decision: Decision, input: Input, by: User, note: str = ""
) -> InfluenceProposal:
    """The author says their own confirmed input shaped one of the organization's
    decisions. Staff accept it or answer why not."""
    input = _locked_input(input)
    if input.author_id != by.pk:
        raise PermissionDenied
    if input.meeting.organization_id != decision.organization_id:
        raise ValidationError(_("Choose one of this organization's decisions."), code="decision")
    if input.status != InputStatus.CONFIRMED:
        raise ValidationError(
            _("Only input that counts can be linked to a decision."), code="not_confirmed"
        )
    if _has_current_link(decision, input):
        raise ValidationError(
            _("Your input is already linked to this decision. See what became of it."),
            code="already_linked",
        )
    if InfluenceProposal.objects.filter(
        decision=decision, input=input, status=ProposalStatus.WAITING
    ).exists():
        raise ValidationError(
            _("You already proposed this. Staff have not answered yet."), code="already_proposed"
        )
    proposal = InfluenceProposal(decision=decision, input=input, note=note.strip())
    proposal.full_clean()
    proposal.save()
    _audit(
        "influence_proposal.made",
        _author_actor(by, input),
        decision,
        "influence_proposal",
        proposal.pk,
    )
    tell_staff(
        decision.organization,
        LINK_PROPOSED,
        target=page("link_proposals", decision.organization),
    )
    return proposal


@transaction.atomic
def answer_proposal(
    *,
    proposal: InfluenceProposal,
    by: User,
    accept: bool,
    level: str = "",
    rationale: str = "",
    answer: str = "",
) -> InfluenceProposal:
    """Staff accept a waiting proposal (a link is written, origin "proposal", with their own
    level and rationale) or decline it with an answer. The author is told there is an
    update, and reads the answer on their own page."""
    decision = proposal.decision
    require(by, decision.organization, Capability.LOOK_AFTER_BOARD)
    answer = answer.strip()
    if accept:
        rationale = _check_level_and_rationale(level, rationale)
    elif not answer:
        raise ValidationError(
            _("Say why not, in plain words. The person who proposed it reads your answer."),
            code="answer",
        )
    decision = _locked_decision(decision)
    proposal = InfluenceProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.WAITING:
        raise ValidationError(_("This proposal was already answered."), code="answered")
    input = _locked_input(proposal.input)
    if accept:
        _check_linkable(decision, input)
        if _has_current_link(decision, input):
            raise ValidationError(
                _(
                    "This input is already linked to this decision. Decline the proposal "
                    "and say so, or revise the link."
                ),
                code="already_linked",
            )
        proposal.influence = _write_link(
            decision=decision,
            input=input,
            by=by,
            level=level,
            rationale=rationale,
            origin=InfluenceOrigin.PROPOSAL,
        )
    proposal.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.DECLINED
    proposal.answer = answer
    proposal.answered_by = by
    proposal.answered_at = timezone.now()
    proposal.full_clean()
    proposal.save()
    tell_author(input.author, decision.organization, PROPOSAL_ANSWERED)
    action = "influence_proposal.accepted" if accept else "influence_proposal.declined"
    _audit(action, by.pk, decision, "influence_proposal", proposal.pk)
    return proposal


# --- survivors: "Is this what you said?" --------------------------------------------------


@transaction.atomic
def answer_link(*, link: Influence, by: User, answer: str, comment: str = "") -> InfluenceAnswer:
    """The author's answer for this decision and their input; a later answer replaces the
    earlier one. "Not quite" needs what they meant."""
    input = _locked_input(link.input)
    if input.author_id != by.pk:
        raise PermissionDenied
    if input.status != InputStatus.CONFIRMED:
        raise ValidationError(NO_LONGER_COUNTS, code="input_withdrawn")
    if answer not in AnswerChoice.values:
        raise ValidationError(ANSWER_MISSING, code="answer")
    comment = comment.strip()
    if answer == AnswerChoice.NOT_QUITE and not comment:
        raise ValidationError(
            _("Say what you meant, so staff and the board can read it next to the claim."),
            code="comment",
        )
    if answer != AnswerChoice.NOT_QUITE:
        comment = ""  # only "not quite" carries what they meant; an old one would mislead
    row, _created = InfluenceAnswer.objects.update_or_create(
        decision_id=link.decision_id,
        input=input,
        defaults={"answer": answer, "comment": comment, "answered_at": timezone.now()},
    )
    _audit(
        "influence.answered", _author_actor(by, input), link.decision, "influence_answer", row.pk
    )
    return row
