""" "You said, we did" in a real browser: staff log a decision (a "not adopted" with no reason
refused first, nothing saved) and link two confirmed inputs; the authors answer "Is this
what you said?" ("yes", and "not quite" with what they meant, refused first without it);
staff see the "not quite" next to the claim and revise the link, the old row kept; a board
member proposes a link and staff accept it; the board records a recommendation and staff
answer it (refused first without reasons), with overdue ones flagged on both sides; and a
board member reads the decision log on a 360 px phone, with the answer counts and no names.
Every page is axe-checked; the `watch` fixture fails any CSP violation or script error."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import BrowserContext, Locator, Page, expect

from accounts.models import (
    AccessRecord,
    ConsentScope,
    Organization,
    OutboxMessage,
    User,
)
from accounts.services.access import ACCESS_INPUT
from accounts.services.consent import ensure_consent_texts, grant_consent
from advisory.models import (
    AnswerChoice,
    Decision,
    DecisionArea,
    DecisionStatus,
    DecisionStatusChange,
    Influence,
    InfluenceAnswer,
    InfluenceLevel,
    InfluenceOrigin,
    InfluenceProposal,
    ProposalStatus,
    Recommendation,
    RecommendationResponse,
)
from advisory.notify import INPUT_LINKED, PROPOSAL_ANSWERED
from compensation.selectors.ledger import organization_today
from meetings.models import Input, InputVisibility, Meeting
from tests.advisory.factories import DecisionFactory, confirmed_input
from tests.browser.helpers import (
    PageWatch,
    check_axe,
    enter_totp,
    expect_heading,
    has_no_horizontal_scroll,
    screenshots_enabled,
    sign_in,
    take_screenshots,
)
from tests.factories import SurvivorProfileFactory
from tests.meetings.factories import MeetingFactory, board_member
from tests.support.urls import live_url as url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 800}
NAMELESS = "A board member"
ASH_NAME = "Ashlyn Moreno"
RIVER_NAME = "Riverine Okafor"

ASH_SAID = "Shorter intake forms would help people who arrive tired."
RIVER_SAID = "Evening drop-in hours matter for people who work days."
ASH_OTHER = "Peer mentors should be paid for the hours they give."

TITLE = "Evening hours at the drop-in centre"
RIVER_MEANT = "I meant weekday evenings, not weekends."


@dataclass(frozen=True)
class BoardInput:
    """A past meeting and what was said at it, confirmed by the people who said it."""

    meeting: Meeting
    ash: Input
    river: Input
    ash_other: Input


def board_input(personas, *, days_ago: int = 3) -> BoardInput:
    harbor = personas.harbor
    meeting = MeetingFactory.create(
        organization=harbor,
        title="Spring board meeting",
        starts_at=timezone.now() - datetime.timedelta(days=days_ago),
    )
    return BoardInput(
        meeting=meeting,
        ash=confirmed_input(personas.ash, harbor, meeting=meeting, body=ASH_SAID),
        river=confirmed_input(personas.river, harbor, meeting=meeting, body=RIVER_SAID),
        ash_other=confirmed_input(personas.ash, harbor, meeting=meeting, body=ASH_OTHER),
    )


def chosen_names(personas) -> None:
    SurvivorProfileFactory.create(user=personas.ash, chosen_name=ASH_NAME)
    SurvivorProfileFactory.create(user=personas.river, chosen_name=RIVER_NAME)


def allow_attribution(organization: Organization, user: User) -> None:
    ensure_consent_texts(organization=organization)
    grant_consent(
        user=user,
        organization=organization,
        scope=ConsentScope.ATTRIBUTE_TO_STAFF,
        text_version=1,
        language="en",
    )


def adopted_decision(organization: Organization, **fields: object) -> Decision:
    defaults: dict[str, object] = {
        "title": TITLE,
        "description": "The drop-in centre opens until 8 pm on weekdays.",
        "area": DecisionArea.SERVICES,
        "status": DecisionStatus.ADOPTED,
    }
    return DecisionFactory.create(organization=organization, **(defaults | fields))


def claim(
    decision: Decision,
    input: Input,
    rationale: str,
    *,
    level: str = InfluenceLevel.SHAPED,
    origin: str = InfluenceOrigin.STAFF,
) -> Influence:
    """A link written directly (the services have their own tests)."""
    return Influence.objects.create(
        decision=decision, input=input, level=level, rationale=rationale, origin=origin
    )


def answer(decision: Decision, input: Input, choice: str, comment: str = "") -> InfluenceAnswer:
    return InfluenceAnswer.objects.create(
        decision=decision, input=input, answer=choice, comment=comment
    )


def sign_in_with_code(page: Page, base_url: str, person: User, with_totp, home: str) -> None:
    with_totp(person)
    sign_in(page, base_url, person.email)
    enter_totp(page)
    expect_heading(page, home)
    check_axe(page)


def sign_in_survivor(page: Page, base_url: str, person: User) -> None:
    sign_in(page, base_url, person.email)
    expect_heading(page, "My seat")
    check_axe(page)


def new_page(new_context, watch: PageWatch, **options: object) -> Page:
    """A second person in the same test: a browser context of their own, also watched."""
    context: BrowserContext = new_context(**options)
    watch.attach_context(context)
    return context.new_page()


def card_with(page: Page, text: str) -> Locator:
    """The list item (a card) that holds this text, and none of the items around it."""
    return (
        page.locator("li")
        .filter(has_text=text)
        .filter(has_not=page.locator("li").filter(has_text=text))
    )


def answer_count(card: Locator, label: str) -> Locator:
    """The number beside one answer ("Yes", "Not quite", ...) in a card's answer counts."""
    # `has` is matched inside each row, so the term's locator starts from the page.
    term = card.page.locator("dt").filter(has_text=re.compile(f"^{re.escape(label)}$"))
    return card.locator(".answer-counts > div").filter(has=term).locator("dd")


def open_links_page(page: Page, title: str) -> None:
    """From staff's home: Decisions, the decision, then its linked input."""
    page.get_by_role("link", name="Decisions", exact=True).click()
    expect_heading(page, "Decisions")
    check_axe(page)
    page.get_by_role("link", name=title, exact=True).click()
    expect_heading(page, title)
    check_axe(page)
    page.get_by_role("link", name="See the linked input and what its authors said").click()
    expect_heading(page, f"Input linked to {title}")
    check_axe(page)


# --- 1. staff log a decision and link two inputs ----------------------------------------


def test_staff_log_a_decision_and_link_two_inputs(page, live_server, personas, with_totp):
    harbor = personas.harbor
    chosen_names(personas)
    said = board_input(personas)
    # Ash lets staff see that it was them; River does not.
    allow_attribution(harbor, personas.ash)
    Input.objects.filter(pk=said.ash.pk).update(visibility=InputVisibility.ATTRIBUTED)
    meeting_label = "{} ({})".format(
        said.meeting.title,
        date_format(said.meeting.starts_at.astimezone(ZoneInfo(harbor.time_zone)), "j F Y"),
    )

    sign_in_with_code(page, live_server.url, personas.sam, with_totp, "Board overview")
    page.get_by_role("link", name="Decisions", exact=True).click()
    expect_heading(page, "Decisions")
    expect(page.get_by_text("No decisions yet.")).to_be_visible()
    check_axe(page)

    page.get_by_role("link", name="Log a decision").click()
    expect_heading(page, "Log a decision")
    check_axe(page)
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("What was decided").fill("The drop-in centre opens until 8 pm on weekdays.")
    page.get_by_label("Area", exact=True).select_option(label="Services")
    page.get_by_label("Meeting it came from (optional)").select_option(label=meeting_label)
    page.get_by_label("Status", exact=True).select_option(label="Not adopted")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Please check the form. Nothing was saved yet.")).to_be_visible()
    expect(page.get_by_text("Say why it was not adopted, or which part was not.")).to_be_visible()
    check_axe(page)
    assert not Decision.objects.exists()
    assert not DecisionStatusChange.objects.exists()
    # What was typed is kept, so only the mistake needs fixing.
    expect(page.get_by_label("Title", exact=True)).to_have_value(TITLE)

    page.get_by_label("Status", exact=True).select_option(label="Adopted")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Decision saved.")).to_be_visible()
    expect_heading(page, TITLE)
    timeline = page.get_by_role("region", name="What happened, step by step")
    expect(timeline).to_contain_text("Adopted")
    expect(page.get_by_text("No input is linked to it yet.")).to_be_visible()
    check_axe(page)
    decision = Decision.objects.get()
    assert (decision.organization, decision.status, decision.meeting) == (
        harbor,
        DecisionStatus.ADOPTED,
        said.meeting,
    )
    assert decision.created_by == personas.sam
    assert list(decision.changes.values_list("status", flat=True)) == [DecisionStatus.ADOPTED]

    page.get_by_role("link", name="See the linked input and what its authors said").click()
    expect_heading(page, f"Input linked to {TITLE}")
    expect(page.get_by_text("No input is linked to this decision yet.")).to_be_visible()
    check_axe(page)

    linking = page.get_by_role("region", name="Link input")
    linking.get_by_role("radio", name=re.compile(re.escape(ASH_SAID))).check()
    linking.get_by_role("radio", name="Shaped it").check()
    linking.get_by_label("How it shaped the decision, in plain words").fill(
        "Intake now takes one short form."
    )
    linking.get_by_role("button", name="Link it").click()
    expect(
        page.get_by_text("Linked. The person who said it is told there is an update.")
    ).to_be_visible()
    check_axe(page)

    # Ash's input is linked now, so the form no longer offers it.
    expect(linking.get_by_role("radio", name=re.compile(re.escape(ASH_SAID)))).to_have_count(0)
    linking.get_by_role("radio", name=re.compile(re.escape(RIVER_SAID))).check()
    linking.get_by_role("radio", name="Decided it").check()
    linking.get_by_label("How it shaped the decision, in plain words").fill(
        "The centre now opens on weekday evenings."
    )
    linking.get_by_role("button", name="Link it").click()
    expect(
        page.get_by_text("Linked. The person who said it is told there is an update.")
    ).to_be_visible()
    check_axe(page)

    linked = page.get_by_role("region", name="Linked now")
    ashs, rivers = card_with(page, ASH_SAID), card_with(page, RIVER_SAID)
    expect(ashs).to_contain_text(ASH_NAME)  # Ash allowed it
    expect(ashs).to_contain_text("Shaped it")
    expect(ashs).to_contain_text("Intake now takes one short form.")
    expect(ashs).to_contain_text("No answer yet")
    expect(rivers).to_contain_text(NAMELESS)  # River did not
    expect(rivers).to_contain_text("Decided it")
    expect(rivers).to_contain_text("The centre now opens on weekday evenings.")
    expect(rivers).to_contain_text("No answer yet")
    expect(linked).not_to_contain_text(RIVER_NAME)

    links = Influence.objects.filter(decision=decision)
    assert sorted(links.values_list("input", "level", "origin", "supersedes")) == sorted(
        [
            (said.ash.pk, InfluenceLevel.SHAPED, InfluenceOrigin.STAFF, None),
            (said.river.pk, InfluenceLevel.DECISIVE, InfluenceOrigin.STAFF, None),
        ]
    )
    told = OutboxMessage.objects.filter(kind=INPUT_LINKED).values_list("recipient", flat=True)
    assert sorted(told) == sorted([personas.ash.pk, personas.river.pk])
    # Staff were shown Ash's name, so Ash's access log says so; River's name was never shown.
    shown = AccessRecord.objects.filter(what=ACCESS_INPUT).values_list("subject", flat=True)
    assert set(shown) == {personas.ash.pk}


# --- 2. the authors answer; staff see "not quite" and revise the link -------------------


def test_authors_answer_and_staff_revise_a_link(
    page, new_context, watch, live_server, personas, with_totp
):
    harbor = personas.harbor
    said = board_input(personas)
    decision = adopted_decision(harbor)
    claim(decision, said.ash, "Intake now takes one short form.")
    rivers_claim = claim(
        decision, said.river, "The centre opens at weekends.", level=InfluenceLevel.DECISIVE
    )

    # Ash: "Yes".
    sign_in_survivor(page, live_server.url, personas.ash)
    page.get_by_role("link", name="What became of what I said").click()
    expect_heading(page, "What became of my input")
    check_axe(page)
    ashs = card_with(page, TITLE)
    expect(ashs).to_contain_text("Intake now takes one short form.")
    expect(ashs).to_contain_text("Adopted")
    question = ashs.get_by_role("group", name=re.compile(r"^Is this what you said\?"))
    question.get_by_role("radio", name="Yes", exact=True).check()
    ashs.get_by_role("button", name=re.compile("^Save my answer")).click()
    expect(page.get_by_text("Thank you. You can change your answer any time.")).to_be_visible()
    expect(card_with(page, TITLE)).to_contain_text("Your answer now: Yes")
    check_axe(page)
    assert InfluenceAnswer.objects.get(input=said.ash).answer == AnswerChoice.YES

    # River: "Not quite", first without saying what they meant.
    river = new_page(new_context, watch)
    sign_in_survivor(river, live_server.url, personas.river)
    river.get_by_role("link", name="What became of what I said").click()
    expect_heading(river, "What became of my input")
    check_axe(river)
    rivers = card_with(river, TITLE)
    expect(rivers).to_contain_text("The centre opens at weekends.")
    rivers.get_by_role("radio", name="Not quite — here's what I meant").check()
    rivers.get_by_role("button", name=re.compile("^Save my answer")).click()
    expect_heading(river, "Is this what you said?")
    expect(river.get_by_text("Please check the form. Nothing was saved yet.")).to_be_visible()
    expect(river.get_by_text("Say what you meant.")).to_be_visible()
    check_axe(river)
    assert not InfluenceAnswer.objects.filter(input=said.river).exists()

    expect(river.get_by_role("radio", name="Not quite — here's what I meant")).to_be_checked()
    river.get_by_label("If not quite: what you meant").fill(RIVER_MEANT)
    river.get_by_role("button", name="Save my answer").click()
    expect_heading(river, "What became of my input")
    expect(river.get_by_text("Thank you. You can change your answer any time.")).to_be_visible()
    expect(card_with(river, TITLE)).to_contain_text(
        "Your answer now: Not quite — here's what I meant"
    )
    check_axe(river)
    rivers_answer = InfluenceAnswer.objects.get(input=said.river)
    assert (rivers_answer.answer, rivers_answer.comment) == (AnswerChoice.NOT_QUITE, RIVER_MEANT)

    # Sam sees River's "not quite" next to the claim, and revises it.
    staff = new_page(new_context, watch)
    sign_in_with_code(staff, live_server.url, personas.sam, with_totp, "Board overview")
    open_links_page(staff, TITLE)
    expect(card_with(staff, ASH_SAID)).to_contain_text("Yes, this is what they said")
    claimed = card_with(staff, RIVER_SAID)
    expect(claimed).to_contain_text("The centre opens at weekends.")
    expect(claimed).to_contain_text("Not quite")
    expect(claimed).to_contain_text(f"What they meant: {RIVER_MEANT}")

    claimed.locator("summary").click()
    check_axe(staff)
    claimed.get_by_label("How it shaped the decision, in plain words").fill(
        "The centre now opens on weekday evenings."
    )
    claimed.get_by_role("button", name="Save the change").click()
    expect(
        staff.get_by_text("Saved. The earlier wording is kept, and the person who said it is told.")
    ).to_be_visible()
    check_axe(staff)
    revised = card_with(staff, RIVER_SAID)
    expect(revised).to_contain_text("The centre now opens on weekday evenings.")
    expect(revised).not_to_contain_text("The centre opens at weekends.")
    # River's answer stays with the claim.
    expect(revised).to_contain_text(f"What they meant: {RIVER_MEANT}")

    rows = Influence.objects.filter(decision=decision, input=said.river).order_by("id")
    assert rows.count() == 2
    old, new = rows
    assert old.pk == rivers_claim.pk
    assert old.rationale == "The centre opens at weekends."  # the old row is kept as it was
    assert (new.supersedes_id, new.rationale) == (
        old.pk,
        "The centre now opens on weekday evenings.",
    )
    assert new.level == InfluenceLevel.DECISIVE
    rivers_answer.refresh_from_db()
    assert (rivers_answer.answer, rivers_answer.comment) == (AnswerChoice.NOT_QUITE, RIVER_MEANT)

    # River reads the new wording, and their answer is still there.
    river.reload()
    expect(card_with(river, TITLE)).to_contain_text("The centre now opens on weekday evenings.")
    expect(card_with(river, TITLE)).to_contain_text(
        "Your answer now: Not quite — here's what I meant"
    )
    check_axe(river)


# --- 3. a member proposes a link and staff accept it -----------------------------------


def test_a_member_proposes_a_link_and_staff_accept_it(
    page, new_context, watch, live_server, personas, with_totp
):
    harbor = personas.harbor
    said = board_input(personas)
    decision = adopted_decision(harbor, title="Paying peer mentors", area=DecisionArea.BUDGET)
    claim(decision, said.ash, "Intake now takes one short form.")

    sign_in_survivor(page, live_server.url, personas.ash)
    page.get_by_role("link", name="What became of what I said").click()
    expect_heading(page, "What became of my input")
    check_axe(page)
    other = page.locator(f"#input-{said.ash_other.public_id}")
    expect(other).to_contain_text("Not linked to any decision yet.")
    other.get_by_role("link", name=re.compile("^Say this shaped a decision")).click()
    expect_heading(page, "Say your input shaped a decision")
    expect(page.get_by_text(ASH_OTHER)).to_be_visible()
    check_axe(page)
    page.get_by_label("Which decision").select_option(value=str(decision.pk))
    page.get_by_label("How you think it shaped the decision").fill(
        "I asked for mentors to be paid at the spring meeting."
    )
    page.get_by_role("button", name="Send to staff").click()
    expect_heading(page, "What became of my input")
    expect(
        page.get_by_text("Sent. Staff will answer you, and you will see their answer here.")
    ).to_be_visible()
    other = page.locator(f"#input-{said.ash_other.public_id}")
    expect(other).to_contain_text("Decisions you said it shaped")
    expect(other).to_contain_text("Paying peer mentors · Waiting for staff")
    check_axe(page)
    proposal = InfluenceProposal.objects.get()
    assert (proposal.decision, proposal.input, proposal.status) == (
        decision,
        said.ash_other,
        ProposalStatus.WAITING,
    )

    staff = new_page(new_context, watch)
    sign_in_with_code(staff, live_server.url, personas.sam, with_totp, "Board overview")
    staff.get_by_role("link", name="Links members proposed").click()
    expect_heading(staff, "Links people proposed")
    check_axe(staff)
    proposed = card_with(staff, ASH_OTHER)
    expect(proposed).to_contain_text("Decision: Paying peer mentors")
    expect(proposed).to_contain_text(f"Said by: {NAMELESS}")
    expect(proposed).to_contain_text("I asked for mentors to be paid at the spring meeting.")
    proposed.get_by_role("radio", name="Yes, link it").check()
    proposed.get_by_role("radio", name="Shaped it").check()
    proposed.get_by_label("If yes: how it shaped the decision, in plain words").fill(
        "The budget now pays peer mentors for their hours."
    )
    proposed.get_by_role("button", name=re.compile("^Send the answer")).click()
    expect(
        staff.get_by_text("Accepted and linked. The person who proposed it is told.")
    ).to_be_visible()
    expect(staff.get_by_text("No proposals are waiting.")).to_be_visible()
    check_axe(staff)

    proposal.refresh_from_db()
    assert (proposal.status, proposal.answered_by) == (ProposalStatus.ACCEPTED, personas.sam)
    accepted = proposal.influence
    assert accepted is not None
    assert (accepted.decision, accepted.input, accepted.level, accepted.origin) == (
        decision,
        said.ash_other,
        InfluenceLevel.SHAPED,
        InfluenceOrigin.PROPOSAL,
    )
    assert OutboxMessage.objects.filter(recipient=personas.ash, kind=PROPOSAL_ANSWERED).exists()

    # The decision's links now include it, marked as proposed by the person who said it.
    staff.goto(url(live_server, "link_inputs", pk=decision.pk))
    expect_heading(staff, "Input linked to Paying peer mentors")
    expect(card_with(staff, ASH_OTHER)).to_contain_text("Proposed by the person who said it")
    check_axe(staff)

    page.reload()
    other = page.locator(f"#input-{said.ash_other.public_id}")
    expect(other).to_contain_text("Decisions it shaped")
    expect(other.get_by_role("link", name="Paying peer mentors")).to_be_visible()
    expect(other).to_contain_text("The budget now pays peer mentors for their hours.")
    expect(other).to_contain_text("Paying peer mentors · Accepted")
    check_axe(page)


# --- 4. the board adopts a recommendation and staff answer it ---------------------------

RECOMMENDED = "Open the drop-in centre on two weekday evenings."
OVERDUE = "Train all intake staff in trauma-informed practice."


def test_the_board_adopts_a_recommendation_and_staff_answer_it(
    page, new_context, watch, live_server, personas, with_totp
):
    harbor = personas.harbor
    board_member(personas.ash, harbor)
    said = board_input(personas)
    decision = adopted_decision(harbor)
    today = organization_today(harbor)
    late = Recommendation.objects.create(
        organization=harbor,
        text=OVERDUE,
        area=DecisionArea.TRAINING,
        adopted_on=today - datetime.timedelta(days=45),
        due_on=today - datetime.timedelta(days=15),
    )

    sign_in_survivor(page, live_server.url, personas.ash)
    page.get_by_role("link", name="Recommendations", exact=True).click()
    expect_heading(page, "The board's recommendations")
    expect(card_with(page, OVERDUE)).to_contain_text("Overdue: no answer yet")
    check_axe(page)

    page.get_by_role("link", name="Record a recommendation the board adopted").click()
    expect_heading(page, "Record a recommendation the board adopted")
    check_axe(page)
    page.get_by_label("What the board recommends").fill(RECOMMENDED)
    page.get_by_label("Area", exact=True).select_option(label="Services")
    page.get_by_label("The meeting it came from (if any)").select_option(value=str(said.meeting.pk))
    expect(page.get_by_label("The day the board adopted it")).to_have_value(today.isoformat())
    page.get_by_role("button", name="Save the recommendation").click()
    expect_heading(page, "The board's recommendations")
    expect(page.get_by_text("The recommendation is saved. Staff have been told.")).to_be_visible()
    expect(card_with(page, RECOMMENDED)).to_contain_text("Waiting for an answer")
    check_axe(page)
    recommendation = Recommendation.objects.get(text=RECOMMENDED)
    assert (recommendation.adopted_by, recommendation.meeting) == (personas.ash, said.meeting)
    assert recommendation.due_on == today + datetime.timedelta(days=30)
    assert recommendation.response == ""

    staff = new_page(new_context, watch)
    sign_in_with_code(staff, live_server.url, personas.sam, with_totp, "Board overview")
    staff.get_by_role("link", name="The board's recommendations").click()
    expect_heading(staff, "Recommendations to answer")
    check_axe(staff)
    # Overdue ones come first.
    expect(staff.locator(".recommendation-list > li").first).to_contain_text(OVERDUE)
    expect(card_with(staff, OVERDUE)).to_contain_text("Overdue: no answer yet")
    expect(card_with(staff, RECOMMENDED)).to_contain_text("Waiting for an answer")
    expect(card_with(staff, RECOMMENDED)).not_to_contain_text("Overdue")

    card_with(staff, RECOMMENDED).get_by_role("link", name=re.compile("^Answer it")).click()
    expect_heading(staff, "Answer a recommendation")
    expect(staff.get_by_text(RECOMMENDED)).to_be_visible()
    check_axe(staff)
    staff.get_by_role("radio", name="Accepted in part").check()
    staff.get_by_role("button", name="Save the answer").click()
    expect(staff.get_by_text("Please check the form. Nothing was saved yet.")).to_be_visible()
    expect(
        staff.get_by_text("Give your reasons. The board reads them, whatever the answer.")
    ).to_be_visible()
    check_axe(staff)
    recommendation.refresh_from_db()
    assert (recommendation.response, recommendation.response_reason) == ("", "")
    assert not recommendation.decisions.exists()

    reasons = "We open on two evenings now; weekends need more volunteers first."
    staff.get_by_label("Your reasons").fill(reasons)
    staff.get_by_role("checkbox", name=re.compile(re.escape(TITLE))).check()
    staff.get_by_role("button", name="Save the answer").click()
    expect_heading(staff, "Recommendations to answer")
    expect(staff.get_by_text("Your answer is saved. The board has been told.")).to_be_visible()
    answered = card_with(staff, RECOMMENDED)
    expect(answered).to_contain_text("Accepted in part")
    expect(answered).to_contain_text(reasons)
    expect(answered).to_contain_text(TITLE)
    expect(card_with(staff, OVERDUE)).to_contain_text("Overdue: no answer yet")
    check_axe(staff)
    recommendation.refresh_from_db()
    assert (recommendation.response, recommendation.response_reason) == (
        RecommendationResponse.ACCEPTED_IN_PART,
        reasons,
    )
    assert recommendation.responded_by == personas.sam
    assert list(recommendation.decisions.all()) == [decision]
    late.refresh_from_db()
    assert late.response == ""

    page.reload()
    expect_heading(page, "The board's recommendations")
    answered = card_with(page, RECOMMENDED)
    expect(answered).to_contain_text("Accepted in part")
    expect(answered).to_contain_text(reasons)
    expect(answered).to_contain_text(TITLE)
    expect(card_with(page, OVERDUE)).to_contain_text("Overdue: no answer yet")
    check_axe(page)


# --- 5. a board member reads the decision log on a phone --------------------------------


def test_a_board_member_reads_the_decision_log_on_a_phone(
    new_context, watch, live_server, personas
):
    harbor = personas.harbor
    chosen_names(personas)
    board_member(personas.river, harbor)
    said = board_input(personas)
    decision = adopted_decision(harbor)
    claim(decision, said.ash, "Intake now takes one short form.")
    claim(decision, said.river, "The centre now opens on weekday evenings.")
    claim(decision, said.ash_other, "Mentors help run the evening sessions.")
    answer(decision, said.ash, AnswerChoice.YES)
    answer(decision, said.river, AnswerChoice.NOT_QUITE, RIVER_MEANT)
    adopted_decision(
        harbor,
        title="A second intake worker",
        area=DecisionArea.HIRING,
        status=DecisionStatus.NOT_ADOPTED,
        reason="The budget for this year is already spent.",
        decided_on=timezone.localdate() - datetime.timedelta(days=10),
    )

    page = new_page(new_context, watch, viewport=PHONE)
    sign_in_survivor(page, live_server.url, personas.river)
    assert has_no_horizontal_scroll(page, PHONE["width"])
    page.get_by_role("link", name="The board's decision log").click()
    expect_heading(page, "Decision log")
    check_axe(page)
    assert has_no_horizontal_scroll(page, PHONE["width"])

    areas = page.get_by_role("navigation", name="Decisions by area")
    expect(areas.get_by_role("link", name="All areas (2)")).to_be_visible()
    expect(areas.get_by_role("link", name="Services (1)")).to_be_visible()
    card = card_with(page, TITLE)
    expect(card).to_contain_text("3 pieces of input are linked to it.")
    for label, count in (("Yes", "1"), ("Not quite", "1"), ("No answer yet", "1")):
        expect(answer_count(card, label)).to_be_visible()
        expect(answer_count(card, label)).to_have_text(count)
    not_adopted = card_with(page, "A second intake worker")
    expect(not_adopted).to_contain_text("Not adopted")
    expect(not_adopted).to_contain_text("Reason: The budget for this year is already spent.")
    expect(not_adopted).to_contain_text("No input is linked to it yet.")
    for name in (ASH_NAME, RIVER_NAME):
        assert name not in page.content()

    areas.get_by_role("link", name="Hiring (1)").click()
    expect(page.get_by_role("link", name="Hiring (1)")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("link", name=TITLE)).to_have_count(0)
    check_axe(page)
    assert has_no_horizontal_scroll(page, PHONE["width"])
    page.get_by_role("link", name="All areas (2)").click()

    page.get_by_role("link", name=TITLE).click()
    expect_heading(page, TITLE)
    check_axe(page)
    assert has_no_horizontal_scroll(page, PHONE["width"])
    for label, count in (("Yes", "1"), ("Not quite", "1"), ("No answer yet", "1")):
        expect(answer_count(page.locator("main"), label)).to_have_text(count)
    # What River meant is there for the board to read; who said it never is.
    expect(page.get_by_text(RIVER_MEANT)).to_be_visible()
    for name in (ASH_NAME, RIVER_NAME):
        assert name not in page.content()

    # River's own page fits the phone too.
    page.get_by_role("link", name="Back to the decision log").click()
    page.get_by_role("link", name="Back to My seat").click()
    page.get_by_role("link", name="What became of what I said").click()
    expect_heading(page, "What became of my input")
    check_axe(page)
    assert has_no_horizontal_scroll(page, PHONE["width"])
    expect(card_with(page, TITLE)).to_contain_text(
        "Your answer now: Not quite — here's what I meant"
    )


# --- 6. screenshots ---------------------------------------------------------------------


@pytest.mark.skipif(not screenshots_enabled(), reason="set SCREENSHOTS=1 to take screenshots")
def test_advisory_screenshots(page, new_context, watch, live_server, personas, with_totp):
    harbor = personas.harbor
    chosen_names(personas)
    board_member(personas.river, harbor)
    said = board_input(personas)
    # Older input nobody has linked yet, for "Is input reaching decisions?".
    old_meeting = MeetingFactory.create(
        organization=harbor,
        title="Winter board meeting",
        starts_at=timezone.now() - datetime.timedelta(days=90),
    )
    confirmed_input(personas.ash, harbor, meeting=old_meeting, body="More interpreters, please.")
    confirmed_input(personas.river, harbor, meeting=old_meeting, body="Childcare at meetings.")
    given = timezone.now() - datetime.timedelta(days=89)
    Input.objects.filter(meeting=old_meeting).update(created_at=given, confirmed_at=given)
    given = timezone.now() - datetime.timedelta(days=3)
    Input.objects.filter(meeting=said.meeting).update(created_at=given, confirmed_at=given)

    evenings = adopted_decision(harbor)
    claim(evenings, said.ash, "Intake now takes one short form.")
    claim(evenings, said.river, "The centre now opens on weekday evenings.")
    claim(evenings, said.ash_other, "Mentors help run the evening sessions.")
    answer(evenings, said.ash, AnswerChoice.YES)
    answer(evenings, said.river, AnswerChoice.NOT_QUITE, RIVER_MEANT)
    mentors = adopted_decision(
        harbor,
        title="Paying peer mentors",
        area=DecisionArea.BUDGET,
        status=DecisionStatus.PARTLY_ADOPTED,
        reason="Mentors are paid for sessions, not yet for travel.",
        decided_on=timezone.localdate() - datetime.timedelta(days=5),
    )
    claim(
        mentors,
        said.river,
        "Mentors are now paid for their sessions.",
        level=InfluenceLevel.INFORMED,
    )
    answer(mentors, said.river, AnswerChoice.RATHER_NOT_SAY)
    adopted_decision(
        harbor,
        title="A second intake worker",
        area=DecisionArea.HIRING,
        status=DecisionStatus.NOT_ADOPTED,
        reason="The budget for this year is already spent.",
        decided_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    today = organization_today(harbor)
    Recommendation.objects.create(
        organization=harbor,
        text=OVERDUE,
        area=DecisionArea.TRAINING,
        adopted_on=today - datetime.timedelta(days=45),
        due_on=today - datetime.timedelta(days=15),
    )

    sign_in_survivor(page, live_server.url, personas.river)
    page.get_by_role("link", name="The board's decision log").click()
    expect_heading(page, "Decision log")
    check_axe(page)
    take_screenshots(page, "advisory-decision-log")

    page.goto(url(live_server, "my_input_outcomes"))
    expect_heading(page, "What became of my input")
    check_axe(page)
    take_screenshots(page, "advisory-my-input-outcomes")

    staff = new_page(new_context, watch)
    sign_in_with_code(staff, live_server.url, personas.sam, with_totp, "Board overview")
    staff.goto(url(live_server, "link_inputs", pk=evenings.pk))
    expect_heading(staff, f"Input linked to {TITLE}")
    check_axe(staff)
    take_screenshots(staff, "advisory-decision-links")

    staff.goto(url(live_server, "loop_health"))
    expect_heading(staff, "Is input reaching decisions?")
    check_axe(staff)
    take_screenshots(staff, "advisory-loop-health")
