"""Every message goes through the outbox: password-reset links and account messages follow
the safe-contact rules, say nothing about what the site is, and asking for a reset takes
the same path whether or not the address is known (nothing is looked up or sent in the
request; the worker does that)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.account_messages import AccountMessage
from accounts.models import (
    AuditEvent,
    OutboxMessage,
    OutboxStatus,
    PasswordResetRequest,
    Role,
)
from accounts.outbox import Decision, account_contact_decision, enqueue_account_message
from accounts.selectors import waiting_updates_for
from accounts.services.account_changes import (
    resolve_password_reset_request,
    resolve_waiting_password_reset_requests,
)
from accounts.tasks import drain_outbox
from tests.accounts.contact_choices import choose_email
from tests.celery_worker import wait_for
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

# 12:00 UTC is 07:00 in New York (EST, UTC-5) on this date.
NOON_UTC = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
REVEALING = ("surviv", "traffick", "exploit", "advisory", "board", "harbor", "second", "program")
NEW_PASSWORD = "quiet-river-stones-42"


def ask_for_reset(address: str, client: Client | None = None):
    return (client or Client()).post(reverse("account_reset_password"), {"email": address})


def reset_link(body: str) -> str:
    match = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", body)
    assert match, body
    return match.group(0)


def all_text(message) -> str:
    return "\n".join([message.subject, message.body, message.from_email]).lower()


# --- the request: the same for every address -----------------------------------------------


def test_known_and_unknown_addresses_get_the_same_answer_and_the_same_queries(
    personas, django_capture_on_commit_callbacks
):
    """The number of SQL queries stands in for the time a request takes: the work done
    for an address that belongs to someone and one that does not must be identical."""
    ask_for_reset("warm-up@example.test")  # first-request setup is not what we compare
    answers, queries, callbacks = [], [], []
    for address in (personas.sam.email, "nobody@example.test", personas.ash.email):
        with (
            CaptureQueriesContext(connection) as captured,
            django_capture_on_commit_callbacks(execute=False) as on_commit,
        ):
            response = ask_for_reset(address)
        answers.append((response.status_code, response["Location"], response.content))
        queries.append([query["sql"].split(" ")[0] for query in captured.captured_queries])
        callbacks.append(len(on_commit))
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][:2] == (302, reverse("account_reset_password_done"))
    assert queries[0] == queries[1] == queries[2]
    assert not any("accounts_user" in q["sql"] for q in captured.captured_queries)
    assert callbacks == [1, 1, 1]  # one task each, queued once the row is committed
    assert mail.outbox == []
    assert OutboxMessage.objects.count() == 0


def test_the_request_stores_only_an_encrypted_row(personas):
    ask_for_reset(personas.sam.email)
    with connection.cursor() as cursor:
        cursor.execute("SELECT address FROM accounts_passwordresetrequest")
        (stored,) = cursor.fetchone()
    assert personas.sam.email not in stored
    assert "sam" not in stored
    assert PasswordResetRequest.objects.get().address == personas.sam.email


def test_the_worker_queues_a_link_only_for_an_active_account_and_forgets_the_request(personas):
    ask_for_reset(personas.sam.email.upper())
    ask_for_reset("nobody@example.test")
    personas.fin.is_active = False
    personas.fin.save()
    ask_for_reset(personas.fin.email)

    assert resolve_waiting_password_reset_requests() == 3
    assert resolve_waiting_password_reset_requests() == 0  # nothing left: idempotent

    assert PasswordResetRequest.objects.count() == 0
    message = OutboxMessage.objects.get()
    assert (message.recipient, message.kind, message.organization) == (
        personas.sam,
        AccountMessage.PASSWORD_RESET,
        None,
    )
    assert AuditEvent.objects.filter(
        action="account.password_reset_asked", target_id=personas.sam.pk
    ).exists()


def test_resolving_a_request_twice_queues_one_link(personas):
    ask_for_reset(personas.sam.email)
    request_id = PasswordResetRequest.objects.get().pk
    resolve_password_reset_request(request_id=request_id)
    resolve_password_reset_request(request_id=request_id)
    assert OutboxMessage.objects.count() == 1


# --- the message: neutral, made when sent, and it works -------------------------------------


def test_the_link_is_made_when_sent_and_says_nothing_about_the_site(personas):
    ask_for_reset(personas.sam.email)
    assert mail.outbox == []

    drain_outbox()  # the beat job

    (message,) = mail.outbox
    assert message.to == [personas.sam.email]
    assert message.subject == settings.SITE_DISPLAY_NAME
    assert message.body.startswith("Here is the link you asked for.")
    assert "If you did not ask for it, you can ignore this message." in message.body
    text = all_text(message)
    for word in REVEALING:
        assert word not in text
    for person in (personas.ash, personas.river, personas.fin, personas.ada, personas.faye):
        assert person.email.split("@")[0] not in text
    assert "sam" not in text
    assert message.attachments == []
    assert getattr(message, "alternatives", []) == []
    token = reset_link(str(message.body)).rstrip("/").rsplit("/", 1)[1]
    stored = str(list(OutboxMessage.objects.values())) + str(list(AuditEvent.objects.values()))
    assert token not in stored
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT


def test_the_link_lets_the_person_choose_a_new_password_and_tells_them(personas):
    ask_for_reset(personas.sam.email)
    drain_outbox()
    client = Client()
    page = client.get(reset_link(str(mail.outbox[0].body)), follow=True)
    assert page.status_code == 200
    set_password_url = page.redirect_chain[-1][0]
    response = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    personas.sam.refresh_from_db()
    assert personas.sam.check_password(NEW_PASSWORD)

    drain_outbox()
    notice = mail.outbox[1]
    assert notice.to == [personas.sam.email]
    assert "The password for your account was changed." in notice.body
    assert "/accounts/password/reset/key/" not in notice.body


# --- the safe-contact rules, for account messages ------------------------------------------


def test_nothing_is_sent_to_a_survivor_who_has_not_chosen_email(personas):
    ask_for_reset(personas.ash.email)
    drain_outbox()
    assert mail.outbox == []
    message = OutboxMessage.objects.get(recipient=personas.ash)
    assert message.status == OutboxStatus.NOT_SENT  # not kept for later: its link never made


def test_a_survivor_who_chose_email_gets_the_link(personas):
    with time_machine.travel(NOON_UTC, tick=False):
        choose_email(personas.ash, personas.harbor)
        ask_for_reset(personas.ash.email)
        drain_outbox()
    assert [message.to for message in mail.outbox] == [[personas.ash.email]]


def test_in_quiet_hours_the_link_waits_and_goes_out_afterwards(personas):
    with time_machine.travel(NOON_UTC - dt.timedelta(days=1), tick=False):
        choose_email(
            personas.ash,
            personas.harbor,
            time_zone="America/New_York",
            quiet_hours_start=dt.time(21, 0),
            quiet_hours_end=dt.time(8, 0),
        )
    with time_machine.travel(NOON_UTC, tick=False):  # 07:00 in New York: quiet
        ask_for_reset(personas.ash.email)
        drain_outbox()
        assert mail.outbox == []
        assert OutboxMessage.objects.get().status == OutboxStatus.PENDING
    with time_machine.travel(NOON_UTC + dt.timedelta(hours=1), tick=False):  # 08:00
        drain_outbox()
    assert [message.to for message in mail.outbox] == [[personas.ash.email]]
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT


def survivor_here_and_staff_there(personas):
    """Ash, a survivor leader in Harbor, also works as staff in Second."""
    MembershipFactory.create(user=personas.ash, organization=personas.second, role=Role.STAFF)
    return personas.ash


def test_one_organization_allowing_email_is_enough(personas):
    ash = survivor_here_and_staff_there(personas)  # no channel chosen in Harbor
    with time_machine.travel(NOON_UTC, tick=False):
        assert account_contact_decision(user=ash) is Decision.SEND


def test_any_organizations_quiet_time_makes_an_account_message_wait(personas):
    ash = survivor_here_and_staff_there(personas)
    with time_machine.travel(NOON_UTC - dt.timedelta(days=1), tick=False):
        choose_email(
            ash, personas.harbor, quiet_hours_start=dt.time(11), quiet_hours_end=dt.time(13)
        )
    with time_machine.travel(NOON_UTC, tick=False):  # Harbor's quiet time; Second says yes
        assert account_contact_decision(user=ash) is Decision.LATER
    with time_machine.travel(NOON_UTC + dt.timedelta(hours=2), tick=False):
        assert account_contact_decision(user=ash) is Decision.SEND


def test_someone_who_belongs_nowhere_gets_no_account_messages(db):
    loner = UserFactory.create(email="loner@example.test")
    assert account_contact_decision(user=loner) is Decision.HOLD
    enqueue_account_message(recipient=loner, kind=AccountMessage.PASSWORD_CHANGED)
    drain_outbox()
    assert mail.outbox == []


def test_account_messages_never_wait_on_a_home_page(personas):
    enqueue_account_message(recipient=personas.ash, kind=AccountMessage.PASSWORD_CHANGED)
    drain_outbox()
    assert OutboxMessage.objects.get().status == OutboxStatus.NOT_SENT
    assert not waiting_updates_for(personas.ash, personas.harbor).exists()


def test_a_notice_can_go_to_an_address_the_account_no_longer_has(personas):
    enqueue_account_message(
        recipient=personas.sam,
        kind=AccountMessage.PASSWORD_CHANGED,
        address="old.address@example.test",
    )
    drain_outbox()
    assert [message.to for message in mail.outbox] == [["old.address@example.test"]]
    with connection.cursor() as cursor:
        cursor.execute("SELECT address FROM accounts_outboxmessage")
        (stored,) = cursor.fetchone()
    assert "old.address" not in stored  # encrypted at rest


# --- on a real worker ---------------------------------------------------------------------


@pytest.mark.worker
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_reset_request_becomes_a_link_on_a_real_worker(personas, celery_worker):
    response = ask_for_reset(personas.sam.email)
    assert response.status_code == 302
    assert mail.outbox == []  # the request sent nothing

    # The beat job's run, on the worker: it resolves the request, then sends the link.
    drain_outbox.apply_async(queue=celery_worker.queue)
    wait_for(lambda: OutboxMessage.objects.filter(status=OutboxStatus.SENT).exists())

    assert [message.to for message in mail.outbox] == [[personas.sam.email]]
    assert PasswordResetRequest.objects.count() == 0
    assert OutboxMessage.objects.get().kind == AccountMessage.PASSWORD_RESET
