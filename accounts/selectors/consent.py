"""Reads of the consent ledger. The current state is always derived from the events, never
stored. The rest of the code asks in one of two ways: `has_consent` about one person, and
`consenting_ids` for everyone among a group (`counted_in_reports` is the group a report
counts)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from accounts.models import (
    DELIVERED_CHANNELS,
    ConsentAction,
    ConsentEvent,
    ConsentScope,
    ConsentText,
    ContactChannel,
    Membership,
    Organization,
    Role,
    User,
)

DEFAULT_LANGUAGE = "en"
# Staff see only how many people said yes to these, never who (DESIGN: consent).
COUNTED_ONLY_SCOPES = (ConsentScope.COUNT_IN_REPORTS, ConsentScope.QUOTE_ANONYMOUSLY)


def _latest_event_ids(*, at: datetime) -> Subquery:
    """For an outer ConsentEvent row: the id of the newest event, up to `at`, for the same
    person, organization and scope."""
    return Subquery(
        ConsentEvent.objects.filter(
            user_id=OuterRef("user_id"),
            organization_id=OuterRef("organization_id"),
            scope=OuterRef("scope"),
            created_at__lte=at,
        )
        .order_by("-created_at", "-id")
        .values("id")[:1]
    )


def latest_consent_events(*, at: datetime | None = None) -> QuerySet[ConsentEvent]:
    """The newest event per person, organization and scope: the ledger's current state."""
    at = at or timezone.now()
    return ConsentEvent.objects.filter(created_at__lte=at, id=_latest_event_ids(at=at))


def _current_grants(*, at: datetime | None = None) -> QuerySet[ConsentEvent]:
    """Grants that are in force at `at`: the newest event is a grant that has not ended."""
    at = at or timezone.now()
    return latest_consent_events(at=at).filter(action=ConsentAction.GRANTED, expires_at__gt=at)


def lapsed_grants(*, at: datetime | None = None) -> QuerySet[ConsentEvent]:
    """Grants whose time is up but whose `expired` event has not been written yet."""
    at = at or timezone.now()
    later = ConsentEvent.objects.filter(
        user_id=OuterRef("user_id"),
        organization_id=OuterRef("organization_id"),
        scope=OuterRef("scope"),
    ).filter(
        Q(created_at__gt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), id__gt=OuterRef("id"))
    )
    return ConsentEvent.objects.filter(
        action=ConsentAction.GRANTED, expires_at__lte=at, created_at__lte=at
    ).exclude(Exists(later))


def consenting_ids(
    organization: Organization | int,
    scope: str,
    among: Iterable[int] | QuerySet[Any, int] | None = None,
    at: datetime | None = None,
) -> QuerySet[ConsentEvent, int]:
    """The ids of the people (of `among`, else anyone) whose yes to this use of their data
    in this organization holds at `at` (default now).

    With `has_consent`, the only way code reads consent. A lazy query of user ids: use it
    inside another query (`pk__in=`) to keep it one query, or make a set of it."""
    grants = _current_grants(at=at).filter(
        organization_id=organization if isinstance(organization, int) else organization.pk,
        scope=scope,
    )
    if among is not None:
        grants = grants.filter(user_id__in=among)
    return grants.values_list("user_id", flat=True)


def has_consent(
    user: User, organization: Organization, scope: str, *, at: datetime | None = None
) -> bool:
    """Did this person say yes to this use of their data, and does that yes still hold?

    Without a yes in force the more private setting applies; nothing else (role, pay,
    pages) depends on the answer."""
    return consenting_ids(organization, scope, among=[user.pk], at=at).exists()


def counted_in_reports(
    organization: Organization, *, at: datetime | None = None
) -> QuerySet[ConsentEvent, int]:
    """Who a report counts: the organization's survivor leaders whose yes to being counted
    holds at `at`. Preparing a report and publishing it both ask this, so a person who is
    no longer a survivor leader here (or whose account ended) is counted by neither. A
    person who stepped down from a board role is still a survivor leader here, and the work
    they did while on the board is counted by both, as long as their yes holds."""
    return consenting_ids(
        organization, ConsentScope.COUNT_IN_REPORTS, among=survivor_leader_ids(organization), at=at
    )


def grants_ending_by(until: datetime, *, at: datetime | None = None) -> QuerySet[ConsentEvent]:
    """Yeses in force at `at` that end by `until`, for the renewal reminders (active
    accounts only)."""
    return _current_grants(at=at).filter(expires_at__lte=until, user__is_active=True)


# --- texts -------------------------------------------------------------------------------


def _texts_in_force(organization: Organization, *, at: datetime) -> QuerySet[ConsentText]:
    return ConsentText.objects.filter(
        organization=organization, effective_at__isnull=False, effective_at__lte=at
    )


def current_consent_text(
    organization: Organization, scope: str, language: str, *, at: datetime | None = None
) -> ConsentText | None:
    """The words in force for this scope, in this language, or else in the default one."""
    at = at or timezone.now()
    texts = _texts_in_force(organization, at=at).filter(scope=scope).order_by("-version")
    return (
        texts.filter(language=language).first() or texts.filter(language=DEFAULT_LANGUAGE).first()
    )


def current_consent_texts(
    organization: Organization, language: str, *, at: datetime | None = None
) -> dict[str, ConsentText]:
    """Scope -> the words in force, for every scope, in one query."""
    at = at or timezone.now()
    texts: dict[str, ConsentText] = {}
    fallback: dict[str, ConsentText] = {}
    for text in _texts_in_force(organization, at=at).filter(
        language__in={language, DEFAULT_LANGUAGE}
    ):
        chosen = texts if text.language == language else fallback
        if text.scope not in chosen or chosen[text.scope].version < text.version:
            chosen[text.scope] = text
    return fallback | texts


def pending_consent_texts(
    organization: Organization, language: str | None = None
) -> QuerySet[ConsentText]:
    """New wording shown to the board that has not taken effect yet, newest first."""
    texts = ConsentText.objects.filter(organization=organization, effective_at__isnull=True)
    if language is not None:
        texts = texts.filter(language=language)
    return texts.order_by("scope", "language", "-version")


def consent_texts_for_admin(organization: Organization) -> QuerySet[ConsentText]:
    return ConsentText.objects.filter(organization=organization).order_by(
        "scope", "language", "-version"
    )


def earliest_effective_date(text: ConsentText) -> datetime | None:
    """When the board will have seen this wording long enough for it to take effect."""
    if text.shown_to_board_at is None:
        return None
    return text.shown_to_board_at + timedelta(days=settings.CONSENT_TEXT_REVIEW_DAYS)


# --- "My choices" ------------------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceState:
    scope: str
    label: str
    granted: bool
    expires_at: datetime | None
    agreed_text: ConsentText | None  # the words said yes to, while the yes holds
    text: ConsentText | None  # the words in force now, to read before saying yes
    pending: ConsentText | None  # new words the board is looking at
    pending_from: datetime | None
    ends_soon: bool

    @property
    def words_after_label(self) -> str:
        """The words in force, less the sentence already shown as the heading: heading and
        these together are exactly the words agreed to."""
        if self.text is None:
            return ""
        words = self.text.text
        for prefix in (f"{self.label}.", self.label):
            if words.startswith(prefix):
                return words.removeprefix(prefix).strip()
        return words

    @property
    def agreed_to_older_words(self) -> bool:
        return bool(
            self.granted
            and self.agreed_text is not None
            and self.text is not None
            and self.agreed_text.pk != self.text.pk
        )


def offered_scopes() -> list[ConsentScope]:
    """The choices offered: contact on a channel only where something sends on it."""
    undelivered = {
        f"contact_{channel}"
        for channel in ContactChannel.values
        if channel not in DELIVERED_CHANNELS
    }
    return [scope for scope in ConsentScope if scope.value not in undelivered]


def my_choices(
    user: User, organization: Organization, language: str, *, at: datetime | None = None
) -> list[ChoiceState]:
    """Every scope with this person's current answer, the words to read, and any new words
    on the way: three queries whatever the number of scopes."""
    at = at or timezone.now()
    latest = {
        event.scope: event
        for event in latest_consent_events(at=at)
        .filter(user_id=user.pk, organization_id=organization.pk)
        .select_related("text")
    }
    texts = current_consent_texts(organization, language, at=at)
    newest_pending: dict[tuple[str, str], ConsentText] = {}
    for text in pending_consent_texts(organization).filter(
        language__in={language, DEFAULT_LANGUAGE}
    ):
        newest_pending.setdefault((text.scope, text.language), text)  # newest comes first
    soon = at + timedelta(days=max(settings.CONSENT_REMINDER_DAYS))
    states = []
    for scope in offered_scopes():
        event = latest.get(scope.value)
        granted = bool(
            event is not None
            and event.action == ConsentAction.GRANTED
            and event.expires_at is not None
            and event.expires_at > at
        )
        expires_at = event.expires_at if granted and event is not None else None
        waiting = newest_pending.get((scope.value, language)) or newest_pending.get(
            (scope.value, DEFAULT_LANGUAGE)
        )
        states.append(
            ChoiceState(
                scope=scope.value,
                label=str(scope.label),
                granted=granted,
                expires_at=expires_at,
                agreed_text=event.text if granted and event is not None else None,
                text=texts.get(scope.value),
                pending=waiting,
                pending_from=earliest_effective_date(waiting) if waiting else None,
                ends_soon=expires_at is not None and expires_at <= soon,
            )
        )
    return states


# --- counts for staff --------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentCount:
    scope: str
    label: str
    yes: int
    of: int

    # On a small board "0 of 4" or "4 of 4" tells staff every person's answer. A number is
    # shown only when at least MIN_GROUP people are on each side of it; otherwise staff
    # see "fewer than 5 said yes" (or "no"), which never pins an answer on anyone.
    @property
    def no(self) -> int:
        return self.of - self.yes

    @property
    def shown(self) -> bool:
        return self.yes >= MIN_GROUP and self.no >= MIN_GROUP

    @property
    def few_said_yes(self) -> bool:
        return self.yes < MIN_GROUP


# The same smallest group as reports use (docs/design.md promise 1, default k = 5).
MIN_GROUP = 5


def survivor_leader_ids(organization: Organization) -> QuerySet[Membership, int]:
    return Membership.objects.filter(
        organization=organization, role=Role.SURVIVOR_LEADER, user__is_active=True
    ).values_list("user_id", flat=True)


def consent_counts(organization: Organization, *, at: datetime | None = None) -> list[ConsentCount]:
    """How many survivor leaders said yes to the counted-only scopes: numbers, never names."""
    members = survivor_leader_ids(organization)
    total = members.count()
    grants = _current_grants(at=at).filter(
        organization=organization, user_id__in=members, scope__in=COUNTED_ONLY_SCOPES
    )
    yes: dict[str, int] = dict(
        grants.values("scope")
        .annotate(n=Count("user_id", distinct=True))
        .order_by()
        .values_list("scope", "n")
    )
    return [
        ConsentCount(
            scope=scope.value, label=str(scope.label), yes=yes.get(scope.value, 0), of=total
        )
        for scope in COUNTED_ONLY_SCOPES
    ]


# --- who may see what --------------------------------------------------------------------


def get_consent_text_for_admin(organization: Organization, pk: int) -> ConsentText:
    try:
        return ConsentText.objects.get(organization=organization, pk=pk)
    except ConsentText.DoesNotExist as exc:
        raise Http404 from exc
