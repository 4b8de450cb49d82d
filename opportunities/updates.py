"""Opportunities' updates in plain words, and what it keeps waiting for survivor leaders:
paid work offered to them."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization, User
from accounts.permissions import Capability, grants
from accounts.update_kinds import Waiting, page, register_kinds, register_waiting
from opportunities.models import InterestStatus, OpportunityInterest
from opportunities.services.opportunities import (
    OPPORTUNITY_ANSWERED,
    OPPORTUNITY_CANCELLED,
    OPPORTUNITY_CHANGED,
    OPPORTUNITY_OFFER,
    OPPORTUNITY_PAID,
)

register_kinds(
    {
        OPPORTUNITY_OFFER: gettext_lazy("You are offered paid work. Say yes or no."),
        OPPORTUNITY_ANSWERED: gettext_lazy("A survivor leader answered about paid work."),
        OPPORTUNITY_CANCELLED: gettext_lazy("Paid work you were offered or booked is cancelled."),
        OPPORTUNITY_PAID: gettext_lazy(
            "Work you did is marked done, and your pay for it is added."
        ),
        OPPORTUNITY_CHANGED: gettext_lazy("Paid work you were offered or booked has changed."),
    }
)


@register_waiting
def offers_to_answer(user: User, organization: Organization, role: str) -> list[Waiting]:
    if not grants(role, Capability.USE_OWN_SEAT):
        return []
    offers = (
        OpportunityInterest.objects.filter(
            user_id=user.pk,
            opportunity__organization=organization,
            status=InterestStatus.OFFERED,
        )
        .select_related("opportunity")
        .order_by("offered_at", "pk")
    )
    return [
        Waiting(
            _("You are offered paid work: “%(title)s”. Say yes or no.")
            % {"title": offer.opportunity.title},
            page("opportunity", organization, pk=offer.opportunity_id),
        )
        for offer in offers
    ]
