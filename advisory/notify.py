"""Telling authors there is an update about what became of their input. Only through the
outbox, which sends nothing but "there is an update"; never the decision or the input."""

from __future__ import annotations

from accounts.models import Organization, User
from accounts.outbox import enqueue_update
from accounts.selectors.roles import staff_of
from accounts.update_kinds import page
from advisory.models import Decision
from advisory.selectors.links import current_links

INPUT_LINKED = "input_linked"  # your input was linked to a decision
DECISION_CHANGED = "decision_changed"  # a decision your input shaped changed status
PROPOSAL_ANSWERED = "link_proposal_answered"  # staff answered your proposed link
LINK_PROPOSED = "link_proposed"  # (to staff) a member proposed that their input shaped a decision


def tell_authors_of(decision: Decision) -> int:
    """Every author whose input is currently linked to the decision, once each. Call it
    inside the service's transaction. Returns how many people were told."""
    organization: Organization = decision.organization
    author_ids = set(
        current_links(organization)
        .filter(decision=decision)
        .values_list("input__author_id", flat=True)
    )
    for author in User.objects.filter(pk__in=author_ids, erased_at__isnull=True):
        enqueue_update(
            recipient=author,
            organization=organization,
            kind=DECISION_CHANGED,
            target=outcomes_page(organization),
        )
    return len(author_ids)


def outcomes_page(organization: Organization) -> str:
    """Where every update about what became of someone's input takes them."""
    return page("my_input_outcomes", organization)


def tell_author(author: User, organization: Organization, kind: str) -> None:
    if author.erased_at is None:
        enqueue_update(
            recipient=author,
            organization=organization,
            kind=kind,
            target=outcomes_page(organization),
        )


def tell_staff(organization: Organization, kind: str, *, target: str) -> int:
    """Every program staff member and admin of the organization who can still be told."""
    staff = list(staff_of(organization))
    for person in staff:
        enqueue_update(recipient=person, organization=organization, kind=kind, target=target)
    return len(staff)
