"""`/.well-known/security.txt`: RFC 9116 fields from settings, plain text, public, never
sent to set up a second factor first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.test import Client

from accounts.models import Role
from tests.mfa import sign_in

pytestmark = pytest.mark.django_db

URL = "/.well-known/security.txt"


def fields(response) -> list[tuple[str, str]]:
    text = response.content.decode()
    assert text.endswith("\n")
    return [tuple(line.split(": ", 1)) for line in text.splitlines()]


def test_anyone_reads_it_as_plain_text_with_the_contact_and_an_expiry(settings):
    settings.SECURITY_CONTACTS = ["security@example.org", "https://example.org/report"]
    settings.SECURITY_TXT_EXPIRES = None
    response = Client().get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    found = fields(response)
    assert found[:2] == [
        ("Contact", "mailto:security@example.org"),
        ("Contact", "https://example.org/report"),
    ]
    expires = dict(found)["Expires"]
    when = datetime.strptime(expires, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    # RFC 9116: in the future, and less than a year away.
    assert datetime.now(UTC) < when < datetime.now(UTC) + timedelta(days=365)
    assert dict(found)["Preferred-Languages"] == "en"  # the languages the pages are in
    assert "Canonical" not in dict(found)  # only for an https:// site


def test_a_configured_expiry_and_an_https_site_are_used(settings):
    settings.SECURITY_TXT_EXPIRES = datetime(2027, 6, 30, tzinfo=UTC)
    settings.SITE_URL = "https://seat.example.org/"
    found = dict(fields(Client().get(URL)))
    assert found["Expires"] == "2027-06-30T00:00:00Z"
    assert found["Canonical"] == "https://seat.example.org/.well-known/security.txt"


def test_without_a_contact_there_is_no_file(settings):
    settings.SECURITY_CONTACTS = []
    assert Client().get(URL).status_code == 404


def test_a_signed_in_person_without_a_second_factor_is_not_sent_to_set_one_up(personas):
    """Staff must set up a second factor before seeing anything else; not this file."""
    client = Client()
    sign_in(client, personas.sam)
    assert client.get("/o/harbor/").status_code == 302
    response = client.get(URL)
    assert response.status_code == 200
    assert response.content.startswith(b"Contact: mailto:security@example.org\n")


def test_only_reading_is_allowed():
    assert Client().post(URL).status_code == 405
    assert Client().head(URL).status_code == 200


# --- the security page ------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_readme_links_the_security_page_which_covers_every_role_and_reporting():
    assert "(SECURITY.md)" in (ROOT / "README.md").read_text()
    page = (ROOT / "SECURITY.md").read_text()
    rows = [line for line in page.splitlines() if line.startswith("| **")]
    described = [row.split("**")[1].lower() for row in rows]
    # A new role must say here what it sees and never sees.
    for role in [*(str(label).lower() for label in Role.labels), "funder"]:
        assert any(name.startswith(role) for name in described), role
    assert all(row.count(" | ") == 2 for row in rows)  # both columns filled in
    for heading in ("## Reporting a problem", "## Who we protect people from", "## How the site"):
        assert heading in page
    assert "/.well-known/security.txt" in page
