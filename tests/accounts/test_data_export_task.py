"""The background side of "Download my data": building the file, progress, idempotence,
failure, the purge, and a real worker over Redis."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts import data_rights
from accounts.models import AuditEvent, DataExport, ExportStatus, Organization
from accounts.services.data_rights import (
    build_data_export,
    purge_expired_exports,
    request_data_export,
)
from accounts.tasks import build_data_export as build_task
from accounts.tasks import purge_expired_exports as purge_task
from tests.celery_worker import wait_for

pytestmark = pytest.mark.django_db


def waiting_export(user, **fields) -> DataExport:
    return DataExport.objects.create(
        user=user, expires_at=timezone.now() + timedelta(hours=24), **fields
    )


def extra_section(monkeypatch, export) -> None:
    """Register one more section for the test only (keyed by a model nobody registers)."""
    monkeypatch.setitem(
        data_rights._REGISTRY,
        Organization,
        data_rights.Handler(
            model=Organization,
            export=export,
            erase=data_rights.keep,
            reason="test only",
            title="Test",
        ),
    )


def test_running_the_task_twice_gives_one_ready_export(personas):
    export = waiting_export(personas.ash)

    build_task.apply(args=(export.pk,))
    first = DataExport.objects.get()
    build_task.apply(args=(export.pk,))

    again = DataExport.objects.get()
    assert again.status == ExportStatus.READY
    assert again.content == first.content
    assert again.ready_at == first.ready_at
    assert AuditEvent.objects.filter(action="data_export.ready").count() == 1


def test_progress_is_saved_as_the_file_is_built(personas, monkeypatch):
    export = waiting_export(personas.ash)
    seen = []

    def note_progress(user):
        seen.append(DataExport.objects.get(pk=export.pk).progress)
        return []

    extra_section(monkeypatch, note_progress)

    build_data_export(export_id=export.pk)

    assert seen
    assert 0 < seen[0] < 100
    assert DataExport.objects.get().progress == 100


def test_a_failed_build_says_so_and_can_be_tried_again(personas, monkeypatch):
    export = waiting_export(personas.ash)

    def broken(user):
        raise RuntimeError("the disk is full")

    extra_section(monkeypatch, broken)
    with pytest.raises(RuntimeError):
        build_data_export(export_id=export.pk)
    assert DataExport.objects.get().status == ExportStatus.FAILED

    monkeypatch.delitem(data_rights._REGISTRY, Organization)
    again = request_data_export(user=personas.ash)
    build_data_export(export_id=again.pk)
    assert DataExport.objects.get().status == ExportStatus.READY


def test_an_expired_or_missing_export_is_left_alone(personas):
    export = waiting_export(personas.ash)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now())
    build_data_export(export_id=export.pk)
    build_data_export(export_id=987_654)
    assert DataExport.objects.get().status == ExportStatus.WAITING


def test_asking_again_while_preparing_does_not_start_a_second_one(personas):
    first = request_data_export(user=personas.ash)
    assert request_data_export(user=personas.ash) == first
    assert DataExport.objects.count() == 1


def test_asking_for_a_new_file_deletes_the_old_one(personas):
    old = request_data_export(user=personas.ash)
    build_data_export(export_id=old.pk)
    new = request_data_export(user=personas.ash)
    assert list(DataExport.objects.values_list("pk", flat=True)) == [new.pk]


def test_the_purge_deletes_only_expired_files(personas):
    kept = waiting_export(personas.ash)
    waiting_export(personas.river)
    DataExport.objects.filter(user=personas.river).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert purge_task.apply().get() == 1
    assert purge_expired_exports() == 0
    assert list(DataExport.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_purge_is_scheduled():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "accounts.tasks.purge_expired_exports" in tasks


@pytest.mark.worker
@pytest.mark.services
def test_a_real_worker_builds_the_export(personas, celery_worker):
    export = waiting_export(personas.ash)

    build_task.apply_async(args=(export.pk,), queue=celery_worker.queue)

    wait_for(lambda: DataExport.objects.get(pk=export.pk).status == ExportStatus.READY)
    ready = DataExport.objects.get(pk=export.pk)
    assert ready.progress == 100
    assert ready.expires_at > timezone.now() + timedelta(hours=23)
