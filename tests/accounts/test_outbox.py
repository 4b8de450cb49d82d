"""Promise 8: everything sent goes through one outbox and says only "there is an update"."""

import threading

import pytest
from celery.result import EagerResult
from celery.signals import task_prerun
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.models import AuditEvent, OutboxMessage, OutboxStatus
from accounts.outbox import can_contact, enqueue_update, send_pending_updates
from accounts.tasks import drain_outbox
from tests.celery_worker import wait_for

pytestmark = pytest.mark.django_db

FORBIDDEN_WORDS = ("surviv", "traffick", "exploit", "advisory", "board", "harbor")

# Where the updates in these tests point: any page of the organization will do.
MEETINGS = "/o/harbor/meetings/"


def all_text(message) -> str:
    return "\n".join([message.subject, message.body, message.from_email]).lower()


def test_staff_get_one_neutral_email(personas):
    enqueue_update(
        recipient=personas.sam,
        organization=personas.harbor,
        kind="meeting_changed",
        target=MEETINGS,
    )

    assert send_pending_updates() == 1

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sam@example.test"]
    assert message.subject == settings.SITE_DISPLAY_NAME
    assert "There is an update for you. Sign in to see it." in message.body
    assert settings.SITE_URL in message.body
    row = OutboxMessage.objects.get()
    assert row.status == OutboxStatus.SENT
    assert row.sent_at is not None


def test_email_names_nobody_and_says_nothing_about_the_work(personas):
    enqueue_update(
        recipient=personas.sam,
        organization=personas.harbor,
        kind="input_to_confirm",
        target=MEETINGS,
    )
    send_pending_updates()

    message = mail.outbox[0]
    text = all_text(message)
    for person in (personas.ash, personas.river, personas.fin, personas.ada, personas.faye):
        assert person.email not in text
        assert person.email.split("@")[0] not in text
    assert "sam" not in text  # not even the recipient's own address, outside `to`
    for word in FORBIDDEN_WORDS:
        assert word not in text
    assert "input_recorded" not in text
    assert message.cc == []
    assert message.bcc == []
    assert message.reply_to == []


def test_email_has_no_attachments_and_no_calendar_invite(personas):
    enqueue_update(
        recipient=personas.fin,
        organization=personas.harbor,
        kind="meeting_invitation",
        target=MEETINGS,
    )
    send_pending_updates()

    message = mail.outbox[0]
    assert message.attachments == []
    assert getattr(message, "alternatives", []) == []
    assert "text/calendar" not in message.message().as_string()
    assert "BEGIN:VCALENDAR" not in message.message().as_string()


def test_survivor_update_is_held_and_waits_on_their_home_page(client, personas):
    enqueue_update(
        recipient=personas.ash,
        organization=personas.harbor,
        kind="meeting_changed",
        target=MEETINGS,
    )

    assert send_pending_updates() == 0

    assert mail.outbox == []
    assert OutboxMessage.objects.get().status == OutboxStatus.HELD
    client.force_login(personas.ash)
    page = client.get(reverse("organization_home", kwargs={"org": "harbor"}))
    assert page.status_code == 200
    assert "There is 1 update for you" in page.content.decode()


def test_held_update_shows_only_to_its_recipient(client, personas):
    enqueue_update(
        recipient=personas.ash,
        organization=personas.harbor,
        kind="meeting_changed",
        target=MEETINGS,
    )
    send_pending_updates()

    client.force_login(personas.river)
    page = client.get(reverse("organization_home", kwargs={"org": "harbor"}))
    assert "update for you" not in page.content.decode()


def test_running_twice_sends_once(personas):
    enqueue_update(
        recipient=personas.sam,
        organization=personas.harbor,
        kind="meeting_changed",
        target=MEETINGS,
    )
    enqueue_update(
        recipient=personas.ash,
        organization=personas.harbor,
        kind="meeting_changed",
        target=MEETINGS,
    )

    assert send_pending_updates() == 1
    assert send_pending_updates() == 0

    assert len(mail.outbox) == 1
    statuses = dict(OutboxMessage.objects.values_list("recipient__email", "status"))
    assert statuses == {"sam@example.test": "sent", "ash@example.test": "held"}


def test_batch_size_limits_one_run(personas):
    for _ in range(3):
        enqueue_update(
            recipient=personas.sam,
            organization=personas.harbor,
            kind="meeting_changed",
            target=MEETINGS,
        )

    assert send_pending_updates(batch_size=2) == 2
    assert OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count() == 1
    assert send_pending_updates(batch_size=2) == 1
    assert len(mail.outbox) == 3


def test_a_failed_send_leaves_the_update_pending(personas, monkeypatch):
    enqueue_update(
        recipient=personas.sam,
        organization=personas.harbor,
        kind="meeting_changed",
        target=MEETINGS,
    )

    def refuse(*args, **kwargs):
        raise OSError("mail server away")

    monkeypatch.setattr("accounts.outbox.EmailMessage.send", refuse)
    with pytest.raises(OSError, match="away"):
        send_pending_updates()

    assert OutboxMessage.objects.get().status == OutboxStatus.PENDING


def test_enqueue_records_ids_and_codes_only(personas):
    message = enqueue_update(
        recipient=personas.sam,
        organization=personas.harbor,
        kind="meeting_changed",
        target=MEETINGS,
    )

    event = AuditEvent.objects.get()
    assert event.action == "outbox.enqueued.meeting_changed"
    assert event.organization_id == personas.harbor.pk
    assert event.target_type == "outbox_message"
    assert event.target_id == message.pk


@pytest.mark.parametrize("name", ["sam", "fin", "ada", "faye"])
def test_work_roles_and_funders_can_be_emailed(personas, name):
    user = getattr(personas, name)
    assert can_contact(user=user, organization=personas.harbor, channel="email")
    assert not can_contact(user=user, organization=personas.harbor, channel="sms")


@pytest.mark.parametrize("channel", ["email", "sms"])
def test_survivor_leaders_are_not_contacted_before_choosing_a_channel(personas, channel):
    assert not can_contact(user=personas.ash, organization=personas.harbor, channel=channel)
    assert not can_contact(user=personas.otto, organization=personas.second, channel=channel)


def test_nobody_is_contacted_about_an_organization_they_are_not_part_of(personas):
    assert not can_contact(user=personas.sam, organization=personas.second, channel="email")
    assert not can_contact(user=personas.faye, organization=personas.second, channel="email")


def test_inactive_people_are_not_contacted(personas):
    personas.sam.is_active = False
    personas.sam.save()
    assert not can_contact(user=personas.sam, organization=personas.harbor, channel="email")


@pytest.mark.worker
@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_beat_job_runs_on_a_real_worker_over_redis(personas, celery_worker):
    enqueue_update(
        recipient=personas.sam,
        organization=personas.harbor,
        kind="meeting_changed",
        target=MEETINGS,
    )
    enqueue_update(
        recipient=personas.ash,
        organization=personas.harbor,
        kind="meeting_changed",
        target=MEETINGS,
    )

    ran_in: list[tuple[bool, int]] = []

    def record(sender, **kwargs):
        ran_in.append((bool(sender.request.is_eager), threading.get_ident()))

    task_prerun.connect(record, sender=drain_outbox, weak=False)
    try:
        # `.delay()` with the worker's own queue: see tests/celery_worker.py for why.
        result = drain_outbox.apply_async(queue=celery_worker.queue)
        wait_for(lambda: not OutboxMessage.objects.filter(status=OutboxStatus.PENDING).exists())
    finally:
        task_prerun.disconnect(record, sender=drain_outbox)

    assert not isinstance(result, EagerResult)
    assert ran_in == [(False, ran_in[0][1])]
    assert ran_in[0][1] != threading.get_ident()  # the worker's thread, not this one
    assert [message.to for message in mail.outbox] == [["sam@example.test"]]
    statuses = dict(OutboxMessage.objects.values_list("recipient__email", "status"))
    assert statuses == {"sam@example.test": "sent", "ash@example.test": "held"}
