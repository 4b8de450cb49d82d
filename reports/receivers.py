"""Reports' subscriptions to accounts' domain events."""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError

from accounts.events import consent_changed
from accounts.models import ConsentScope
from reports.services.report_publish import reissue_quotes_of_author

logger = logging.getLogger(__name__)


def on_consent_changed(
    sender: object, *, user_id: int, organization_id: int, scope: str, **kwargs: Any
) -> None:
    """A quote leaves funders' reports as soon as its author's `quote_anonymously` ends.
    Done now rather than queued, so no funder reads it a minute longer; if it fails, the
    hourly catch-up does it, and the author's own change has already been saved."""
    if scope != ConsentScope.QUOTE_ANONYMOUSLY:
        return
    try:
        reissue_quotes_of_author(user_id=user_id, organization_id=organization_id)
    except DatabaseError:
        logger.exception("report.reissue_failed organization=%s", organization_id)


def connect() -> None:
    consent_changed.connect(on_consent_changed, dispatch_uid="advisory.reissue_without_quote")
