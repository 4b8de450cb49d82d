"""Browser fixtures: the system Chromium, pages that fail a test on any Content Security
Policy violation or script error, and people with a known authenticator-app secret.

Every browser test uses ``live_server`` and a transactional database: the live server
runs in another thread and must see the test's rows.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.browser.helpers import PageWatch
from tests.mfa import TEST_TOTP_SECRET, give_totp

# Playwright's sync API runs an event loop in this thread; the ORM calls the fixtures make
# from here are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = shutil.which("chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, object]:
    if CHROMIUM is None:
        message = "Chromium is not installed (no `chromium` on PATH)."
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"REQUIRE_SERVICES=1 but {message}")
        pytest.skip(message)
    return {"executable_path": CHROMIUM, "args": LAUNCH_ARGS}


@pytest.fixture
def watch() -> Iterator[PageWatch]:
    """Collects console messages and page errors; the test fails if any is a CSP
    violation or a script error, even when the test body did not look."""
    page_watch = PageWatch()
    yield page_watch
    page_watch.assert_clean()


@pytest.fixture
def context(new_context, watch: PageWatch) -> BrowserContext:
    browser_context: BrowserContext = new_context()
    watch.attach_context(browser_context)
    return browser_context


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def with_totp():
    """Gives a person an authenticator app (stored encrypted by our MFA adapter) with the
    known test secret, plus recovery codes; returns the secret."""

    def activate(user) -> str:
        give_totp(user, TEST_TOTP_SECRET)
        return TEST_TOTP_SECRET

    return activate
