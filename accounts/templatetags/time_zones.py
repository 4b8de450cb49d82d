"""`{% current_time_zone %}`: the name of the zone a page shows its times in, so the page
can say it ("Times are in your time zone (America/Chicago)"); `|zone_label` writes any
zone's name the same way."""

from __future__ import annotations

from django import template
from django.utils import timezone

from accounts.time_zones import zone_label

register = template.Library()


@register.simple_tag
def current_time_zone() -> str:
    return zone_label(timezone.get_current_timezone())


@register.filter(name="zone_label")
def zone_label_filter(name: str) -> str:
    return zone_label(name)
