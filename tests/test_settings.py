"""Settings fail fast: production refuses to start without allowed hosts or a security
contact, never installs the Django admin (not even with DJANGO_DEBUG=1), and passes
`check --deploy` with no warning. Each case imports the settings in a fresh process with
exactly the environment given."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DJANGO_SECRET_KEY": "settings-test-only-" + "k" * 50,
    "MFA_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "DJANGO_ALLOWED_HOSTS": "seat.example.org",
    "SECURITY_CONTACT": "security@example.org",
}

SHOW = (
    "import json, importlib, os; "
    "s = importlib.import_module(os.environ['DJANGO_SETTINGS_MODULE']); "
    "print(json.dumps({'apps': s.INSTALLED_APPS, 'debug': s.DEBUG}))"
)


def run(module: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": module, **env}
    return subprocess.run(  # noqa: S603  # fixed arguments
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def settings_of(module: str, env: dict[str, str]) -> dict[str, object]:
    result = run(module, env, "-c", SHOW)
    assert result.returncode == 0, result.stderr
    shown: dict[str, object] = json.loads(result.stdout)
    return shown


def without(name: str) -> dict[str, str]:
    return {key: value for key, value in PRODUCTION.items() if key != name}


def test_production_starts_with_everything_it_needs():
    assert settings_of("config.settings.production", PRODUCTION)["debug"] is False


def test_production_refuses_to_start_without_allowed_hosts():
    for env in (without("DJANGO_ALLOWED_HOSTS"), {**PRODUCTION, "DJANGO_ALLOWED_HOSTS": " , "}):
        result = run("config.settings.production", env, "-c", SHOW)
        assert result.returncode != 0
        assert "ImproperlyConfigured: Set DJANGO_ALLOWED_HOSTS to the host names" in result.stderr


def test_production_refuses_to_start_without_a_security_contact():
    result = run("config.settings.production", without("SECURITY_CONTACT"), "-c", SHOW)
    assert result.returncode != 0
    assert "ImproperlyConfigured: Set SECURITY_CONTACT to where people" in result.stderr


def test_a_wrong_security_txt_expiry_is_refused():
    env = {**PRODUCTION, "SECURITY_TXT_EXPIRES": "next June"}
    result = run("config.settings.production", env, "-c", SHOW)
    assert "ImproperlyConfigured: Set SECURITY_TXT_EXPIRES to a date" in result.stderr


def test_debug_never_installs_or_mounts_the_admin_outside_development():
    for module in ("config.settings.production", "config.settings.test"):
        shown = settings_of(module, {**PRODUCTION, "DJANGO_DEBUG": "1"})
        assert shown["debug"] is False, module
        assert "django.contrib.admin" not in shown["apps"], module  # type: ignore[operator]
    mounted = run(
        "config.settings.production",
        {**PRODUCTION, "DJANGO_DEBUG": "1"},
        "-c",
        "import django; django.setup(); from django.urls import resolve; resolve('/dev-admin/')",
    )
    assert "Resolver404" in mounted.stderr


def test_the_development_settings_install_the_admin():
    shown = settings_of("config.settings.local", {})
    assert shown["debug"] is True
    assert shown["apps"][0] == "django.contrib.admin"  # type: ignore[index]


def test_check_deploy_is_clean_under_production_settings():
    result = run(
        "config.settings.production",
        PRODUCTION,
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
