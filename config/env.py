"""Reading settings from the environment, with `<NAME>_FILE` for container secrets."""

import os
from datetime import UTC, datetime
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env(name: str, default: str = "") -> str:
    """The value of NAME, or the contents of the file named by NAME_FILE."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text().strip()
    return os.environ.get(name, default)


def envbool(name: str, default: str = "False") -> bool:
    return env(name, default).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(env(name, str(default)))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def envdatetime(name: str) -> datetime | None:
    """An ISO 8601 date or date and time (UTC unless it says otherwise), or None if unset."""
    value = env(name).strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"Set {name} to a date such as 2027-06-30 (or a date and time), or leave it empty."
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def envsecret(name: str) -> str:
    """A secret that production must be given: there is no default to fall back on."""
    value = env(name)
    if not value:
        raise ImproperlyConfigured(f"Set {name} (or {name}_FILE) in the environment.")
    return value
