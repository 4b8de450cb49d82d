"""Deleting an account with pay owed: paid out first unless the person gives it up; the
ledger stays, de-identified; "Download my data" includes pay."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.services.data_rights import collect_personal_data, erase_account
from accounts.services.profile import update_payment_details
from compensation.models import (
    Approval,
    EntryKind,
    EntryReason,
    FinalPayout,
    LedgerEntry,
    PaymentMethod,
    PaymentPreference,
)
from tests.compensation.factories import attend, hourly_rate, past_meeting, prefer
from tests.factories import MembershipFactory, SurvivorProfileFactory
from tests.mfa import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def ash_is_owed(personas):
    hourly_rate(personas.harbor, "40.00")
    SurvivorProfileFactory.create(
        user=personas.ash,
        chosen_name="Ash",
        legal_name="Ash Legal-Name",
        mailing_address="1 Safe Street",
    )
    prefer(personas.ash, personas.harbor, PaymentMethod.CHECK)
    attend(past_meeting(personas.harbor, personas.ash), personas.ash, by=personas.sam, hours="2")
    return personas


def test_pay_owed_is_paid_out_first_with_only_what_that_needs_kept(ash_is_owed):
    ash = ash_is_owed.ash
    erase_account(user=ash, keep_input_anonymous=False)

    payout = FinalPayout.objects.get(user=ash)
    assert (payout.method, payout.legal_name, payout.mailing_address) == (
        PaymentMethod.CHECK,
        "Ash Legal-Name",
        "1 Safe Street",
    )
    entry = LedgerEntry.objects.get(user=ash)
    assert Approval.objects.filter(entry=entry).exists()  # goes in the next batch
    assert not PaymentPreference.objects.filter(user=ash).exists()
    ash.refresh_from_db()
    assert ash.erased_at is not None
    assert "ash" not in ash.email


def test_a_payout_is_kept_only_with_what_was_given_to_the_organization_paying(personas):
    """Otto is owed by Harbor and gave payment details only to Second: Harbor's payout keeps
    none of them (Harbor finance will ask), and Second's details are erased with the rest."""
    MembershipFactory.create(user=personas.otto, organization=personas.harbor)
    SurvivorProfileFactory.create(
        user=personas.otto,
        organization=personas.second,
        chosen_name="Otto",
        legal_name="Otto Second-Legal",
        mailing_address="2 Second Street",
    )
    hourly_rate(personas.harbor, "40.00")
    prefer(personas.otto, personas.harbor, PaymentMethod.CHECK)
    attend(past_meeting(personas.harbor, personas.otto), personas.otto, by=personas.sam)
    erase_account(user=personas.otto, keep_input_anonymous=False)
    payout = FinalPayout.objects.get(user=personas.otto)
    assert (payout.organization, payout.legal_name, payout.mailing_address) == (
        personas.harbor,
        "",
        "",
    )


def test_giving_it_up_declines_what_is_owed_and_keeps_no_details(ash_is_owed):
    ash = ash_is_owed.ash
    erase_account(user=ash, keep_input_anonymous=False, forgo_unpaid_pay=True)

    assert not FinalPayout.objects.exists()
    kinds = list(LedgerEntry.objects.filter(user=ash).values_list("kind", "reason", "amount"))
    assert kinds == [
        (EntryKind.EARNED, EntryReason.ATTENDED, Decimal("80.00")),
        (EntryKind.REVERSAL, EntryReason.DECLINED, Decimal("-80.00")),
    ]


def test_the_delete_page_says_what_is_owed_and_asks(client, ash_is_owed):
    sign_in(client, ash_is_owed.ash)
    page = client.get(reverse("delete_account", kwargs={"org": "harbor"})).content.decode()
    assert "USD\u00a080.00 earned and not paid yet" in page
    assert "Pay it to me first" in page
    assert "I give it up" in page

    response = client.post(
        reverse("delete_account", kwargs={"org": "harbor"}),
        {"input_choice": "delete", "pay_choice": "forgo", "confirm": "on"},
    )
    assert response.status_code == 200
    assert not FinalPayout.objects.exists()
    assert LedgerEntry.objects.filter(reason=EntryReason.DECLINED).count() == 1


def test_the_delete_page_says_what_a_last_payment_still_needs(client, ash_is_owed):
    update_payment_details(
        user=ash_is_owed.ash,
        organization=ash_is_owed.harbor,
        legal_name="",
        phone="",
        mailing_address="1 Safe Street",
    )
    sign_in(client, ash_is_owed.ash)
    page = client.get(reverse("delete_account", kwargs={"org": "harbor"})).content.decode()
    assert (
        "Your way to be paid (Check) needs your legal name, which is not in your payment "
        "details yet. To be paid this last time, add it there before you delete your account."
    ) in page


def test_nothing_more_is_asked_of_someone_who_gave_what_their_way_needs(client, ash_is_owed):
    sign_in(client, ash_is_owed.ash)
    page = client.get(reverse("delete_account", kwargs={"org": "harbor"})).content.decode()
    assert "earned and not paid yet" in page
    assert "not in your payment details yet" not in page


def test_nobody_is_asked_about_pay_they_are_not_owed(client, personas):
    sign_in(client, personas.river)
    page = client.get(reverse("delete_account", kwargs={"org": "harbor"})).content.decode()
    assert "Pay you have earned" not in page


def test_download_my_data_includes_pay_and_choices(ash_is_owed):
    sections = {s["title"]: s for s in collect_personal_data(ash_is_owed.ash)["sections"]}
    pay = sections["Your pay"]["data"]
    assert [(row["amount"], row["state"]) for row in pay] == [("80.00", "earned")]
    assert sections["How you chose to be paid"]["data"][0]["method"] == PaymentMethod.CHECK


def test_a_claim_still_waiting_is_paid_to_the_last_payment_or_withdrawn_if_given_up(personas):
    import datetime as dt

    from compensation.models import ClaimStatus, WorkClaim, WorkKind

    def claim(person):
        return WorkClaim.objects.create(
            organization=personas.harbor,
            user=person,
            kind=WorkKind.PREPARATION,
            work_date=dt.date.today(),
            hours=Decimal("1"),
        )

    claim(personas.ash)
    claim(personas.river)
    erase_account(user=personas.ash, keep_input_anonymous=False)
    erase_account(user=personas.river, keep_input_anonymous=False, forgo_unpaid_pay=True)

    assert FinalPayout.objects.filter(user=personas.ash).exists()  # paid once approved
    assert WorkClaim.objects.filter(user=personas.ash, status=ClaimStatus.WAITING).exists()
    assert not FinalPayout.objects.filter(user=personas.river).exists()
    assert not WorkClaim.objects.filter(user=personas.river).exists()


def test_attendance_not_yet_turned_into_pay_is_counted_before_erasure(personas):
    hourly_rate(personas.harbor, "40.00")
    meeting = past_meeting(personas.harbor, personas.ash)
    attend(meeting, personas.ash, by=personas.sam, hours="1", accrue=False)
    erase_account(user=personas.ash, keep_input_anonymous=False)
    entry = LedgerEntry.objects.get(user=personas.ash)
    assert Approval.objects.filter(entry=entry).exists()
    assert FinalPayout.objects.filter(user=personas.ash).exists()
