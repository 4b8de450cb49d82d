"""A person's updates and "What needs you now", for their eyes only: every read here is
filtered by the person asking, so nobody lists, opens or marks another person's update."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse

from accounts.models import Organization, OutboxMessage, OutboxStatus, User
from accounts.services.sign_in_notices import SIGN_IN_ATTEMPTS
from accounts.update_kinds import label_of, waiting_for

# An update is one of these until the person opens it; an account message or an invitation
# (no organization, or not the person's) never is.
UPDATE_STATUSES = (OutboxStatus.HELD, OutboxStatus.PENDING, OutboxStatus.SENT)
# The list shows this many updates not yet opened, newest first, and then this many opened.
UNSEEN_SHOWN = 50
SEEN_SHOWN = 10
# "What needs you now" starts a home page; the list of updates holds the rest.
NEEDS_YOU_SHOWN = 8


def updates_for(user: User, organization: Organization) -> QuerySet[OutboxMessage]:
    """Every update for this person about this organization, theirs alone."""
    return OutboxMessage.objects.filter(
        recipient_id=user.pk, organization=organization, status__in=UPDATE_STATUSES
    )


def unseen_updates(user: User, organization: Organization) -> QuerySet[OutboxMessage]:
    return updates_for(user, organization).filter(seen_at__isnull=True)


def get_update_for(user: User, organization: Organization, public_id: UUID) -> OutboxMessage:
    """One of the person's own updates here; anyone else's, or one elsewhere, is 404."""
    message = (
        updates_for(user, organization)
        .filter(public_id=public_id)
        .select_related("organization")
        .first()
    )
    if message is None:
        raise Http404
    return message


@dataclass(frozen=True)
class UpdateRow:
    text: str
    href: str
    message: OutboxMessage


def _row(message: OutboxMessage, organization: Organization) -> UpdateRow:
    href = reverse("open_update", kwargs={"org": organization.slug, "public_id": message.public_id})
    return UpdateRow(text=label_of(message.kind), href=href, message=message)


@dataclass(frozen=True)
class UpdateList:
    unseen: list[UpdateRow]
    unseen_count: int
    seen: list[UpdateRow]


def update_list(user: User, organization: Organization) -> UpdateList:
    """Not yet opened first, newest first; then the most recently opened. Three queries,
    however many updates the person has."""
    unseen = unseen_updates(user, organization).order_by("-created_at", "-id")
    seen = updates_for(user, organization).filter(seen_at__isnull=False)
    return UpdateList(
        unseen=[_row(message, organization) for message in unseen[:UNSEEN_SHOWN]],
        unseen_count=unseen.count(),
        seen=[
            _row(message, organization) for message in seen.order_by("-seen_at", "-id")[:SEEN_SHOWN]
        ],
    )


@dataclass(frozen=True)
class NeedsYou:
    text: str
    href: str
    opens_update: bool = False  # pressed (a POST to `href`), since it marks the update seen


def needs_you_now(user: User, organization: Organization, role: str) -> list[NeedsYou]:
    """What is waiting for the person (each app's finders), then updates they have not
    opened. One thing is listed once: an update about a page something waiting already
    links to is opened through that line, and several updates about one page are one line.
    The sign-in notice has its own panel on the home page."""
    unseen = list(
        unseen_updates(user, organization)
        .exclude(kind=SIGN_IN_ATTEMPTS)
        .order_by("-created_at", "-id")[:UNSEEN_SHOWN]
    )
    newest_about: dict[str, UpdateRow] = {}
    for message in unseen:
        about = message.target or str(message.public_id)
        newest_about.setdefault(about, _row(message, organization))
    items = []
    for thing in waiting_for(user, organization, role):
        update = newest_about.pop(thing.path, None)
        if update is not None:
            items.append(NeedsYou(thing.text, update.href, opens_update=True))
        else:
            items.append(NeedsYou(thing.text, thing.path))
    items.extend(NeedsYou(row.text, row.href, opens_update=True) for row in newest_about.values())
    return items[:NEEDS_YOU_SHOWN]
