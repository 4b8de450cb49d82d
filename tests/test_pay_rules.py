"""Pay's rules live in compensation and nowhere else: the attendance sheet, claims and
booked work refuse the same hours in the same words; booked work is named, the same way,
for the person paid and for finance; no other app reads the minimum paid block or the
late-cancellation notice off a rate."""

from __future__ import annotations

import datetime
import importlib
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from compensation.models import (
    BookedWork,
    EntryKind,
    EntryReason,
    EntrySource,
    LedgerEntry,
    WorkKind,
)
from compensation.pay_rules import (
    MAX_BOOKED_HOURS,
    MIN_CLAIM_HOURS,
    hours_error,
)
from compensation.selectors.finance import approval_lines, entries_to_approve
from compensation.selectors.mypay import my_entries, pay_row
from compensation.services.claims import make_claim
from meetings.models import MeetingRole, Reply
from meetings.services.attendance import AttendanceRow, record_attendance
from opportunities.models import Opportunity, OpportunityInterest, PayBasis
from opportunities.services import opportunities as service
from opportunities.services.opportunities import OpportunityTerms
from tests.compensation.factories import hourly_rate
from tests.meetings.factories import MeetingFactory, MeetingInvitationFactory

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
TITLE = "Speak at the volunteer training"


def _terms(**changes: Any) -> OpportunityTerms:
    values: dict[str, Any] = {
        "title": TITLE,
        "kind": WorkKind.SPEAKING,
        "area": "",
        "involves": "Talk for twenty minutes about what helps.",
        "time_needed": "One afternoon",
        "hours": Decimal("2"),
        "pay_basis": PayBasis.HOURLY,
        "fixed_amount": None,
        "starts_on": timezone.localdate() - datetime.timedelta(days=1),
        "ends_on": None,
        "public_facing": False,
        "story_expected": False,
        "how_chosen": "In the order people say they are interested.",
    } | changes
    return OpportunityTerms(**values)


def _booked(personas: Any, **changes: Any) -> OpportunityInterest:
    opportunity = service.post_opportunity(
        organization=personas.harbor, by=personas.sam, terms=_terms(**changes)
    )
    interest = service.express_interest(opportunity=opportunity, person=personas.ash)
    interest = service.make_offer(interest=interest, by=personas.sam)
    return service.answer_offer(interest=interest, person=personas.ash, accept=True)


def _messages(refusal: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(refusal.value.messages)


# --- hours: one rule, three places ---------------------------------------------------------


def _on_the_attendance_sheet(personas: Any, hours: Decimal) -> str:
    meeting = MeetingFactory.create(
        organization=personas.harbor, starts_at=timezone.now() - datetime.timedelta(hours=3)
    )
    MeetingInvitationFactory.create(meeting=meeting, user=personas.ash, reply=Reply.YES)
    row = AttendanceRow(
        user_id=personas.ash.pk, attended=True, hours=hours, meeting_role=MeetingRole.PARTICIPANT
    )
    with pytest.raises(ValidationError) as refusal:
        record_attendance(meeting=meeting, by=personas.sam, rows=[row])
    return _messages(refusal)


def _in_a_claim(personas: Any, hours: Decimal) -> str:
    with pytest.raises(ValidationError) as refusal:
        make_claim(
            person=personas.ash,
            organization=personas.harbor,
            kind=WorkKind.PREPARATION,
            work_date=timezone.localdate(),
            hours=hours,
        )
    return _messages(refusal)


def _for_booked_work(personas: Any, hours: Decimal) -> str:
    hourly_rate(personas.harbor, effective_from=datetime.date(2000, 1, 1))
    interest = _booked(personas)
    with pytest.raises(ValidationError) as refusal:
        service.complete_booking(interest=interest, by=personas.sam, hours=hours)
    return _messages(refusal)


# Each place that takes hours, and the limits it adds to the shared rule.
PLACES: dict[str, tuple[Callable[..., str], dict[str, Any]]] = {
    "attendance": (_on_the_attendance_sheet, {}),
    "claim": (_in_a_claim, {"at_least": MIN_CLAIM_HOURS}),
    "booked work": (_for_booked_work, {"at_most": MAX_BOOKED_HOURS, "more_than_zero": True}),
}


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("hours", ["1.1", "NaN", "-1", "0.333"])
def test_every_place_refuses_the_same_hours_in_the_same_words(personas, place, hours):
    refuse, limits = PLACES[place]
    expected = hours_error(Decimal(hours), **limits)
    assert expected is not None
    assert expected in refuse(personas, Decimal(hours))
    assert not LedgerEntry.objects.exists()


# --- booked work is named, the same way for everyone ---------------------------------------


def test_my_pay_and_finance_name_booked_work_the_same_way(personas):
    hourly_rate(personas.harbor, "50.00", effective_from=datetime.date(2000, 1, 1))
    interest = _booked(personas)
    service.complete_booking(interest=interest, by=personas.sam, hours=Decimal("2"))

    (mine,) = [pay_row(entry) for entry in my_entries(personas.ash, personas.harbor)]
    (finance,) = approval_lines(entries_to_approve(personas.harbor))
    assert mine.what_for == f"Paid work: {TITLE}"
    assert finance.what_for == mine.what_for
    assert "Other paid work" not in mine.what_for
    entry = LedgerEntry.objects.get(user=personas.ash)
    assert entry.source == EntrySource.BOOKED_WORK


def test_booked_work_cancelled_late_says_so(personas):
    interest = _booked(
        personas,
        pay_basis=PayBasis.FIXED,
        fixed_amount=Decimal("80"),
        starts_on=timezone.localdate() + datetime.timedelta(days=1),
    )
    service.end_opportunity(opportunity=interest.opportunity, by=personas.sam, cancel=True)
    (row,) = [pay_row(entry) for entry in my_entries(personas.ash, personas.harbor)]
    assert row.what_for == f"Paid work the program cancelled late: {TITLE}"


def test_booked_work_paid_before_its_own_source_is_named_by_its_booking(personas):
    """Written as a claim without a claim, and never changed (the ledger is append-only):
    the data migration gives it its description from the booking that holds it."""
    opportunity = Opportunity.objects.create(
        organization=personas.harbor,
        created_by=personas.sam,
        **vars(_terms(pay_basis=PayBasis.FIXED, fixed_amount=Decimal(80))),
    )
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
        opportunity=opportunity, user=personas.ash, ledger_entry=entry
    )
    migration = importlib.import_module("advisory.migrations.0007_one_list_of_paid_work")
    # The models as that migration knew them (opportunities were advisory's then).
    before_the_move = ("advisory", "0007_one_list_of_paid_work")
    apps = MigrationLoader(connection).project_state(before_the_move).apps
    migration.describe_booked_work_paid_before(apps, None)
    migration.describe_booked_work_paid_before(apps, None)  # twice changes nothing

    assert BookedWork.objects.get().entry == entry
    (row,) = [pay_row(e) for e in my_entries(personas.ash, personas.harbor)]
    assert row.what_for == f"Paid work: {TITLE}"
    assert LedgerEntry.objects.get().source == EntrySource.CLAIM


def test_what_booked_work_was_is_as_append_only_as_its_entry(personas):
    interest = _booked(personas, pay_basis=PayBasis.FIXED, fixed_amount=Decimal("80"))
    service.complete_booking(interest=interest, by=personas.sam)
    rows = BookedWork.objects.all()
    for change in (lambda: rows.update(title="Something else"), rows.delete):
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            change()
    assert rows.get().title == TITLE


# --- the minimum paid block and the late notice: compensation only --------------------------

# Reading these off a rate, or counting in quarter hours, is working out a pay rule.
PAY_RULE_WORDS = re.compile(
    r"minimum_paid_minutes|late_cancellation_hours|DEFAULT_LATE_NOTICE_HOURS|%\s*QUARTER"
    r"|def _?hours_error|def paid_hours|def minimum_block"
)


def test_no_app_but_compensation_works_out_a_pay_rule():
    found = []
    for app in ("accounts", "meetings", "opportunities", "advisory", "reports"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if PAY_RULE_WORDS.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "Call compensation.pay_rules instead:\n" + "\n".join(found)


def test_within_compensation_the_rules_are_written_once():
    rules = ROOT / "compensation" / "pay_rules.py"
    found = []
    for path in (ROOT / "compensation").rglob("*.py"):
        if "migrations" in path.parts or path == rules:
            continue
        text = path.read_text()
        for pattern in (r"%\s*QUARTER", r"def _?hours_error", r"= 48\b", r"minimum_paid_minutes\)"):
            if re.search(pattern, text):
                found.append(f"{path.relative_to(ROOT)}: {pattern}")
    assert not found, found
