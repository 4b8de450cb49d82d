"""Giving a test survivor leader the safe-contact choices the outbox reads, through the
same services their own pages use: e-mail marked safe in their profile (with any quiet
hours and time zone) and a yes to being e-mailed there."""

from __future__ import annotations

from typing import Any

from accounts.models import ConsentScope, Organization, User
from accounts.services.consent import ensure_consent_texts, grant_consent
from accounts.services.profile import update_profile


def choose_email(user: User, organization: Organization, **profile: Any) -> None:
    fields: dict[str, Any] = {"chosen_name": "A", "safe_channels": ["email"], "time_zone": "UTC"}
    update_profile(user=user, organization=organization, **(fields | profile))
    ensure_consent_texts(organization=organization)
    grant_consent(
        user=user,
        organization=organization,
        scope=ConsentScope.CONTACT_EMAIL,
        text_version=1,
        language="en",
    )
