"""`manage.py create_organization`: the operator's way to start an organization."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import AuditEvent, Invitation, InvitedRole, Membership, Organization, User
from accounts.selectors import hash_token

pytestmark = pytest.mark.django_db

LINK = re.compile(r"^(?P<base>\S+)/invitations/(?P<token>[\w-]+)/$", re.MULTILINE)


def run(*args: str) -> str:
    out = StringIO()
    call_command("create_organization", *args, stdout=out)
    return out.getvalue()


def test_creates_the_organization_and_prints_the_slug_and_link(db):
    output = run("Harbor Light", "--admin-email", "First.Admin@example.test")
    organization = Organization.objects.get()
    assert (organization.name, organization.slug, organization.time_zone) == (
        "Harbor Light",
        "harbor-light",
        "UTC",
    )
    assert "harbor-light" in output
    match = LINK.search(output)
    assert match is not None
    assert match["base"] == "http://127.0.0.1:8000"
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hash_token(match["token"])
    assert (invitation.email, invitation.role, invitation.organization) == (
        "first.admin@example.test",
        InvitedRole.ADMIN,
        organization,
    )
    assert invitation.is_open
    assert mail.outbox == []  # the operator hands the link over


def test_base_url_and_time_zone_are_used(db):
    output = run(
        "Harbor Light",
        "--admin-email",
        "admin@example.test",
        "--time-zone",
        "Europe/Berlin",
        "--base-url",
        "https://portal.example.org/",
    )
    assert "https://portal.example.org/invitations/" in output
    assert Organization.objects.get().time_zone == "Europe/Berlin"


def test_the_printed_link_lets_the_admin_in(client, db):
    output = run("Harbor Light", "--admin-email", "admin@example.test")
    match = LINK.search(output)
    assert match is not None
    path = reverse("accept_invitation", kwargs={"token": match["token"]})
    password = "quiet-river-stones-42"
    response = client.post(path, {"password": password, "password_again": password})
    assert response.status_code == 302
    admin = User.objects.get(email="admin@example.test")
    assert Membership.objects.get(user=admin).role == "admin"


def test_a_second_organization_with_a_taken_slug_gets_a_new_one(db):
    Organization.objects.create(name="Something else", slug="harbor-light")
    output = run("Harbor Light", "--admin-email", "admin@example.test")
    assert "harbor-light-2" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("Harbor", "--admin-email", "not-an-address"), "valid email"),
        (("Harbor", "--admin-email", ""), "valid email"),
        (("Existing", "--admin-email", "admin@example.test"), "already exists"),
        (("existing", "--admin-email", "admin@example.test"), "already exists"),
        (("Harbor", "--admin-email", "a@example.test", "--time-zone", "Nowhere/At_All"), "zone"),
    ],
    ids=["malformed", "empty", "duplicate", "duplicate-other-case", "bad-time-zone"],
)
def test_errors_are_clear_and_nothing_is_written(db, args, message):
    Organization.objects.create(name="Existing", slug="existing")
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert Organization.objects.count() == 1
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_admin_email_is_required(db):
    with pytest.raises(CommandError, match="admin-email"):
        run("Harbor")
    assert not Organization.objects.exists()


def test_a_new_organization_has_its_consent_texts_from_the_start(db):
    """The words of every choice exist before anyone opens a page, so reading "My choices"
    never has to write them."""
    from accounts.default_consent_texts import DEFAULT_TEXTS
    from accounts.models import ConsentScope, ConsentText
    from accounts.selectors.consent import current_consent_texts

    run("Harbor Light", "--admin-email", "first.admin@example.test")
    organization = Organization.objects.get()
    assert set(current_consent_texts(organization, "en")) == set(ConsentScope.values)
    assert ConsentText.objects.filter(organization=organization).count() == sum(
        len(texts) for texts in DEFAULT_TEXTS.values()
    )
    assert AuditEvent.objects.filter(action="consent_text.created").count() == (
        ConsentText.objects.count()
    )
