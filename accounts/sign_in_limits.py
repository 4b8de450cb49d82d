"""Limits per account on both sign-in steps, counted across every source address.

allauth's own `login_failed` limit (10 a minute per source address) stays, but on its own
it lets anyone with a few addresses guess without end. Here each account has a counter per
step: the password step (also the password form that confirms it is you again) and the
code step (a code from an app or a recovery code, also when confirming it is you again).
After a few free tries every further try waits a delay that doubles up to a short cap;
the right answer resets that step's counter. Nothing locks an account for long.

The counters live in PostgreSQL (`SignInCounter`), not in the cache, so the limits hold while
Redis is away. Delays are worked out from the times stored, so tests can move the clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import SignInCounter, User
from accounts.tasks import tell_of_failed_sign_ins


@dataclass(frozen=True)
class Step:
    name: str
    free_failures: int  # wrong tries before any wait
    first_delay: int  # seconds, doubled after each further wrong try
    longest_delay: int  # seconds: the most anyone ever waits after one wrong try

    def delay_after(self, failures: int) -> int:
        if failures < self.free_failures:
            return 0
        doublings = min(failures - self.free_failures, 32)
        return min(self.first_delay * (1 << doublings), self.longest_delay)


# Five free tries cover honest typing mistakes; then 10 s, 20 s, 40 s, ... Anyone who knows
# a person's address can run up this counter, so its cap stays short: the owner waits at
# most 5 minutes after the last wrong try, from any device. A guesser gets about 290 tries
# a day, whatever their number of source addresses.
PASSWORD_STEP = Step("password", free_failures=5, first_delay=10, longest_delay=5 * 60)

# Only someone who has the password reaches this step, so the cap can be longer. After the
# free tries the delays reach 15 minutes within about 20: from then on 4 tries an hour, 96 a
# day. A six-digit code is one of a million (allauth's TOTP tolerance is 0, a used code
# cannot be used again), so each try has at most a one-in-a-million chance: on average
# 28 years of non-stop guessing, while the owner is told every day it goes on. Recovery
# codes have 8 digits and are harder still.
CODE_STEP = Step("code", free_failures=5, first_delay=10, longest_delay=15 * 60)

# Wrong tries are forgotten a day after the last one; the owner is told at most once a day.
FORGET_AFTER = timedelta(days=1)
TELL_AGAIN_AFTER = timedelta(days=1)
# One try per account is checked at a time, so a crowd of addresses sending tries at the
# same moment cannot all slip through when a delay ends. A try that never reports back (a
# crashed request) gives its turn up after this many seconds.
TURN_SECONDS = 10

WAIT_CODE = "sign_in_wait"


@dataclass(frozen=True)
class AccountLimit:
    """One account's counter for one step. `begin()` takes the account's turn; exactly one
    of `failed()`, `succeeded()` or `abandon()` must follow it."""

    step: Step
    key: str

    @transaction.atomic
    def begin(self) -> None:
        """Refuse, saying how long to wait, while a delay lasts. Until then even the right
        password or code is not checked: otherwise the delay would protect nothing."""
        counter = self._locked()
        now = timezone.now()
        wait = self._wait(counter, now)
        if wait:
            raise too_soon(wait)
        if counter.turn_until is not None and counter.turn_until > now:
            # Another try on this account is being checked at this moment.
            raise too_soon(1)
        counter.turn_until = now + timedelta(seconds=TURN_SECONDS)
        counter.save(update_fields=["turn_until"])

    @transaction.atomic
    def failed(self) -> bool:
        """Count a wrong try. True when its owner should be told: the first time a delay
        starts, then at most once a day while wrong tries go on."""
        counter = self._locked()
        now = timezone.now()
        if _forgotten(counter, now):
            counter.failures, counter.told_at = 0, None
        counter.failures += 1
        tell = self.step.delay_after(counter.failures) > 0 and (
            counter.told_at is None or now - counter.told_at >= TELL_AGAIN_AFTER
        )
        counter.last_failure = now
        counter.told_at = now if tell else counter.told_at
        counter.turn_until = None
        counter.save()
        return tell

    def succeeded(self) -> None:
        SignInCounter.objects.filter(key=self.key).delete()

    def abandon(self) -> None:
        """The try was refused before the secret was checked (allauth's per-address limit):
        it does not count."""
        SignInCounter.objects.filter(key=self.key).update(turn_until=None)

    def wait_seconds(self) -> int:
        counter = SignInCounter.objects.filter(key=self.key).first()
        return 0 if counter is None else self._wait(counter, timezone.now())

    def _wait(self, counter: SignInCounter, now: datetime) -> int:
        if _forgotten(counter, now) or counter.last_failure is None:  # None: for mypy
            return 0
        ends = counter.last_failure + timedelta(seconds=self.step.delay_after(counter.failures))
        return max(0, math.ceil((ends - now).total_seconds()))

    def _locked(self) -> SignInCounter:
        """This counter's row, locked to the end of the transaction; made if it is new, in
        one statement that two tries at the same moment cannot both run."""
        SignInCounter.objects.bulk_create([SignInCounter(key=self.key)], ignore_conflicts=True)
        return SignInCounter.objects.select_for_update().get(key=self.key)


def _forgotten(counter: SignInCounter, now: datetime) -> bool:
    return counter.last_failure is None or now - counter.last_failure >= FORGET_AFTER


def forget_old_counters() -> int:
    """Counters whose last wrong try is over a day old count for nothing: delete them (and
    those of tries that never ended), so typed addresses leave no trace for long."""
    stale = timezone.now() - FORGET_AFTER
    unused = Q(last_failure__isnull=True) & (Q(turn_until__isnull=True) | Q(turn_until__lte=stale))
    deleted, _ = SignInCounter.objects.filter(Q(last_failure__lte=stale) | unused).delete()
    return deleted


def too_soon(seconds: int) -> ValidationError:
    """The same words whoever the account belongs to, and whether or not it exists."""
    return ValidationError(
        _("Too many wrong tries. To keep the account safe, please wait %(wait)s, then try again."),
        code=WAIT_CODE,
        params={"wait": wait_in_words(seconds)},
    )


def wait_in_words(seconds: int) -> str:
    if seconds < 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


# --- the password step: keyed on the address typed, whether or not an account has it ------


def normalized_address(credentials: dict[str, Any]) -> str:
    return str(credentials.get("email") or credentials.get("username") or "").strip().lower()


def password_limit(address: str) -> AccountLimit | None:
    """The counter for an address, known or not, so both answer alike. The key is a keyed
    hash: the database never holds the address typed. No address, nothing to guess."""
    if not address:
        return None
    digest = salted_hmac(
        "accounts.sign_in_limits.password", address, algorithm="sha256"
    ).hexdigest()
    return AccountLimit(PASSWORD_STEP, f"sign-in-limits:password:{digest}")


def password_failed(address: str) -> None:
    limit = password_limit(address)
    if limit is not None and limit.failed():
        # Looked up for unknown addresses too, and the task is sent either way: the request
        # does the same work whether or not the address has an account.
        owner = (
            User.objects.alias(address=Lower("email"))
            .filter(address=address)
            .values_list("pk", flat=True)
            .first()
        )
        tell_owner_later(owner)


# --- the code step: the account is known (the password was right, or they are signed in) ---


def code_limit(user_id: int) -> AccountLimit:
    return AccountLimit(CODE_STEP, f"sign-in-limits:code:{user_id}")


def code_failed(user_id: int) -> None:
    if code_limit(user_id).failed():
        tell_owner_later(user_id)


def tell_owner_later(user_id: int | None) -> None:
    """The worker tells the owner; the request only sends the task (timing stays alike)."""
    # robust: a broker outage must not turn a wrong password into an error page.
    transaction.on_commit(lambda: tell_of_failed_sign_ins.delay(user_id), robust=True)
