"""What "Download my data" and "Delete my account" do with pay records.

The ledger stays, de-identified, for its retention period: its rows hold ids, amounts,
codes and dates, and point at the tombstone once the person is erased. Pay earned and not
yet paid is paid out first unless the person gives it up: what finance need for that last
payment (method, legal name, safe mailing address) is copied into a `FinalPayout`,
encrypted, before the profile is erased, and deleted once that payment is marked paid.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record_event
from accounts.data_rights import (
    JSON,
    ErasureOptions,
    delete_rows,
    forget,
    keep,
    plain,
    register,
    register_deletion_notice,
    rows,
)
from accounts.models import Organization, SurvivorProfile, User
from compensation.models import (
    Approval,
    ClaimStatus,
    EntryReason,
    FinalPayout,
    Hold,
    HoldChoice,
    HoursFlag,
    LedgerEntry,
    PaymentBatch,
    PaymentPreference,
    StipendRate,
    UnpricedWork,
    WorkClaim,
)
from compensation.money import ZERO, format_money
from compensation.selectors.ledger import PayState, state_of_entry
from compensation.selectors.payee_details import details_given, details_in_words, missing_details
from compensation.selectors.rates import pay_settings
from compensation.services.accrual import accrue_attendance, attendance_needing_pay
from compensation.services.ledger import reverse_entry

# Runs before accounts erases the profile (order 0), so the details for a last payment can
# still be read.
BEFORE_THE_PROFILE = -10
UNPAID = (PayState.EARNED, PayState.APPROVED, PayState.HELD, PayState.PAYING)


def _unpaid_by_organization(user: User) -> dict[int, Decimal]:
    return {
        row["organization_id"]: row["total"]
        for row in LedgerEntry.objects.filter(user=user)
        .annotate(state=state_of_entry())
        .filter(state__in=UNPAID)
        .order_by()
        .values("organization_id")
        .annotate(total=Sum("amount"))
        if (row["total"] or ZERO) > 0
    }


def unpaid_pay_notice(user: User) -> str | None:
    owed = _unpaid_by_organization(user)
    if not owed:
        if WorkClaim.objects.filter(user=user, status=ClaimStatus.WAITING).exists():
            return _(
                "You have paid work waiting for staff to approve. Unless you give it up, "
                "it is paid to you once approved: we keep only what is needed for that "
                "payment, locked away, and delete it once you are paid."
            )
        return None
    organizations = Organization.objects.in_bulk(list(owed))
    amounts = ", ".join(
        format_money(owed[pk], pay_settings(organizations[pk]).currency) for pk in owed
    )
    owed_text = _(
        "You have %(amounts)s earned and not paid yet. Unless you give it up, it is paid to "
        "you first: we keep only what is needed for that payment (your legal name and safe "
        "mailing address, if you gave them, locked away) and delete it once you are paid."
    ) % {"amounts": amounts}
    return " ".join([owed_text, *_details_to_add_first(user, list(owed))])


def _details_to_add_first(user: User, organization_ids: list[int]) -> list[str]:
    """For a last payment by a way that needs a detail the person has not given: what to
    add before deleting, or that payment could not be made."""
    sentences: dict[str, None] = {}
    preferences = PaymentPreference.objects.filter(
        user=user, organization_id__in=organization_ids
    ).select_related("organization")
    for preference in preferences:
        given = details_given(preference.organization, [user.pk]).get(user.pk, frozenset())
        missing = missing_details(preference.method, given)
        if missing:
            sentence = _(
                "Your way to be paid (%(way)s) needs your %(missing)s, which is not in your "
                "payment details yet. To be paid this last time, add it there before you "
                "delete your account."
            ) % {"way": preference.get_method_display(), "missing": details_in_words(missing)}
            sentences[sentence] = None
    return list(sentences)


def _settle_pay(user: User, options: ErasureOptions) -> None:
    # Pay still on its way counts as owed: attendance whose pay was not recorded yet (it is
    # recorded now), claims waiting for staff, and work waiting for a rate.
    for attendance_id in attendance_needing_pay().filter(user=user).values_list("pk", flat=True):
        accrue_attendance(attendance_id=attendance_id)
    organizations = set(_unpaid_by_organization(user))
    organizations |= set(
        WorkClaim.objects.filter(user=user, status=ClaimStatus.WAITING).values_list(
            "organization_id", flat=True
        )
    )
    organizations |= set(
        UnpricedWork.objects.filter(user=user, settled_at__isnull=True).values_list(
            "organization_id", flat=True
        )
    )
    for organization_id in sorted(organizations):
        if options.forgo_unpaid_pay:
            _give_up(user, organization_id)
        else:
            _pay_out_first(user, organization_id)


def _unpaid_entries(user: User, organization_id: int, *states: str) -> list[LedgerEntry]:
    """Locked, so finance approving or batching at this moment waits for the erasure."""
    return list(
        LedgerEntry.objects.select_for_update(of=("self",))
        .filter(user=user, organization_id=organization_id)
        .annotate(state=state_of_entry())
        .filter(state__in=states)
    )


def _give_up(user: User, organization_id: int) -> None:
    """Declines what is not in a batch yet, withdraws claims still waiting and work still
    waiting for a rate; what is already being paid still arrives."""
    for entry in _unpaid_entries(user, organization_id, *UNPAID[:3]):
        if entry.amount > 0:
            reverse_entry(entry, reason=EntryReason.DECLINED, actor_id=user.pk)
    now = timezone.now()
    Hold.objects.filter(
        entry__user=user, entry__organization_id=organization_id, decided_at__isnull=True
    ).update(choice=HoldChoice.DECLINE, decided_at=now)
    WorkClaim.objects.filter(
        user=user, organization_id=organization_id, status=ClaimStatus.WAITING
    ).delete()
    UnpricedWork.objects.filter(
        user=user, organization_id=organization_id, settled_at__isnull=True
    ).update(settled_at=now)
    if _unpaid_entries(user, organization_id, PayState.PAYING):
        _keep_payment_details(user, organization_id)
    record_event(
        action="pay.forgone_on_deletion",
        actor_id=user.pk,
        organization_id=organization_id,
        target_type="user",
        target_id=user.pk,
    )


def _pay_out_first(user: User, organization_id: int) -> None:
    """Approves everything owed and lifts holds (also "later" ones): the last payment goes
    in the next batch, whatever the person's schedule and caps were. Claims and work still
    waiting are paid to the same last payment once staff and finance deal with them."""
    for entry in _unpaid_entries(user, organization_id, PayState.EARNED):
        Approval.objects.get_or_create(entry=entry, defaults={"approved_by": None})
    Hold.objects.filter(
        entry__user=user,
        entry__organization_id=organization_id,
        choice__in=(HoldChoice.WAITING, HoldChoice.LATER),
    ).update(choice=HoldChoice.TAKE, decided_at=timezone.now())
    payout = _keep_payment_details(user, organization_id)
    record_event(
        action="pay.final_payout_queued",
        actor_id=user.pk,
        organization_id=organization_id,
        target_type="final_payout",
        target_id=payout.pk,
    )


def _keep_payment_details(user: User, organization_id: int) -> FinalPayout:
    existing = FinalPayout.objects.filter(
        user=user, organization_id=organization_id, paid_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    # What the person gave this organization to be paid under; never another's details.
    profile = SurvivorProfile.objects.filter(user=user, organization_id=organization_id).first()
    preference = PaymentPreference.objects.filter(
        user=user, organization_id=organization_id
    ).first()
    return FinalPayout.objects.create(
        organization_id=organization_id,
        user=user,
        method=preference.method if preference else "",
        legal_name=profile.legal_name if profile else "",
        mailing_address=profile.mailing_address if profile else "",
    )


def _export_entries(user: User) -> JSON:
    return [
        {
            "organization": entry.organization.name,
            "date": plain(entry.work_date),
            "kind": entry.kind,
            "for": entry.source,
            "why": entry.reason,
            "hours": str(entry.hours) if entry.hours is not None else None,
            "amount": str(entry.amount),
            "currency": entry.currency,
            "state": entry.state,
            "written_at": plain(entry.created_at),
        }
        for entry in LedgerEntry.objects.filter(user=user)
        .annotate(state=state_of_entry())
        .select_related("organization")
        .order_by("created_at", "id")
    ]


def _erase_claims(user: User, options: ErasureOptions) -> None:
    # Kept for the ledger that points at them; the person's own words go.
    WorkClaim.objects.filter(user=user).update(note="")
    WorkClaim.objects.filter(decided_by=user).update(decided_by=None)


def _erase_flags(user: User, options: ErasureOptions) -> None:
    HoursFlag.objects.filter(user=user).update(note="")
    HoursFlag.objects.filter(answered_by=user).update(answered_by=None)


def _register() -> None:
    register_deletion_notice(unpaid_pay_notice)
    register(
        LedgerEntry,
        export=_export_entries,
        erase=_settle_pay,
        reason="Kept, de-identified, for the retention period (append-only: ids, amounts, "
        "codes, dates). Unpaid pay is paid out first unless the person gives it up.",
        title=_("Your pay"),
        order=BEFORE_THE_PROFILE,
    )
    register(
        PaymentPreference,
        export=lambda user: rows(
            PaymentPreference.objects.filter(user=user),
            "organization__name",
            "method",
            "schedule",
            "months",
            "monthly_cap",
            "yearly_cap",
            "updated_at",
        ),
        erase=delete_rows(PaymentPreference),
        reason="Deleted (after the method is copied for a last payment, if one is owed).",
        title=_("How you chose to be paid"),
    )
    register(
        WorkClaim,
        export=lambda user: rows(
            WorkClaim.objects.filter(user=user),
            "organization__name",
            "kind",
            "work_date",
            "hours",
            "note",
            "status",
            "reason",
            "created_at",
        ),
        erase=_erase_claims,
        reason="Kept for the ledger without the person's note; claims they decided lose "
        "their name.",
        title=_("Other paid work you claimed"),
    )
    register(
        HoursFlag,
        export=lambda user: rows(
            HoursFlag.objects.filter(user=user),
            "organization__name",
            "attendance__meeting__title",
            "hours_expected",
            "note",
            "status",
            "outcome",
            "answer",
            "created_at",
            "answered_at",
        ),
        erase=_erase_flags,
        reason="Kept for the ledger without the person's note; flags they answered lose "
        "their name.",
        title=_("Hours you flagged"),
    )
    register(
        Approval,
        export=None,
        erase=keep,
        reason="Append-only; holds an id and a date, pointing at the tombstone.",
    )
    register(
        PaymentBatch,
        export=None,
        erase=forget(PaymentBatch, "created_by", "paid_by"),
        reason="Batches stay; the person is no longer named as who made or paid one.",
    )
    register(
        StipendRate,
        export=None,
        erase=forget(StipendRate, "created_by"),
        reason="Rates stay; the person is no longer named as who set one.",
    )
    register(
        UnpricedWork,
        export=None,
        erase=keep,
        reason="Kept: dates and hours of work waiting for a rate, so it is still paid.",
    )
    register(
        FinalPayout,
        export=None,
        erase=keep,
        reason="Exists only after erasure, for the last payment; deleted once it is paid.",
    )


_register()
