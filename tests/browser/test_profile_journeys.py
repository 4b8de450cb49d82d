"""My seat in a real browser: a survivor leader fills in their profile and safe-contact
rules (after one clear refusal), sees what was saved, adds and clears payment details,
and reads who has seen their information; and a staff member's visit appears there.
Every page is axe-checked; the `watch` fixture fails any CSP violation or script error."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from accounts.models import SurvivorProfile
from accounts.services.profile import update_profile
from tests.browser.helpers import (
    check_axe,
    enter_totp,
    expect_heading,
    has_no_horizontal_scroll,
    sign_in,
)
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_link(page: Page, link: str, heading: str) -> None:
    page.get_by_role("link", name=link, exact=True).click()
    expect_heading(page, heading)
    check_axe(page)


def confirm_it_is_me(page: Page) -> None:
    """Payment details are shown only to someone who just confirmed it's them."""
    expect_heading(page, "Confirm it's you")
    check_axe(page)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()


def test_a_survivor_edits_their_profile_and_safe_contact_rules(page, live_server, personas):
    sign_in(page, live_server.url, personas.ash.email)
    expect_heading(page, "My seat")
    check_axe(page)
    open_link(page, "My profile and how we contact you", "My profile")
    expect(page.get_by_text("You never have to share anything about your past.")).to_be_visible()

    # Half of the quiet hours: a clear message, and nothing saved.
    page.get_by_label("The name you want us to use").fill("Ash")
    page.get_by_label("Quiet hours start at").select_option("21:00")
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_text("Choose both a start and an end for quiet hours")).to_be_visible()
    check_axe(page)
    assert not SurvivorProfile.objects.exists()

    page.get_by_label("Pronouns").fill("they/them")
    page.get_by_label("Your time zone").select_option("America/Chicago")
    page.get_by_label("Training").check()
    page.get_by_label("Outreach").check()
    expect(page.get_by_label("Text message (SMS)")).to_have_count(0)  # nothing sends texts
    page.get_by_label("E-mail").check()
    page.get_by_label("Quiet hours end at").select_option("08:00")
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    check_axe(page)
    expect(page.get_by_label("The name you want us to use")).to_have_value("Ash")
    expect(page.get_by_label("Pronouns")).to_have_value("they/them")
    expect(page.get_by_label("Your time zone")).to_have_value("America/Chicago")
    expect(page.get_by_label("Training")).to_be_checked()
    expect(page.get_by_label("E-mail")).to_be_checked()
    expect(page.get_by_label("Quiet hours start at")).to_have_value("21:00")

    # Changing their mind is as easy: no channel at all means nobody contacts them.
    page.get_by_label("E-mail").uncheck()
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.get_by_label("E-mail")).not_to_be_checked()
    assert SurvivorProfile.objects.get().safe_channels == []

    page.get_by_role("link", name="Details for payments (only if you need them)").click()
    confirm_it_is_me(page)
    expect_heading(page, "Details for payments")
    check_axe(page)
    expect(page.get_by_text("a cheque must carry your legal name")).to_be_visible()
    page.get_by_label("Legal name").fill("Ash Example")
    page.get_by_role("button", name="Save payment details").click()
    expect(page.get_by_text("Your payment details are saved.")).to_be_visible()
    check_axe(page)
    page.get_by_label("Legal name").fill("")
    page.get_by_role("button", name="Save payment details").click()
    expect(page.get_by_label("Legal name")).to_have_value("")
    assert SurvivorProfile.objects.get().legal_name == ""

    page.get_by_role("link", name="Home", exact=True).click()
    expect(page.get_by_text("Hello, Ash.")).to_be_visible()
    check_axe(page)
    open_link(page, "Who has seen my information", "Who has seen my information")
    expect(
        page.get_by_text("Nobody at the program has opened your information yet.")
    ).to_be_visible()


def test_a_staff_visit_shows_up_for_the_survivor(
    page, live_server, personas, with_totp, new_context, watch
):
    update_profile(user=personas.river, organization=personas.harbor, chosen_name="River")
    with_totp(personas.sam)
    sign_in(page, live_server.url, personas.sam.email)
    enter_totp(page)
    check_axe(page)
    open_link(page, "Leaders' profiles", "Leaders' profiles")
    open_link(page, "River", "River")

    survivor_context = new_context()
    watch.attach_context(survivor_context)
    survivor = survivor_context.new_page()
    sign_in(survivor, live_server.url, personas.river.email)
    survivor.goto(f"{live_server.url}/o/harbor/my-seat/who-has-seen/")
    expect_heading(survivor, "Who has seen my information")
    check_axe(survivor)
    expect(survivor.get_by_text("sam@example.test")).to_be_visible()
    expect(survivor.get_by_text("Your profile", exact=False)).to_be_visible()


def test_the_profile_page_fits_a_narrow_phone(live_server, personas, new_context, watch):
    width = 360
    context = new_context(viewport={"width": width, "height": 740})
    watch.attach_context(context)
    page = context.new_page()
    sign_in(page, live_server.url, personas.ash.email)
    expect_heading(page, "My seat")
    check_axe(page)
    page.goto(f"{live_server.url}/o/harbor/my-seat/profile/")
    expect_heading(page, "My profile")
    check_axe(page)
    assert has_no_horizontal_scroll(page, width), "profile page"
    page.goto(f"{live_server.url}/o/harbor/my-seat/payment-details/")
    expect_heading(page, "Confirm it's you")
    assert has_no_horizontal_scroll(page, width), "confirm it's you page"
    confirm_it_is_me(page)
    expect_heading(page, "Details for payments")
    check_axe(page)
    assert has_no_horizontal_scroll(page, width), "payment details page"
