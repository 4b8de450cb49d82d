"""Real-browser journeys: signing in for each role, the second step and its setup, quick
exit, pages without JavaScript and on a narrow phone. Every page visited is checked with
axe, and the `watch` fixture fails any test whose pages break the Content Security Policy
or throw a script error."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Role
from accounts.outbox import send_pending_updates
from accounts.services import invite_person
from tests.browser.helpers import (
    check_axe,
    check_axe_without_javascript,
    enter_totp,
    expect_heading,
    fresh_totp_code,
    has_no_horizontal_scroll,
    screenshots_enabled,
    sign_in,
    take_screenshots,
)
from tests.browser.people_steps import check_page
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (persona, heading of their home page, must they enter a code from an app?)
ROLE_HOMES = [
    ("ash", "My seat", False),
    ("sam", "Board overview", True),
    ("fin", "Stipends", True),
    ("ada", "Members and invitations", True),
    ("faye", "Reports", True),
]
NEW_PASSWORD = "lantern-orchard-quiet-41"
PROTECTED_PATHS = [
    "/",
    "/o/harbor/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
    "/accounts/sessions/",
    "/accounts/email/",
    "/accounts/password/change/",
]


SIGN_IN_URL = re.compile(r"/accounts/login/(\?.*)?$")


def expect_sent_to_sign_in(page: Page, next_path: str) -> None:
    expect(page).to_have_url(SIGN_IN_URL)
    query = parse_qs(urlsplit(page.url).query)
    assert query.get("next") == [next_path], page.url
    expect_heading(page, "Sign in")


def expect_sent_straight_to_app_setup(page: Page) -> None:
    """Right after signing in, adding the first sign-in app does not ask for the password
    again (our account adapter); it goes straight to the setup page."""
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))


def sign_in_to_home(page: Page, base_url: str, user, heading: str, *, with_code: bool) -> None:
    sign_in(page, base_url, user.email)
    if with_code:
        enter_totp(page)
    expect_heading(page, heading)
    check_axe(page)


@pytest.mark.parametrize(("persona", "heading", "with_code"), ROLE_HOMES)
def test_each_role_signs_in_and_lands_on_its_home(
    page, live_server, personas, with_totp, persona, heading, with_code
):
    user = getattr(personas, persona)
    if with_code:
        with_totp(user)
    sign_in_to_home(page, live_server.url, user, heading, with_code=with_code)
    expect(page).to_have_url(f"{live_server.url}/o/harbor/")


def test_a_wrong_code_is_refused_with_a_readable_message(page, live_server, personas, with_totp):
    with_totp(personas.sam)
    sign_in(page, live_server.url, personas.sam.email)
    page.get_by_label("Code from your app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect_heading(page, "Enter your code")
    expect(page.get_by_label("Code from your app")).to_have_attribute("aria-invalid", "true")
    check_axe(page)


def test_staff_without_a_second_step_must_set_up_an_app_first(page, live_server, personas):
    sign_in(page, live_server.url, personas.sam.email)
    expect_sent_straight_to_app_setup(page)

    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/totp/activate/")
    expect_heading(page, "Set up a sign-in app")
    check_axe(page)
    qr_code = page.get_by_role("img", name="QR code for your sign-in app")
    expect(qr_code).to_be_visible()
    assert qr_code.evaluate("img => img.complete && img.naturalWidth > 0")

    # Nothing else is reachable until the app is set up.
    page.goto(f"{live_server.url}/o/harbor/")
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/totp/activate/")

    secret = page.locator("#authenticator_secret").inner_text().strip()
    page.get_by_label("Code from your app").fill(fresh_totp_code(secret))
    page.get_by_role("button", name="Turn on").click()

    expect_heading(page, "Recovery codes")
    expect(page.locator(".codes li")).not_to_have_count(0)
    check_axe(page)
    page.get_by_role("link", name="Continue").click()
    expect_heading(page, "Board overview")
    check_axe(page)


def test_a_survivor_leader_is_never_forced_to_set_up_an_app(page, live_server, personas):
    sign_in_to_home(page, live_server.url, personas.ash, "My seat", with_code=False)
    page.get_by_role("link", name="Sign-in security").first.click()
    expect_heading(page, "Sign-in security")
    check_axe(page)
    page.get_by_role("link", name="Set up a sign-in app").click()
    expect_sent_straight_to_app_setup(page)
    expect_heading(page, "Set up a sign-in app")
    check_axe(page)
    page.get_by_role("link", name="Home").click()
    expect_heading(page, "My seat")


def test_the_quick_exit_is_first_in_tab_order(page, live_server, personas):
    sign_in_to_home(page, live_server.url, personas.ash, "My seat", with_code=False)
    page.reload()
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.id")
    assert focused == "quick-exit"


def test_an_idle_page_warns_then_signs_out_and_polling_never_keeps_it_alive(
    page, live_server, settings, personas
):
    settings.SESSION_IDLE_TIMEOUT = timedelta(seconds=8)
    settings.SESSION_IDLE_WARNING = timedelta(seconds=5)
    sign_in_to_home(page, live_server.url, personas.ash, "My seat", with_code=False)
    warning = page.get_by_role("alertdialog")
    expect(warning).to_be_visible(timeout=8000)
    expect(page.get_by_role("button", name="Stay signed in")).to_be_focused()
    check_axe(page)
    page.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()
    # The page keeps polling in the background; that must not extend the session.
    expect(page).to_have_url(re.compile(r"/session/ended/$"), timeout=15000)
    expect_heading(page, "You have been signed out")
    check_axe(page)
    page.goto(f"{live_server.url}/o/harbor/")
    expect_sent_to_sign_in(page, "/o/harbor/")


def _quick_exit_journey(page: Page, new_context, live_server, settings, personas, leave) -> None:
    neutral = f"{live_server.url}/staying-safer/"
    settings.QUICK_EXIT_URL = neutral
    sign_in_to_home(page, live_server.url, personas.ash, "My seat", with_code=False)
    old_session = next(c for c in page.context.cookies() if c["name"] == "sessionid")

    leave(page)

    expect(page).to_have_url(neutral)
    expect_heading(page, "Staying safer")
    check_axe(page)
    assert not any(c["name"] == "sessionid" for c in page.context.cookies())

    # The server forgot the session too: the old cookie no longer opens anything.
    replay = new_context()
    replay.add_cookies(
        [{"name": "sessionid", "value": old_session["value"], "url": live_server.url}]
    )
    response = replay.request.get(f"{live_server.url}/o/harbor/", max_redirects=0)
    assert response.status == 302
    assert response.headers["location"].startswith("/accounts/login/")

    # Back never shows the person's page again: at most the sign-in page.
    page.go_back()
    expect(page).to_have_url(SIGN_IN_URL)
    expect_heading(page, "Sign in")
    check_axe(page)
    assert "My seat" not in page.content()


def test_quick_exit_button_ends_the_session_and_leaves_no_way_back(
    page, new_context, live_server, settings, personas
):
    def click_exit(page: Page) -> None:
        page.get_by_role("link", name="Leave this site now").click()

    _quick_exit_journey(page, new_context, live_server, settings, personas, click_exit)


def test_pressing_shift_three_times_leaves_quickly(
    page, new_context, live_server, settings, personas
):
    def press_shift_three_times(page: Page) -> None:
        for _ in range(3):
            page.keyboard.press("Shift")

    _quick_exit_journey(page, new_context, live_server, settings, personas, press_shift_three_times)


def test_without_javascript_quick_exit_is_a_plain_link_that_works(
    new_context, watch, live_server, settings, personas
):
    neutral = f"{live_server.url}/staying-safer/"
    settings.QUICK_EXIT_URL = neutral
    context = new_context(java_script_enabled=False)
    watch.attach_context(context)
    page = context.new_page()

    page.goto(f"{live_server.url}/accounts/login/")
    check_axe_without_javascript(page)
    page.get_by_label("Email").fill(personas.ash.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect_heading(page, "My seat")
    check_axe_without_javascript(page)
    page.get_by_role("link", name="Leave this site now").click()

    expect(page).to_have_url(neutral)
    check_axe_without_javascript(page)
    page.goto(f"{live_server.url}/o/harbor/")
    expect_sent_to_sign_in(page, "/o/harbor/")


@pytest.mark.parametrize("path", PROTECTED_PATHS)
def test_anonymous_visitors_are_sent_to_sign_in(page, live_server, db, path):
    page.goto(f"{live_server.url}{path}")
    expect_sent_to_sign_in(page, path)
    expect_heading(page, "Sign in")
    check_axe(page)


def test_forgotten_password_pages_read_plainly(page, live_server, personas):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect_heading(page, "Forgotten your password?")
    check_axe(page)
    page.get_by_label("Email").fill(personas.ash.email)
    page.get_by_role("button", name="Send me the link").click()
    expect_heading(page, "Check your e-mail")
    check_axe(page)


def test_signed_in_people_see_where_they_are_signed_in_and_can_sign_out(
    page, live_server, personas
):
    sign_in_to_home(page, live_server.url, personas.ash, "My seat", with_code=False)
    page.get_by_role("link", name="Where I'm signed in").click()
    expect_heading(page, "Where you're signed in")
    expect(page.get_by_text("This browser")).to_be_visible()
    check_axe(page)

    page.get_by_role("button", name="Sign out").click()
    expect_heading(page, "Sign in")
    page.goto(f"{live_server.url}/o/harbor/")
    expect_sent_to_sign_in(page, "/o/harbor/")


def test_ending_other_sessions(browser, new_context, watch, live_server, personas):
    phone = new_context()
    laptop = new_context()
    for context in (phone, laptop):
        watch.attach_context(context)
    phone_page, laptop_page = phone.new_page(), laptop.new_page()
    sign_in_to_home(phone_page, live_server.url, personas.ash, "My seat", with_code=False)
    sign_in_to_home(laptop_page, live_server.url, personas.ash, "My seat", with_code=False)

    laptop_page.goto(f"{live_server.url}/accounts/sessions/")
    check_axe(laptop_page)
    laptop_page.get_by_role("button", name="Sign out everywhere else").click()
    expect(laptop_page.get_by_text("You are now signed out everywhere else.")).to_be_visible()
    check_axe(laptop_page)

    phone_page.goto(f"{live_server.url}/o/harbor/")
    expect_sent_to_sign_in(phone_page, "/o/harbor/")
    laptop_page.goto(f"{live_server.url}/o/harbor/")
    expect_heading(laptop_page, "My seat")


def test_narrow_phone_screens_never_scroll_sideways(new_context, watch, live_server, personas):
    width = 360
    context = new_context(viewport={"width": width, "height": 740})
    watch.attach_context(context)
    page = context.new_page()

    page.goto(f"{live_server.url}/accounts/login/")
    check_axe(page)
    assert has_no_horizontal_scroll(page, width), "sign-in page"

    sign_in(page, live_server.url, personas.sam.email)  # staff, no app yet: the setup page
    expect_sent_straight_to_app_setup(page)
    expect_heading(page, "Set up a sign-in app")
    check_axe(page)
    assert has_no_horizontal_scroll(page, width), "sign-in app setup page"
    page.get_by_role("button", name="Sign out").click()

    sign_in_to_home(page, live_server.url, personas.ash, "My seat", with_code=False)
    assert has_no_horizontal_scroll(page, width), "survivor leader's home"
    for path, heading in [
        ("/accounts/sessions/", "Where you're signed in"),
        ("/accounts/2fa/", "Sign-in security"),
    ]:
        page.goto(f"{live_server.url}{path}")
        expect_heading(page, heading)
        check_axe(page)
        assert has_no_horizontal_scroll(page, width), heading


def _invitation_link(mailoutbox) -> str:
    send_pending_updates()  # the outbox's worker sends the invitation and makes its link
    (message,) = mailoutbox
    match = re.search(r"https?://\S+/invitations/[^/\s]+/", message.body)
    assert match, "the invitation e-mail carries a link"
    return match.group(0)


def _choose_password(page: Page, link: str) -> None:
    page.goto(link)
    expect_heading(page, "Accept your invitation")
    check_axe(page)
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save password and continue").click()


def test_an_admin_invites_a_survivor_leader_who_lands_on_their_seat(
    page, new_context, watch, live_server, personas, with_totp, mailoutbox, settings
):
    settings.SITE_URL = live_server.url
    with_totp(personas.ada)
    sign_in_to_home(page, live_server.url, personas.ada, "Members and invitations", with_code=True)
    page.goto(f"{live_server.url}/o/harbor/members/")
    check_axe(page)
    page.get_by_label("E-mail address", exact=True).fill("new.leader@example.test")
    page.get_by_label("Role", exact=True).select_option(label="Survivor leader")
    page.get_by_label("I checked privately").check()
    page.get_by_role("button", name="Invite this person").click()
    expect(page.get_by_text("Invitation sent.")).to_be_visible()
    check_axe(page)

    # The invited person opens the link on their own device.
    invitee = new_context()
    watch.attach_context(invitee)
    invitee_page = invitee.new_page()
    _choose_password(invitee_page, _invitation_link(mailoutbox))
    expect_heading(invitee_page, "My seat")
    check_axe(invitee_page)


def test_an_invited_staff_member_sets_up_a_sign_in_app_before_anything_else(
    page, live_server, personas, mailoutbox, settings
):
    settings.SITE_URL = live_server.url
    invite_person(
        organization=personas.harbor,
        invited_by=personas.ada,
        email="new.staff@example.test",
        role=Role.STAFF,
        address_checked=True,
    )
    _choose_password(page, _invitation_link(mailoutbox))
    expect_sent_straight_to_app_setup(page)
    expect_heading(page, "Set up a sign-in app")
    check_axe(page)
    secret = page.locator("#authenticator_secret").inner_text().strip()
    page.get_by_label("Code from your app").fill(fresh_totp_code(secret))
    page.get_by_role("button", name="Turn on").click()
    expect_heading(page, "Recovery codes")
    check_axe(page)
    page.get_by_role("link", name="Continue").click()
    expect_heading(page, "Board overview")
    check_axe(page)


def test_someone_with_an_account_signs_in_with_their_code_to_accept(
    page, live_server, personas, with_totp, mailoutbox, settings
):
    """Otto (Second) is invited to Harbor: the link leads through Otto's usual sign-in,
    second step included, to one button; Harbor then starts with an empty profile."""
    settings.SITE_URL = live_server.url
    with_totp(personas.otto)
    invite_person(
        organization=personas.harbor,
        invited_by=personas.ada,
        email=personas.otto.email,
        role=Role.SURVIVOR_LEADER,
        address_checked=True,
    )
    page.goto(_invitation_link(mailoutbox))
    expect_heading(page, "Accept your invitation")
    check_page(page, "invitation-accept")
    page.get_by_role("link", name="Sign in to accept").click()
    expect_heading(page, "Sign in")
    page.get_by_label("Email").fill(personas.otto.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    enter_totp(page)
    expect_heading(page, "Join Harbor?")
    check_page(page, "invitation-join")
    page.get_by_role("button", name="Accept and join").click()
    expect_heading(page, "My seat")
    expect(page.get_by_text("You have not filled in your profile for Harbor yet.")).to_be_visible()
    check_page(page, "home-new-organization")
    page.get_by_role("link", name="Fill in my profile").click()
    expect_heading(page, "My profile")
    check_page(page)
    personas.otto.refresh_from_db()
    assert personas.otto.check_password(PASSWORD)


@pytest.mark.skipif(not screenshots_enabled(), reason="set SCREENSHOTS=1 to take screenshots")
def test_screenshots(new_context, watch, live_server, personas, with_totp):
    context = new_context()
    watch.attach_context(context)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    check_axe(page)
    take_screenshots(page, "sign-in")

    for persona, heading, with_code in ROLE_HOMES:
        user = getattr(personas, persona)
        if with_code:
            with_totp(user)
        role_context = new_context()
        watch.attach_context(role_context)
        role_page = role_context.new_page()
        sign_in_to_home(role_page, live_server.url, user, heading, with_code=with_code)
        take_screenshots(role_page, f"home-{persona}")
        role_context.close()

    # The two sign-in steps staff meet first: setting up the app, then typing its code.
    sign_in(page, live_server.url, personas.river.email)
    expect_heading(page, "My seat")
    page.goto(f"{live_server.url}/accounts/2fa/totp/activate/")
    expect_sent_straight_to_app_setup(page)
    expect_heading(page, "Set up a sign-in app")
    check_axe(page)
    take_screenshots(page, "sign-in-app-setup")
    page.get_by_role("button", name="Sign out").click()
    with_totp(personas.river)
    sign_in(page, live_server.url, personas.river.email)
    expect_heading(page, "Enter your code")
    check_axe(page)
    take_screenshots(page, "sign-in-code")


def test_htmx_is_served_by_us_with_eval_indicator_styles_and_history_cache_off(
    page, live_server, personas
):
    sign_in_to_home(page, live_server.url, personas.ash, "My seat", with_code=False)
    config = page.evaluate(
        "() => ({loaded: !!window.htmx, eval: htmx.config.allowEval,"
        " styles: htmx.config.includeIndicatorStyles, history: htmx.config.historyCacheSize,"
        " selfOnly: htmx.config.selfRequestsOnly})"
    )
    # No page snapshots in localStorage: a shared device must not keep them.
    assert config == {
        "loaded": True,
        "eval": False,
        "styles": False,
        "history": 0,
        "selfOnly": True,
    }
