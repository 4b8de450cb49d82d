"""Money and paid time, in `Decimal` only. Amounts are rounded half up to the cent once, at
the end of a calculation; hours come in quarter hours from attendance and claims."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MINUTES_PER_HOUR = Decimal(60)
# Every amount field and service says this, in these words.
AMOUNT_TOO_LARGE = gettext_lazy("That amount is too large.")


def to_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def minutes_as_hours(minutes: int) -> Decimal:
    return Decimal(minutes) / MINUTES_PER_HOUR


def format_money(amount: Decimal, currency: str) -> str:
    """'USD 1,234.50' style: unambiguous in every language, and never a float. The space is
    a no-break space, so an amount never splits across two lines in a narrow column."""
    return f"{currency}\u00a0{to_cents(amount):,.2f}"
