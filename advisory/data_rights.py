"""What "Download my data" and "Delete my account" do with the board's advice records.

Decisions and recommendations are the program's records: they stay, without the name of
whoever logged, adopted or answered them. What the person said about their own input —
proposed links and answers to "Is this what you said?" — is theirs: exported, and deleted
with the input (or, when input is kept without a name, kept without their words).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.data_rights import (
    JSON,
    ErasureOptions,
    forget,
    keep,
    plain,
    register,
    rows,
)
from accounts.models import User
from advisory.models import (
    AnswerChoice,
    Decision,
    Feedback,
    Influence,
    InfluenceAnswer,
    InfluenceProposal,
    ProgramChange,
    Recommendation,
)
from meetings.models import InputStatus

# Before meetings deletes the person's input (order 0), so these are read while it exists.
BEFORE_INPUT = -5


def _export_answers(user: User) -> JSON:
    return rows(
        InfluenceAnswer.objects.filter(input__author=user).order_by("answered_at"),
        "decision__title",
        "input__public_id",
        "answer",
        "comment",
        "answered_at",
    )


def _erase_answers(user: User, options: ErasureOptions) -> None:
    mine = InfluenceAnswer.objects.filter(input__author=user)
    if options.keep_input_anonymous:
        # A "yes" still counts. "Not quite" was the person's own words about what they
        # meant; without the words it becomes "rather not say" (one update per row, so the
        # answer and its comment never disagree).
        mine.filter(answer=AnswerChoice.NOT_QUITE).update(
            answer=AnswerChoice.RATHER_NOT_SAY, comment=""
        )
        mine.update(comment="")
    else:
        mine.delete()


def _export_proposals(user: User) -> JSON:
    return rows(
        InfluenceProposal.objects.filter(input__author=user).order_by("created_at"),
        "decision__title",
        "input__public_id",
        "note",
        "status",
        "answer",
        "created_at",
        "answered_at",
    )


def _erase_proposals(user: User, options: ErasureOptions) -> None:
    InfluenceProposal.objects.filter(input__author=user).update(note="")
    if not options.keep_input_anonymous:
        InfluenceProposal.objects.filter(input__author=user).delete()
    InfluenceProposal.objects.filter(answered_by=user).update(answered_by=None)


def _export_outcomes(user: User) -> JSON:
    """What became of the person's input: the decisions it is currently linked to."""
    links = Influence.objects.filter(
        input__author=user,
        input__status=InputStatus.CONFIRMED,
        superseded_by__isnull=True,
    ).select_related("decision", "input")
    return [
        {
            "input": str(link.input.public_id),
            "decision": link.decision.title,
            "decision_status": link.decision.status,
            "decision_reason": link.decision.reason,
            "level": link.level,
            "rationale": link.rationale,
            "linked_at": plain(link.created_at),
        }
        for link in links.order_by("created_at", "id")
    ]


def _export_feedback(user: User) -> JSON:
    return rows(
        Feedback.objects.filter(author=user).order_by("created_at"),
        "body",
        "anonymous",
        "board_may_read",
        "answer",
        "created_at",
        "answered_at",
    )


def _erase_feedback(user: User, options: ErasureOptions) -> None:
    mine = Feedback.objects.filter(author=user)
    if options.keep_input_anonymous:
        # Kept like meeting input: without a name, pointing at the tombstone.
        mine.update(anonymous=True)
    else:
        mine.delete()
    Feedback.objects.filter(answered_by=user).update(answered_by=None)


def _register() -> None:
    register(
        Feedback,
        export=_export_feedback,
        erase=_erase_feedback,
        reason="Deleted, or kept without a name if the person chose to keep their input; "
        "answers they wrote as staff lose their name.",
        title=_("Feedback you sent"),
    )
    register(
        ProgramChange,
        export=None,
        erase=forget(ProgramChange, "created_by"),
        reason="Changes are the program's record; the person is no longer named on one.",
    )
    register(
        Decision,
        export=None,
        erase=forget(Decision, "created_by"),
        reason="Decisions stay; the person is no longer named as who logged one.",
    )
    register(
        Recommendation,
        export=None,
        erase=forget(Recommendation, "adopted_by", "responded_by"),
        reason="Recommendations are the board's; the person is no longer named on one.",
    )
    register(
        Influence,
        export=_export_outcomes,
        erase=keep,
        reason="Append-only: the link stays and points at nothing once the input is "
        "deleted, so it is left out everywhere; kept anonymous input keeps its links.",
        title=_("What became of what you said"),
        via="input",
        order=BEFORE_INPUT,
    )
    register(
        InfluenceProposal,
        export=_export_proposals,
        erase=_erase_proposals,
        reason="Deleted with the person's input, or kept without their note; proposals "
        "they answered as staff lose their name.",
        title=_("Decisions you said your input shaped"),
        order=BEFORE_INPUT,
    )
    register(
        InfluenceAnswer,
        export=_export_answers,
        erase=_erase_answers,
        reason="Deleted with the person's input, or kept without their words (a 'not "
        "quite' then counts as 'rather not say').",
        title=_("Your answers to “Is this what you said?”"),
        via="input",
        order=BEFORE_INPUT,
    )


_register()
