"""Too many wrong tries: the wait is said in plain words, on both sign-in steps, and the
owner's home page later says someone tried. Every page is checked with axe, at phone and
desktop widths."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.services.sign_in_notices import tell_of_failed_sign_ins
from tests.browser.helpers import (
    check_axe,
    expect_heading,
    has_no_horizontal_scroll,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT_WORDS = re.compile(
    r"Too many wrong tries\. To keep the account safe, please wait \d+ seconds?, then try again\."
)
WIDTHS = (360, 1280)


def readable_at_every_width(page: Page, what) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        expect(what).to_be_visible()
        check_axe(page)
        assert has_no_horizontal_scroll(page, width), f"{page.url} at {width} px"


def test_too_many_wrong_passwords_say_how_long_to_wait(page, live_server, personas):
    for _ in range(5):
        sign_in(page, live_server.url, personas.ash.email, "not-the-password")
        expect(page.get_by_role("alert")).to_contain_text("not correct")
    sign_in(page, live_server.url, personas.ash.email)  # the right one, during the wait

    expect_heading(page, "Sign in")
    alert = page.get_by_role("alert")
    expect(alert).to_have_text(WAIT_WORDS)
    readable_at_every_width(page, alert)


def test_too_many_wrong_codes_say_how_long_to_wait(page, live_server, personas, with_totp):
    with_totp(personas.sam)
    sign_in(page, live_server.url, personas.sam.email)
    code = page.get_by_label("Code from your app")
    for _ in range(5):
        code.fill("000000")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_text("Incorrect code.")).to_be_visible()
    code.fill("000000")
    page.get_by_role("button", name="Continue").click()

    expect_heading(page, "Enter your code")
    message = page.get_by_text(WAIT_WORDS)
    expect(code).to_have_attribute("aria-invalid", "true")
    readable_at_every_width(page, message)


def test_the_owner_reads_on_their_home_page_that_someone_tried(page, live_server, personas):
    tell_of_failed_sign_ins(user_id=personas.ash.pk)
    sign_in(page, live_server.url, personas.ash.email)
    expect_heading(page, "My seat")

    notice = page.get_by_role("region", name="Someone tried to sign in to your account")
    expect(notice).to_contain_text("If this was you, you do not need to do anything.")
    expect(notice.get_by_role("link", name="Change your password")).to_be_visible()
    expect(notice.get_by_role("link", name="See where you are signed in")).to_be_visible()
    readable_at_every_width(page, notice)

    page.reload()  # reading the page changes nothing: it stays until the person says so
    expect(notice).to_be_visible()
    notice.get_by_role("button", name="I have read this").click()
    expect_heading(page, "My seat")
    expect(page.get_by_text("Someone tried to sign in")).to_have_count(0)
