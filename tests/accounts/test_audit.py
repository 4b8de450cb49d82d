"""The tamper-evident audit log (promise 13): triggers refuse changes to the append-only
tables, and verify_audit_log reports an edited, removed or truncated chain."""

import threading
from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from accounts import tasks
from accounts.audit import (
    append_only_triggers_lifted,
    chain_hash,
    record_audit_head,
    record_event,
    verify_chain,
)
from accounts.models import (
    AdvisoryBoard,
    AssignmentStatus,
    AuditEvent,
    AuditHead,
    BoardRole,
    ConsentAction,
    ConsentEvent,
    ConsentScope,
    RoleAssignment,
    RoleAssignmentChange,
)
from accounts.services import invite_person

pytestmark = pytest.mark.django_db

APPEND_ONLY = {
    "accounts_auditevent": AuditEvent,
    "accounts_consentevent": ConsentEvent,
    "accounts_roleassignmentchange": RoleAssignmentChange,
    "accounts_audithead": AuditHead,
}


def record(count: int) -> None:
    for n in range(count):
        record_event(action="test.event", actor_id=n, target_type="thing", target_id=n)


def one_row_in_each_table(personas) -> None:
    record(2)
    record_audit_head()
    ConsentEvent.objects.create(
        user=personas.ash,
        organization=personas.harbor,
        scope=ConsentScope.COUNT_IN_REPORTS,
        action=ConsentAction.GRANTED,
    )
    board = AdvisoryBoard.objects.create(organization=personas.harbor, name="Board")
    role = BoardRole.objects.create(organization=personas.harbor, name="Member", description="-")
    assignment = RoleAssignment.objects.create(
        board=board, role=role, user=personas.ash, starts_on=date(2026, 1, 1)
    )
    RoleAssignmentChange.objects.create(assignment=assignment, status=AssignmentStatus.INVITED)


def assert_refused(statement) -> None:
    """The database refuses `statement`; its savepoint is rolled back, so nothing changed."""
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        statement()


def raw(sql: str, params=None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def verify() -> tuple[str, int]:
    out = StringIO()
    try:
        call_command("verify_audit_log", stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc.returncode
    return out.getvalue(), 0


def tamper(sql: str, params=None) -> None:
    """Someone with rights to lift the trigger changes the chain behind the app's back."""
    with append_only_triggers_lifted(tables=("accounts_auditevent",)):
        raw(sql, params)


# --- the database refuses changes ----------------------------------------------------------


def assert_every_change_refused(personas) -> None:
    one_row_in_each_table(personas)
    for table, model in APPEND_ONLY.items():
        rows = model._default_manager.all()
        before = rows.count()
        assert before >= 1, table
        first = rows.order_by("pk").first()
        assert_refused(lambda r=rows: r.update(created_at=timezone.now()))
        assert_refused(lambda f=first: f.save())
        assert_refused(lambda r=rows: r.delete())
        # Table names come from the constant above, not from input.
        assert_refused(lambda t=table: raw(f"UPDATE {t} SET created_at = created_at"))  # noqa: S608
        assert_refused(lambda t=table: raw(f"DELETE FROM {t}"))  # noqa: S608
        assert rows.count() == before, table


def test_update_and_delete_are_refused_on_every_append_only_table(personas):
    assert_every_change_refused(personas)


@pytest.mark.services
def test_on_postgresql_update_and_delete_are_refused_too(personas):
    assert connection.vendor == "postgresql"
    assert_every_change_refused(personas)


def test_adding_to_the_append_only_tables_still_works(personas):
    one_row_in_each_table(personas)
    record(1)
    assert AuditEvent.objects.count() == 3
    assert verify_chain() == []


def test_erasing_the_chain_row_by_row_is_refused_even_one_event(personas):
    record(3)
    assert_refused(lambda: AuditEvent.objects.filter(sequence=3).delete())
    assert list(AuditEvent.objects.values_list("sequence", flat=True)) == [1, 2, 3]


@pytest.mark.django_db(transaction=True)
def test_emptying_the_database_still_works_and_keeps_the_triggers(personas):
    """Test teardown (and `manage.py flush`) empties every table; on SQLite that deletes
    rows, so the flush lifts the triggers and puts them back."""
    one_row_in_each_table(personas)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    record(1)
    assert_refused(lambda: AuditEvent.objects.all().delete())


# --- verify_audit_log ----------------------------------------------------------------------


def test_an_untouched_chain_is_reported_intact(personas):
    record(4)
    record_audit_head()
    assert verify() == ("The audit log is intact (4 events).\n", 0)


def test_an_empty_chain_is_intact():
    assert verify() == ("The audit log is intact (0 events).\n", 0)


def test_an_edited_payload_is_reported(personas):
    record(4)
    tamper(
        "UPDATE accounts_auditevent SET payload = REPLACE(payload, '\"test.event\"', "
        "'\"test.other\"') WHERE sequence = 2"
    )
    output, code = verify()
    assert code == 1
    assert "Event 2: payload altered" in output
    assert "test.event" not in output  # kind and sequence only, never content


def test_an_edited_column_is_reported(personas):
    record(4)
    tamper("UPDATE accounts_auditevent SET actor_id = 999 WHERE sequence = 3")
    output, code = verify()
    assert code == 1
    assert "Event 3: columns altered" in output


def test_a_rehashed_event_still_breaks_the_next_link(personas):
    record(3)
    event = AuditEvent.objects.get(sequence=2)
    forged_payload = event.payload.replace('"actor_id":1', '"actor_id":7')
    forged_hash = chain_hash(event.prev_hash, forged_payload)
    tamper(
        "UPDATE accounts_auditevent SET payload = %s, actor_id = 7, hash = %s WHERE sequence = 2",
        [forged_payload, forged_hash],
    )
    output, code = verify()
    assert code == 1
    assert "Event 3: broken link" in output


def test_a_removed_event_is_reported_as_a_gap(personas):
    record(5)
    tamper("DELETE FROM accounts_auditevent WHERE sequence = 3")
    output, code = verify()
    assert code == 1
    assert "Event 3: missing" in output
    assert "Event 4: broken link" in output


def test_a_chain_cut_short_after_a_head_was_recorded_is_reported(personas):
    record(5)
    record_audit_head()
    tamper("DELETE FROM accounts_auditevent WHERE sequence > 3")
    output, code = verify()
    assert code == 1
    assert "Event 5: truncated" in output


def test_a_chain_cut_short_and_written_again_differs_from_its_head(personas):
    record(5)
    record_audit_head()
    tamper("DELETE FROM accounts_auditevent WHERE sequence > 3")
    record(2)
    output, code = verify()
    assert code == 1
    assert "Event 5: differs from recorded head" in output


# --- the daily head ------------------------------------------------------------------------


def test_the_head_is_recorded_once_a_day(personas):
    record(2)
    with time_machine.travel(timezone.now(), tick=False):
        first = record_audit_head()
        assert first is not None
        record(1)
        assert record_audit_head() == first
    assert (first.sequence, first.hash) == (2, AuditEvent.objects.get(sequence=2).hash)
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=False):
        next_day = record_audit_head()
        assert next_day is not None
        assert next_day.sequence == 3
    assert AuditHead.objects.count() == 2


def test_no_head_is_recorded_for_an_empty_chain():
    assert record_audit_head() is None
    assert not AuditHead.objects.exists()


def test_the_daily_task_records_the_head(personas):
    record(3)
    assert tasks.record_audit_head() == 3
    assert tasks.record_audit_head() == 3
    assert AuditHead.objects.count() == 1


def test_beat_runs_the_head_task_daily():
    entry = next(
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "accounts.tasks.record_audit_head"
    )
    assert entry["schedule"] == timedelta(days=1)


# --- what events hold ----------------------------------------------------------------------


def test_events_hold_ids_and_codes_never_personal_text(personas):
    invitation = invite_person(
        organization=personas.harbor,
        invited_by=personas.ada,
        email="New.Person.Canary@example.test",
        role="survivor_leader",
        address_checked=True,
    )
    events = list(AuditEvent.objects.all())
    assert events
    for event in events:
        assert "canary" not in event.payload.lower()
        assert "@" not in event.payload
    assert any(event.target_id == invitation.pk for event in events)


# --- appends from many connections ---------------------------------------------------------


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_on_postgresql_make_one_gap_free_chain():
    assert connection.vendor == "postgresql"
    per_thread, threads = 15, 4
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def append() -> None:
        try:
            start.wait()
            record(per_thread)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=append) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    sequences = list(AuditEvent.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, per_thread * threads + 1))
    assert verify_chain() == []


def test_an_audit_code_too_long_for_its_column_is_refused_not_cut(db):
    """A code cut short would make the columns differ from the hashed payload, and the
    untouched chain would look tampered with."""
    with pytest.raises(ValueError, match="at most 64"):
        record_event(action="outbox.enqueued." + "x" * 60)
    record_event(action="x" * 64)
    assert verify_chain() == []
