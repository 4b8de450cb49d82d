"""Reads for open feedback and "What we changed", scoped to the person asking.

Who reaches what:
- the author: their own feedback, its answer and the changes it led to;
- survivor leaders of the organization: feedback whose author let the board read it (never
  who wrote it, named or not), and the "What we changed" log (never who prompted a change);
- staff and admins: the inbox and the log. They see a name only on feedback sent with it,
  and only while the author still says yes to "Staff can see my name on what I say" (the
  same rule as meeting input); anonymous feedback never shows its author to anyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import ConsentScope, Organization, User
from accounts.selectors.consent import consenting_ids, survivor_leader_ids
from accounts.selectors.profile import chosen_name_here
from accounts.selectors.roles import name_or_stand_in
from advisory.models import Feedback, ProgramChange
from meetings.models import Input, InputStatus
from meetings.selectors.input import confirmed_input_for_staff

FEEDBACK_PER_PAGE = 20
CHANGES_PER_PAGE = 20
# What staff can link a change to: the last year's feedback and meeting input, so the
# lists on the page stay a readable length however long the program has run.
LINK_WITHIN = timedelta(days=366)

FeedbackLinks = ProgramChange.feedback.through
InputLinks = ProgramChange.inputs.through


def possible_authors_count(organization: Organization) -> int:
    """How many survivor leaders could have written anonymous feedback: all of the
    organization's. Shown before anyone sends it."""
    return survivor_leader_ids(organization).count()


# --- the author's own --------------------------------------------------------------------


def _changes_newest_first() -> Prefetch[str, QuerySet[ProgramChange], str]:
    changes = ProgramChange.objects.only("id", "title", "changed_on").order_by("-changed_on", "-id")
    return Prefetch("changes", queryset=changes)


def my_feedback(user: User, organization: Organization) -> QuerySet[Feedback]:
    """What this person sent this organization, newest first, with the changes it led to."""
    return (
        Feedback.objects.filter(organization=organization, author_id=user.pk)
        .prefetch_related(_changes_newest_first())
        .order_by("-created_at", "-id")
    )


def get_my_feedback(user: User, organization: Organization, pk: int) -> Feedback:
    """One of this person's own messages; anyone else's is a 404."""
    feedback = my_feedback(user, organization).filter(pk=pk).first()
    if feedback is None:
        raise Http404
    return feedback


# --- the board ---------------------------------------------------------------------------


def feedback_for_board(organization: Organization) -> QuerySet[Feedback]:
    """Feedback the author let the board read, with its answer; newest first. The author
    column is not even loaded."""
    return (
        Feedback.objects.filter(organization=organization, board_may_read=True)
        .only("id", "organization_id", "body", "answer", "answered_at", "created_at")
        .order_by("-created_at", "-id")
    )


# --- staff -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackRow:
    """One message as staff may see it: `author_name` is empty unless they may know."""

    feedback: Feedback
    author_name: str
    author_shown: bool


def feedback_inbox(organization: Organization) -> QuerySet[Feedback]:
    """Unanswered first (newest first), then the answered ones, most recently answered
    first. Names come from `inbox_rows`."""
    return (
        Feedback.objects.filter(organization=organization)
        .select_related("author")
        .order_by(F("answered_at").desc(nulls_first=True), "-created_at", "-id")
    )


def get_feedback_for_staff(organization: Organization, pk: int) -> Feedback:
    """One message sent to this organization; any other is a 404."""
    feedback = (
        Feedback.objects.filter(organization=organization, pk=pk)
        .select_related("author")
        .prefetch_related(_changes_newest_first())
        .first()
    )
    if feedback is None:
        raise Http404
    return feedback


def _named_with_consent(organization: Organization, feedback: Sequence[Feedback]) -> dict[int, str]:
    """Of the authors of named feedback, who still says yes to staff seeing their name, with
    the name they gave this organization: no name is read for anyone else."""
    named = {item.author_id for item in feedback if not item.anonymous}
    if not named:
        return {}
    rows = (
        User.objects.filter(
            pk__in=consenting_ids(organization, ConsentScope.ATTRIBUTE_TO_STAFF, among=named)
        )
        .annotate(name=chosen_name_here(organization, person="pk"))
        .values_list("pk", "name")
    )
    return {user_id: name_or_stand_in(name) for user_id, name in rows}


def inbox_rows(organization: Organization, feedback: Sequence[Feedback]) -> list[FeedbackRow]:
    """Label a page of the inbox: a name only on named feedback whose author still allows
    it; anonymous feedback never."""
    allowed = _named_with_consent(organization, feedback)
    rows = []
    for item in feedback:
        shown = not item.anonymous and item.author_id in allowed
        rows.append(
            FeedbackRow(
                feedback=item,
                author_name=allowed[item.author_id] if shown else "",
                author_shown=shown,
            )
        )
    return rows


def authors_shown(rows: Sequence[FeedbackRow]) -> list[User]:
    """Each person whose name staff are shown, once (for their access records)."""
    seen: dict[int, User] = {}
    for row in rows:
        if row.author_shown:
            seen.setdefault(row.feedback.author_id, row.feedback.author)
    return list(seen.values())


def feedback_to_link(organization: Organization) -> QuerySet[Feedback]:
    """Feedback a change can be linked to: this organization's from the last year, newest
    first. Only the words and the day: never who sent it."""
    since = timezone.now() - LINK_WITHIN
    return (
        Feedback.objects.filter(organization=organization, created_at__gte=since)
        .only("id", "organization_id", "body", "created_at")
        .order_by("-created_at", "-id")
    )


def inputs_to_link(organization: Organization) -> QuerySet[Input]:
    """Confirmed meeting input a change can be linked to: the same input staff read on
    "What survivor leaders said", from meetings in the last year."""
    since = timezone.now() - LINK_WITHIN
    return confirmed_input_for_staff(organization).filter(meeting__starts_at__gte=since)


# --- "What we changed" ---------------------------------------------------------------------


def program_changes(
    organization: Organization, viewer: User | None = None
) -> QuerySet[ProgramChange]:
    """The log, newest change first, each with `from_feedback` and `from_meeting` (what
    kind of thing prompted it, never who) and, for a survivor leader, `mine`: something
    they said themselves led to it."""
    feedback_links = FeedbackLinks.objects.filter(programchange_id=OuterRef("pk"))
    input_links = InputLinks.objects.filter(
        programchange_id=OuterRef("pk"), input__status=InputStatus.CONFIRMED
    )
    changes = ProgramChange.objects.filter(organization=organization).annotate(
        from_feedback=Exists(feedback_links), from_meeting=Exists(input_links)
    )
    if viewer is not None:
        changes = changes.annotate(
            mine=Exists(feedback_links.filter(feedback__author_id=viewer.pk))
            | Exists(input_links.filter(input__author_id=viewer.pk))
        )
    return changes.order_by("-changed_on", "-id")
