"""Writes for data rights: preparing "Download my data", purging old downloads, and
"Delete my account". What each model gives and loses is decided in `accounts.data_rights`."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.audit import record_event
from accounts.data_rights import ErasureOptions, ExportEncoder, Handler, handlers
from accounts.fields import field_fernet
from accounts.models import DataExport, ExportStatus, User
from accounts.selectors.data_rights import export_in_progress

EXPORT_LIFETIME = timedelta(hours=24)
JSON_NAME = "my-data.json"
HTML_NAME = "my-data.html"


# --- Download my data ------------------------------------------------------------------------


@transaction.atomic
def request_data_export(*, user: User) -> DataExport:
    """Start preparing a download, or return the one already on its way. Only one copy of
    a person's data is held at a time: an older download is deleted."""
    waiting = export_in_progress(user)
    if waiting is not None:
        return waiting
    DataExport.objects.filter(user=user).delete()
    export = DataExport.objects.create(user=user, expires_at=timezone.now() + EXPORT_LIFETIME)
    record_event(
        action="data_export.requested",
        actor_id=user.pk,
        target_type="data_export",
        target_id=export.pk,
    )
    from accounts.tasks import build_data_export as task  # the task module imports this one

    export_id = export.pk
    transaction.on_commit(lambda: task.delay(export_id))
    return export


def collect_personal_data(user: User) -> dict[str, Any]:
    """Everything held about the person, section by section, from every registration, as
    the download holds it."""
    data: dict[str, Any] = json.loads(_encoded([_section(h, user) for h in _exporting()]))
    return data


def _encoded(sections: list[dict[str, Any]]) -> str:
    """The download's JSON, made with one encoder for every section (ids, money and times
    become text the same way whatever a registration returns)."""
    document = {"prepared_at": timezone.now(), "sections": sections}
    return json.dumps(document, cls=ExportEncoder, indent=2, ensure_ascii=False)


def _exporting() -> list[Handler]:
    return [handler for handler in handlers() if handler.export is not None]


def _section(handler: Handler, user: User) -> dict[str, Any]:
    assert handler.export is not None  # noqa: S101  # _exporting() keeps only these
    return {"key": handler.key, "title": handler.title, "data": handler.export(user)}


def build_data_export(*, export_id: int) -> None:
    """Build the zip, step by step so the page can show progress, and store it encrypted.
    Running it again for a ready (or gone, or expired) export does nothing."""
    export = DataExport.objects.filter(pk=export_id).select_related("user").first()
    if export is None or export.status == ExportStatus.READY:
        return
    if export.expires_at <= timezone.now():
        return
    rows = DataExport.objects.filter(pk=export_id).exclude(status=ExportStatus.READY)
    rows.update(status=ExportStatus.BUILDING, progress=5)
    try:
        content = _build_zip(export.user, on_progress=lambda done: rows.update(progress=done))
    except Exception:
        rows.update(status=ExportStatus.FAILED)
        raise
    now = timezone.now()
    updated = rows.update(
        status=ExportStatus.READY,
        progress=100,
        content=field_fernet().encrypt(content),
        ready_at=now,
        expires_at=now + EXPORT_LIFETIME,
    )
    if updated:
        record_event(action="data_export.ready", target_type="data_export", target_id=export_id)


def _build_zip(user: User, *, on_progress: Any) -> bytes:
    handlers_ = _exporting()
    sections = []
    for number, handler in enumerate(handlers_, start=1):
        sections.append(_section(handler, user))
        on_progress(5 + 85 * number // len(handlers_))
    # The readable page is made from the same text, so the two files always say the same.
    text = _encoded(sections)
    data = json.loads(text)
    page = render_to_string(
        "accounts/data_rights/export_file.html",
        {
            "data": {
                **data,
                "sections": [
                    {**section, "node": _readable(section["data"])} for section in sections
                ],
            },
            "site_name": settings.SITE_DISPLAY_NAME,
        },
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(JSON_NAME, text)
        archive.writestr(HTML_NAME, page)
    return buffer.getvalue()


def _readable(value: Any) -> dict[str, Any]:
    """The export's data as a tree the readable page walks: maps, lists and text."""
    if isinstance(value, dict):
        return {
            "kind": "map",
            "items": [
                (str(key).replace("_", " ").capitalize(), _readable(v)) for key, v in value.items()
            ],
        }
    if isinstance(value, list | tuple):
        return {"kind": "list", "items": [_readable(item) for item in value]}
    if value is None:
        return {"kind": "text", "text": ""}
    if isinstance(value, bool):
        return {"kind": "text", "text": _("Yes") if value else _("No")}
    return {"kind": "text", "text": str(value)}


def read_export(export: DataExport) -> bytes:
    """The zip, decrypted, for its owner; the view has checked who is asking."""
    return field_fernet().decrypt(bytes(export.content or b""))


def record_export_download(*, export: DataExport) -> None:
    record_event(
        action="data_export.downloaded",
        actor_id=export.user_id,
        target_type="data_export",
        target_id=export.pk,
    )


def purge_expired_exports() -> int:
    """Downloads are kept 24 hours; the daily job deletes the rest."""
    deleted, _by_model = DataExport.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


# --- Delete my account -----------------------------------------------------------------------


@transaction.atomic
def erase_account(
    *, user: User, keep_input_anonymous: bool, forgo_unpaid_pay: bool = False
) -> None:
    """Run every registered erasure, turn the user into a tombstone, and end every session.

    Audit events stay as they are: they hold ids and codes only, never a name. The choice
    about meeting input is recorded now and applied by the meetings app's registration.
    """
    # Locked and read again, so a double-submitted form erases once.
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.erased_at is not None:
        raise ValidationError(_("This account has already been deleted."), code="erased")
    session_keys = _session_keys_of(user)  # before the sessions list itself is erased
    options = ErasureOptions(
        keep_input_anonymous=keep_input_anonymous, forgo_unpaid_pay=forgo_unpaid_pay
    )
    for handler in handlers():
        handler.erase(user, options)
    _end_sessions(session_keys)
    record_event(
        action=(
            "account.erased.input_kept_anonymous"
            if keep_input_anonymous
            else "account.erased.input_deleted"
        ),
        actor_id=user.pk,
        target_type="user",
        target_id=user.pk,
    )


def _session_store() -> type[SessionBase]:
    store: type[SessionBase] = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    return store


def _session_keys_of(user: User) -> set[str]:
    from allauth.usersessions.models import UserSession

    keys = set(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        # Sessions started before sessions were listed, too. Only unexpired sessions are
        # read, and they last at most 12 hours, so this stays small.
        from django.contrib.sessions.models import Session

        store = _session_store()
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
            decoded = store().decode(session.session_data)
            if decoded.get("_auth_user_id") == str(user.pk):
                keys.add(session.session_key)
    return keys


def _end_sessions(keys: set[str]) -> None:
    store = _session_store()
    for key in keys:
        store(session_key=key).delete()
