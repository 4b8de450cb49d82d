"""The demo's opportunities: open paid work, one public-facing booked on the survivor's own
terms, one done and paid once — written once, through the real services. (The demo's
feedback is advisory's: tests/advisory/test_demo.py.)"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from compensation.models import LedgerEntry
from opportunities.models import (
    InterestStatus,
    Opportunity,
    OpportunityInterest,
    OpportunityStatus,
)
from tests.support.demo import seeded_once

pytestmark = pytest.mark.django_db


seeded = seeded_once("seed_demo", "seed_demo_meetings", "seed_demo_pay", "seed_demo_opportunities")


def test_the_demo_has_open_booked_and_paid_work(seeded):
    assert "Added" in seeded
    assert Opportunity.objects.filter(status=OpportunityStatus.OPEN).count() >= 2
    booked = OpportunityInterest.objects.get(
        status=InterestStatus.ACCEPTED, opportunity__public_facing=True
    )
    assert booked.first_name_only
    assert booked.no_photos
    done = OpportunityInterest.objects.get(status=InterestStatus.COMPLETED)
    assert done.ledger_entry is not None
    assert LedgerEntry.objects.filter(opportunity_interest=done).count() == 1


def test_running_it_again_adds_nothing(seeded):
    before = Opportunity.objects.count()
    out = StringIO()
    call_command("seed_demo_opportunities", stdout=out)
    assert "nothing was added" in out.getvalue()
    assert Opportunity.objects.count() == before
