"""The members page, inviting, revoking and accepting, through the browser's eyes."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import AuditEvent, FunderAccess, Invitation, InvitedRole, Membership, User
from accounts.outbox import send_pending_updates
from accounts.selectors import hash_token
from tests.factories import (
    PASSWORD,
    InvitationFactory,
    MembershipFactory,
    SurvivorProfileFactory,
    UserFactory,
)
from tests.mfa import give_totp, sign_in, totp_code

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "quiet-river-stones-42"
NOT_ADMINS = ("ash", "river", "sam", "fin", "faye", "otto")
WITH_AUTHENTICATOR = ("sam", "fin", "ada", "faye")


@pytest.fixture
def people(personas):
    """The personas, with the second factor their roles require already set up."""
    for who in WITH_AUTHENTICATOR:
        give_totp(getattr(personas, who))
    return personas


def as_(client, people, who: str):
    sign_in(client, getattr(people, who))
    return client


def members_url(org: str = "harbor") -> str:
    return reverse("members", kwargs={"org": org})


def invite_url(org: str = "harbor") -> str:
    return reverse("invite_person", kwargs={"org": org})


def revoke_url(invitation: Invitation, org: str = "harbor") -> str:
    return reverse("revoke_invitation", kwargs={"org": org, "pk": invitation.pk})


def delivered() -> list[mail.EmailMessage]:
    """The invitation goes out through the outbox: run it here, as the worker would."""
    send_pending_updates()
    return mail.outbox


def accept_url(token: str) -> str:
    return reverse("accept_invitation", kwargs={"token": token})


def invitation_with_token(organization, email="new.person@example.test", **fields):
    token = services.new_token()
    invitation = InvitationFactory.create(
        organization=organization, email=email, token_hash=hash_token(token), **fields
    )
    return invitation, token


def invite_data(email="new.person@example.test", role=InvitedRole.SURVIVOR_LEADER, **extra):
    return {"email": email, "role": role, "address_checked": "on", **extra}


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def page_without_secrets(response, token: str = "") -> str:
    """The page with its per-response nonce, CSRF token and link token taken out."""
    text = re.sub(r'nonce="[^"]+"', 'nonce=""', response.text)
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return text.replace(token, "") if token else text


def counts() -> tuple[int, ...]:
    return (
        Invitation.objects.count(),
        AuditEvent.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        FunderAccess.objects.count(),
    )


# --- who reaches what ------------------------------------------------------------------


def test_the_admin_sees_the_members_page(client, people):
    response = as_(client, people, "ada").get(members_url())
    assert response.status_code == 200
    assert "Members and invitations" in response.text


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_nobody_else_finds_the_members_page(client, people, who):
    client = as_(client, people, who)
    assert client.get(members_url()).status_code == 404
    assert client.get(members_url("second")).status_code == 404


def test_the_admin_of_one_organization_finds_no_other(client, people):
    assert as_(client, people, "ada").get(members_url("second")).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        members_url,
        invite_url,
        lambda: reverse("revoke_invitation", kwargs={"org": "harbor", "pk": 1}),
    ],
)
def test_anonymous_visitors_are_asked_to_sign_in(client, people, url):
    for response in (client.get(url()), client.post(url())):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_nobody_else_can_invite(client, people, who, django_capture_on_commit_callbacks):
    before = counts()
    client = as_(client, people, who)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(invite_url(), invite_data()).status_code == 404
        assert client.post(invite_url("second"), invite_data()).status_code == 404
    assert counts() == before
    assert delivered() == []


@pytest.mark.parametrize("who", NOT_ADMINS)
def test_nobody_else_can_revoke(client, people, who):
    invitation, _ = invitation_with_token(people.harbor)
    response = as_(client, people, who).post(revoke_url(invitation))
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_another_organizations_invitation_is_not_found(client, people):
    invitation, _ = invitation_with_token(people.second)
    client = as_(client, people, "ada")
    assert client.post(revoke_url(invitation, "harbor")).status_code == 404
    assert client.post(revoke_url(invitation, "second")).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


# --- the members page ------------------------------------------------------------------


def test_members_page_lists_members_and_every_kind_of_invitation(client, people):
    now = timezone.now()
    InvitationFactory.create(organization=people.harbor, email="waiting@example.test")
    InvitationFactory.create(
        organization=people.harbor,
        email="late@example.test",
        expires_at=now - timedelta(days=1),
    )
    InvitationFactory.create(
        organization=people.harbor, email="joined@example.test", accepted_at=now
    )
    InvitationFactory.create(
        organization=people.harbor, email="called.off@example.test", revoked_at=now
    )
    InvitationFactory.create(organization=people.second, email="elsewhere@example.test")
    page = as_(client, people, "ada").get(members_url()).text
    for email in ("ash@", "river@", "sam@", "fin@", "ada@"):
        assert email in page
    assert "otto@" not in page
    assert "faye@" not in page  # funders are not members
    assert "elsewhere@" not in page
    assert "Waiting, link works until" in page
    assert "Expired" in page
    assert "Accepted" in page
    assert "Cancelled" in page
    assert page.count("Cancel invitation") == 1  # only the open one can be cancelled
    assert "I checked privately with this person that this e-mail address is safe to use" in page


def member_rows_of(page: str) -> list[list[str]]:
    """The members table as text: one list of cell texts per row."""
    table = page.split('id="members-heading"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]  # the header row left out
    return [
        [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in cells]
        for cells in (re.findall(r"<td>(.*?)</td>", row, flags=re.S) for row in rows)
    ]


def test_members_are_listed_by_the_name_they_chose_here_with_their_role(client, people):
    SurvivorProfileFactory.create(user=people.ash, organization=people.harbor, chosen_name="Wren")
    # A name River gave another program is never shown here; River gave none here.
    MembershipFactory.create(user=people.river, organization=people.second)
    SurvivorProfileFactory.create(
        user=people.river, organization=people.second, chosen_name="Elsewhere Name"
    )
    page = as_(client, people, "ada").get(members_url()).text

    assert member_rows_of(page) == [
        ["Wren", "Survivor leader"],
        ["river@example.test No name given here yet", "Survivor leader"],
        ["sam@example.test", "Program staff"],
        ["fin@example.test", "Finance"],
        ["ada@example.test", "Organization admin"],
    ]
    assert "ash@example.test" not in page  # the admin knows Ash by the name Ash chose
    assert "Elsewhere Name" not in page


def test_without_invitations_the_page_says_what_to_do(client, people):
    response = as_(client, people, "ada").get(members_url())
    assert "No invitations yet. Use the form below to invite someone." in response.text


# Session and user (2); the MFA check (1); the viewer's time zone (1); the organization (1);
# the admin check in the fetch helper and in each of the two selectors (3); members with
# their users and the profiles they gave here (1); invitations (1). The same 10 whatever the
# number of members and invitations.
MEMBERS_PAGE_QUERIES = 10


def test_members_page_query_count_does_not_grow_with_people(
    client, people, django_assert_num_queries
):
    client = as_(client, people, "ada")
    client.get(members_url())  # the first request also records the user session
    with django_assert_num_queries(MEMBERS_PAGE_QUERIES):
        client.get(members_url())
    for n in range(5):
        InvitationFactory.create(organization=people.harbor, email=f"extra{n}@example.test")
        user = UserFactory.create(email=f"member{n}@example.test")
        Membership.objects.create(user=user, organization=people.harbor, role="staff")
        leader = UserFactory.create(email=f"leader{n}@example.test")
        Membership.objects.create(user=leader, organization=people.harbor, role="survivor_leader")
        SurvivorProfileFactory.create(
            user=leader, organization=people.harbor, chosen_name=f"Leader {n}"
        )
    with django_assert_num_queries(MEMBERS_PAGE_QUERIES):
        client.get(members_url())


def test_admin_home_links_to_members_and_counts(client, people):
    InvitationFactory.create(organization=people.harbor)
    InvitationFactory.create(organization=people.harbor, revoked_at=timezone.now())
    response = as_(client, people, "ada").get(
        reverse("organization_home", kwargs={"org": "harbor"})
    )
    assert members_url() in response.text
    assert "5 members" in response.text
    assert "1 invitation waiting" in response.text


# --- inviting --------------------------------------------------------------------------


def test_inviting_sends_the_email_and_says_so(client, people, django_capture_on_commit_callbacks):
    client = as_(client, people, "ada")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url(), invite_data(role=InvitedRole.STAFF))
    assert response.status_code == 302
    assert response["Location"] == members_url()
    assert messages_of(response) == ["Invitation sent."]
    invitation = Invitation.objects.get(email="new.person@example.test")
    assert (invitation.organization, invitation.role) == (people.harbor, InvitedRole.STAFF)
    (message,) = delivered()
    assert f"{settings.SITE_URL}/invitations/" in message.body


def test_getting_the_invite_url_goes_to_the_members_page(client, people):
    response = as_(client, people, "ada").get(invite_url())
    assert response.status_code == 302
    assert response["Location"] == members_url()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (invite_data(address_checked=""), "Tick the box once you have checked the address"),
        (
            {"email": "new.person@example.test", "role": InvitedRole.STAFF},
            "Tick the box once you have checked the address",
        ),
        (invite_data(email="not an address"), "This does not look like an e-mail address"),
        (invite_data(email=""), "Type the person&#x27;s e-mail address."),
        (invite_data(role="owner"), "Choose a role."),
        (invite_data(email="ash@example.test"), "This person already has access"),
        (invite_data(email="FAYE@example.test"), "This person already has access"),
    ],
    ids=[
        "box-unticked",
        "box-missing",
        "malformed",
        "empty",
        "bad-role",
        "member",
        "funder",
    ],
)
def test_bad_input_shows_the_form_again_and_writes_nothing(
    client, people, data, error, django_capture_on_commit_callbacks
):
    client = as_(client, people, "ada")
    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url(), data)
    assert response.status_code == 200
    assert error in response.text
    assert "Invitation sent." not in response.text
    assert counts() == before
    assert delivered() == []


def test_a_second_open_invitation_is_refused(client, people, django_capture_on_commit_callbacks):
    client = as_(client, people, "ada")
    # The first invitation's mail goes out (tasks run eagerly) before the count is taken.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(invite_url(), invite_data())
    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url(), invite_data(email="New.Person@example.test"))
    assert response.status_code == 200
    assert "This person already has an open invitation." in response.text
    assert counts() == before
    assert len(delivered()) == 1


def test_an_address_from_another_organization_looks_exactly_like_a_new_one(
    client, people, django_capture_on_commit_callbacks
):
    """No enumeration across organizations: same answer, same message, same e-mail."""
    client = as_(client, people, "ada")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(invite_url(), invite_data(email=people.otto.email))
        client.get(members_url())  # shows, and so uses up, the first message
        new = client.post(invite_url(), invite_data(email="never.seen@example.test"))
    assert (known.status_code, known["Location"]) == (new.status_code, new["Location"])
    assert messages_of(known) == messages_of(new) == ["Invitation sent."]
    first, second = delivered()
    assert (first.subject, first.from_email) == (second.subject, second.from_email)
    assert without_link(first.body) == without_link(second.body)


def without_link(body) -> str:
    return "\n".join(line for line in body.splitlines() if "/invitations/" not in line)


def test_no_address_appears_in_the_logs(client, people, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    admin = as_(client, people, "ada")
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(invite_url(), invite_data(email="hidden.one@example.test"))
        admin.post(invite_url(), invite_data(email="hidden.one@example.test"))  # refused
        admin.post(invite_url(), invite_data(email=people.ash.email))  # refused
    token = delivered()[0].body.split("/invitations/")[1].split("/")[0]
    admin.logout()
    client.get(accept_url(token))
    client.post(accept_url(token), {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    client.get(accept_url(token))  # used: the "does not work" page
    assert User.objects.filter(email="hidden.one@example.test").exists()
    assert "hidden" not in caplog.text
    assert "@example.test" not in caplog.text


# --- revoking --------------------------------------------------------------------------


def test_the_admin_can_cancel_an_invitation(client, people):
    invitation, token = invitation_with_token(people.harbor)
    response = as_(client, people, "ada").post(revoke_url(invitation))
    assert response.status_code == 302
    assert response["Location"] == members_url()
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    client.logout()
    assert client.get(accept_url(token)).status_code == 410


def test_cancelling_needs_a_post(client, people):
    invitation, _ = invitation_with_token(people.harbor)
    assert as_(client, people, "ada").get(revoke_url(invitation)).status_code == 405
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_an_accepted_invitation_cannot_be_cancelled(client, people):
    invitation, _ = invitation_with_token(people.harbor, accepted_at=timezone.now())
    response = as_(client, people, "ada").post(revoke_url(invitation))
    assert response.status_code == 302
    assert messages_of(response) == ["This invitation was already accepted."]
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


# --- accepting -------------------------------------------------------------------------


def password_data(password=NEW_PASSWORD, again=None):
    return {"password": password, "password_again": again if again is not None else password}


def test_the_link_asks_to_choose_a_password(client, people, settings):
    _, token = invitation_with_token(people.harbor)
    response = client.get(accept_url(token))
    assert response.status_code == 200
    assert "Choose a password" in response.text
    assert settings.SITE_DISPLAY_NAME in response.text
    assert "Harbor" not in response.text
    assert "new.person@" not in response.text


UNUSABLE_TEXT = (
    "This invitation link has expired or was already used. "
    "Ask the person who invited you for a new one."
)


@pytest.mark.parametrize(
    "fields",
    [
        None,
        {"expires_at": timezone.now() - timedelta(seconds=1)},
        {"accepted_at": timezone.now()},
        {"revoked_at": timezone.now()},
    ],
    ids=["unknown", "expired", "used", "revoked"],
)
def test_a_link_that_does_not_work_gets_one_plain_page(client, people, fields):
    if fields is None:
        token = "not-a-real-token"
    else:
        _, token = invitation_with_token(people.harbor, **fields)
    before = counts()
    for response in (
        client.get(accept_url(token)),
        client.post(accept_url(token), password_data()),
    ):
        assert response.status_code == 410
        assert UNUSABLE_TEXT in response.text.replace("\n", " ")
        assert "Choose a password" not in response.text
    assert counts() == before


def test_unknown_and_used_links_get_the_same_page(client, people):
    _, used = invitation_with_token(people.harbor, accepted_at=timezone.now())
    unknown = client.get(accept_url("not-a-real-token"))
    spent = client.get(accept_url(used))
    assert unknown.status_code == spent.status_code
    assert page_without_secrets(unknown) == page_without_secrets(spent)


def test_accepting_signs_a_survivor_leader_in_and_lands_home(client, people):
    _, token = invitation_with_token(people.harbor)
    response = client.post(accept_url(token), password_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = User.objects.get(email="new.person@example.test")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert EmailAddress.objects.get(user=user).verified
    home = client.get(reverse("home"), follow=True)
    assert home.redirect_chain[-1][0] == reverse("organization_home", kwargs={"org": "harbor"})
    assert "Set up sign-in security" in home.text  # offered, never forced


@pytest.mark.parametrize("role", [InvitedRole.STAFF, InvitedRole.FINANCE, InvitedRole.ADMIN])
def test_roles_that_need_a_second_factor_are_sent_to_set_it_up(client, people, role):
    _, token = invitation_with_token(people.harbor, role=role)
    client.post(accept_url(token), password_data())
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_a_funder_gets_funder_access_and_the_second_factor_setup(client, people):
    _, token = invitation_with_token(people.harbor, email="funds@example.test", role="funder")
    client.post(accept_url(token), password_data())
    user = User.objects.get(email="funds@example.test")
    assert FunderAccess.objects.filter(user=user, organization=people.harbor).exists()
    assert not Membership.objects.filter(user=user).exists()
    assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")


def test_the_page_is_the_same_whether_or_not_the_address_has_an_account(client, people):
    """Someone holding only the link learns nothing from the page itself: both ways in
    (choose a password, or sign in) are offered for every address."""
    _, token = invitation_with_token(people.harbor, email=people.otto.email)
    _, other = invitation_with_token(people.harbor, email="brand.new@example.test")
    known = client.get(accept_url(token))
    new = client.get(accept_url(other))
    assert page_without_secrets(known, token) == page_without_secrets(new, other)
    assert "Choose a password" in known.text
    assert "Sign in to accept" in known.text


def test_a_password_chosen_for_an_existing_account_is_refused_and_changes_nothing(client, people):
    invitation, token = invitation_with_token(people.harbor, email=people.otto.email)
    before = counts()
    response = client.post(accept_url(token), password_data())
    assert response.status_code == 200
    assert "This e-mail address can already sign in here. Sign in first" in response.text
    assert "Sign in to accept" in response.text
    people.otto.refresh_from_db()
    assert people.otto.check_password(PASSWORD)
    assert not people.otto.check_password(NEW_PASSWORD)
    assert counts() == before
    assert "_auth_user_id" not in client.session
    invitation.refresh_from_db()
    assert invitation.is_open


def test_an_existing_person_signs_in_with_their_second_step_then_accepts(client, people):
    """Otto (in Second) is invited to Harbor: the link sends Otto through the usual sign-in,
    code included, and back to the invitation. The password stays Otto's own."""
    give_totp(people.otto)
    _, token = invitation_with_token(people.harbor, email=people.otto.email)
    client.get(accept_url(token))
    signing_in = client.post(
        reverse("account_login") + "?next=" + reverse("continue_invitation"),
        {"login": people.otto.email, "password": PASSWORD},
    )
    assert signing_in["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    code = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert code["Location"] == reverse("continue_invitation")
    assert token not in code["Location"]
    back = client.get(code["Location"])
    assert back["Location"] == accept_url(token)
    page = client.get(accept_url(token))
    assert "Join Harbor?" in page.text
    assert "Choose a password" not in page.text
    assert 'type="password"' not in page.text
    joined = client.post(accept_url(token), password_data())  # a password sent along is ignored
    assert joined["Location"] == reverse("organization_home", kwargs={"org": "harbor"})
    assert messages_of(joined) == ["You have joined Harbor."]
    people.otto.refresh_from_db()
    assert people.otto.check_password(PASSWORD)
    assert not people.otto.check_password(NEW_PASSWORD)
    assert set(people.otto.memberships.values_list("organization__slug", flat=True)) == {
        "second",
        "harbor",
    }
    assert client.get(reverse("continue_invitation"))["Location"] == reverse("home")


def test_choosing_a_password_never_skips_the_second_step(client, people):
    """Someone with an authenticator gets no way in from the link: not signed in at all."""
    give_totp(people.otto)
    _, token = invitation_with_token(people.harbor, email=people.otto.email)
    response = client.post(accept_url(token), password_data())
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    people.otto.refresh_from_db()
    assert people.otto.check_password(PASSWORD)


def test_continuing_without_an_invitation_goes_home(client, people):
    assert client.get(reverse("continue_invitation"))["Location"].startswith(
        reverse("account_login")
    )
    response = as_(client, people, "ash").get(reverse("continue_invitation"))
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (password_data(again="something-else-entirely"), "The two passwords are not the same."),
        (password_data("short"), "This password is too short."),
        (password_data("12345678901"), "This password is entirely numeric."),
        (password_data("new.person.example"), "too similar"),
        ({}, "Choose a password."),
    ],
    ids=["mismatch", "short", "numeric", "similar", "empty"],
)
def test_a_bad_password_shows_the_form_again_and_writes_nothing(client, people, data, error):
    invitation, token = invitation_with_token(people.harbor)
    before = counts()
    response = client.post(accept_url(token), data)
    assert response.status_code == 200
    assert error in response.text
    assert counts() == before
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert "_auth_user_id" not in client.session


def test_two_clicks_accept_once(client, people):
    _, token = invitation_with_token(people.harbor)
    first = client.post(accept_url(token), password_data())
    client.logout()
    second = client.post(accept_url(token), password_data("another-long-password-9"))
    assert first.status_code == 302
    assert second.status_code == 410
    user = User.objects.get(email="new.person@example.test")
    assert user.check_password(NEW_PASSWORD)
    assert Membership.objects.filter(user=user).count() == 1


def test_someone_else_signed_in_is_asked_to_sign_out_first(client, people):
    invitation, token = invitation_with_token(people.harbor)
    client = as_(client, people, "ash")
    before = counts()
    for response in (
        client.get(accept_url(token)),
        client.post(accept_url(token), password_data()),
    ):
        assert response.status_code == 200
        assert "Sign out first" in response.text
        assert "Choose a password" not in response.text
    assert counts() == before
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert client.session["_auth_user_id"] == str(people.ash.pk)


def test_a_signed_in_person_cannot_accept_an_invitation_for_someone_with_an_account(client, people):
    """Ash, signed in, holding Otto's link: nothing for Ash, nothing changes for Otto."""
    invitation, token = invitation_with_token(people.harbor, email=people.otto.email)
    client = as_(client, people, "ash")
    before = counts()
    response = client.post(accept_url(token), password_data())
    assert "Sign out first" in response.text
    assert counts() == before
    invitation.refresh_from_db()
    assert invitation.is_open
    people.otto.refresh_from_db()
    assert people.otto.check_password(PASSWORD)
    assert not Membership.objects.filter(user=people.otto, organization=people.harbor).exists()


def test_the_invited_person_already_signed_in_accepts_without_a_password(client, people):
    _, token = invitation_with_token(people.harbor, email=people.otto.email, role="staff")
    client = as_(client, people, "otto")
    page = client.get(accept_url(token))
    assert "Join Harbor?" in page.text
    assert 'type="password"' not in page.text
    response = client.post(accept_url(token), password_data())
    assert response.status_code == 302
    assert Membership.objects.filter(user=people.otto, organization=people.harbor).exists()
    people.otto.refresh_from_db()
    assert people.otto.check_password(PASSWORD)


def test_accepting_where_one_already_belongs_says_so_on_the_page(client, people):
    _, token = invitation_with_token(people.harbor, email=people.ash.email)
    response = as_(client, people, "ash").post(accept_url(token))
    assert response.status_code == 200
    assert "You already have access here." in response.text
    assert people.ash.memberships.count() == 1
