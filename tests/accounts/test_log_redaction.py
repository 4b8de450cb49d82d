"""No key, address or personal data in a log line: the redaction itself, that every
handler has it (Django's, gunicorn's, Celery's), and the paths that log a link that works
as a key — a used or expired invitation (410), a 404 under a key, a failed CSRF check."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from celery.signals import after_setup_logger, after_setup_task_logger
from django.test import Client
from django.utils import timezone

from accounts.log_redaction import RedactSecrets, redact
from accounts.models import Invitation
from accounts.services.invitations import create_organization
from tests.logs import configured_handlers, found_in, written_logs

ROOT = Path(__file__).resolve().parent.parent.parent
TOKEN = "Zx_9aB-qq1234567890abcdefghijklmnopqRSTUVW"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f"Gone: /invitations/{TOKEN}/", "Gone: /invitations/[redacted]/"),
        ("Gone: /invitations/short/", "Gone: /invitations/[redacted]/"),
        (
            "Not Found: /accounts/password/reset/key/zz-abc123-def/x/",
            "Not Found: /accounts/password/reset/key/[redacted]/x/",
        ),
        (
            "Forbidden (CSRF cookie not set.): /accounts/confirm-email/MQ:1tXyz:abcDEF/",
            "Forbidden (CSRF cookie not set.): /accounts/confirm-email/[redacted]/",
        ),
        # Links added later: an undo link, a calendar feed, or any opaque segment at all.
        ("/accounts/email/undo/abc/", "/accounts/email/undo/[redacted]/"),
        ("/undo-address-change/abc/", "/undo-address-change/[redacted]/"),
        ("/o/harbor/feed/abc.ics", "/o/harbor/feed/[redacted]"),
        (f"/somewhere/new/{TOKEN}/", "/somewhere/new/[redacted]/"),
        ("/x/0f4a4a1e-4f1c-4b3e-9f3e-1d2c3b4a5f6e/", "/x/[redacted]/"),
        ("/x/Abcdefghijklmnop/", "/x/[redacted]/"),
        (
            f'"GET /invitations/{TOKEN}/?email=a%40b.org&next=/x HTTP/1.1" 410 12',
            '"GET /invitations/[redacted]/?[redacted] HTTP/1.1" 410 12',
        ),
        (
            f"Referer: https://example.org/invitations/{TOKEN}/",
            "Referer: https://example.org/invitations/[redacted]/",
        ),
        ("for ash@example.test, Ash.B+x@mail.example.co.uk", "for [email], [email]"),
        ("/accounts/ash%40example.test/", "/accounts/[email]/"),
        ("from 203.0.113.9 and 2001:db8::8a2e:370:7334", "from [ip] and [ip]"),
        # What stays: ordinary paths, times, loopback, plain words.
        ("/o/harbor/meetings/12/minutes/", "/o/harbor/meetings/12/minutes/"),
        ("/o/harbor/my-seat/feedback/shared/", "/o/harbor/my-seat/feedback/shared/"),
        ("at 12:30:45 on 127.0.0.1:8000 and ::1", "at 12:30:45 on 127.0.0.1:8000 and ::1"),
        ("Is this what you said? Yes / no", "Is this what you said? Yes / no"),
    ],
)
def test_redact(line, expected):
    assert redact(line) == expected
    assert redact(expected) == expected


def emitted(record: logging.LogRecord) -> str:
    buffer = StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(RedactSecrets())
    handler.handle(record)
    return buffer.getvalue()


def test_the_filter_redacts_arguments_and_tracebacks():
    try:
        raise ValueError("no account for ash@example.test")
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "django.request",
        logging.ERROR,
        __file__,
        1,
        "%s: %s",
        ("Gone", f"/invitations/{TOKEN}/"),
        exc_info,
    )
    text = emitted(record)
    assert "Gone: /invitations/[redacted]/" in text
    assert "ValueError: no account for [email]" in text
    assert TOKEN not in text
    assert "ash@example.test" not in text


def test_a_log_call_with_the_wrong_arguments_still_logs_and_never_raises():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "%s and %s to %s", ("ash@example.test",), None
    )
    text = emitted(record)
    assert "could not be formatted" in text
    assert "ash@example.test" not in text


def test_every_handler_that_logging_set_up_redacts():
    handlers = configured_handlers()
    assert handlers
    for handler in handlers:
        assert any(isinstance(f, RedactSecrets) for f in handler.filters), handler
    server = logging.getLogger("django.server").handlers
    assert server, "the development server's own handler is set up in LOGGING"


def test_celery_workers_redact_their_own_handlers():
    """Celery replaces the root logger's handlers when a worker starts; its signals put the
    filter back on whatever it set up."""
    for signal in (after_setup_logger, after_setup_task_logger):
        logger = logging.Logger(f"celery-test-{id(signal)}")
        logger.addHandler(logging.StreamHandler(StringIO()))
        signal.send(
            sender=None,
            logger=logger,
            loglevel=logging.INFO,
            logfile=None,
            format="",
            colorize=False,
        )
        assert any(isinstance(f, RedactSecrets) for f in logger.handlers[0].filters)


# --- the paths that log a key ------------------------------------------------------------


@pytest.fixture
def links(personas):
    """Real keys: two invitations (one used, one expired), a password-reset key and an
    address-confirmation key for Ash."""
    _org, used = create_organization(name="Used Org", admin_email="used.person@example.test")
    _org, expired = create_organization(name="Old Org", admin_email="old.person@example.test")
    Invitation.objects.filter(email="used.person@example.test").update(accepted_at=timezone.now())
    Invitation.objects.filter(email="old.person@example.test").update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    reset = f"{user_pk_to_url_str(personas.ash)}-{default_token_generator.make_token(personas.ash)}"
    address = EmailAddress.objects.get(user=personas.ash)
    confirm = EmailConfirmationHMAC(address).key
    return {"used": used, "expired": expired, "reset": reset, "confirm": confirm}


def test_error_paths_on_links_that_work_as_keys_log_no_key_or_address(personas, links, caplog):
    paths = [
        f"/invitations/{links['used']}/",
        f"/invitations/{links['expired']}/",
        f"/accounts/password/reset/key/{links['reset']}/",
        f"/accounts/confirm-email/{links['confirm']}/",
    ]
    strict = Client(enforce_csrf_checks=True)
    with written_logs(caplog) as written:
        for path in paths[:2]:
            assert Client().get(path).status_code == 410
        for path in paths:
            if "/reset/key/" not in path:  # its pattern takes anything after key/
                assert Client().get(f"{path}more/?email=ash%40example.test").status_code == 404
            assert (
                strict.post(path, {"password": "x", "email": "ash@example.test"}).status_code == 403
            )
        assert Client().get("/accounts/ash@example.test/").status_code == 404
        # The development server's request line, as Django's own handler logs it.
        logging.getLogger("django.server").info(
            '"%s" %s %s',
            f"GET {paths[0]}?email=ash%40example.test HTTP/1.1",
            "410",
            "12",
            extra={"status_code": 410, "server_time": "now"},
        )
    text = written.getvalue()
    # Every path was logged: 2 gone and 4 not found, and 4 failed CSRF checks.
    logged = [r.name for r in caplog.records]
    assert logged.count("django.request") == 2 + 4
    assert logged.count("django.security.csrf") == 4
    assert text.count("/invitations/[redacted]/") >= 2 + 2 + 2 + 1
    assert "Forbidden (CSRF cookie not set.): /accounts/confirm-email/[redacted]/" in text
    keys = {*links.values(), "ash@example.test", "ash%40example.test", "used.person", "old.person"}
    assert not found_in(text, keys), found_in(text, keys)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def status_of(url: str, data: bytes | None = None) -> int:
    request = urllib.request.Request(url, data=data)  # noqa: S310  # http, our own server
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310  # the same
            status: int = response.status
            return status
    except urllib.error.HTTPError as error:
        return error.code


def test_gunicorn_access_and_error_logs_hold_no_key_or_address():
    """The real server with the project's gunicorn settings and the access log turned on:
    Django's lines and gunicorn's own go through the redaction."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "WEB_CONCURRENCY": "1",
        "LOG_LEVEL": "debug",  # lower case, as gunicorn's documentation writes it
    }
    command = [
        sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.py",
        "--bind", f"127.0.0.1:{port}", "--access-logfile", "-", "config.wsgi",
    ]  # fmt: skip
    server = subprocess.Popen(  # noqa: S603  # fixed arguments
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.communicate()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        assert status_of(f"{base}/invitations/{TOKEN}/more/?email=ash%40example.test") == 404
        assert status_of(f"{base}/accounts/ash@example.test/") == 404
        assert status_of(f"{base}/invitations/{TOKEN}/", data=b"password=x") == 403
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)
    text = out + err
    assert '"GET /invitations/[redacted]/more/" 404' in out, text  # gunicorn's access log
    assert "Not Found: /invitations/[redacted]/more/" in err, text  # Django's, in the worker
    assert "Forbidden (CSRF cookie not set.): /invitations/[redacted]/" in err, text
    assert not found_in(text, {TOKEN, "ash@example.test", "ash%40example.test"}), text
