"""Leadership opportunities, the services: who may post, bad input writes nothing, interest
is private and can be taken back, offers are answered without a reason, public-facing work
is accepted only with the person's own terms, and completed work is paid exactly once."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import OutboxMessage
from compensation.models import EntryKind, LedgerEntry
from opportunities.models import InterestStatus, Opportunity, OpportunityInterest, OpportunityStatus
from opportunities.selectors.opportunities import pay_preview
from opportunities.services import opportunities as service
from opportunities.services.opportunities import PublicTerms
from tests.compensation.factories import hourly_rate
from tests.meetings.factories import board_member
from tests.support.advisory import TODAY, booked, offered, posted, terms

pytestmark = pytest.mark.django_db


def kinds_for(user: Any) -> list[str]:
    return list(OutboxMessage.objects.filter(recipient=user).values_list("kind", flat=True))


# --- posting -------------------------------------------------------------------------------


def test_staff_post_an_opportunity(personas):
    opportunity = posted(personas)
    assert opportunity.status == OpportunityStatus.OPEN
    assert opportunity.created_by == personas.sam
    assert opportunity.story_expected is False


def test_a_co_chair_posts_one(personas):
    board_member(personas.ash, personas.harbor, co_chair=True)
    opportunity = service.post_opportunity(
        organization=personas.harbor, by=personas.ash, terms=terms()
    )
    assert opportunity.created_by == personas.ash


@pytest.mark.parametrize("who", ["river", "fin", "otto"])
def test_others_cannot_post(personas, who):
    board_member(personas.river, personas.harbor)  # a seat, but not a co-chair
    with pytest.raises(PermissionDenied):
        service.post_opportunity(
            organization=personas.harbor, by=getattr(personas, who), terms=terms()
        )
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "  "}, "title"),
        ({"kind": "gossip"}, "kind"),
        ({"area": "past"}, "area"),
        ({"involves": ""}, "involves"),
        ({"time_needed": ""}, "time_needed"),
        ({"hours": Decimal("0")}, "hours"),
        ({"hours": Decimal("1.1")}, "hours"),
        ({"hours": Decimal("201")}, "hours"),
        ({"pay_basis": "fixed"}, "fixed_amount"),
        ({"pay_basis": "fixed", "fixed_amount": Decimal("0")}, "fixed_amount"),
        ({"fixed_amount": Decimal("10")}, "fixed_amount"),
        ({"ends_on": TODAY - datetime.timedelta(days=1)}, "ends_on"),
        ({"how_chosen": ""}, "how_chosen"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(personas, change, field):
    with pytest.raises(ValidationError) as caught:
        posted(personas, **change)
    assert field in caught.value.message_dict
    assert not Opportunity.objects.exists()


def test_pay_and_what_it_asks_stay_once_someone_said_yes(personas):
    interest = booked(personas)
    opportunity = interest.opportunity
    with pytest.raises(ValidationError):
        service.edit_opportunity(
            opportunity=opportunity, by=personas.sam, terms=terms(hours=Decimal("1"))
        )
    opportunity.refresh_from_db()
    assert opportunity.hours == Decimal("3")
    edited = service.edit_opportunity(
        opportunity=opportunity, by=personas.sam, terms=terms(title="A clearer title")
    )
    assert edited.title == "A clearer title"


@pytest.mark.parametrize(
    "change",
    [
        {"starts_on": TODAY + datetime.timedelta(days=1)},
        {"ends_on": TODAY + datetime.timedelta(days=7)},
        {"involves": "Something else entirely."},
    ],
)
def test_dates_and_what_it_involves_stay_once_someone_said_yes(personas, change):
    interest = booked(personas)
    opportunity = interest.opportunity
    with pytest.raises(ValidationError):
        service.edit_opportunity(opportunity=opportunity, by=personas.sam, terms=terms(**change))
    opportunity.refresh_from_db()
    assert (opportunity.starts_on, opportunity.ends_on, opportunity.involves) == (
        TODAY,
        None,
        "Read the leaflet and say what is unclear.",
    )


def test_people_with_an_offer_or_a_booking_are_told_of_a_change(personas):
    interest = booked(personas)
    opportunity = interest.opportunity
    service.express_interest(opportunity=opportunity, person=personas.river)
    service.edit_opportunity(
        opportunity=opportunity, by=personas.sam, terms=terms(title="A clearer title")
    )
    assert kinds_for(personas.ash).count("opportunity_changed") == 1
    assert "opportunity_changed" not in kinds_for(personas.river)  # only interested
    # Saving it again unchanged tells nobody anything new.
    service.edit_opportunity(
        opportunity=opportunity, by=personas.sam, terms=terms(title="A clearer title")
    )
    assert kinds_for(personas.ash).count("opportunity_changed") == 1


def test_an_offer_waiting_for_an_answer_is_told_of_a_change(personas):
    interest = offered(personas)
    service.edit_opportunity(
        opportunity=interest.opportunity, by=personas.sam, terms=terms(hours=Decimal("4"))
    )
    assert "opportunity_changed" in kinds_for(personas.ash)


CO_CHAIR_REFUSAL = "Staff look after work that has been offered to someone."


@pytest.mark.parametrize("status", ["offered", "accepted", "completed"])
def test_a_co_chair_leaves_offered_work_to_staff(personas, status):
    board_member(personas.river, personas.harbor, co_chair=True)
    opportunity = service.post_opportunity(
        organization=personas.harbor, by=personas.river, terms=terms()
    )
    OpportunityInterest.objects.create(opportunity=opportunity, user=personas.ash, status=status)
    attempts = [
        lambda: service.edit_opportunity(
            opportunity=opportunity, by=personas.river, terms=terms(title="New title")
        ),
        lambda: service.end_opportunity(opportunity=opportunity, by=personas.river, cancel=False),
        lambda: service.end_opportunity(opportunity=opportunity, by=personas.river, cancel=True),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert caught.value.messages == [CO_CHAIR_REFUSAL]
        assert "yes" not in " ".join(caught.value.messages)
    opportunity.refresh_from_db()
    assert (opportunity.title, opportunity.status) == (
        "Review the new intake leaflet",
        OpportunityStatus.OPEN,
    )


def test_a_co_chair_changes_and_closes_work_nobody_was_offered(personas):
    board_member(personas.river, personas.harbor, co_chair=True)
    opportunity = service.post_opportunity(
        organization=personas.harbor, by=personas.river, terms=terms()
    )
    service.express_interest(opportunity=opportunity, person=personas.ash)  # interest only
    edited = service.edit_opportunity(
        opportunity=opportunity, by=personas.river, terms=terms(hours=Decimal("4"))
    )
    assert edited.hours == Decimal("4")
    service.end_opportunity(opportunity=opportunity, by=personas.river, cancel=True)
    opportunity.refresh_from_db()
    assert opportunity.status == OpportunityStatus.CANCELLED


def test_closing_and_cancelling(personas):
    interest = offered(personas)
    opportunity = interest.opportunity
    service.end_opportunity(opportunity=opportunity, by=personas.sam, cancel=False)
    with pytest.raises(ValidationError):
        service.express_interest(opportunity=opportunity, person=personas.river)
    service.end_opportunity(opportunity=opportunity, by=personas.sam, cancel=True)
    assert "opportunity_cancelled" in kinds_for(personas.ash)
    with pytest.raises(ValidationError):
        service.answer_offer(interest=interest, person=personas.ash, accept=True)


# --- cancelling booked work late pays it ---------------------------------------------------------


def test_cancelling_booked_work_late_pays_the_agreed_hours_once(personas):
    from compensation.models import EntryReason

    hourly_rate(personas.harbor, "50.00")
    interest = booked(personas)  # starts today: well inside 48 hours' notice
    service.express_interest(opportunity=interest.opportunity, person=personas.river)
    service.end_opportunity(opportunity=interest.opportunity, by=personas.sam, cancel=True)
    entry = LedgerEntry.objects.get()
    assert (entry.user, entry.kind, entry.reason, entry.amount, entry.hours, entry.work_date) == (
        personas.ash,
        EntryKind.EARNED,
        EntryReason.CANCELLED_LATE,
        Decimal("150.00"),
        Decimal("3"),
        TODAY,
    )
    interest.refresh_from_db()
    assert interest.ledger_entry_id == entry.pk
    assert "opportunity_cancelled" in kinds_for(personas.ash)
    # Marking it done afterwards, or stepping back, pays nothing more and takes nothing.
    again = service.complete_booking(interest=interest, by=personas.sam, hours=Decimal("3"))
    assert again.already_done
    with pytest.raises(ValidationError):
        service.step_back(interest=interest, person=personas.ash)
    assert LedgerEntry.objects.count() == 1


def test_a_fixed_amount_cancelled_late_is_paid_as_agreed(personas):
    interest = booked(personas, pay_basis="fixed", fixed_amount=Decimal("240.00"))
    service.end_opportunity(opportunity=interest.opportunity, by=personas.sam, cancel=True)
    assert LedgerEntry.objects.get(user=personas.ash).amount == Decimal("240.00")


def test_booked_work_cancelled_in_good_time_is_only_told(personas):
    hourly_rate(personas.harbor)  # 48 hours' notice
    interest = booked(personas, starts_on=TODAY + datetime.timedelta(days=5))
    service.end_opportunity(opportunity=interest.opportunity, by=personas.sam, cancel=True)
    assert not LedgerEntry.objects.exists()
    assert "opportunity_cancelled" in kinds_for(personas.ash)


def test_the_organizations_own_notice_decides_what_is_late(personas):
    hourly_rate(personas.harbor, late_cancellation_hours=24 * 7)
    interest = booked(personas, starts_on=TODAY + datetime.timedelta(days=5))
    service.end_opportunity(opportunity=interest.opportunity, by=personas.sam, cancel=True)
    assert LedgerEntry.objects.filter(user=personas.ash).count() == 1


def test_late_hourly_work_with_no_rate_is_not_cancelled_and_nothing_is_written(personas):
    interest = booked(personas)
    with pytest.raises(ValidationError):
        service.end_opportunity(opportunity=interest.opportunity, by=personas.sam, cancel=True)
    interest.opportunity.refresh_from_db()
    assert interest.opportunity.status == OpportunityStatus.OPEN
    assert not LedgerEntry.objects.exists()
    assert "opportunity_cancelled" not in kinds_for(personas.ash)


# --- interest and offers -----------------------------------------------------------------------


def test_interest_is_once_and_can_be_taken_back(personas):
    opportunity = posted(personas)
    first = service.express_interest(opportunity=opportunity, person=personas.ash)
    again = service.express_interest(opportunity=opportunity, person=personas.ash)
    assert first.pk == again.pk
    service.withdraw_interest(interest=first, person=personas.ash)
    first.refresh_from_db()
    assert first.status == InterestStatus.WITHDRAWN


def test_nobody_takes_back_someone_elses_interest(personas):
    interest = service.express_interest(opportunity=posted(personas), person=personas.ash)
    with pytest.raises(PermissionDenied):
        service.withdraw_interest(interest=interest, person=personas.river)


@pytest.mark.parametrize("who", ["sam", "fin", "otto"])
def test_only_the_organizations_survivor_leaders_express_interest(personas, who):
    with pytest.raises(PermissionDenied):
        service.express_interest(opportunity=posted(personas), person=getattr(personas, who))


def test_an_offer_tells_that_person_only(personas):
    service.express_interest(opportunity=posted(personas), person=personas.river)
    offered(personas)
    assert kinds_for(personas.ash) == ["opportunity_offer"]
    assert "opportunity_offer" not in kinds_for(personas.river)


def test_only_staff_make_offers(personas):
    board_member(personas.river, personas.harbor, co_chair=True)
    interest = service.express_interest(opportunity=posted(personas), person=personas.ash)
    with pytest.raises(PermissionDenied):
        service.make_offer(interest=interest, by=personas.river)


@pytest.mark.parametrize("accept", [True, False])
def test_an_offer_is_answered_without_a_reason(personas, accept):
    interest = offered(personas)
    answered = service.answer_offer(interest=interest, person=personas.ash, accept=accept)
    assert answered.status == (InterestStatus.ACCEPTED if accept else InterestStatus.DECLINED)
    assert "opportunity_answered" in kinds_for(personas.sam)


def test_public_facing_work_is_not_accepted_without_the_persons_terms(personas):
    interest = offered(personas, public_facing=True)
    with pytest.raises(ValidationError):
        service.answer_offer(interest=interest, person=personas.ash, accept=True, terms=None)
    interest.refresh_from_db()
    assert interest.status == InterestStatus.OFFERED
    assert interest.terms_set_at is None


def test_the_persons_terms_are_kept_with_the_booking(personas):
    interest = offered(personas, public_facing=True)
    chosen = PublicTerms(no_photos=True, first_name_only=True, different_name=" Sky ")
    service.answer_offer(interest=interest, person=personas.ash, accept=True, terms=chosen)
    interest.refresh_from_db()
    assert interest.status == InterestStatus.ACCEPTED
    assert (interest.no_photos, interest.first_name_only, interest.different_name) == (
        True,
        True,
        "Sky",
    )
    assert interest.terms_set_at is not None
    service.change_terms(interest=interest, person=personas.ash, terms=PublicTerms())
    interest.refresh_from_db()
    assert not interest.no_photos


# --- stepping back from work said yes to ------------------------------------------------------


def test_a_person_steps_back_from_booked_work_with_no_reason(personas):
    from accounts.models import AuditEvent

    interest = booked(personas)
    stepped = service.step_back(interest=interest, person=personas.ash)
    assert stepped.status == InterestStatus.DECLINED
    assert stepped.answered_at is not None
    assert kinds_for(personas.sam).count("opportunity_answered") == 2  # the yes, then this
    event = AuditEvent.objects.get(action="opportunity.stepped_back")
    assert (event.actor_id, event.target_type, event.target_id) == (
        personas.ash.pk,
        "opportunity",
        interest.opportunity_id,
    )


def test_nobody_steps_back_for_someone_else(personas):
    interest = booked(personas)
    with pytest.raises(PermissionDenied):
        service.step_back(interest=interest, person=personas.river)
    interest.refresh_from_db()
    assert interest.status == InterestStatus.ACCEPTED


def test_work_marked_done_cannot_be_stepped_back_from(personas):
    hourly_rate(personas.harbor)
    interest = booked(personas)
    service.complete_booking(interest=interest, by=personas.sam, hours=Decimal("3"))
    with pytest.raises(ValidationError):
        service.step_back(interest=interest, person=personas.ash)
    interest.refresh_from_db()
    assert interest.status == InterestStatus.COMPLETED


def test_only_work_said_yes_to_is_stepped_back_from(personas):
    interest = offered(personas)
    with pytest.raises(ValidationError):
        service.step_back(interest=interest, person=personas.ash)
    interest.refresh_from_db()
    assert interest.status == InterestStatus.OFFERED


# --- work done becomes pay, once ----------------------------------------------------------------


def test_completed_hourly_work_is_one_pay_entry_for_the_hours_worked(personas):
    hourly_rate(personas.harbor, "50.00")
    interest = booked(personas)
    done = service.complete_booking(interest=interest, by=personas.sam, hours=Decimal("2.5"))
    assert not done.already_done
    entry = LedgerEntry.objects.get(user=personas.ash)
    assert (entry.kind, entry.amount, entry.hours) == (
        EntryKind.EARNED,
        Decimal("125.00"),
        Decimal("2.5"),
    )
    interest.refresh_from_db()
    assert interest.status == InterestStatus.COMPLETED
    assert interest.ledger_entry_id == entry.pk
    assert "opportunity_paid" in kinds_for(personas.ash)


def test_short_hourly_work_is_never_paid_less_than_the_minimum_block(personas):
    hourly_rate(personas.harbor, "50.00", minimum_paid_minutes=60)
    interest = booked(personas)
    service.complete_booking(interest=interest, by=personas.sam, hours=Decimal("0.5"))
    entry = LedgerEntry.objects.get(user=personas.ash)
    assert (entry.amount, entry.hours) == (Decimal("50.00"), Decimal("1"))


def test_with_no_minimum_block_the_hours_worked_are_paid(personas):
    hourly_rate(personas.harbor, "50.00", minimum_paid_minutes=0)
    interest = booked(personas)
    service.complete_booking(interest=interest, by=personas.sam, hours=Decimal("0.5"))
    assert LedgerEntry.objects.get(user=personas.ash).amount == Decimal("25.00")


def test_completing_twice_never_pays_twice(personas):
    hourly_rate(personas.harbor)
    interest = booked(personas)
    service.complete_booking(interest=interest, by=personas.sam, hours=Decimal("2"))
    again = service.complete_booking(interest=interest, by=personas.ada, hours=Decimal("9"))
    assert again.already_done
    assert LedgerEntry.objects.filter(user=personas.ash).count() == 1
    assert kinds_for(personas.ash).count("opportunity_paid") == 1


def test_a_fixed_amount_is_paid_as_agreed(personas):
    hourly_rate(personas.harbor)
    interest = booked(personas, pay_basis="fixed", fixed_amount=Decimal("240.00"))
    service.complete_booking(interest=interest, by=personas.sam)
    entry = LedgerEntry.objects.get(user=personas.ash)
    assert entry.amount == Decimal("240.00")


def test_hourly_work_with_no_rate_is_refused_and_nothing_is_written(personas):
    interest = booked(personas)
    with pytest.raises(ValidationError):
        service.complete_booking(interest=interest, by=personas.sam, hours=Decimal("2"))
    interest.refresh_from_db()
    assert interest.status == InterestStatus.ACCEPTED
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize("hours", [None, Decimal("0"), Decimal("1.1"), Decimal("500")])
def test_bad_hours_are_refused_and_nothing_is_written(personas, hours):
    hourly_rate(personas.harbor)
    interest = booked(personas)
    with pytest.raises(ValidationError):
        service.complete_booking(interest=interest, by=personas.sam, hours=hours)
    assert not LedgerEntry.objects.exists()


def test_only_accepted_work_is_marked_done(personas):
    hourly_rate(personas.harbor)
    interest = offered(personas)
    with pytest.raises(ValidationError):
        service.complete_booking(interest=interest, by=personas.sam, hours=Decimal("1"))
    assert not LedgerEntry.objects.exists()


def test_work_not_started_yet_cannot_be_marked_done(personas):
    hourly_rate(personas.harbor)
    interest = booked(personas, starts_on=TODAY + datetime.timedelta(days=30))
    with pytest.raises(ValidationError):
        service.complete_booking(interest=interest, by=personas.sam, hours=Decimal("1"))


@pytest.mark.parametrize("who", ["fin", "ash"])
def test_only_staff_mark_work_done(personas, who):
    hourly_rate(personas.harbor)
    interest = booked(personas)
    with pytest.raises(PermissionDenied):
        service.complete_booking(interest=interest, by=getattr(personas, who), hours=Decimal("1"))


# --- pay at parity --------------------------------------------------------------------------------


def test_hourly_pay_shows_its_parity_with_the_benchmark(personas):
    hourly_rate(personas.harbor, "60.00")  # benchmark 60.00
    preview = pay_preview(
        personas.harbor, pay_basis="hourly", hours=Decimal("3"), fixed_amount=None, on=TODAY
    )
    assert preview.total.endswith("180.00")
    assert preview.parity == Decimal("100")
    assert not preview.below_parity


def test_a_fixed_amount_below_parity_is_flagged(personas):
    hourly_rate(personas.harbor)
    preview = pay_preview(
        personas.harbor,
        pay_basis="fixed",
        hours=Decimal("4"),
        fixed_amount=Decimal("100.00"),
        on=TODAY,
    )
    assert preview.hourly.endswith("25.00")
    assert preview.parity == Decimal("42")
    assert preview.below_parity
