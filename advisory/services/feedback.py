"""Writes for open feedback and "What we changed".

- A survivor leader tells the program what works and what doesn't, at any time: named
  (only with the "Staff can see my name on what I say" consent, as meeting input) or
  anonymous. Anonymous feedback keeps its author only so they can read the answer: their
  own actions on it are audited without an actor, as anonymous meeting input is.
- Staff answer each message (an answer is always needed; it can be changed later); the
  author is told. The author may let the board read the message and its answer.
- Staff record a change the program made, linked to the feedback and confirmed meeting
  input that prompted it; everyone who gave that feedback or input is told. Staff never
  learn who was told.
- People are told only through the outbox, which says nothing but "there is an update".

Every write checks everything first: bad input raises ValidationError and writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import record_event
from accounts.models import ConsentScope, Organization, Role, User
from accounts.outbox import enqueue_update
from accounts.permissions import Capability, require
from accounts.selectors.consent import has_consent
from accounts.selectors.roles import staff_of
from accounts.update_kinds import page
from advisory.models import Feedback, ProgramChange
from compensation.selectors.ledger import organization_today
from meetings.selectors.input import counted_inputs
from meetings.services.input import NEEDS_CONSENT_MESSAGE

# Outbox kinds: short codes, never content, never whose feedback it was.
FEEDBACK_RECEIVED = "feedback_received"  # to staff and admins
FEEDBACK_ANSWERED = "feedback_answered"  # to the author
PROGRAM_CHANGE = "program_change"  # to the authors of what prompted the change

TEXT_MAX = 5000  # as the other long text boxes
TITLE_MAX = 200  # ProgramChange.title
SAME_FORM_WINDOW = timedelta(minutes=10)


# The rules' words, written once: the forms show these same messages.
CHANGED_ON_MISSING = gettext_lazy("Give the day of the change.")
CHANGE_MISSING = gettext_lazy("Say in a few words what changed.")
INPUT_NOT_OURS = gettext_lazy("Choose only confirmed input from this program's meetings.")
FEEDBACK_MISSING = gettext_lazy("Write what works, or what doesn't.")
ANSWER_MISSING = gettext_lazy("Write your answer. The person who sent this reads it.")
FEEDBACK_NOT_OURS = gettext_lazy("Choose only feedback sent to this program.")


# Said in more than one place below, so written once here.
TOO_LONG = gettext_lazy("Please keep it under %(max)d characters.")


def _lock(organization: Organization) -> None:
    # Serializes two submits of the same form: the second finds the first and is refused.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()


def _author_actor(feedback: Feedback) -> int | None:
    # The audit log is append-only and outlives erasure: naming the author of anonymous
    # feedback there would undo "anonymous" for good.
    return None if feedback.anonymous else feedback.author_id


def _reachable(people: QuerySet[User], organization: Organization) -> QuerySet[User]:
    """Survivor leaders of the organization who can still be told anything."""
    return people.filter(
        memberships__organization=organization,
        memberships__role=Role.SURVIVOR_LEADER,
        is_active=True,
        erased_at__isnull=True,
    ).distinct()


# --- sending feedback --------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackTerms:
    body: str
    anonymous: bool = True
    board_may_read: bool = False


def _text_error(text: str, missing: str) -> str | None:
    if not text.strip():
        return missing
    if len(text) > TEXT_MAX:
        return str(TOO_LONG) % {"max": TEXT_MAX}
    return None


@transaction.atomic
def send_feedback(*, organization: Organization, author: User, terms: FeedbackTerms) -> Feedback:
    """A survivor leader tells the program what works and what doesn't. Staff and admins
    are told there is an update."""
    require(author, organization, Capability.USE_OWN_SEAT)
    error = _text_error(terms.body, str(FEEDBACK_MISSING))
    if error:
        raise ValidationError({"body": error})
    if not terms.anonymous and not has_consent(
        author, organization, ConsentScope.ATTRIBUTE_TO_STAFF
    ):
        raise ValidationError(NEEDS_CONSENT_MESSAGE, code="needs_consent")
    _lock(organization)
    if Feedback.objects.filter(
        organization=organization,
        author_id=author.pk,
        body=terms.body.strip(),
        created_at__gte=timezone.now() - SAME_FORM_WINDOW,
    ).exists():
        raise ValidationError(_("This was just sent. You can see it below."), code="duplicate")
    feedback = Feedback(
        organization=organization,
        author=author,
        body=terms.body.strip(),
        anonymous=terms.anonymous,
        board_may_read=terms.board_may_read,
    )
    feedback.full_clean()
    feedback.save()
    record_event(
        action="feedback.sent",
        actor_id=_author_actor(feedback),
        organization_id=organization.pk,
        target_type="feedback",
        target_id=feedback.pk,
    )
    for person in staff_of(organization):
        enqueue_update(
            recipient=person,
            organization=organization,
            kind=FEEDBACK_RECEIVED,
            # The inbox, not this feedback: an update dated to the day and pointing at one
            # piece of anonymous feedback would say when it was sent, which the inbox keeps
            # to the month.
            target=page("feedback_inbox", organization),
        )
    return feedback


@transaction.atomic
def set_board_may_read(*, feedback: Feedback, author: User, board_may_read: bool) -> Feedback:
    """The author lets the board read the message and its answer, or stops letting it."""
    if feedback.author_id != author.pk:
        raise PermissionDenied
    locked = Feedback.objects.select_for_update().get(pk=feedback.pk)
    if locked.board_may_read == board_may_read:
        return locked
    locked.board_may_read = board_may_read
    locked.save(update_fields=["board_may_read"])
    record_event(
        action="feedback.board_may_read" if board_may_read else "feedback.board_may_not_read",
        actor_id=_author_actor(locked),
        organization_id=locked.organization_id,
        target_type="feedback",
        target_id=locked.pk,
    )
    return locked


# --- staff answer ------------------------------------------------------------------------


@transaction.atomic
def answer_feedback(*, feedback: Feedback, by: User, answer: str) -> Feedback:
    """Answer a message, or change the answer. The author is told there is an update."""
    organization = feedback.organization
    require(by, organization, Capability.LOOK_AFTER_BOARD)
    error = _text_error(answer, str(ANSWER_MISSING))
    if error:
        raise ValidationError({"answer": error})
    # Locked, so two staff members answering at once write one after the other.
    locked = Feedback.objects.select_for_update().get(pk=feedback.pk)
    revised = locked.answered_at is not None
    locked.answer = answer.strip()
    locked.answered_by = by
    if not revised:
        locked.answered_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["answer", "answered_by", "answered_at"])
    record_event(
        action="feedback.answer_changed" if revised else "feedback.answered",
        actor_id=by.pk,
        organization_id=organization.pk,
        target_type="feedback",
        target_id=locked.pk,
    )
    for person in _reachable(User.objects.filter(pk=locked.author_id), organization):
        enqueue_update(
            recipient=person,
            organization=organization,
            kind=FEEDBACK_ANSWERED,
            target=page("my_feedback_detail", organization, pk=locked.pk),
        )
    return locked


# --- "What we changed" -------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeTerms:
    title: str
    description: str
    changed_on: date
    feedback_ids: Sequence[int] = ()
    input_ids: Sequence[int] = ()


def _change_errors(organization: Organization, terms: ChangeTerms) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not terms.title.strip():
        errors["title"] = str(CHANGE_MISSING)
    elif len(terms.title.strip()) > TITLE_MAX:
        errors["title"] = str(TOO_LONG) % {"max": TITLE_MAX}
    if len(terms.description) > TEXT_MAX:
        errors["description"] = str(TOO_LONG) % {"max": TEXT_MAX}
    if not isinstance(terms.changed_on, date):
        errors["changed_on"] = CHANGED_ON_MISSING
    elif terms.changed_on > organization_today(organization):
        errors["changed_on"] = _("Record a change once it has happened.")
    feedback = set(terms.feedback_ids)
    found = Feedback.objects.filter(organization=organization, pk__in=feedback)
    if feedback - set(found.values_list("pk", flat=True)):
        errors["feedback"] = str(FEEDBACK_NOT_OURS)
    inputs = set(terms.input_ids)
    confirmed = counted_inputs(organization=organization).filter(pk__in=inputs)
    if inputs - set(confirmed.values_list("pk", flat=True)):
        errors["inputs"] = str(INPUT_NOT_OURS)
    if not feedback and not inputs:
        errors["feedback"] = _(
            "Choose the feedback or meeting input that led to this change, so the people "
            "who gave it can be told."
        )
    return errors


@transaction.atomic
def record_program_change(
    *, organization: Organization, by: User, terms: ChangeTerms
) -> ProgramChange:
    """Add an entry to "What we changed", linked to what prompted it. Everyone who gave
    that feedback or input is told there is an update; nobody else learns who they are."""
    require(by, organization, Capability.LOOK_AFTER_BOARD)
    errors = _change_errors(organization, terms)
    if errors:
        raise ValidationError(errors)
    _lock(organization)
    if ProgramChange.objects.filter(
        organization=organization,
        title=terms.title.strip(),
        changed_on=terms.changed_on,
        created_at__gte=timezone.now() - SAME_FORM_WINDOW,
    ).exists():
        raise ValidationError(_("This change was just recorded. It is in the list already."))
    change = ProgramChange(
        organization=organization,
        title=terms.title.strip(),
        description=terms.description.strip(),
        changed_on=terms.changed_on,
        created_by=by,
    )
    change.full_clean()
    change.save()
    change.feedback.set(sorted(set(terms.feedback_ids)))
    change.inputs.set(sorted(set(terms.input_ids)))
    record_event(
        action="program_change.recorded",
        actor_id=by.pk,
        organization_id=organization.pk,
        target_type="program_change",
        target_id=change.pk,
    )
    prompted = User.objects.filter(
        Q(feedback_given__in=set(terms.feedback_ids)) | Q(inputs__in=set(terms.input_ids))
    )
    for person in _reachable(prompted, organization).order_by("pk"):
        enqueue_update(
            recipient=person,
            organization=organization,
            kind=PROGRAM_CHANGE,
            target=page("what_we_changed", organization),
        )
    return change
