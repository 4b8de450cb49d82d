"""What "Download my data" and "Delete my account" do with paid opportunities.

Opportunities are the program's: they stay, without the name of whoever posted one. A
person's interest, offers and terms are theirs: exported, and deleted with the account.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.data_rights import JSON, delete_rows, forget, register, rows
from accounts.models import User
from opportunities.models import Opportunity, OpportunityInterest


def _export_interests(user: User) -> JSON:
    return rows(
        OpportunityInterest.objects.filter(user=user).order_by("created_at"),
        "opportunity__title",
        "status",
        "no_photos",
        "no_recording",
        "first_name_only",
        "different_name",
        "no_organization_name",
        "created_at",
        "offered_at",
        "answered_at",
        "completed_at",
    )


def _register() -> None:
    register(
        Opportunity,
        export=None,
        erase=forget(Opportunity, "created_by"),
        reason="Opportunities are the program's; the person is no longer named as who posted one.",
    )
    register(
        OpportunityInterest,
        export=_export_interests,
        erase=delete_rows(OpportunityInterest),
        reason="The person's interest, offers and terms are deleted; pay already earned stays "
        "in the ledger, de-identified.",
        title=_("Opportunities you were interested in"),
    )


_register()
