"""The opportunities of the demo: open paid opportunities (one public-facing, booked with
the survivor's own terms), one done and paid — all through the real services, so the pay
entry, the outbox notices and the audit events are the real ones. Written once. (The
demo's feedback and "What we changed" are advisory's: `advisory.demo.feedback`.)"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import ExpertiseArea, Organization, Role, User
from accounts.permissions import is_co_chair
from accounts.selectors.roles import board_voters
from compensation.models import WorkKind
from opportunities.models import (
    Opportunity,
    PayBasis,
)
from opportunities.services.opportunities import (
    OpportunityTerms,
    PublicTerms,
    answer_offer,
    complete_booking,
    express_interest,
    make_offer,
    post_opportunity,
)

STORY = "Sharing your personal story is not expected."


def _terms(title: str, kind: str, area: str, involves: str, **extra: object) -> OpportunityTerms:
    today = timezone.localdate()
    values: dict[str, object] = {
        "title": title,
        "kind": kind,
        "area": area,
        "involves": involves,
        "time_needed": "About two hours",
        "hours": Decimal(2),
        "pay_basis": PayBasis.HOURLY,
        "fixed_amount": None,
        "starts_on": today + datetime.timedelta(days=14),
        "ends_on": None,
        "public_facing": False,
        "story_expected": False,
        "how_chosen": "Everyone who says they are interested is offered a turn, in the order "
        "they asked.",
    }
    values.update(extra)
    return OpportunityTerms(**values)  # type: ignore[arg-type]


def seed_opportunities(organization: Organization) -> int:
    """Write the demo's opportunities once; returns how many were added."""
    if Opportunity.objects.filter(organization=organization).exists():
        return 0
    with transaction.atomic():
        return _seed(organization)


def _seed(organization: Organization) -> int:
    staff = (
        User.objects.filter(memberships__organization=organization, memberships__role=Role.STAFF)
        .order_by("pk")
        .first()
    )
    members = list(board_voters(organization))
    if staff is None or len(members) < 3:
        return 0
    co_chair = next((m for m in members if is_co_chair(m, organization)), staff)
    open_review = post_opportunity(
        organization=organization,
        by=co_chair,
        terms=_terms(
            "Review the new welcome pack",
            WorkKind.DOCUMENT_REVIEW,
            ExpertiseArea.COMMUNICATIONS,
            "Read the draft welcome pack and say what is clear and what is not.",
        ),
    )
    talk = post_opportunity(
        organization=organization,
        by=staff,
        terms=_terms(
            "Speak at the city's service providers' meeting",
            WorkKind.SPEAKING,
            ExpertiseArea.POLICY,
            "A ten-minute talk about what makes services easy to use, then questions. "
            "You choose the topic within that.",
            time_needed="Half a day, with travel",
            hours=Decimal(4),
            pay_basis=PayBasis.FIXED,
            fixed_amount=Decimal(250),
            public_facing=True,
        ),
    )
    panel = post_opportunity(
        organization=organization,
        by=staff,
        terms=_terms(
            "Sit on the hiring panel for the new coordinator",
            WorkKind.HIRING_PANEL,
            ExpertiseArea.HIRING,
            "Read four applications and join two interviews on video.",
            time_needed="Six hours over two weeks",
            hours=Decimal(6),
            starts_on=timezone.localdate() - datetime.timedelta(days=20),
            ends_on=timezone.localdate() - datetime.timedelta(days=6),
        ),
    )
    # The talk is booked, on the speaker's own terms.
    speaker = members[1]
    booking = express_interest(opportunity=talk, person=speaker)
    booking = make_offer(interest=booking, by=staff)
    answer_offer(
        interest=booking,
        person=speaker,
        accept=True,
        terms=PublicTerms(first_name_only=True, no_photos=True),
    )
    express_interest(opportunity=open_review, person=members[2])
    # The panel seat was taken, done and paid.
    panelist = members[0]
    seat = express_interest(opportunity=panel, person=panelist)
    seat = make_offer(interest=seat, by=staff)
    seat = answer_offer(interest=seat, person=panelist, accept=True)
    complete_booking(interest=seat, by=staff, hours=Decimal(6))
    return Opportunity.objects.filter(organization=organization).count()
