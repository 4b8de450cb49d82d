"""What every journey needs: a watch for CSP violations and script errors, the axe
accessibility check, authenticator-app codes, signing in, and screenshots."""

from __future__ import annotations

import hashlib
import os
import re
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from allauth.mfa import app_settings as mfa_settings
from playwright.sync_api import BrowserContext, ConsoleMessage, Error, Page, expect

from tests.factories import PASSWORD
from tests.mfa import TEST_TOTP_SECRET, totp_code

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT_DIR = REPO_ROOT / "docs" / "screenshots"
SCREENSHOT_WIDTHS = (360, 1280)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CSP_MARKERS = ("Content Security Policy", "Refused to")
# Browsers ask for /favicon.ico on their own; its 404 is not something a page did.
IGNORED_CONSOLE = ("/favicon.ico",)


@dataclass
class PageWatch:
    """Everything the browser complained about while the test ran."""

    console: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def attach_context(self, context: BrowserContext) -> None:
        context.on("page", self.attach)

    def attach(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)

    def _on_console(self, message: ConsoleMessage) -> None:
        if any(ignored in (message.location.get("url") or "") for ignored in IGNORED_CONSOLE):
            return
        self.console.append(f"[{message.type}] {message.text} ({message.location.get('url')})")

    def _on_page_error(self, error: Error) -> None:
        self.page_errors.append(f"{error.name}: {error.message}")

    @property
    def problems(self) -> list[str]:
        csp = [line for line in self.console if any(m in line for m in CSP_MARKERS)]
        errors = [line for line in self.console if line.startswith("[error]")]
        return list(dict.fromkeys([*csp, *errors, *self.page_errors]))

    def assert_clean(self) -> None:
        problems = self.problems
        assert not problems, "The browser reported problems:\n" + "\n".join(problems)


@cache
def _axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


# What axe has already passed in this process: a page's path and the shape of its document.
# Journeys sign in (and open the same pages) again and again; each distinct page is checked
# once. A page that differs in anything but numbers, nonces and form tokens is checked anew.
_AXE_PASSED: set[tuple[str, str, int]] = set()
_VOLATILE = re.compile(r'nonce="[^"]*"|\d+')
# The document as axe would see it, without the parts that change on every request.
DOCUMENT_SHAPE = """() => {
    const copy = document.documentElement.cloneNode(true);
    copy.querySelectorAll('input[name=csrfmiddlewaretoken]').forEach(el => el.remove());
    return copy.outerHTML;
}"""


def _page_key(page: Page) -> tuple[str, str, int]:
    path = _VOLATILE.sub("#", urlsplit(page.url).path)
    shape = _VOLATILE.sub("#", page.evaluate(DOCUMENT_SHAPE))
    viewport = page.viewport_size
    return path, hashlib.sha256(shape.encode()).hexdigest(), viewport["width"] if viewport else 0


def check_axe(page: Page) -> None:
    """Run axe-core's WCAG 2.1 A/AA rules on the page; fail listing each rule and element.

    axe is evaluated through the DevTools protocol, not added as a <script>: our CSP would
    (rightly) refuse a script tag without the page's nonce. A page that already passed in
    this run, at the same width, is not checked again.
    """
    key = _page_key(page)
    if key in _AXE_PASSED:
        return
    _axe_run(page)
    _AXE_PASSED.add(key)


def _axe_run(page: Page) -> None:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    violations = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(' ')),
            }));
        }""",
        WCAG_TAGS,
    )
    if violations:
        lines = [
            f"- {v['id']} ({v['impact']}): {v['help']} -> {', '.join(v['targets'])}"
            for v in violations
        ]
        raise AssertionError(f"axe found problems on {page.url}:\n" + "\n".join(lines))


def check_axe_without_javascript(page: Page) -> None:
    """axe waits on timers, which never fire when JavaScript is off. Check the same page,
    with the same cookies, in a twin context where they do: the server sends both the same
    HTML."""
    browser = page.context.browser
    assert browser is not None
    twin = browser.new_context(storage_state=page.context.storage_state())
    try:
        twin_page = twin.new_page()
        twin_page.goto(page.url)
        check_axe(twin_page)
    finally:
        twin.close()


def fresh_totp_code(secret: str = TEST_TOTP_SECRET) -> str:
    """The code an authenticator app shows now. Waits out the last seconds of a period so
    the code is still valid when the server checks it (allauth's tolerance is zero)."""
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 3:
        time.sleep(period - time.time() % period + 0.1)
    return totp_code(secret)


def sign_in(page: Page, base_url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    check_axe(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def enter_totp(page: Page, secret: str = TEST_TOTP_SECRET) -> None:
    """On allauth's second-step page, type the code from the app."""
    expect(page).to_have_url(_ends_with("/accounts/2fa/authenticate/"))
    check_axe(page)
    page.get_by_label("Code from your app").fill(fresh_totp_code(secret))
    page.get_by_role("button", name="Continue").click()


def _ends_with(path: str) -> re.Pattern[str]:
    return re.compile(re.escape(path) + r"(\?.*)?$")


def expect_heading(page: Page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def has_no_horizontal_scroll(page: Page, width: int) -> bool:
    return bool(page.evaluate(f"() => document.documentElement.scrollWidth <= {width}"))


def screenshots_enabled() -> bool:
    return os.environ.get("SCREENSHOTS") == "1"


def take_screenshots(page: Page, name: str) -> list[Path]:
    """Save the current page at phone and desktop widths as docs/screenshots/<name>-<w>.png."""
    if not screenshots_enabled():
        return []
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    paths = []
    for width in SCREENSHOT_WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        path = SCREENSHOT_DIR / f"{name}-{width}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled")
        paths.append(path)
    if original:
        page.set_viewport_size(original)
    return paths
