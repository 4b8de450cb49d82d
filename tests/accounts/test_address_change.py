"""Changing the account's address: the new one is confirmed first, the old one is told
through the outbox and can put itself back for a week — once. Undoing drops the new
address and ends every session of the account."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.account_messages import UNDO_SALT, AccountMessage
from accounts.models import AddressChange, AuditEvent, OutboxMessage, OutboxStatus
from accounts.services.data_rights import collect_personal_data
from accounts.tasks import drain_outbox
from tests.accounts.contact_choices import choose_email
from tests.celery_worker import wait_for
from tests.factories import PASSWORD, UserFactory
from tests.mfa import give_totp, sign_in

pytestmark = pytest.mark.django_db

NEW_ADDRESS = "new.address@example.test"
REVEALING = ("surviv", "traffick", "exploit", "advisory", "board", "harbor", "program")


def link_in(message, path: str) -> str:
    match = re.search(rf"https?://\S+{re.escape(path)}\S+/", message.body)
    assert match, message.body
    return match.group(0)


def messages_to(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if message.to == [address]]


def change_address(client: Client, user, new_address: str = NEW_ADDRESS) -> None:
    """Ask for the change (having just confirmed it's them), then open the link that
    reached the new address."""
    client.post(reverse("account_email"), {"email": new_address, "action_add": ""})
    drain_outbox()
    confirmation = messages_to(new_address)[-1]
    client.post(link_in(confirmation, "/accounts/confirm-email/"))
    drain_outbox()


@pytest.fixture
def ash(personas):
    """Ash chose e-mail as a safe way to be reached, and is signed in on their device."""
    choose_email(personas.ash, personas.harbor)
    return personas.ash


@pytest.fixture
def ash_client(ash) -> Client:
    client = Client()
    sign_in(client, ash)
    return client


def undo_link(old_address: str) -> str:
    (notice,) = [m for m in messages_to(old_address) if "/undo/" in m.body]
    return link_in(notice, "/undo/")


# --- the change and the notice --------------------------------------------------------------


def test_the_new_address_is_confirmed_first_and_the_old_one_is_told_with_a_way_back(
    ash, ash_client, personas
):
    old_address = ash.email
    ash_client.post(reverse("account_email"), {"email": NEW_ADDRESS, "action_add": ""})
    drain_outbox()
    (asked,) = messages_to(old_address)
    assert "Someone asked to change the e-mail address for your account" in asked.body
    (confirmation,) = messages_to(NEW_ADDRESS)
    assert confirmation.body.startswith("Here is the link you asked for")
    ash.refresh_from_db()
    assert ash.email == old_address  # nothing changes before the new address answers

    ash_client.post(link_in(confirmation, "/accounts/confirm-email/"))
    ash.refresh_from_db()
    assert ash.email == NEW_ADDRESS
    assert list(EmailAddress.objects.filter(user=ash).values_list("email", flat=True)) == [
        NEW_ADDRESS
    ]
    drain_outbox()

    notice = messages_to(old_address)[-1]  # the account no longer has this address
    assert "The e-mail address for your account was changed to a new one." in notice.body
    assert "within 7 days" in notice.body
    text = f"{notice.subject}\n{notice.body}".lower()
    for word in (*REVEALING, NEW_ADDRESS, "ash"):
        assert word not in text
    token = undo_link(old_address).rstrip("/").rsplit("/", 1)[1]
    assert token not in str(list(OutboxMessage.objects.values()))
    change = AddressChange.objects.get(user=ash)
    assert (change.old_address, change.new_address, change.closed_at) == (
        old_address,
        NEW_ADDRESS,
        None,
    )


def test_opening_the_undo_link_changes_nothing_until_the_button_is_pressed(ash, ash_client):
    old_address = ash.email
    change_address(ash_client, ash)
    page = Client().get(undo_link(old_address))
    assert page.status_code == 200
    assert "Put my address back" in page.content.decode()
    assert NEW_ADDRESS not in page.content.decode()
    ash.refresh_from_db()
    assert ash.email == NEW_ADDRESS


def test_undo_puts_the_old_address_back_and_signs_everyone_out(ash, ash_client):
    old_address = ash.email
    change_address(ash_client, ash)
    holder = Client()  # whoever holds the device: signed in as Ash too
    sign_in(holder, ash)
    home = reverse("home")
    assert holder.get(home).status_code == 302  # signed in: sent on to the organization
    assert "/accounts/login/" not in holder.get(home)["Location"]

    page = Client().post(undo_link(old_address))

    assert page.status_code == 200
    assert "Your e-mail address is back" in page.content.decode()
    ash.refresh_from_db()
    assert ash.email == old_address
    address = EmailAddress.objects.get(user=ash)
    assert (address.email, address.verified, address.primary) == (old_address, True, True)
    for client in (holder, ash_client):
        assert client.get(home)["Location"].startswith(reverse("account_login"))
    assert Client().login(email=old_address, password=PASSWORD)
    change = AddressChange.objects.get()
    event = AuditEvent.objects.get(action="account.address_change_undone")
    assert (event.target_type, event.target_id, event.actor_id) == (
        "address_change",
        change.pk,
        None,
    )

    drain_outbox()
    (told,) = messages_to(NEW_ADDRESS)[-1:]
    assert "changed back" in told.body
    assert "/undo/" not in told.body


def test_undo_works_once(ash, ash_client):
    old_address = ash.email
    change_address(ash_client, ash)
    link = undo_link(old_address)
    assert Client().post(link).status_code == 200
    sign_in(ash_client, ash)
    change_address(ash_client, ash, "third.address@example.test")  # a later, real change

    again = Client().post(link)

    assert again.status_code == 410
    assert "This link has expired or was already used." in again.content.decode()
    assert Client().get(link).status_code == 410
    ash.refresh_from_db()
    assert ash.email == "third.address@example.test"


def test_undo_stops_working_after_seven_days(ash, ash_client):
    old_address = ash.email
    start = timezone.now()
    change_address(ash_client, ash)
    link = undo_link(old_address)
    with time_machine.travel(start + dt.timedelta(days=7, minutes=1)):
        assert Client().get(link).status_code == 410
        assert Client().post(link).status_code == 410
    ash.refresh_from_db()
    assert ash.email == NEW_ADDRESS
    with time_machine.travel(start + dt.timedelta(days=6, hours=23)):
        assert Client().post(link).status_code == 200
    ash.refresh_from_db()
    assert ash.email == old_address


def test_a_notice_that_could_only_go_out_after_the_week_is_not_sent(ash, ash_client):
    old_address = ash.email
    start = timezone.now()
    ash_client.post(reverse("account_email"), {"email": NEW_ADDRESS, "action_add": ""})
    drain_outbox()
    ash_client.post(link_in(messages_to(NEW_ADDRESS)[-1], "/accounts/confirm-email/"))
    with time_machine.travel(start + dt.timedelta(days=8)):
        drain_outbox()
    assert not [m for m in messages_to(old_address) if "/undo/" in m.body]
    notice = OutboxMessage.objects.get(kind=AccountMessage.ADDRESS_CHANGED)
    assert notice.status == OutboxStatus.NOT_SENT


def test_undoing_closes_every_other_open_change_of_the_account(ash, ash_client):
    """Someone who changed the address twice cannot use the notice sent to their own
    first address to undo the owner's undo."""
    old_address = ash.email
    change_address(ash_client, ash, "taker.one@example.test")
    sign_in(ash_client, ash)
    change_address(ash_client, ash, "taker.two@example.test")
    takers_link = undo_link("taker.one@example.test")

    assert Client().post(undo_link(old_address)).status_code == 200
    assert Client().post(takers_link).status_code == 410
    ash.refresh_from_db()
    assert ash.email == old_address
    assert not AddressChange.objects.filter(closed_at__isnull=True).exists()


def test_an_address_someone_else_took_meanwhile_cannot_come_back(ash, ash_client):
    old_address = ash.email
    change_address(ash_client, ash)
    UserFactory.create(email=old_address.upper())  # the same address, in another case
    assert Client().post(undo_link(old_address)).status_code == 410
    ash.refresh_from_db()
    assert ash.email == NEW_ADDRESS


@pytest.mark.parametrize(
    "token",
    [
        "made-up",
        signing.dumps("00000000-0000-0000-0000-000000000000", salt=UNDO_SALT),
        signing.dumps("00000000-0000-0000-0000-000000000000", salt="some-other-purpose"),
    ],
    ids=["made-up", "unknown-change", "other-salt"],
)
def test_unknown_and_forged_links_get_the_same_page(db, token):
    response = Client().get(reverse("undo_address_change", kwargs={"token": token}))
    assert response.status_code == 410
    assert "This link has expired or was already used." in response.content.decode()


def test_the_persons_download_holds_their_changes_by_day_without_addresses(ash, ash_client):
    change_address(ash_client, ash)
    sections = {s["key"]: s for s in collect_personal_data(ash)["sections"]}
    (row,) = sections["accounts.addresschange"]["data"]
    assert set(row) == {"changed_on", "undo_until", "closed_on"}
    assert row["changed_on"] == timezone.localdate().isoformat()
    assert "@" not in str(sections["accounts.addresschange"])


# --- every other change is told too ---------------------------------------------------------


def test_cancelling_a_waiting_change_tells_the_address(ash, ash_client):
    ash_client.post(reverse("account_email"), {"email": NEW_ADDRESS, "action_add": ""})
    ash_client.post(reverse("account_email"), {"email": NEW_ADDRESS, "action_remove": ""})
    assert not EmailAddress.objects.filter(email=NEW_ADDRESS).exists()
    drain_outbox()
    assert "An e-mail address was removed from your account." in messages_to(ash.email)[-1].body


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("mfa_deactivate_totp", "was removed from your account"),
        ("mfa_generate_recovery_codes", "was added to your account"),
    ],
)
def test_sign_in_security_changes_are_told(
    personas, name, words, django_capture_on_commit_callbacks
):
    give_totp(personas.sam)
    client = Client()
    sign_in(client, personas.sam)
    with django_capture_on_commit_callbacks(execute=True):  # allauth tells after its commit
        assert client.post(reverse(name), {}).status_code == 302
    drain_outbox()
    (notice,) = mail.outbox
    assert notice.to == [personas.sam.email]
    assert "A way to confirm it is you when you sign in" in notice.body
    assert words in notice.body


# --- on a real worker ---------------------------------------------------------------------


@pytest.mark.worker
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_old_address_is_told_by_a_real_worker(personas, celery_worker):
    choose_email(personas.ash, personas.harbor)
    old_address = personas.ash.email
    client = Client()
    sign_in(client, personas.ash)
    client.post(reverse("account_email"), {"email": NEW_ADDRESS, "action_add": ""})
    assert mail.outbox == []  # nothing leaves during the request

    drain_outbox.apply_async(queue=celery_worker.queue)
    wait_for(lambda: len(messages_to(NEW_ADDRESS)) == 1)
    client.post(link_in(messages_to(NEW_ADDRESS)[0], "/accounts/confirm-email/"))
    drain_outbox.apply_async(queue=celery_worker.queue)
    wait_for(lambda: any("/undo/" in m.body for m in messages_to(old_address)))

    assert Client().post(undo_link(old_address)).status_code == 200
    personas.ash.refresh_from_db()
    assert personas.ash.email == old_address
