"""`/healthz`: what compose and load balancers ask before sending anyone traffic."""

import logging
import os
import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:1/0"


def healthz(client, **headers):
    return client.get(reverse("healthz"), headers=headers)


def test_healthy_when_database_and_broker_answer(client):
    response = healthz(client)

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.services
def test_checks_the_real_broker_when_there_is_one(client, settings):
    assert settings.REDIS_URL  # with services, the broker is Redis, not in-process

    response = healthz(client)

    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


@override_settings(REDIS_URL=CLOSED_PORT)
def test_web_stays_live_when_the_broker_is_unreachable_and_says_so(client):
    """Pages and sign-in work without Redis: a load balancer must keep sending traffic."""
    response = healthz(client)

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "down"}


def test_unhealthy_when_the_database_fails(client):
    broken = mock.patch(
        "accounts.health.connection.cursor", side_effect=OperationalError("db gone")
    )
    with broken:
        response = healthz(client)

    assert response.status_code == 503
    assert response.json()["database"] == "down"


@override_settings(REDIS_URL=CLOSED_PORT)
def test_answer_and_log_hold_no_secrets_or_error_text(client, settings, caplog):
    # The lines checked are warnings: make sure they are kept, whatever level an earlier
    # test in this process left the root logger at (once seen at ERROR under xdist).
    caplog.set_level(logging.WARNING)
    with mock.patch(
        "accounts.health.connection.cursor",
        side_effect=OperationalError("password authentication failed for user postgres"),
    ):
        response = healthz(client)

    body = response.content.decode()
    assert set(response.json()) == {"database", "broker"}
    assert set(response.json().values()) == {"down"}
    for leak in (settings.SECRET_KEY, "redis://", "127.0.0.1", "password", "postgres"):
        assert leak not in body
        assert leak not in caplog.text
    assert "OperationalError" in caplog.text  # operators still learn what broke


def test_anonymous_probe_needs_no_session_and_sets_no_cookie(client):
    response = healthz(client)

    assert response.status_code == 200
    assert response.cookies == {} or all(not c.value for c in response.cookies.values())


def test_staff_without_mfa_are_not_redirected_from_healthz(client, personas):
    """A probe shares nothing with people, but the MFA gate must not catch it either."""
    client.force_login(personas.sam)  # staff, no second factor yet

    assert healthz(client).status_code == 200
    elsewhere = client.get(reverse("organization_home", kwargs={"org": "harbor"}))
    assert elsewhere["Location"] == reverse("mfa_activate_totp")  # the gate still holds


def test_head_works_for_probes_and_writes_are_refused(client):
    assert client.head(reverse("healthz")).status_code == 200
    assert client.post(reverse("healthz")).status_code == 405


def test_production_settings_let_plain_http_probes_through():
    """Run in a fresh interpreter: importing production settings here would alter the
    test settings (they share dicts with base)."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "probe-" + "z" * 50,
        "MFA_ENCRYPTION_KEYS": "dGVzdC1vbmx5LW1mYS1lbmNyeXB0aW9uLWtleS0zMmI=",
        "FIELD_ENCRYPTION_KEYS": "dGVzdC1vbmx5LWZpZWxkLWVuY3J5cHRpb24ta2V5MzI=",
        "DJANGO_ALLOWED_HOSTS": "example.org",
        "SECURITY_CONTACT": "security@example.org",
        "DATABASE_URL": "sqlite://:memory:",
        "REDIS_URL": "",
    }
    script = (
        "import django; django.setup(); from django.test import Client; c = Client();"
        "print(c.get('/healthz', HTTP_HOST='example.org').status_code,"
        " c.get('/staying-safer/', HTTP_HOST='example.org').status_code)"
    )
    result = subprocess.run(  # noqa: S603  # our own interpreter, fixed arguments
        [sys.executable, "-c", script],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    assert result.stdout.split() == ["200", "301"]
