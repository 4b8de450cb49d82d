"""An invitation handed over in person, for a survivor leader without a safe inbox.

The admin ticks "I will give the link to the person myself": nothing is e-mailed, and the
link is on the next page once — kept nowhere in clear (only its hash, as every invitation),
never in a log, the session or a message. An address that can already sign in is refused
(that person signs in and accepts an e-mailed invitation), with words that say only what to
do instead.
"""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEvent, Invitation, InvitedRole, Membership, OutboxMessage, User
from accounts.outbox import send_pending_updates
from accounts.selectors import hash_token
from accounts.services.invitations import issue_invitation_link
from tests.logs import found_in, written_logs
from tests.mfa import give_totp, sign_in

pytestmark = pytest.mark.django_db

ADDRESS = "no.safe.inbox@example.test"
PASSWORD = "quiet-river-stones-42"


@pytest.fixture
def admin(client, personas):
    give_totp(personas.ada)
    sign_in(client, personas.ada)
    return client


def invite_url() -> str:
    return reverse("invite_person", kwargs={"org": "harbor"})


def in_person(email: str = ADDRESS, role: str = InvitedRole.SURVIVOR_LEADER) -> dict[str, str]:
    return {"email": email, "role": role, "in_person": "on"}


def link_on(page: str) -> str:
    match = re.search(r'<code class="secret invitation-link">([^<]+)</code>', page)
    assert match, "no link on the page"
    return match.group(1)


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


def test_the_link_is_shown_once_and_kept_nowhere(admin, personas, caplog):
    with written_logs(caplog) as logs:
        response = admin.post(invite_url(), in_person())

    assert response.status_code == 200  # the page itself, not a redirect to it
    assert "no-store" in response["Cache-Control"]
    page = response.text
    link = link_on(page)
    token = token_of(link)
    assert link.startswith("http")
    assert "/invitations/" in link
    assert "It works once, for 7 days." in page
    assert "Give it to the person privately" in page
    assert ADDRESS in page  # so the admin can check it with the person
    assert 'alt="QR code of the invitation link"' in page  # to scan with their own phone
    invitation = Invitation.objects.get(email=ADDRESS)
    assert invitation.in_person
    assert invitation.token_hash == hash_token(token)
    assert not found_in(logs.getvalue(), {token}), "the link reached a log"
    assert token not in str(dict(admin.session))
    assert not [str(m) for m in get_messages(response.wsgi_request)]
    assert not OutboxMessage.objects.exists()
    send_pending_updates()
    assert mail.outbox == []
    events = AuditEvent.objects.filter(target_type="invitation", target_id=invitation.pk)
    assert {event.action for event in events} == {
        "invitation.created",
        "invitation.given_in_person",
    }
    assert not any(token in event.payload or ADDRESS in event.payload for event in events)


def test_the_person_joins_with_the_link_once(admin, client, personas):
    link = link_on(admin.post(invite_url(), in_person()).text)
    admin.logout()
    path = link.split("://", 1)[1].split("/", 1)[1]

    response = client.post(f"/{path}", {"password": PASSWORD, "password_again": PASSWORD})

    assert response.status_code == 302
    user = User.objects.get(email=ADDRESS)
    assert Membership.objects.filter(user=user, organization=personas.harbor).exists()
    client.logout()
    assert client.get(f"/{path}").status_code == 410  # used: it does nothing now


def test_going_back_and_posting_again_shows_no_link(admin):
    admin.post(invite_url(), in_person())
    again = admin.post(invite_url(), in_person())
    assert "This person already has an open invitation." in again.text
    assert "invitation-link" not in again.text
    assert Invitation.objects.filter(email=ADDRESS).count() == 1


@pytest.mark.parametrize("whose", ["another program's member", "a confirmed second address"])
def test_an_address_that_can_sign_in_is_refused_without_saying_where(admin, personas, whose):
    if whose == "another program's member":
        address = personas.otto.email
    else:
        address = "otto.second@example.test"
        EmailAddress.objects.create(user=personas.otto, email=address, verified=True)

    response = admin.post(invite_url(), in_person(email=address))

    assert response.status_code == 200
    assert "A link cannot be given in person for this address." in response.text
    assert "Send the invitation by e-mail instead" in response.text
    assert personas.second.name not in response.text
    assert "invitation-link" not in response.text
    assert not Invitation.objects.filter(email=address).exists()


def test_an_unconfirmed_address_of_an_account_is_a_new_person(admin, personas):
    # Anyone can type anyone's address into their account: only a confirmed one counts.
    EmailAddress.objects.create(user=personas.otto, email=ADDRESS, verified=False)
    assert "invitation-link" in admin.post(invite_url(), in_person()).text


@pytest.mark.parametrize(
    "role", [InvitedRole.STAFF, InvitedRole.FINANCE, InvitedRole.ADMIN, InvitedRole.FUNDER]
)
def test_only_survivor_leaders_are_given_a_link_in_person(admin, role):
    response = admin.post(invite_url(), in_person(role=role))
    assert "Only survivor leaders can be given a link in person." in response.text
    assert not Invitation.objects.exists()


def test_the_address_check_is_needed_only_when_the_link_is_e_mailed(admin):
    by_mail = admin.post(invite_url(), {"email": ADDRESS, "role": InvitedRole.SURVIVOR_LEADER})
    assert "Tick the box once you have checked the address with the person" in by_mail.text
    assert not Invitation.objects.exists()
    assert "invitation-link" in admin.post(invite_url(), in_person()).text


def test_the_worker_never_e_mails_a_link_given_in_person(admin):
    admin.post(invite_url(), in_person())
    invitation = Invitation.objects.get(email=ADDRESS)
    before = invitation.token_hash

    assert issue_invitation_link(invitation_id=invitation.pk) is None
    invitation.refresh_from_db()
    assert invitation.token_hash == before  # the link given stays the one that works


def test_the_members_page_says_it_was_given_in_person(admin):
    admin.post(invite_url(), in_person())
    page = admin.get(reverse("members", kwargs={"org": "harbor"})).text
    assert "Given in person, link works until" in page


def test_nobody_but_the_admin_can_hand_one_over(client, personas):
    give_totp(personas.sam)
    for who in (personas.ash, personas.sam, personas.otto):
        sign_in(client, who)
        assert client.post(invite_url(), in_person()).status_code == 404
    assert not Invitation.objects.exists()
