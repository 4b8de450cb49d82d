"""Reads for pay, always scoped to the person asking. Outside scope is a 404.

Who reaches which pay pages:
- finance: rates, pay settings, approvals, batches, answering flagged hours;
- program staff and admins: approving or declining claims for other paid work;
- survivor leaders: their own pay, choices, claims and flags;
- survivor co-chairs also: decisions on claims, without names.
Staff never see legal names or payment details; finance see them only through pages that
write an access record into the survivor's log.
"""

from __future__ import annotations

from django.http import Http404

from accounts.models import Organization, Role, User
from accounts.selectors import get_organization_for_user, role_in
from accounts.selectors.roles import get_board_organization


def is_finance_of(user: User, organization: Organization) -> bool:
    return role_in(user, organization) == Role.FINANCE


def get_finance_organization(user: User, slug: str) -> Organization:
    """The organization, for its finance staff only; anyone else is told it does not exist."""
    organization = get_organization_for_user(user, slug)
    if not is_finance_of(user, organization):
        raise Http404
    return organization


def get_program_staff_organization(user: User, slug: str) -> Organization:
    """The organization, for its program staff and admins only."""
    return get_board_organization(user, slug)
