"""Access transparency (promise 7): each time staff or finance open a survivor leader's
information, one record is appended — who looked, at whose information, what kind of thing,
and when. Codes only, never personal text. Only the subject ever reads these records
(`accounts.selectors.profile.access_records_for`), and they are purged after
`settings.ACCESS_RECORD_RETENTION`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.audit import record_event
from accounts.models import AccessRecord, Organization, User

ACCESS_PROFILE = "profile"
ACCESS_PAYMENT_DETAILS = "payment_details"
ACCESS_INPUT = "input"

# What each code means, in the words the survivor reads on "Who has seen my information".
# A new kind of access adds its code here first: `record_access` refuses unknown codes, so
# free text (a name, a note) can never be stored in place of a code.
ACCESS_DESCRIPTIONS = {
    ACCESS_PROFILE: _("Your profile: your name, pronouns, languages, skills and when you are free"),
    ACCESS_PAYMENT_DETAILS: _("Your payment details"),
    ACCESS_INPUT: _("Something you said or wrote"),
}


def describe_access(what: str) -> str:
    return str(ACCESS_DESCRIPTIONS.get(what, _("Your information")))


def record_access(
    *, viewer: User, subject: User, organization: Organization, what: str
) -> AccessRecord:
    """Append one record. Call it from the view that shows the information, every time."""
    if what not in ACCESS_DESCRIPTIONS:
        raise ValueError(f"Unknown access code {what!r}; add it to ACCESS_DESCRIPTIONS.")
    return AccessRecord.objects.create(
        viewer=viewer, subject=subject, organization=organization, what=what
    )


def record_access_to_many(
    *, viewer: User, subject_ids: Iterable[int], organization: Organization, what: str
) -> int:
    """One record in each person's log, written in bulk: for a view that shows many
    people's information at once (a payment file). Returns how many were written."""
    if what not in ACCESS_DESCRIPTIONS:
        raise ValueError(f"Unknown access code {what!r}; add it to ACCESS_DESCRIPTIONS.")
    now = timezone.now()
    records = AccessRecord.objects.bulk_create(
        (
            AccessRecord(
                viewer=viewer,
                subject_id=subject_id,
                organization=organization,
                what=what,
                created_at=now,
            )
            for subject_id in subject_ids
        ),
        batch_size=1000,
    )
    return len(records)


@transaction.atomic
def purge_old_access_records(*, now: datetime | None = None) -> int:
    """Delete records older than the retention period; returns how many went."""
    cutoff = (now or timezone.now()) - settings.ACCESS_RECORD_RETENTION
    deleted, _by_model = AccessRecord.objects.filter(created_at__lt=cutoff).delete()
    if deleted:
        record_event(action="access_records.purged", target_type="access_record")
    return deleted
