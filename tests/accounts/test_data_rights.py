"""Data rights (DESIGN promise 10): "Download my data" and "Delete my account".

The canary test puts a unique string in every personal field of a survivor leader and the
records about them; the export must hold each one, and after deletion no table — read with
raw SQL, encrypted columns and stored files decrypted, sessions decoded — and no log line
may hold any of them.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import re
import zipfile
from datetime import date, time, timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from cryptography.fernet import InvalidToken
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.audit import verify_chain
from accounts.fields import decrypt_text, field_fernet
from accounts.models import (
    AccessRecord,
    AdvisoryBoard,
    AssignmentStatus,
    AuditEvent,
    BoardRole,
    ConsentAction,
    ConsentEvent,
    ConsentScope,
    DataExport,
    ExportStatus,
    Invitation,
    Membership,
    OutboxMessage,
    Role,
    RoleAssignment,
    SurvivorProfile,
    User,
)
from accounts.services.data_rights import (
    build_data_export,
    collect_personal_data,
    erase_account,
    request_data_export,
)
from tests.factories import (
    PASSWORD,
    InvitationFactory,
    MembershipFactory,
    SurvivorProfileFactory,
    UserFactory,
)
from tests.mfa import give_totp, sign_in

pytestmark = pytest.mark.django_db

CANARY = "qzcanary"
PROFILE_CANARIES = {
    "chosen_name": f"{CANARY}-chosen",
    "pronouns": f"{CANARY}-pronouns",
    "languages": f"{CANARY}-languages",
    "availability": f"{CANARY}-availability",
    "legal_name": f"{CANARY}-legal",
    "phone": f"{CANARY}-phone",
    "mailing_address": f"{CANARY}-address",
}
EMAIL_LOCAL_PART = f"{CANARY}-email"
SESSION_CANARY = f"{CANARY}-browser"
ALL_CANARIES = [*PROFILE_CANARIES.values(), EMAIL_LOCAL_PART, SESSION_CANARY]


# --- a survivor leader with a canary everywhere --------------------------------------------


def canary_survivor(personas) -> User:
    user = UserFactory.create(email=f"{EMAIL_LOCAL_PART}@example.test")
    MembershipFactory.create(user=user, organization=personas.harbor, role=Role.SURVIVOR_LEADER)
    SurvivorProfileFactory.create(
        user=user,
        expertise=["policy"],
        safe_channels=["email"],
        quiet_hours_start=time(21),
        quiet_hours_end=time(8),
        **PROFILE_CANARIES,
    )
    InvitationFactory.create(
        organization=personas.harbor, email=user.email, accepted_at=timezone.now()
    )
    board = AdvisoryBoard.objects.create(organization=personas.harbor, name="Advisory board")
    role = BoardRole.objects.create(
        organization=personas.harbor, name="Co-chair", description="Runs meetings."
    )
    RoleAssignment.objects.create(
        board=board,
        role=role,
        user=user,
        status=AssignmentStatus.ACTIVE,
        starts_on=date(2026, 1, 1),
        invited_by=personas.sam,
    )
    ConsentEvent.objects.create(
        user=user,
        organization=personas.harbor,
        scope=ConsentScope.COUNT_IN_REPORTS,
        action=ConsentAction.GRANTED,
        language="en",
        expires_at=timezone.now() + timedelta(days=365),
    )
    AccessRecord.objects.create(
        viewer=personas.sam, subject=user, organization=personas.harbor, what="profile"
    )
    OutboxMessage.objects.create(recipient=user, organization=personas.harbor, kind="meeting")
    give_totp(user)
    # A signed-in session, listed on "Where I'm signed in".
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session["note"] = f"signed in as {user.email}"
    session.create()
    UserSession.objects.create(
        user=user,
        session_key=session.session_key,
        ip="127.0.0.1",
        user_agent=SESSION_CANARY,
        last_seen_at=timezone.now(),
    )
    return user


# --- reading every table as raw SQL --------------------------------------------------------


def readable(value: object) -> list[str]:
    """A stored value as text, decrypted and unpacked wherever it can be."""
    if value is None:
        return []
    if isinstance(value, memoryview | bytes):
        raw = bytes(value)
        texts = [raw.decode("utf-8", "ignore")]
        with contextlib.suppress(InvalidToken):
            texts.extend(unzipped(field_fernet().decrypt(raw)))
        return texts
    text = str(value)
    texts = [text]
    if text.startswith("gAAAAA"):
        with contextlib.suppress(InvalidToken):
            texts.append(decrypt_text(text))
    return texts


def unzipped(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [archive.read(name).decode() for name in archive.namelist()]


def raw_dump() -> str:
    """Every row of every table, as text, through raw SQL."""
    texts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608  # names from the schema
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    texts.extend(readable(value))
                    if table == Session._meta.db_table and column == "session_data":
                        texts.append(json.dumps(SessionStore().decode(value)))
    return "\n".join(texts).lower()


def present(canaries: list[str], text: str) -> list[str]:
    return [canary for canary in canaries if canary.lower() in text.lower()]


# --- the canary test -------------------------------------------------------------------------


def test_every_canary_is_exported_and_none_survives_deletion(personas, caplog):
    caplog.set_level(logging.DEBUG)
    user = canary_survivor(personas)

    exported = json.dumps(collect_personal_data(user))
    assert present(ALL_CANARIES, exported) == ALL_CANARIES

    export = request_data_export(user=user)
    build_data_export(export_id=export.pk)
    dump = raw_dump()
    # Not vacuous: before deletion the dump finds each one, the encrypted ones included.
    assert present(ALL_CANARIES, dump) == ALL_CANARIES
    files = unzipped(field_fernet().decrypt(bytes(DataExport.objects.get().content or b"")))
    assert all(present(ALL_CANARIES, text) == ALL_CANARIES for text in files)

    erase_account(user=user, keep_input_anonymous=False)

    assert present(ALL_CANARIES, raw_dump()) == []
    logged = caplog.text + "\n".join(str(record.args) for record in caplog.records)
    assert present(ALL_CANARIES, logged) == []


def test_deletion_through_the_page_leaves_no_canary_and_no_log_line(personas, caplog):
    caplog.set_level(logging.DEBUG)
    user = canary_survivor(personas)
    client = Client()
    sign_in(client, user)

    response = client.post(
        reverse("delete_account", kwargs={"org": "harbor"}),
        {"input_choice": "delete", "confirm": "on"},
    )

    assert response.status_code == 200
    assert "Your account has been deleted" in response.content.decode()
    assert present(ALL_CANARIES, raw_dump()) == []
    assert present(ALL_CANARIES, caplog.text) == []


# --- what deletion leaves --------------------------------------------------------------------


def test_deletion_leaves_a_tombstone_and_keeps_append_only_records(personas):
    user = canary_survivor(personas)
    audit_before = AuditEvent.objects.count()

    erase_account(user=user, keep_input_anonymous=False)

    user.refresh_from_db()
    assert user.email == f"erased-{user.pk}@erased.invalid"
    assert not user.has_usable_password()
    assert not user.is_active
    assert user.erased_at is not None
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert not UserSession.objects.filter(user=user).exists()
    assert not SurvivorProfile.objects.filter(user=user).exists()
    assert not Membership.objects.filter(user=user).exists()
    assert not AccessRecord.objects.filter(subject=user).exists()
    assert not OutboxMessage.objects.filter(recipient=user).exists()
    assert not DataExport.objects.filter(user=user).exists()
    assert not Invitation.objects.filter(email__icontains=CANARY).exists()
    # Kept, pointing at the tombstone: the agreement (ended) and the consent ledger, with
    # every consent still given now withdrawn.
    assignment = RoleAssignment.objects.get(user=user)
    assert assignment.status == AssignmentStatus.STEPPED_DOWN
    assert assignment.invited_by == personas.sam
    actions = list(ConsentEvent.objects.filter(user=user).values_list("action", flat=True))
    assert actions == [ConsentAction.GRANTED, ConsentAction.WITHDRAWN]
    # One audit event, codes only, and the chain still holds.
    event = AuditEvent.objects.latest("sequence")
    assert AuditEvent.objects.count() == audit_before + 1
    assert event.action == "account.erased.input_deleted"
    assert (event.actor_id, event.target_id) == (user.pk, user.pk)
    assert verify_chain() == []


def test_the_choice_to_keep_input_anonymous_is_recorded(personas):
    erase_account(user=personas.ash, keep_input_anonymous=True)
    assert AuditEvent.objects.latest("sequence").action == ("account.erased.input_kept_anonymous")


def test_every_session_ends_and_the_person_cannot_sign_in_again(personas):
    user = canary_survivor(personas)
    elsewhere = Client()
    sign_in(elsewhere, user)

    erase_account(user=user, keep_input_anonymous=False)

    assert not any(
        SessionStore().decode(row.session_data).get(SESSION_KEY) == str(user.pk)
        for row in Session.objects.all()
    )
    response = elsewhere.get(reverse("organization_home", kwargs={"org": "harbor"}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Client().login(email=f"{EMAIL_LOCAL_PART}@example.test", password=PASSWORD)


def test_staff_who_invited_or_looked_stay_only_as_blanks_when_they_leave(personas):
    user = canary_survivor(personas)

    erase_account(user=personas.sam, keep_input_anonymous=False)

    assert RoleAssignment.objects.get(user=user).invited_by is None
    assert AccessRecord.objects.get(subject=user).viewer is None


def test_an_erased_account_cannot_be_erased_again(personas):
    erase_account(user=personas.ash, keep_input_anonymous=False)
    with pytest.raises(ValidationError):
        erase_account(user=personas.ash, keep_input_anonymous=False)


# --- the export holds nobody else --------------------------------------------------------------


def test_the_export_holds_no_other_persons_details(personas):
    user = canary_survivor(personas)
    InvitationFactory.create(
        organization=personas.harbor, email="someone-else@example.test", invited_by=user
    )
    exported = json.dumps(collect_personal_data(user)).lower()
    for other in (personas.sam, personas.river, personas.ada):
        assert other.email.split("@")[0] not in exported
    assert "someone-else" not in exported
    assert '"viewer_role": "staff"' in exported


# --- the pages: download -----------------------------------------------------------------------


def url(name: str, export: DataExport | None = None, org: str = "harbor") -> str:
    kwargs = {"org": org}
    if export is not None:
        kwargs["public_id"] = str(export.public_id)
    return reverse(name, kwargs=kwargs)


def ready_export(user: User, *, expires_in: timedelta = timedelta(hours=24)) -> DataExport:
    export = request_data_export(user=user)
    build_data_export(export_id=export.pk)
    export.refresh_from_db()
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() + expires_in)
    return export


def test_preparing_builds_the_file_after_commit_and_shows_progress(
    client, personas, django_capture_on_commit_callbacks, monkeypatch
):
    from accounts import tasks

    sent = []

    def run_here(export_id):
        # Whatever the broker: the real-worker test is in the task tests.
        sent.append(export_id)
        tasks.build_data_export.apply((export_id,))

    monkeypatch.setattr(tasks.build_data_export, "delay", run_here)
    sign_in(client, personas.ash)
    page = client.get(url("my_data"))
    assert page.status_code == 200
    assert "Prepare my data" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url("request_data_export"))

    assert len(callbacks) == 1
    export = DataExport.objects.get(user=personas.ash)
    assert sent == [export.pk]  # an id, never the object
    assert response["Location"] == url("data_export_status", export)
    assert export.status == ExportStatus.READY
    assert export.progress == 100
    assert timezone.now() + timedelta(hours=23) < export.expires_at


def test_progress_page_polls_with_htmx_and_works_without_javascript(client, personas):
    sign_in(client, personas.ash)
    export = DataExport.objects.create(
        user=personas.ash,
        status=ExportStatus.BUILDING,
        progress=40,
        expires_at=timezone.now() + timedelta(hours=1),
    )
    page = client.get(url("data_export_status", export)).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert "Check again" in page  # the same page again, for a browser without JavaScript
    assert 'value="40"' in page

    fragment = client.get(url("data_export_status", export), headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert 'id="export-progress"' in fragment.content.decode()


def test_download_gives_the_owner_a_neutral_zip_never_cached(client, personas):
    user = canary_survivor(personas)
    export = ready_export(user)
    sign_in(client, user)

    status_page = client.get(url("data_export_status", export)).content.decode()
    assert "If others use this device, delete the file from your Downloads" in status_page
    response = client.get(url("download_data_export", export))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="download-{today}.zip"'
    assert "no-store" in response["Cache-Control"]
    files = unzipped(response.content)
    assert present(ALL_CANARIES, "\n".join(files)) == ALL_CANARIES
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["my-data.html", "my-data.json"]
        page = archive.read("my-data.html").decode()
    assert "<script" not in page
    assert "http://" not in page
    assert "https://" not in page
    assert AuditEvent.objects.latest("sequence").action == "data_export.downloaded"


def test_download_asks_the_person_to_confirm_it_is_them_first(client, personas):
    export = ready_export(personas.ash)
    sign_in(client, personas.ash, recently_confirmed=False)

    for name in ("download_data_export", "data_export_status"):
        response = client.get(url(name, export))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_reauthenticate"))
        assert (
            "next=" + url("data_export_status", export).replace("/", "%2F")
            in (response["Location"])
        )

    confirm = client.post(
        reverse("account_reauthenticate") + "?next=" + url("data_export_status", export),
        {"password": PASSWORD},
    )
    assert confirm["Location"] == url("data_export_status", export)
    assert client.get(url("download_data_export", export)).status_code == 200


def test_someone_elses_export_does_not_exist(client, personas):
    export = ready_export(personas.river)
    sign_in(client, personas.ash)
    for name in ("data_export_status", "download_data_export"):
        assert client.get(url(name, export)).status_code == 404


def test_an_expired_download_says_so_plainly(client, personas):
    export = ready_export(personas.ash, expires_in=-timedelta(minutes=1))
    sign_in(client, personas.ash)
    for name in ("data_export_status", "download_data_export"):
        response = client.get(url(name, export))
        assert response.status_code == 410
        assert EXPIRED_TEXT in response.content.decode()
        assert "no-store" in response["Cache-Control"]


EXPIRED_TEXT = "This download has expired or is no longer available. Prepare a new one."


def test_a_purged_or_someone_elses_download_link_reads_the_same_plain_page(client, personas):
    """After the hourly purge the row is gone; someone else's link must not say it exists.
    Both get the same page, with the way forward."""
    purged = ready_export(personas.ash, expires_in=-timedelta(minutes=1))
    rivers = ready_export(personas.river)
    purged_url, rivers_url = url("data_export_status", purged), url("data_export_status", rivers)
    DataExport.objects.filter(pk=purged.pk).delete()
    sign_in(client, personas.ash)
    for link in (purged_url, rivers_url):
        response = client.get(link)
        assert response.status_code == 404
        assert EXPIRED_TEXT in response.content.decode()
    assert DataExport.objects.filter(pk=rivers.pk).exists()


def test_the_file_is_encrypted_at_rest(personas):
    export = ready_export(canary_survivor(personas))
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM accounts_dataexport WHERE id = %s", [export.pk])
        stored = bytes(cursor.fetchone()[0])
    assert not stored.startswith(b"PK")
    assert CANARY.encode() not in stored
    assert field_fernet().decrypt(stored).startswith(b"PK")


# --- the pages: delete my account --------------------------------------------------------------


def test_delete_page_explains_and_asks_the_person_to_confirm_it_is_them(client, personas):
    sign_in(client, personas.ash, recently_confirmed=False)
    response = client.get(url("delete_account"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))

    sign_in(client, personas.ash)
    page = client.get(url("delete_account")).content.decode()
    assert "You are signed out everywhere" in page
    assert "such as payments, stay without your name" in page
    assert "Pay you have earned" not in page  # asked only when something is owed
    assert re.search(r'<input[^>]*value="delete"[^>]*checked', page)  # deleting is the default


def test_deleting_needs_the_box_ticked_and_changes_nothing_without_it(client, personas):
    sign_in(client, personas.ash)
    response = client.post(url("delete_account"), {"input_choice": "delete"})
    assert response.status_code == 200
    assert "Tick the box if you want to delete your account." in response.content.decode()
    personas.ash.refresh_from_db()
    assert personas.ash.erased_at is None


def test_deleting_signs_the_person_out_on_a_neutral_page(client, personas):
    sign_in(client, personas.ash)
    response = client.post(url("delete_account"), {"input_choice": "keep", "confirm": "on"})

    assert response.status_code == 200
    assert "Your account has been deleted" in response.content.decode()
    assert SESSION_KEY not in client.session
    personas.ash.refresh_from_db()
    assert personas.ash.erased_at is not None
    assert AuditEvent.objects.latest("sequence").action == ("account.erased.input_kept_anonymous")
    assert client.get(reverse("home"))["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["sam", "fin", "ada", "faye"])
def test_only_survivor_leaders_delete_their_account_here(client, personas, who):
    give_totp(getattr(personas, who))
    sign_in(client, getattr(personas, who))
    assert client.post(url("delete_account"), {"confirm": "on"}).status_code == 404
    assert User.objects.get(pk=getattr(personas, who).pk).erased_at is None


def test_my_data_links_to_deletion_for_survivor_leaders_only(client, personas):
    sign_in(client, personas.ash)
    assert url("delete_account") in client.get(url("my_data")).content.decode()
    give_totp(personas.sam)
    sign_in(client, personas.sam)
    assert url("delete_account") not in client.get(url("my_data")).content.decode()


def test_a_double_submitted_deletion_erases_once(personas):
    stale = User.objects.get(pk=personas.river.pk)
    erase_account(user=personas.river, keep_input_anonymous=False)
    with pytest.raises(ValidationError):
        erase_account(user=stale, keep_input_anonymous=False)
    assert AuditEvent.objects.filter(action__startswith="account.erased").count() == 1
