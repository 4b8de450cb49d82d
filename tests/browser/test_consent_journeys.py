"""A survivor leader changes a choice and changes it back, in a real browser, with every
page checked by axe and watched for CSP violations and script errors."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import ConsentScope
from accounts.selectors.consent import has_consent
from accounts.services.consent import ensure_consent_texts
from tests.browser.helpers import check_axe, enter_totp, expect_heading, sign_in, take_screenshots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COUNT_LABEL = str(ConsentScope.COUNT_IN_REPORTS.label)


@pytest.fixture(autouse=True)
def _consent_texts(personas):
    """Harbor's wording, as `create_organization` writes it when a program starts."""
    ensure_consent_texts(organization=personas.harbor)


def test_a_survivor_changes_a_choice_and_changes_it_back(page, live_server, personas):
    sign_in(page, live_server.url, personas.ash.email)
    expect_heading(page, "My seat")
    check_axe(page)

    page.get_by_role("link", name="My choices about my information").click()
    expect_heading(page, "My choices")
    check_axe(page)
    take_screenshots(page, "my-choices")

    choice = page.get_by_role("region", name=COUNT_LABEL)
    expect(choice).to_contain_text("Your answer: No")
    choice.get_by_role("button", name="Yes, I agree").click()

    expect_heading(page, "My choices")
    expect(page.get_by_role("status")).to_contain_text("Saved. Your answer is now yes.")
    choice = page.get_by_role("region", name=COUNT_LABEL)
    expect(choice).to_contain_text("Your answer: Yes, until")
    check_axe(page)
    assert has_consent(personas.ash, personas.harbor, ConsentScope.COUNT_IN_REPORTS)

    choice.get_by_role("button", name="No, stop this").click()
    expect_heading(page, "My choices")
    expect(page.get_by_role("status")).to_contain_text("Saved. Your answer is now no.")
    expect(page.get_by_role("region", name=COUNT_LABEL)).to_contain_text("Your answer: No")
    check_axe(page)
    assert not has_consent(personas.ash, personas.harbor, ConsentScope.COUNT_IN_REPORTS)


def test_staff_see_counts_and_the_admin_sees_the_wording(page, live_server, personas, with_totp):
    with_totp(personas.sam)
    sign_in(page, live_server.url, personas.sam.email)
    enter_totp(page)
    expect_heading(page, "Board overview")
    page.get_by_role("link", name="Choices about information (numbers only)").click()
    expect_heading(page, "Choices about information")
    expect(page.get_by_role("main")).to_contain_text("Fewer than 5 survivor leaders said yes.")
    check_axe(page)
    page.get_by_role("button", name="Sign out").click()

    with_totp(personas.ada)
    sign_in(page, live_server.url, personas.ada.email)
    enter_totp(page)
    page.get_by_role("link", name="Wording of the choices").click()
    expect_heading(page, "Wording of the choices")
    check_axe(page)
    page.get_by_role("combobox", name="Choice").select_option(ConsentScope.COUNT_IN_REPORTS.value)
    page.get_by_role("textbox", name="New wording").fill("What I do can be counted in reports.")
    page.get_by_role("button", name="Show it to the board").click()
    expect(page.get_by_role("status")).to_contain_text("The board can read the new wording")
    expect(page.get_by_role("main")).to_contain_text("It can take effect from")
    check_axe(page)
