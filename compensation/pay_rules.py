"""The rules for paid time, in one place: meetings, claims and booked work call these and
never work them out again.

- Hours are whole quarter hours (0.25 = 15 minutes). Stipends are paid by the hour, and a
  quarter-hour step keeps every amount exact in `Decimal` and easy to check by hand; a
  value between steps is refused rather than rounded, so nobody's pay changes silently.
- Short work is paid at least the minimum paid block of the rate for its day.
- A cancellation is late with less notice than the rate says (48 hours when no rate
  covers the day).

This module holds no models and imports none (only `money`), so the attendance sheet
(meetings, a layer below pay) can check hours by it without importing the rest of pay.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Protocol, cast

from django.utils.functional import lazy
from django.utils.translation import gettext as _

from compensation.money import minutes_as_hours

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise

QUARTER_HOUR = Decimal("0.25")
NO_HOURS = Decimal("0")
# A day's attendance, a claim or a correction of hours: never more than a day.
MAX_HOURS_A_DAY = Decimal("24")
# Booked work (an opportunity) may run over several days.
MAX_BOOKED_HOURS = Decimal("200")
# A claim is for some work: at least one quarter hour.
MIN_CLAIM_HOURS = QUARTER_HOUR
# The rate's default, used when no rate covers the day.
DEFAULT_LATE_NOTICE_HOURS = 48


class PayRule(Protocol):
    """What these rules read from a rate (`compensation.models.StipendRate`)."""

    minimum_paid_minutes: int
    late_cancellation_hours: int


def hours_error(
    hours: object,
    *,
    at_least: Decimal = NO_HOURS,
    at_most: Decimal = MAX_HOURS_A_DAY,
    more_than_zero: bool = False,
) -> str | None:
    """Why these hours cannot be recorded, in words for the page; None when they can."""
    if not isinstance(hours, Decimal) or not hours.is_finite():
        return _("Hours must be a number, like 1.5.")
    if more_than_zero and hours <= 0:
        return _("Hours must be more than 0.")
    if hours < at_least:
        return _("Hours cannot be less than %(minimum)s.") % {"minimum": at_least}
    if hours > at_most:
        return _("Hours cannot be more than %(maximum)s.") % {"maximum": at_most}
    try:
        whole_steps = (hours % QUARTER_HOUR) == 0
    except InvalidOperation:
        whole_steps = False
    if not whole_steps:
        return _("Hours go in quarter hours, like 1, 1.25, 1.5 or 1.75.")
    return None


def booked_hours_message(hours: object) -> StrPromise:
    """`booked_hours_error`'s words for hours like these, translated when shown: what a
    form says for hours it cannot even read."""
    return cast("StrPromise", lazy(booked_hours_error, str)(hours))


def hours_message(hours: object) -> StrPromise:
    """`hours_error`'s words for hours like these, translated when shown."""
    return cast("StrPromise", lazy(hours_error, str)(hours))


def booked_hours_error(hours: object) -> str | None:
    """`hours_error` for booked work: more than none, up to `MAX_BOOKED_HOURS`."""
    return hours_error(hours, at_most=MAX_BOOKED_HOURS, more_than_zero=True)


def minimum_block(rate: PayRule) -> Decimal:
    """The rate's minimum paid block, in hours."""
    return minutes_as_hours(rate.minimum_paid_minutes)


def paid_hours(rate: PayRule, hours: Decimal) -> Decimal:
    """The hours paid for work by the hour: never fewer than the minimum paid block."""
    return max(hours, minimum_block(rate))


def late_notice(rate: PayRule | None) -> timedelta:
    """Less notice than this makes a cancellation late."""
    hours = rate.late_cancellation_hours if rate is not None else DEFAULT_LATE_NOTICE_HOURS
    return timedelta(hours=hours)


def is_cancelled_late(*, starts_at: datetime, cancelled_at: datetime, rate: PayRule | None) -> bool:
    """Work already under way when it is cancelled is always cancelled late."""
    return starts_at - cancelled_at < late_notice(rate)
