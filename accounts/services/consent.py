"""Writes to the consent ledger and its texts. Consent covers uses of data only: taking
part, roles and pay never depend on it. Every write runs in one transaction and leaves an
audit event holding ids and codes only."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import record_event
from accounts.default_consent_texts import DEFAULT_TEXTS
from accounts.events import consent_changed
from accounts.models import (
    ConsentAction,
    ConsentEvent,
    ConsentReminder,
    ConsentScope,
    ConsentText,
    Membership,
    Organization,
    OutboxMessage,
    User,
)
from accounts.outbox import enqueue_update
from accounts.permissions import Capability, require
from accounts.selectors.consent import (
    current_consent_text,
    earliest_effective_date,
    grants_ending_by,
    has_consent,
    lapsed_grants,
)
from accounts.update_kinds import page

OUTDATED_TEXT = "consent_text_outdated"
OUTDATED_TEXT_MESSAGE = gettext_lazy(
    "The wording changed since you opened this page. Please read it again."
)
RENEWAL_KIND = "consent_renewal"

# Told to anyone else who tries (the pages are 404 for them).
ONLY_ADMINS_WORD = gettext_lazy("Only an admin of this organization can change the wording.")

# Told to anyone else who tries (the pages are 404 for them).
ONLY_SURVIVOR_LEADERS_CHOOSE = gettext_lazy(
    "Only survivor leaders of this organization make these choices."
)


# The rules' words, written once: the forms show these same messages.
WORDING_MISSING = gettext_lazy("Write the new wording.")


def _audit(
    *, action: str, actor: User | None, organization_id: int, target_type: str, target_id: int
) -> None:
    record_event(
        action=action,
        actor_id=actor.pk if actor is not None else None,
        organization_id=organization_id,
        target_type=target_type,
        target_id=target_id,
    )


def _check_scope(scope: str) -> None:
    if scope not in ConsentScope.values:
        raise ValidationError(_("Choose one of the listed choices."))


# --- texts -------------------------------------------------------------------------------


@transaction.atomic
def ensure_consent_texts(*, organization: Organization) -> int:
    """Give every scope its first wording, in each language we have one for, if it has none.
    Returns how many texts were created; running it again creates none."""
    now = timezone.now()
    existing = set(
        ConsentText.objects.filter(organization=organization).values_list("scope", "language")
    )
    created = 0
    for language, texts in DEFAULT_TEXTS.items():
        for scope, words in texts.items():
            if (scope, language) in existing:
                continue
            try:
                with transaction.atomic():
                    text = ConsentText.objects.create(
                        organization=organization,
                        scope=scope,
                        language=language,
                        version=1,
                        text=words,
                        created_at=now,
                        shown_to_board_at=now,
                        effective_at=now,
                    )
            except IntegrityError:
                continue  # another request created it a moment ago
            _audit(
                action="consent_text.created",
                actor=None,
                organization_id=organization.pk,
                target_type="consent_text",
                target_id=text.pk,
            )
            created += 1
    return created


@transaction.atomic
def propose_consent_text(
    *, organization: Organization, scope: str, language: str, text: str, by: User
) -> ConsentText:
    """New wording for a scope: shown to the board now, in effect only later (see
    `make_consent_text_effective`)."""
    require(by, organization, Capability.MANAGE_ORGANIZATION, invalid=ONLY_ADMINS_WORD)
    _check_scope(scope)
    if language not in dict(settings.CONSENT_TEXT_LANGUAGES):
        raise ValidationError(_("Choose one of the listed languages."))
    words = text.strip()
    if not words:
        raise ValidationError(WORDING_MISSING)
    ensure_consent_texts(organization=organization)
    # Lock this scope's texts so two admins proposing at once cannot take the same number.
    latest = (
        ConsentText.objects.select_for_update()
        .filter(organization=organization, scope=scope, language=language)
        .order_by("-version")
        .first()
    )
    now = timezone.now()
    proposal = ConsentText(
        organization=organization,
        scope=scope,
        language=language,
        version=(latest.version if latest else 0) + 1,
        text=words,
        created_at=now,
        shown_to_board_at=now,
    )
    proposal.full_clean()
    proposal.save()
    _audit(
        action="consent_text.proposed",
        actor=by,
        organization_id=organization.pk,
        target_type="consent_text",
        target_id=proposal.pk,
    )
    return proposal


@transaction.atomic
def make_consent_text_effective(*, text: ConsentText, by: User) -> ConsentText:
    """Put wording into effect once the board has had it for the review period. Yeses given
    to earlier wording hold until they end; renewing asks with the new words."""
    text = ConsentText.objects.select_for_update().select_related("organization").get(pk=text.pk)
    require(by, text.organization, Capability.MANAGE_ORGANIZATION, invalid=ONLY_ADMINS_WORD)
    if text.effective_at is not None:
        raise ValidationError(_("This wording is already in effect."))
    current = current_consent_text(text.organization, text.scope, text.language)
    if current is not None and current.language == text.language and current.version > text.version:
        raise ValidationError(_("Newer wording is already in effect."))
    ready_at = earliest_effective_date(text)
    now = timezone.now()
    if ready_at is None or ready_at > now:
        day = formats.date_format(timezone.localtime(ready_at or now), "j F Y")
        raise ValidationError(
            _(
                "The board needs %(days)s days to read new wording. "
                "This wording can take effect on %(day)s."
            )
            % {"days": settings.CONSENT_TEXT_REVIEW_DAYS, "day": day}
        )
    text.effective_at = now
    text.save(update_fields=["effective_at"])
    _audit(
        action="consent_text.effective",
        actor=by,
        organization_id=text.organization_id,
        target_type="consent_text",
        target_id=text.pk,
    )
    return text


# --- the ledger --------------------------------------------------------------------------


def _write_event(
    *,
    user: User,
    organization_id: int,
    scope: str,
    action: ConsentAction,
    text: ConsentText | None = None,
    language: str = "",
    expires_at: datetime | None = None,
    actor: User | None,
    created_at: datetime | None = None,
) -> ConsentEvent:
    event = ConsentEvent.objects.create(
        user=user,
        organization_id=organization_id,
        scope=scope,
        action=action,
        text=text,
        language=language,
        expires_at=expires_at,
        created_at=created_at or timezone.now(),
    )
    _audit(
        action=f"consent.{action}.{scope}",
        actor=actor,
        organization_id=organization_id,
        target_type="consent_event",
        target_id=event.pk,
    )
    return event


def _lock_person(user: User, organization: Organization) -> None:
    """Serialize one person's consent changes in one organization (a double click)."""
    list(
        Membership.objects.select_for_update()
        .filter(user_id=user.pk, organization=organization)
        .values_list("pk", flat=True)
    )


@transaction.atomic
def grant_consent(
    *,
    user: User,
    organization: Organization,
    scope: str,
    text_version: int,
    language: str,
) -> ConsentEvent:
    """Say yes to one use of data, to the exact words read (`text_version` in `language`).
    Words that are no longer in effect are refused and nothing is written. Saying yes again
    renews it for another period."""
    _check_scope(scope)
    require(user, organization, Capability.USE_OWN_SEAT, invalid=ONLY_SURVIVOR_LEADERS_CHOOSE)
    _lock_person(user, organization)
    text = current_consent_text(organization, scope, language)
    if text is None or text.version != text_version or text.language != language:
        raise ValidationError(OUTDATED_TEXT_MESSAGE, code=OUTDATED_TEXT)
    return _write_event(
        user=user,
        organization_id=organization.pk,
        scope=scope,
        action=ConsentAction.GRANTED,
        text=text,
        language=text.language,
        expires_at=timezone.now() + settings.CONSENT_DURATION,
        actor=user,
    )


@transaction.atomic
def withdraw_consent(*, user: User, organization: Organization, scope: str) -> ConsentEvent | None:
    """Say no, in one action and without a reason. Saying no to something not in force
    writes nothing."""
    _check_scope(scope)
    _lock_person(user, organization)
    if not has_consent(user, organization, scope):
        return None
    _announce_ended(user_id=user.pk, organization_id=organization.pk, scope=scope)
    return _write_event(
        user=user,
        organization_id=organization.pk,
        scope=scope,
        action=ConsentAction.WITHDRAWN,
        actor=user,
    )


def _announce_ended(*, user_id: int, organization_id: int, scope: str) -> None:
    """After commit, ids and a code only: apps above react (a quote leaves reports)."""
    transaction.on_commit(
        lambda: consent_changed.send(
            sender=ConsentEvent, user_id=user_id, organization_id=organization_id, scope=scope
        )
    )


@transaction.atomic
def expire_consents(*, now: datetime | None = None) -> int:
    """Write an `expired` event for each yes whose time is up. From then on the more private
    setting applies; nothing else changes. Running it twice writes nothing new.

    The event is dated when the yes ran out, not when the job ran: a yes given again in
    between is then still the latest word, and the job never undoes it."""
    now = now or timezone.now()
    written = 0
    for grant in lapsed_grants(at=now).select_related("user", "organization"):
        _lock_person(grant.user, grant.organization)
        if not lapsed_grants(at=now).filter(pk=grant.pk).exists():
            continue  # renewed or withdrawn since we looked
        assert grant.expires_at is not None  # noqa: S101  # lapsed grants have an end
        _write_event(
            user=grant.user,
            organization_id=grant.organization_id,
            scope=grant.scope,
            action=ConsentAction.EXPIRED,
            actor=None,
            created_at=grant.expires_at,
        )
        _announce_ended(
            user_id=grant.user_id, organization_id=grant.organization_id, scope=grant.scope
        )
        written += 1
    return written


def _reminder_number(expires_at: datetime, now: datetime) -> int | None:
    """1 in the month before the end, 2 in the last week; None before that."""
    first, second = settings.CONSENT_REMINDER_DAYS
    left = expires_at - now
    if left <= timedelta(days=second):
        return 2
    if left <= timedelta(days=first):
        return 1
    return None


def send_consent_reminders(*, now: datetime | None = None) -> int:
    """At most two renewal reminders per yes, each through the outbox (so only on a safe
    channel outside quiet hours, else on the home page). One update per person per run,
    however many of their choices end soon. Returns how many reminders were recorded."""
    now = now or timezone.now()
    grants = grants_ending_by(now + timedelta(days=max(settings.CONSENT_REMINDER_DAYS)), at=now)
    recorded = 0
    people: set[tuple[int, int]] = set()
    for grant in grants.select_related("user", "organization"):
        number = _reminder_number(grant.expires_at, now) if grant.expires_at else None
        if number is None or not _record_reminder(grant, number):
            continue
        recorded += 1
        if (grant.user_id, grant.organization_id) not in people:
            people.add((grant.user_id, grant.organization_id))
            enqueue_update(
                recipient=grant.user,
                organization=grant.organization,
                kind=RENEWAL_KIND,
                target=page("my_choices", grant.organization),
            )
    return recorded


def _record_reminder(grant: ConsentEvent, number: int) -> bool:
    """True if this reminder is new; the unique constraint keeps it to once each."""
    if ConsentReminder.objects.filter(grant=grant, number=number).exists():
        return False
    try:
        with transaction.atomic():
            reminder = ConsentReminder.objects.create(grant=grant, number=number)
            _audit(
                action="consent.reminder",
                actor=None,
                organization_id=grant.organization_id,
                target_type="consent_reminder",
                target_id=reminder.pk,
            )
    except IntegrityError:
        return False
    return True


@transaction.atomic
def mark_renewal_updates_seen(*, user: User, organization: Organization) -> int:
    """Answering a choice (yes again, or no) answers the renewal updates waiting on the home
    page. Only opening the page is not an answer, and a page that is only read writes
    nothing."""
    seen = OutboxMessage.objects.filter(
        recipient_id=user.pk,
        organization=organization,
        kind=RENEWAL_KIND,
        seen_at__isnull=True,
    ).update(seen_at=timezone.now())
    if seen:
        _audit(
            action="outbox.seen.consent_renewal",
            actor=user,
            organization_id=organization.pk,
            target_type="user",
            target_id=user.pk,
        )
    return seen
