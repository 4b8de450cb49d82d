"""Choices in a real browser, on a phone and on a desktop: a meeting role is asked, never
given, and "No, thank you" weighs as much as "Yes, I will"; a meeting that is over asks
nothing more; My choices shows yes and no alike and offers no channel nothing sends on.
Every page is axe-checked at the width it is read at; the `watch` fixture fails any CSP
violation or script error."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from accounts.models import ConsentScope
from accounts.services.consent import ensure_consent_texts, grant_consent
from meetings.models import AgendaStatus, MeetingRole, RoleAnswer
from tests.browser.helpers import (
    check_axe,
    expect_heading,
    has_no_horizontal_scroll,
    sign_in,
    take_screenshots,
)
from tests.factories import SurvivorProfileFactory
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MeetingInvitationFactory,
    board_member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def look(button: Locator) -> tuple[str, ...]:
    """What makes a button look heavier or lighter than another."""
    return tuple(
        button.evaluate(
            """(element) => {
                const style = getComputedStyle(element);
                return [style.backgroundColor, style.color, style.borderTopWidth,
                        style.borderTopColor, style.fontWeight];
            }"""
        )
    )


def check(page: Page, width: int) -> None:
    check_axe(page)
    assert has_no_horizontal_scroll(page, width)


@pytest.fixture
def river_on_the_board(personas):
    board_member(personas.ash, personas.harbor, co_chair=True)
    board_member(personas.river, personas.harbor)
    SurvivorProfileFactory.create(user=personas.river, chosen_name="River")
    coming = MeetingFactory.create(organization=personas.harbor, title="Autumn planning")
    MeetingInvitationFactory.create(
        meeting=coming,
        user=personas.river,
        meeting_role=MeetingRole.NOTE_TAKER,
        role_answer=RoleAnswer.OFFERED,
    )
    over = MeetingFactory.create(
        organization=personas.harbor,
        title="Summer planning",
        starts_at=timezone.now() - timedelta(days=3),
    )
    MeetingInvitationFactory.create(meeting=over, user=personas.river)
    AgendaItemFactory.create(meeting=over, title="Outreach", status=AgendaStatus.ACCEPTED)
    ensure_consent_texts(organization=personas.harbor)
    grant_consent(
        user=personas.river,
        organization=personas.harbor,
        scope=ConsentScope.COUNT_IN_REPORTS,
        text_version=1,
        language="en",
    )
    return personas


@pytest.mark.parametrize("width", [360, 1280])
def test_a_survivor_answers_a_role_sees_a_past_meeting_and_makes_choices(
    page, live_server, river_on_the_board, width
):
    page.set_viewport_size({"width": width, "height": 900})
    base = live_server.url
    sign_in(page, base, river_on_the_board.river.email)
    expect_heading(page, "My seat")

    # A role offered: both answers look the same, and saying no needs no reason.
    page.goto(f"{base}/o/harbor/meetings/")
    page.get_by_role("link", name="Autumn planning").click()
    expect_heading(page, "Autumn planning")
    expect(page.get_by_text("You are asked to be the Note-taker for this meeting.")).to_be_visible()
    expect(page.get_by_text("Your role in this meeting: Participant")).to_be_visible()
    yes = page.get_by_role("button", name="Yes, I will")
    no = page.get_by_role("button", name="No, thank you")
    assert look(yes) == look(no)
    check(page, width)
    take_screenshots(page, "meeting-role-offered")
    no.click()
    expect(page.get_by_text("You said no. You take part as a participant.")).to_be_visible()
    expect(page.get_by_role("button", name="Yes, I will")).to_be_visible()  # a change of mind
    check(page, width)

    # A meeting that is over: what happened, nothing more to answer.
    page.goto(f"{base}/o/harbor/meetings/")
    page.get_by_role("link", name="Summer planning").click()
    expect_heading(page, "Summer planning")
    expect(page.get_by_text("This meeting is over.", exact=False)).to_be_visible()
    expect(page.get_by_text("Will you come?")).to_have_count(0)
    expect(page.get_by_role("heading", name="Propose a topic")).to_have_count(0)
    expect(page.get_by_role("button", name="Skip this item — Outreach")).to_have_count(0)
    expect(page.get_by_role("link", name="Minutes")).to_be_visible()
    check(page, width)
    take_screenshots(page, "meeting-over")

    # My choices: yes and no alike, and no text messages while nothing sends them.
    page.goto(f"{base}/o/harbor/my-seat/choices/")
    expect_heading(page, "My choices")
    stop = page.get_by_role("button", name="No, stop this")
    agree = page.get_by_role("button", name="Yes, I agree").first
    assert look(stop) == look(agree)
    expect(page.get_by_text("text me", exact=False)).to_have_count(0)
    check(page, width)
    take_screenshots(page, "my-choices-equal")
