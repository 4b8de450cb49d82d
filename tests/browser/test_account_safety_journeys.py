"""A survivor leader changes their e-mail address in a real browser: they are asked to
confirm it's them, confirm the new address from the link it receives, and their old
address is told, with a link that puts it back. Every page is axe-checked at desktop width
and at 360 px; the `watch` fixture fails the test on any CSP violation or script error."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from accounts.outbox import send_pending_updates
from tests.accounts.contact_choices import choose_email
from tests.browser.helpers import expect_heading
from tests.browser.people_steps import check_page, new_page, sign_in_survivor
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_ADDRESS = "ash.new@example.test"


def link_sent_to(address: str, path: str) -> str:
    """The worker's run (as the beat job would), then the link in the latest e-mail to
    this address."""
    send_pending_updates()
    bodies = [str(message.body) for message in mail.outbox if message.to == [address]]
    match = re.search(rf"https?://\S+{re.escape(path)}\S+/", bodies[-1] if bodies else "")
    assert match, f"no {path} link was sent to {address}"
    return match.group(0)


def test_a_survivor_changes_their_address_and_the_old_one_can_undo_it(
    page, new_context, watch, live_server, personas, settings
):
    settings.SITE_URL = live_server.url  # the links the worker makes point here
    ash = personas.ash
    old_address = ash.email
    choose_email(ash, personas.harbor)

    sign_in_survivor(page, live_server.url, ash)
    page.get_by_role("link", name="My e-mail address").click()
    expect_heading(page, "My e-mail address")
    expect(page.get_by_text(old_address)).to_be_visible()
    check_page(page, "account-email")

    page.get_by_label("New e-mail address").fill(NEW_ADDRESS)
    page.get_by_role("button", name="Change my address").click()
    expect_heading(page, "Confirm it's you")  # signed in, but that is not enough for this
    check_page(page)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()

    expect_heading(page, "My e-mail address")
    expect(page.get_by_text("Waiting for you to confirm")).to_be_visible()
    check_page(page, "account-email-waiting")

    page.goto(link_sent_to(NEW_ADDRESS, "/accounts/confirm-email/"))
    expect_heading(page, "Confirm your e-mail address")
    check_page(page)
    page.get_by_role("button", name="Yes, use this address").click()
    expect_heading(page, "My seat")
    assert User.objects.get(pk=ash.pk).email == NEW_ADDRESS

    # On another device, the old address's notice: put it back.
    owner = new_page(new_context, watch)
    owner.goto(link_sent_to(old_address, "/undo/"))
    expect_heading(owner, "Put your e-mail address back?")
    check_page(owner, "account-undo")
    owner.get_by_role("button", name="Put my address back").click()
    expect_heading(owner, "Your e-mail address is back")
    check_page(owner, "account-undo-done")

    assert User.objects.get(pk=ash.pk).email == old_address
    page.goto(f"{live_server.url}/o/harbor/")  # the first device was signed out
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
