"""`/.well-known/security.txt` (RFC 9116): where to report a security problem.

Public and plain text, outside the second-factor redirect, built from settings:
`SECURITY_CONTACTS` (production refuses to start without one; elsewhere, without one the
file is not there) and `SECURITY_TXT_EXPIRES` (empty: 180 days from today, since the file
is built from the running settings and is never older than they are). SECURITY.md says
the same to people reading the code.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

ROLLING_EXPIRY = timedelta(days=180)


def contact_uri(contact: str) -> str:
    """RFC 9116 wants a URI: a bare e-mail address becomes a mailto: link."""
    if ":" not in contact and "@" in contact:
        return f"mailto:{contact}"
    return contact


def expires() -> datetime:
    configured: datetime | None = settings.SECURITY_TXT_EXPIRES
    if configured is not None:
        return configured.astimezone(UTC)
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today + ROLLING_EXPIRY


@require_safe
def security_txt(request: HttpRequest) -> HttpResponse:
    contacts = [contact_uri(c) for c in settings.SECURITY_CONTACTS]
    if not contacts:
        raise Http404
    lines = [f"Contact: {uri}" for uri in contacts]
    lines.append(f"Expires: {expires():%Y-%m-%dT%H:%M:%SZ}")
    lines.append(f"Preferred-Languages: {', '.join(code for code, _name in settings.LANGUAGES)}")
    if settings.SITE_URL.startswith("https://"):
        lines.append(f"Canonical: {settings.SITE_URL.rstrip('/')}/.well-known/security.txt")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
