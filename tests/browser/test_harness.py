"""The checks the journeys rely on do catch problems: a test that cannot fail proves nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PageWatch, check_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_watch_reports_an_inline_style_refused_by_our_policy(new_context, live_server):
    watch = PageWatch()
    context = new_context()
    watch.attach_context(context)
    page = context.new_page()
    page.goto(f"{live_server.url}/staying-safer/")
    page.evaluate(
        "() => { document.body.insertAdjacentHTML('beforeend', '<p style=\"color:red\">x</p>'); }"
    )
    expect(page.get_by_text("x", exact=True)).to_be_attached()
    page.wait_for_timeout(200)
    assert any("Content Security Policy" in problem for problem in watch.problems)


def test_the_watch_reports_a_script_error(new_context, live_server):
    watch = PageWatch()
    context = new_context()
    watch.attach_context(context)
    page = context.new_page()
    page.goto(f"{live_server.url}/staying-safer/")
    page.evaluate("() => { setTimeout(() => { throw new Error('boom'); }, 0); }")
    page.wait_for_timeout(200)
    assert any("boom" in problem for problem in watch.problems)


def test_axe_reports_an_image_without_a_text_alternative(page, live_server):
    page.goto(f"{live_server.url}/staying-safer/")
    page.evaluate(
        "() => { const img = document.createElement('img');"
        " img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';"
        " document.querySelector('main').append(img); }"
    )
    with pytest.raises(AssertionError, match="image-alt"):
        check_axe(page)


def test_the_stylesheet_and_script_load_from_the_live_server(page, live_server):
    """Static files come through WhiteNoise's finders in tests; a missing file would leave
    pages unstyled and the quick exit without its keyboard shortcut."""
    statuses: dict[str, int] = {}
    page.on("response", lambda response: statuses.setdefault(response.url, response.status))
    page.goto(f"{live_server.url}/staying-safer/")
    assert statuses[f"{live_server.url}/static/css/site.css"] == 200
    assert statuses[f"{live_server.url}/static/js/safety.js"] == 200
    exit_link = page.locator("#quick-exit")
    assert exit_link.evaluate("el => getComputedStyle(el).position") == "fixed"
