from typing import Any

from django.conf import settings
from django.http import HttpRequest

from accounts.middleware import idle_seconds_left


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "SITE_DISPLAY_NAME": settings.SITE_DISPLAY_NAME,
        "SESSION_IDLE_SECONDS": idle_seconds_left(request),
        "SESSION_WARNING_SECONDS": int(settings.SESSION_IDLE_WARNING.total_seconds()),
    }
