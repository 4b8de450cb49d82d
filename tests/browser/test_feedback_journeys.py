"""Open feedback and "What we changed" in a real browser: a survivor leader sends
feedback without their name, after reading how many people could have written it (an
empty message is refused first, nothing saved); staff answer it from the inbox without
ever seeing who sent it, and record a change linked to it; the author is told each time
(an "there is an update" outbox message of the kind the service uses) and reads the
answer and the change, and another survivor leader reads the change without being told it
was theirs. Every page is axe-checked at 1280 and 360 px wide and must not scroll
sideways on the phone; the `watch` fixture fails any CSP violation or script error. With
SCREENSHOTS=1 the pages are saved as docs/screenshots/feedback-*."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from django.utils.formats import date_format
from django.utils.timezone import localtime
from playwright.sync_api import Page, expect

from accounts.models import AccessRecord, AuditEvent, OutboxMessage, User
from advisory.models import Feedback, ProgramChange
from advisory.services.feedback import FEEDBACK_ANSWERED, PROGRAM_CHANGE
from compensation.selectors.ledger import organization_today
from meetings.services.input import ANONYMITY_NOTICE
from tests.browser.helpers import (
    expect_heading,
)
from tests.browser.people_steps import (
    card_with,
    check_page,
    new_page,
    sign_in_staff,
    sign_in_survivor,
)
from tests.factories import SurvivorProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASH_NAME = "Ashlyn Moreno"
RIVER_NAME = "Riverine Okafor"

SAID = "The reminder texts come too late in the evening. A morning text would help me plan."
ANSWER = "Thank you. From next month reminders go out at 9 in the morning."
CHANGE = "Meeting reminders now go out in the morning"
CHANGE_MORE = "Reminders are sent at 9 am the day before, not in the evening."


def assert_nobody_named(page: Page, *people: User) -> None:
    """Neither the chosen name nor the e-mail of anyone here is anywhere in the page."""
    html = page.content()
    for person in people:
        assert person.email not in html
        for name in person.survivor_profiles.values_list("chosen_name", flat=True):
            assert name not in html


def test_anonymous_feedback_is_answered_and_changes_something(
    page, new_context, watch, live_server, personas, with_totp
):
    harbor = personas.harbor
    SurvivorProfileFactory.create(user=personas.ash, chosen_name=ASH_NAME)
    SurvivorProfileFactory.create(user=personas.river, chosen_name=RIVER_NAME)

    # --- River sends feedback without their name -----------------------------------------
    sign_in_survivor(page, live_server.url, personas.river)
    page.get_by_role("link", name="Tell us what works and what doesn't").click()
    expect_heading(page, "Tell us what works and what doesn't")
    notice = page.locator("#anonymity-notice")
    # Harbor has two survivor leaders, Ash and River (Otto is in another program).
    expect(notice).to_contain_text(
        "2 survivor leaders are in this program: any of them could have written anonymous feedback."
    )
    expect(notice).to_contain_text(str(ANONYMITY_NOTICE))
    sender = page.get_by_role("group", name="Who can see it is yours")
    expect(sender.get_by_role("radio", name="Send it without my name")).to_be_checked()
    # River has not said staff may see their name, so only "without my name" is offered.
    expect(sender.get_by_role("radio")).to_have_count(1)
    expect(page.get_by_text("You have not sent any feedback yet.")).to_be_visible()
    check_page(page, "feedback-send")

    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_text("Write what works, or what doesn't.")).to_be_visible()
    check_page(page)
    assert not Feedback.objects.exists()

    page.get_by_label("What works, or what doesn't").fill(SAID)
    page.get_by_role("button", name="Send", exact=True).click()
    expect(
        page.get_by_text("Thank you. It is sent, and staff will answer it here.")
    ).to_be_visible()
    sent = page.get_by_role("region", name="What you sent")
    expect(sent).to_contain_text(SAID)
    expect(sent).to_contain_text("Nobody: sent without your name")
    expect(sent).to_contain_text("Not answered yet.")
    check_page(page)
    feedback = Feedback.objects.get()
    assert (feedback.organization, feedback.author, feedback.anonymous, feedback.body) == (
        harbor,
        personas.river,
        True,
        SAID,
    )
    # Nothing written for staff to read carries River as the actor.
    assert not AuditEvent.objects.filter(actor_id=personas.river.pk).exists()

    # --- Sam answers it, never seeing who sent it ---------------------------------------
    staff = new_page(new_context, watch)
    sign_in_staff(staff, live_server.url, personas.sam, with_totp)
    staff.get_by_role("link", name="Feedback", exact=True).click()
    expect_heading(staff, "Feedback")
    message = card_with(staff, SAID)
    expect(message).to_contain_text("From a survivor leader")
    expect(message).to_contain_text("Waiting for an answer")
    assert_nobody_named(staff, personas.river, personas.ash)
    check_page(staff, "feedback-inbox")

    message.get_by_role("link", name="Answer it").click()
    expect_heading(staff, "Answer feedback")
    expect(staff.get_by_role("heading", name="From a survivor leader")).to_be_visible()
    expect(staff.get_by_text(SAID)).to_be_visible()
    assert_nobody_named(staff, personas.river, personas.ash)
    check_page(staff, "feedback-answer")
    staff.get_by_label("Your answer").fill(ANSWER)
    staff.get_by_role("button", name="Save the answer").click()
    expect_heading(staff, "Feedback")
    expect(
        staff.get_by_text("Your answer is saved. The person who sent it is told.")
    ).to_be_visible()
    expect(card_with(staff, SAID)).to_contain_text("Answered")
    expect(card_with(staff, SAID)).not_to_contain_text("Waiting for an answer")
    check_page(staff)
    feedback.refresh_from_db()
    assert (feedback.answer, feedback.answered_by) == (ANSWER, personas.sam)
    assert feedback.answered_at is not None
    assert OutboxMessage.objects.filter(recipient=personas.river, kind=FEEDBACK_ANSWERED).exists()
    # Staff were never shown whose it was, so River's access log has nothing new.
    assert not AccessRecord.objects.filter(subject=personas.river).exists()

    # --- Sam records the change it led to ----------------------------------------------
    card_with(staff, SAID).get_by_role("link", name="Read or change the answer").click()
    expect_heading(staff, "Change your answer to feedback")
    expect(staff.get_by_label("Your answer")).to_have_value(ANSWER)
    check_page(staff)
    staff.get_by_role("link", name="Record a change this led to").click()
    expect_heading(staff, "Record a change")
    linked = staff.get_by_role("group", name="Feedback that led to it")
    # Coming from the message, it is already chosen.
    expect(linked.get_by_role("checkbox", name=SAID[:40], exact=False)).to_be_checked()
    expect(staff.get_by_label("The day of the change")).to_have_value(
        organization_today(harbor).isoformat()
    )
    assert_nobody_named(staff, personas.river, personas.ash)
    check_page(staff, "feedback-new-change")
    staff.get_by_label("What changed").fill(CHANGE)
    staff.get_by_label("More about the change (if you like)").fill(CHANGE_MORE)
    staff.get_by_role("button", name="Save the change").click()
    expect_heading(staff, "What we changed")
    expect(
        staff.get_by_text("The change is saved. The people whose words led to it are told.")
    ).to_be_visible()
    change_card = card_with(staff, CHANGE)
    expect(change_card).to_contain_text(CHANGE_MORE)
    expect(change_card).to_contain_text("Because of feedback")
    check_page(staff, "feedback-staff-changes")
    change = ProgramChange.objects.get()
    assert (change.organization, change.title, change.created_by) == (
        harbor,
        CHANGE,
        personas.sam,
    )
    assert list(change.feedback.all()) == [feedback]
    assert OutboxMessage.objects.filter(recipient=personas.river, kind=PROGRAM_CHANGE).exists()
    assert not OutboxMessage.objects.filter(recipient=personas.ash, kind=PROGRAM_CHANGE).exists()

    # --- River reads the answer and the change -----------------------------------------
    page.reload()
    sent = page.get_by_role("region", name="What you sent")
    expect(sent).to_contain_text(ANSWER)
    expect(sent).to_contain_text("It led to a change")
    expect(sent).to_contain_text(CHANGE)
    check_page(page)
    sent.get_by_role("link", name="Open").click()
    sent_on = date_format(localtime(feedback.created_at, ZoneInfo(harbor.time_zone)), "j F Y")
    expect_heading(page, f"Your feedback, sent on {sent_on}")
    answered = page.get_by_role("region", name="What you said, and the answer")
    expect(answered).to_contain_text(SAID)
    expect(answered).to_contain_text(ANSWER)
    expect(answered).to_contain_text(CHANGE)
    check_page(page, "feedback-mine")

    page.get_by_role("link", name="Back to your feedback").click()
    page.get_by_role("link", name="What we changed", exact=True).click()
    expect_heading(page, "What we changed")
    mine = card_with(page, CHANGE)
    expect(mine).to_contain_text(CHANGE_MORE)
    expect(mine).to_contain_text("Because of feedback")
    expect(mine).to_contain_text("Something you said led to this. Thank you.")
    check_page(page, "feedback-what-we-changed")

    # --- Ash reads the same change, with nothing saying whose words led to it -----------
    ash = new_page(new_context, watch)
    sign_in_survivor(ash, live_server.url, personas.ash)
    ash.get_by_role("link", name="What we changed", exact=True).click()
    expect_heading(ash, "What we changed")
    theirs = card_with(ash, CHANGE)
    expect(theirs).to_contain_text("Because of feedback")
    expect(theirs).not_to_contain_text("Something you said led to this")
    assert_nobody_named(ash, personas.river)
    assert SAID not in ash.content()
    check_page(ash)
