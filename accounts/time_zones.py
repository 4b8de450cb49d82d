"""Time zones as people choose and read them: the IANA list a zone must come from, and a
zone's name as a page shows it. Which zone a person sees is `viewer_time_zone`'s to say
(`accounts.selectors.profile`)."""

from __future__ import annotations

from datetime import tzinfo
from functools import cache
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@cache
def known_zones() -> frozenset[str]:
    """Every IANA zone name this server knows; a zone saved anywhere must be one of them."""
    return frozenset(available_timezones())


def is_known_zone(name: str) -> bool:
    return name in known_zones()


def validate_time_zone(name: str) -> None:
    """The model fields' rule, so `full_clean()` refuses a zone outside the IANA list."""
    if not is_known_zone(name):
        raise ValidationError(_("Choose a time zone from the list."), code="unknown_time_zone")


def zone_label(zone: tzinfo | str) -> str:
    """ "America/New York" for America/New_York: the name as the lists show it."""
    return str(zone).replace("_", " ")


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, zone_label(name)) for name in sorted(known_zones())]
