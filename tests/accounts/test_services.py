"""Invitations as services: who can be invited, what the e-mail says, and using a link once."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from accounts import services
from accounts.models import (
    AuditEvent,
    ConsentText,
    FunderAccess,
    Invitation,
    InvitedRole,
    Membership,
    Organization,
    OutboxMessage,
    Role,
    SurvivorProfile,
    User,
)
from accounts.outbox import send_pending_updates
from accounts.selectors import hash_token
from tests.factories import PASSWORD, InvitationFactory, SurvivorProfileFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "quiet-river-stones-42"


def invite(personas, email="new.person@example.test", role=InvitedRole.SURVIVOR_LEADER, **kw):
    kw.setdefault("address_checked", True)
    return services.invite_person(
        organization=personas.harbor, invited_by=personas.ada, email=email, role=role, **kw
    )


def delivered() -> list[mail.EmailMessage]:
    """The invitation goes out through the outbox: run it here, as the worker would."""
    send_pending_updates()
    return mail.outbox


def invitation_with_token(personas, email="new.person@example.test", **fields):
    token = services.new_token()
    invitation = InvitationFactory.create(
        organization=personas.harbor, email=email, token_hash=hash_token(token), **fields
    )
    return invitation, token


def snapshot() -> tuple[int, ...]:
    return (
        Invitation.objects.count(),
        AuditEvent.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        FunderAccess.objects.count(),
        EmailAddress.objects.count(),
    )


# --- creating an organization ----------------------------------------------------------


def test_create_organization_makes_a_unique_slug_and_an_admin_invitation(db):
    Organization.objects.create(name="Elsewhere", slug="harbor-house")
    organization, token = services.create_organization(
        name="Harbor House", admin_email=" First.Admin@Example.test "
    )
    assert organization.slug == "harbor-house-2"
    invitation = Invitation.objects.get(organization=organization)
    assert invitation.role == InvitedRole.ADMIN
    assert invitation.email == "first.admin@example.test"
    assert invitation.token_hash == hash_token(token)
    assert token not in invitation.token_hash
    actions = list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True))
    # The organization comes with the words of every choice, each text audited.
    texts = ConsentText.objects.filter(organization=organization).count()
    assert actions == [
        "organization.created",
        *["consent_text.created"] * texts,
        "invitation.created",
    ]


@pytest.mark.parametrize(
    ("name", "email", "time_zone"),
    [
        ("Harbor", "someone@example.test", "UTC"),  # same name as an existing one
        ("New place", "not-an-address", "UTC"),
        ("New place", "someone@example.test", "Mars/Olympus"),
        ("   ", "someone@example.test", "UTC"),
    ],
)
def test_create_organization_refuses_bad_input_and_writes_nothing(personas, name, email, time_zone):
    before = (Organization.objects.count(), *snapshot())
    with pytest.raises(ValidationError):
        services.create_organization(name=name, admin_email=email, time_zone=time_zone)
    assert (Organization.objects.count(), *snapshot()) == before


# --- inviting --------------------------------------------------------------------------


def test_invite_stores_only_a_hash_and_expires_in_seven_days(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(personas, email="New.Person@Example.test")
    assert invitation.email == "new.person@example.test"
    assert len(invitation.token_hash) == 64
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    assert invitation.invited_by == personas.ada
    event = AuditEvent.objects.get(action="invitation.created")
    assert (event.actor_id, event.organization_id, event.target_id) == (
        personas.ada.pk,
        personas.harbor.pk,
        invitation.pk,
    )
    assert len(delivered()) == 1


def test_the_email_goes_out_from_the_outbox_after_the_commit(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = invite(personas)
    assert mail.outbox == []
    assert len(callbacks) == 1  # asks the worker for a run soon; sends nothing itself
    message = OutboxMessage.objects.get()
    assert (message.kind, message.reference_id, message.recipient) == (
        "invitation.email",
        invitation.pk,
        None,
    )
    assert len(delivered()) == 1


def test_the_link_is_made_when_the_email_goes_out_and_only_its_hash_is_kept(personas):
    invitation = invite(personas)
    hash_before_sending = Invitation.objects.get(pk=invitation.pk).token_hash
    (message,) = delivered()
    token = message.body.split("/invitations/")[1].split("/")[0]
    stored = Invitation.objects.get(pk=invitation.pk).token_hash
    assert stored == hash_token(token) != hash_before_sending
    assert token not in str(list(OutboxMessage.objects.values()))
    assert services.accept_invitation(token=token, password=NEW_PASSWORD).email == invitation.email


def test_a_revoked_invitation_is_never_sent(personas):
    invitation = invite(personas)
    services.revoke_invitation(invitation=invitation, revoked_by=personas.ada)
    assert delivered() == []
    assert OutboxMessage.objects.get().status == "not_sent"


def test_the_email_is_neutral(personas, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(personas, role=InvitedRole.SURVIVOR_LEADER)
    (message,) = delivered()
    assert message.subject == settings.SITE_DISPLAY_NAME
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.to == ["new.person@example.test"]
    body = message.body.lower()
    assert f"you have been invited to join {settings.SITE_DISPLAY_NAME}".lower() in body
    assert "7 days" in body
    assert "if you were not expecting this, you can ignore it." in body
    for word in ("surviv", "traffick", "harbor", "leader", "advisory", "board", "exploit"):
        assert word not in body
    assert "/invitations/" in body


@pytest.mark.parametrize("role", list(InvitedRole))
def test_every_role_gets_the_same_email(personas, role, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(personas, email=f"{role}@example.test", role=role)
    body = delivered()[0].body.lower()
    assert "surviv" not in body
    assert "traffick" not in body
    assert "funder" not in body


def test_without_the_address_check_nothing_is_written(personas, django_capture_on_commit_callbacks):
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as exc:
        invite(personas, address_checked=False)
    assert "safe to use" in exc.value.messages[0]
    assert snapshot() == before
    assert delivered() == []


@pytest.mark.parametrize("who", ["ash", "sam", "ada", "faye"])
def test_inviting_someone_who_already_has_access_is_refused(
    personas, who, django_capture_on_commit_callbacks
):
    before = snapshot()
    email = getattr(personas, who).email.upper()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as exc:
        invite(personas, email=email)
    assert exc.value.messages == ["This person already has access to this organization."]
    assert snapshot() == before
    assert delivered() == []


def test_a_second_open_invitation_for_the_same_address_is_refused(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(personas)
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as exc:
        invite(personas, email="NEW.person@example.test", role=InvitedRole.STAFF)
    assert exc.value.messages == ["This person already has an open invitation."]
    assert snapshot() == before
    assert len(delivered()) == 1


def test_an_expired_or_revoked_invitation_does_not_block_a_new_one(personas):
    InvitationFactory.create(
        organization=personas.harbor,
        email="new.person@example.test",
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    InvitationFactory.create(
        organization=personas.harbor, email="new.person@example.test", revoked_at=timezone.now()
    )
    assert invite(personas).is_open


def test_an_open_invitation_elsewhere_does_not_block_or_show(personas):
    InvitationFactory.create(organization=personas.second, email="new.person@example.test")
    assert invite(personas).is_open


def test_malformed_address_is_refused(personas):
    before = snapshot()
    with pytest.raises(ValidationError):
        invite(personas, email="not an address")
    assert snapshot() == before


def test_unknown_role_is_refused(personas):
    before = snapshot()
    with pytest.raises(ValidationError):
        invite(personas, role="owner")
    assert snapshot() == before


def test_an_address_known_in_another_organization_gets_the_same_flow(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = invite(personas, email=personas.otto.email)
        new = invite(personas, email="nobody.yet@example.test")
    assert known.is_open
    assert new.is_open
    first, second = delivered()
    assert (first.subject, first.from_email) == (second.subject, second.from_email)
    assert strip_link(first.body) == strip_link(second.body)
    assert first.body != second.body  # only the link differs


def strip_link(body) -> str:
    return "\n".join(line for line in body.splitlines() if "/invitations/" not in line)


def test_invitation_link_uses_the_site_address(personas, settings):
    """Made in the worker, from the setting: never from a request's Host header."""
    settings.SITE_URL = "https://portal.example.org/"
    invite(personas)
    assert "https://portal.example.org/invitations/" in delivered()[0].body


def test_no_address_is_logged(personas, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(personas, email="private.person@example.test")
    token = delivered()[0].body.split("/invitations/")[1].split("/")[0]
    services.accept_invitation(token=token, password=NEW_PASSWORD)
    services.revoke_invitation(
        invitation=invite(personas, email="second.private@example.test"),
        revoked_by=personas.ada,
    )
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is not None
    assert "private" not in caplog.text
    assert "@" not in caplog.text


# --- accepting -------------------------------------------------------------------------


def test_accepting_creates_the_person_verified_and_a_membership(personas):
    invitation, token = invitation_with_token(personas, email="New.Person@example.test")
    user = services.accept_invitation(token=token, password=NEW_PASSWORD)
    assert user.email == "new.person@example.test"
    assert user.check_password(NEW_PASSWORD)
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == (user.email, True, True)
    membership = Membership.objects.get(user=user)
    assert (membership.organization, membership.role) == (personas.harbor, Role.SURVIVOR_LEADER)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"invitation.accepted", "membership.created"} <= actions


def test_a_password_for_an_address_with_an_account_is_refused_and_nothing_changes(personas):
    """The link proves the inbox, not the account: an existing account is never given a
    password from a link. That person signs in and accepts as themselves."""
    invitation, token = invitation_with_token(personas, email="OTTO@example.test")
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.accept_invitation(token=token, password=NEW_PASSWORD)
    assert exc.value.code == services.SIGN_IN_FIRST
    assert snapshot() == before
    personas.otto.refresh_from_db()
    assert personas.otto.check_password(PASSWORD)
    invitation.refresh_from_db()
    assert invitation.is_open


def test_an_address_an_account_confirmed_counts_as_that_account(personas):
    EmailAddress.objects.create(user=personas.otto, email="otto.other@example.test", verified=True)
    _, token = invitation_with_token(personas, email="otto.other@example.test")
    with pytest.raises(ValidationError) as exc:
        services.accept_invitation(token=token, password=NEW_PASSWORD)
    assert exc.value.code == services.SIGN_IN_FIRST
    assert not User.objects.filter(email="otto.other@example.test").exists()
    user = services.accept_invitation_signed_in(token=token, user=personas.otto)
    assert Membership.objects.filter(user=user, organization=personas.harbor).exists()
    assert EmailAddress.objects.get(user=user, primary=True).email == personas.otto.email


def test_an_address_typed_into_another_account_but_never_confirmed_counts_for_nothing(personas):
    """Ash adds the invited address without confirming it: Ash cannot accept with it, and
    the person it belongs to can still join with a password of their own."""
    EmailAddress.objects.create(user=personas.ash, email="new.person@example.test")
    _, token = invitation_with_token(personas)
    with pytest.raises(ValidationError):
        services.accept_invitation_signed_in(token=token, user=personas.ash)
    assert personas.ash.memberships.count() == 1
    user = services.accept_invitation(token=token, password=NEW_PASSWORD)
    assert user != personas.ash
    assert user.check_password(NEW_PASSWORD)


def test_the_signed_in_person_accepts_and_keeps_their_password(personas):
    _, token = invitation_with_token(personas, email="OTTO@example.test", role=Role.STAFF)
    user = services.accept_invitation_signed_in(token=token, user=personas.otto)
    assert user == personas.otto
    personas.otto.refresh_from_db()
    assert personas.otto.check_password(PASSWORD)
    assert set(user.memberships.values_list("organization__slug", "role")) == {
        ("second", Role.SURVIVOR_LEADER),
        ("harbor", Role.STAFF),
    }
    assert EmailAddress.objects.get(user=user, primary=True).verified


def test_no_profile_is_made_or_copied_for_the_new_organization(personas):
    SurvivorProfileFactory.create(user=personas.otto, chosen_name="Otto at Second")
    _, token = invitation_with_token(personas, email=personas.otto.email)
    services.accept_invitation_signed_in(token=token, user=personas.otto)
    assert list(SurvivorProfile.objects.values_list("organization__slug", flat=True)) == ["second"]


def test_someone_else_cannot_accept_an_invitation_signed_in(personas):
    invitation, token = invitation_with_token(personas, email=personas.otto.email)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.accept_invitation_signed_in(token=token, user=personas.ash)
    assert exc.value.code == services.UNUSABLE
    assert snapshot() == before
    invitation.refresh_from_db()
    assert invitation.is_open


def test_accepting_verifies_an_unverified_address(personas):
    user = User.objects.create_user("unverified@example.test", PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=False)
    _, token = invitation_with_token(personas, email=user.email)
    services.accept_invitation_signed_in(token=token, user=user)
    address = EmailAddress.objects.get(user=user)
    assert address.verified
    assert address.primary
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_funder_invitation_gives_funder_access_not_membership(personas):
    _, token = invitation_with_token(personas, email="funds@example.test", role=InvitedRole.FUNDER)
    user = services.accept_invitation(token=token, password=NEW_PASSWORD)
    assert FunderAccess.objects.filter(user=user, organization=personas.harbor).exists()
    assert not Membership.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"expires_at": timezone.now() - timedelta(seconds=1)},
        {"accepted_at": timezone.now()},
        {"revoked_at": timezone.now()},
    ],
    ids=["expired", "used", "revoked"],
)
def test_unusable_links_are_refused_and_nothing_is_written(personas, fields):
    _, token = invitation_with_token(personas, **fields)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.accept_invitation(token=token, password=NEW_PASSWORD)
    assert exc.value.code == services.UNUSABLE
    assert "expired or was already used" in exc.value.messages[0]
    assert snapshot() == before


def test_an_unknown_token_is_refused(personas):
    with pytest.raises(ValidationError) as exc:
        services.accept_invitation(token="made-up", password=NEW_PASSWORD)
    assert exc.value.code == services.UNUSABLE


def test_a_link_works_only_once(personas):
    _, token = invitation_with_token(personas)
    services.accept_invitation(token=token, password=NEW_PASSWORD)
    with pytest.raises(ValidationError):
        services.accept_invitation(token=token, password="another-long-password-9")
    assert Membership.objects.filter(user__email="new.person@example.test").count() == 1
    assert User.objects.get(email="new.person@example.test").check_password(NEW_PASSWORD)


def test_a_weak_password_is_refused_and_nothing_is_written(personas):
    invitation, token = invitation_with_token(personas)
    before = snapshot()
    with pytest.raises(ValidationError):
        services.accept_invitation(token=token, password="12345678")
    assert snapshot() == before
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_accepts_at_the_same_time_accept_once(personas):
    """Two clicks racing: select_for_update makes the second wait, then find it used."""
    assert connection.vendor == "postgresql"
    _, token = invitation_with_token(personas)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept() -> None:
        try:
            barrier.wait()
            services.accept_invitation(token=token, password=NEW_PASSWORD)
            outcomes.append("accepted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["accepted", "refused"]
    assert Membership.objects.filter(user__email="new.person@example.test").count() == 1
    assert AuditEvent.objects.filter(action="invitation.accepted").count() == 1


def test_access_gained_meanwhile_is_refused(personas):
    _, token = invitation_with_token(personas, email=personas.sam.email)
    with pytest.raises(ValidationError):
        services.accept_invitation_signed_in(token=token, user=personas.sam)
    assert personas.sam.memberships.count() == 1


# --- revoking --------------------------------------------------------------------------


def test_revoking_closes_the_link_once(personas):
    invitation, token = invitation_with_token(personas)
    services.revoke_invitation(invitation=invitation, revoked_by=personas.ada)
    services.revoke_invitation(invitation=invitation, revoked_by=personas.ada)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEvent.objects.filter(action="invitation.revoked").count() == 1
    with pytest.raises(ValidationError):
        services.accept_invitation(token=token, password=NEW_PASSWORD)


def test_an_accepted_invitation_cannot_be_revoked(personas):
    invitation, _ = invitation_with_token(personas, accepted_at=timezone.now())
    with pytest.raises(ValidationError):
        services.revoke_invitation(invitation=invitation, revoked_by=personas.ada)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_an_accepted_invitation_keeps_no_copy_of_the_address(db):
    """The account holds the address now; a copy here would outlive a later change of
    address or a deleted account."""
    organization, token = services.create_organization(
        name="Keeps Nothing", admin_email="keeper@example.test"
    )
    services.accept_invitation(token=token, password="a-long-and-unusual-passphrase")
    invitation = Invitation.objects.get(organization=organization)
    assert invitation.accepted_at is not None
    assert invitation.email == ""
