"""Pay's updates in plain words, and what pay keeps waiting for staff and finance: paid
work to approve, hours people flagged, earned pay to approve."""

from __future__ import annotations

from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Organization, User
from accounts.permissions import Capability, grants
from accounts.update_kinds import Waiting, page, register_kinds, register_waiting
from compensation.models import ClaimStatus, FlagStatus, HoursFlag, WorkClaim
from compensation.selectors.ledger import awaiting_approval
from compensation.services.claims import CLAIM_ANSWERED
from compensation.services.flags import FLAG_ANSWERED
from compensation.services.payments import PAY_HELD, PAY_NEEDS_DETAILS, PAY_SENT

register_kinds(
    {
        CLAIM_ANSWERED: gettext_lazy("Your claim for paid work has an answer."),
        FLAG_ANSWERED: gettext_lazy("Finance answered you about your hours."),
        PAY_HELD: gettext_lazy("Some of your pay is on hold. See why, and what you can do."),
        PAY_SENT: gettext_lazy("Pay is on its way to you."),
        PAY_NEEDS_DETAILS: gettext_lazy(
            "To pay you the way you chose, we need one more detail. Your pay is kept for you."
        ),
    }
)


@register_waiting
def claims_to_decide(user: User, organization: Organization, role: str) -> list[Waiting]:
    if not grants(role, Capability.LOOK_AFTER_BOARD):
        return []
    count = WorkClaim.objects.filter(organization=organization, status=ClaimStatus.WAITING).count()
    if not count:
        return []
    text = ngettext(
        "A claim for paid work waits for your answer.",
        "%(count)d claims for paid work wait for your answer.",
        count,
    ) % {"count": count}
    return [Waiting(text, page("pay_claims", organization))]


@register_waiting
def pay_to_look_after(user: User, organization: Organization, role: str) -> list[Waiting]:
    """Finance: hours people said were wrong, and earned pay waiting for approval."""
    if not grants(role, Capability.HANDLE_PAY):
        return []
    waiting = []
    flags = HoursFlag.objects.filter(organization=organization, status=FlagStatus.OPEN).count()
    if flags:
        text = ngettext(
            "Someone said their recorded hours are wrong. They wait for your answer.",
            "%(count)d notes about wrong hours wait for your answer.",
            flags,
        ) % {"count": flags}
        waiting.append(Waiting(text, page("hours_flags", organization)))
    earned = awaiting_approval(organization).count()
    if earned:
        text = ngettext(
            "One piece of earned pay waits for approval.",
            "%(count)d pieces of earned pay wait for approval.",
            earned,
        ) % {"count": earned}
        waiting.append(Waiting(text, page("approve_pay", organization)))
    return waiting
