"""Steps the opportunity and feedback journeys share: every page axe-checked at
desktop width and on a phone, one browser context per person, signing in by role."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, Locator, Page, ViewportSize

from accounts.models import User
from tests.browser.helpers import (
    PageWatch,
    check_axe,
    enter_totp,
    expect_heading,
    has_no_horizontal_scroll,
    sign_in,
    take_screenshots,
)

PHONE: ViewportSize = {"width": 360, "height": 800}


def check_page(page: Page, screenshot: str | None = None) -> None:
    """axe at desktop width and on a phone, no sideways scrolling on the phone, and the
    screenshots when asked for."""
    check_axe(page)
    original = page.viewport_size
    page.set_viewport_size(PHONE)
    assert has_no_horizontal_scroll(page, PHONE["width"]), f"{page.url} scrolls sideways at 360px"
    check_axe(page)
    if original:
        page.set_viewport_size(original)
    if screenshot:
        take_screenshots(page, screenshot)


def new_page(new_context, watch: PageWatch) -> Page:
    """Another person in the same test: a browser context of their own, also watched."""
    context: BrowserContext = new_context()
    watch.attach_context(context)
    return context.new_page()


def sign_in_survivor(page: Page, base_url: str, person: User) -> None:
    sign_in(page, base_url, person.email)
    expect_heading(page, "My seat")
    check_page(page)


def sign_in_staff(page: Page, base_url: str, person: User, with_totp) -> None:
    with_totp(person)
    sign_in(page, base_url, person.email)
    enter_totp(page)
    expect_heading(page, "Board overview")
    check_page(page)


def card_with(page: Page, text: str) -> Locator:
    """The list item (a card) that holds this text, and none of the items around it."""
    return (
        page.locator("li")
        .filter(has_text=text)
        .filter(has_not=page.locator("li").filter(has_text=text))
    )
