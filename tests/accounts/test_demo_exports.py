"""Download my data for every person the demo creates, in every role.

Tests of the export with fresh accounts missed that anyone who had answered "Is this what you
said?" could not get their data at all: realistic data holds ids, money and times that a
fresh account does not. Here the whole demo is seeded as `make run` seeds it, and each
person's download is built, opened and read.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from accounts.models import DataExport, Membership, SurvivorProfile, User
from accounts.services.data_rights import (
    HTML_NAME,
    JSON_NAME,
    build_data_export,
    read_export,
    request_data_export,
)

pytestmark = pytest.mark.django_db

SEEDERS = (
    "seed_demo",
    "seed_demo_meetings",
    "seed_demo_pay",
    "seed_demo_advisory",
    "seed_demo_reports",
    "seed_demo_opportunities",
)
# Finer than a minute would tell more than any page shows (when an anonymous message arrived,
# for one): no time in a download carries seconds.
SECONDS = re.compile(r"\d{2}:\d{2}:\d{2}")


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    for command in SEEDERS:
        call_command(command, stdout=StringIO())


def download(user: User) -> tuple[dict[str, Any], str]:
    export = request_data_export(user=user)
    build_data_export(export_id=export.pk)
    export.refresh_from_db()
    with zipfile.ZipFile(io.BytesIO(read_export(export))) as archive:
        data = json.loads(archive.read(JSON_NAME))
        page = archive.read(HTML_NAME).decode()
    return data, page


def others_identifiers(user: User) -> set[str]:
    """What would point at someone else: their address and the names they gave."""
    found = {other.email.lower() for other in User.objects.exclude(pk=user.pk)}
    for profile in SurvivorProfile.objects.exclude(user=user):
        found.add(profile.chosen_name.lower())
        found.update(
            value.lower()
            for value in (profile.legal_name, profile.phone, profile.mailing_address)
            if value
        )
    return found


def test_every_demo_person_in_every_role_gets_a_download_of_their_own_data(demo):
    people = list(User.objects.filter(erased_at__isnull=True).order_by("email"))
    roles = set(Membership.objects.values_list("role", flat=True))
    assert len(people) >= 14  # the whole demo: both programs, every kind of member
    assert len(roles) == 4
    for person in people:
        data, page = download(person)
        text = json.dumps(data, ensure_ascii=False).lower()
        assert person.email.lower() in text, person.email
        own_profile = SurvivorProfile.objects.filter(user=person).first()
        if own_profile is not None:
            assert own_profile.chosen_name in page
        for identifier in others_identifiers(person):
            # Whole words only: "Sol" is part of "solution", staff@ part of other.staff@.
            pattern = rf"(?<![\w.+-]){re.escape(identifier)}(?!\w)"
            assert not re.search(pattern, text), (person.email, identifier)
        found = SECONDS.search(text)
        assert found is None, (person.email, text[max(0, found.start() - 200) : found.end()])
    assert DataExport.objects.filter(status="ready").count() == len(people)
