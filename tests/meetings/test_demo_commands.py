"""The demo's meetings are not seeded in production, nor before the people they need."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo_meetings", stdout=StringIO())


def test_asks_for_seed_demo_first(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="seed_demo first"):
        call_command("seed_demo_meetings", stdout=StringIO())
