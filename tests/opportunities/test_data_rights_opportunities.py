"""Download and deletion for opportunities and feedback (promise 10): the person's
interest, terms and feedback are exported; deleting the account deletes them (or keeps
feedback without a name, as chosen), keeps the pay already earned in the ledger, and
leaves the program's opportunities and changes without the person's name."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.services.data_rights import collect_personal_data, erase_account
from advisory.models import Feedback, ProgramChange
from compensation.models import EntryKind, EntryReason, EntrySource, LedgerEntry, WorkKind
from opportunities.models import (
    InterestStatus,
    Opportunity,
    OpportunityInterest,
    PayBasis,
)

pytestmark = pytest.mark.django_db

WORDS = "The bus stop sign is hard to read at night."


def _opportunity(personas) -> Opportunity:
    return Opportunity.objects.create(
        organization=personas.harbor,
        title="Review the welcome pack",
        kind=WorkKind.DOCUMENT_REVIEW,
        involves="Read it and say what is unclear.",
        time_needed="Two hours",
        hours=Decimal(2),
        pay_basis=PayBasis.FIXED,
        fixed_amount=Decimal(80),
        starts_on=timezone.localdate() - datetime.timedelta(days=3),
        how_chosen="In the order people ask.",
        created_by=personas.ash,
    )


@pytest.fixture
def ash_did_things(personas):
    opportunity = _opportunity(personas)
    entry = LedgerEntry.objects.create(
        organization=personas.harbor,
        user=personas.ash,
        kind=EntryKind.EARNED,
        source=EntrySource.CLAIM,
        reason=EntryReason.CLAIM_APPROVED,
        amount=Decimal(80),
        currency="USD",
        work_date=timezone.localdate(),
    )
    OpportunityInterest.objects.create(
        opportunity=opportunity,
        user=personas.ash,
        status=InterestStatus.COMPLETED,
        first_name_only=True,
        no_photos=True,
        ledger_entry=entry,
    )
    feedback = Feedback.objects.create(
        organization=personas.harbor, author=personas.ash, body=WORDS, anonymous=False
    )
    change = ProgramChange.objects.create(
        organization=personas.harbor,
        title="Bigger sign",
        changed_on=timezone.localdate(),
        created_by=personas.ash,
    )
    change.feedback.add(feedback)
    return opportunity, entry


def test_download_has_my_interest_terms_and_feedback(personas, ash_did_things):
    sections = {s["title"]: s["data"] for s in collect_personal_data(personas.ash)["sections"]}
    interest = sections["Opportunities you were interested in"][0]
    assert interest["opportunity__title"] == "Review the welcome pack"
    assert interest["first_name_only"] is True
    assert sections["Feedback you sent"][0]["body"] == WORDS
    # Nobody else's rows.
    assert "river" not in str(sections).lower()


def test_deleting_the_account_deletes_interest_and_feedback_and_keeps_the_pay(
    personas, ash_did_things
):
    opportunity, entry = ash_did_things
    erase_account(user=personas.ash, keep_input_anonymous=False)
    assert not OpportunityInterest.objects.exists()
    assert not Feedback.objects.exists()
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()  # pay stays, de-identified
    opportunity.refresh_from_db()
    assert opportunity.created_by is None
    assert ProgramChange.objects.get().created_by is None


def test_keeping_input_keeps_feedback_without_a_name(personas, ash_did_things):
    erase_account(user=personas.ash, keep_input_anonymous=True)
    feedback = Feedback.objects.get()
    assert feedback.anonymous
    assert feedback.body == WORDS
