"""Data rights in a real browser: a survivor leader downloads their data (progress, confirm
it's them, a neutral file name) and deletes their account. Every page is axe-checked; the
`watch` fixture fails the test on any CSP violation or script error."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts import tasks
from accounts.models import DataExport
from accounts.services.data_rights import build_data_export
from tests.browser.helpers import check_axe, expect_heading, sign_in
from tests.factories import PASSWORD, SurvivorProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def confirm_it_is_me(page: Page) -> None:
    expect_heading(page, "Confirm it's you")
    check_axe(page)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()


def test_a_survivor_downloads_their_data(page, live_server, personas, monkeypatch):
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ash", pronouns="they/them")
    # No worker here: the file is built by the test itself, so the progress page is seen.
    queued: list[int] = []
    monkeypatch.setattr(tasks.build_data_export, "delay", queued.append)

    sign_in(page, live_server.url, personas.ash.email)
    expect_heading(page, "My seat")
    page.get_by_role("link", name="My data").click()
    expect_heading(page, "My data")
    check_axe(page)

    page.get_by_role("button", name="Prepare my data").click()
    expect_heading(page, "Download my data")
    expect(page.get_by_text("We are preparing your file.")).to_be_visible()
    expect(page.get_by_role("link", name="Check again")).to_be_visible()
    check_axe(page)

    build_data_export(export_id=queued[0])
    # htmx polls the progress box every two seconds and finds the file ready.
    page.get_by_role("link", name="Continue to download").click(timeout=10_000)
    confirm_it_is_me(page)

    expect_heading(page, "Download my data")
    expect(page.get_by_text("If others use this device, delete the file")).to_be_visible()
    check_axe(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my file").click()
    download = download_info.value
    assert download.suggested_filename == f"download-{timezone.localdate():%Y-%m-%d}.zip"
    with open(download.path(), "rb") as file:
        archive = zipfile.ZipFile(io.BytesIO(file.read()))
    assert "they/them" in archive.read("my-data.html").decode()
    assert DataExport.objects.get().status == "ready"


def test_a_survivor_deletes_their_account(page, live_server, personas):
    sign_in(page, live_server.url, personas.ash.email)
    expect_heading(page, "My seat")
    page.get_by_role("link", name="My data").click()
    page.get_by_role("link", name="Delete my account").click()
    confirm_it_is_me(page)

    expect_heading(page, "Delete my account")
    check_axe(page)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Tick the box if you want to delete your account.")).to_be_visible()
    check_axe(page)

    page.get_by_label("Keep what I said, without my name").check()
    page.get_by_label(re.compile("I understand that my account will be deleted")).check()
    page.get_by_role("button", name="Delete my account").click()

    expect_heading(page, "Your account has been deleted")
    check_axe(page)
    personas.ash.refresh_from_db()
    assert personas.ash.erased_at is not None
    page.goto(f"{live_server.url}/o/harbor/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
