"""Reports for funders in a real browser: staff start a report for an ended
period, watch it being prepared and read the draft exactly as a funder would, with the
board's answers as counts only; one survivor leader approves and another says "this could
identify someone", which blocks publishing until staff prepare it again and sign-off
restarts; the board writes its statement (staff have no way to change it); enough board
members approve and staff publish; the funder reads the report, its hidden figure with the
reason in words, a chart's table and the portfolio, and downloads the CSV and the PDF under
names that say nothing about the program. Every page is axe-checked and fits a 360 px
phone; the `watch` fixture fails any CSP violation or script error."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, ViewportSize, expect
from pypdf import PdfReader

from accounts.models import User
from reports.models import (
    ImpactReport,
    ReportVersion,
    SignOff,
    SignOffChoice,
    VersionReason,
    VersionStatus,
)
from reports.services.report_board import Answer, answer_draft, save_statement
from reports.services.report_generation import generate_version, start_report
from reports.services.report_publish import publish
from reports.tasks import generate_report_version
from tests.browser.helpers import (
    SCREENSHOT_DIR,
    SCREENSHOT_WIDTHS,
    PageWatch,
    check_axe,
    enter_totp,
    expect_heading,
    has_no_horizontal_scroll,
    screenshots_enabled,
    sign_in,
    take_screenshots,
)
from tests.support.reports import YEAR, _survivor, _year
from tests.support.tasks import left_waiting
from tests.support.urls import live_url as url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 360, "height": 800}
BOARD_SIZE = 6  # a majority is 4 approvals
PERIOD = f"{YEAR}, the whole year"
TITLE = f"Report for {YEAR}"
STATEMENT = "We read every figure. The evening meetings came from what members asked for."
NOTE = "The hiring line could point to one person. Please take it out."
# The board's figures are about groups of people; this is what one leaves out.
INPUT_TEXT = "Canary words nobody may ever see in a report"


def board(personas) -> list[User]:
    """Six survivor leaders on the board who said yes to being counted, with a year of
    meetings, attendance, agenda items, input and answers in YEAR (which has ended)."""
    people = [_survivor(personas.harbor, n) for n in range(BOARD_SIZE)]
    _year(personas.harbor, people)
    return people


def prepared_draft(personas) -> ReportVersion:
    """What staff pressing "Prepare the draft" and the background task make."""
    version = start_report(personas.harbor, year=YEAR, quarter=0, actor=personas.sam)
    assert generate_version(version.pk) == VersionStatus.DRAFT
    version.refresh_from_db()
    return version


def approve(version: ReportVersion, people: list[User]) -> None:
    for person in people:
        answer_draft(
            version=version,
            by=person,
            answer=Answer(choice=SignOffChoice.APPROVE, could_identify=False, note=""),
        )


def new_page(new_context, watch: PageWatch) -> Page:
    """A second person in the same test: a browser context of their own, also watched."""
    context = new_context()
    watch.attach_context(context)
    page: Page = context.new_page()
    return page


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


# A whole report is tens of thousands of pixels tall: its screenshots show the top only.
TOP_HEIGHT = 2000


def take_top_screenshots(page: Page, name: str) -> None:
    """Like take_screenshots, but only the top of a long page."""
    if not screenshots_enabled():
        return
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for width in SCREENSHOT_WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        height = min(TOP_HEIGHT, int(page.evaluate("() => document.documentElement.scrollHeight")))
        page.screenshot(
            path=str(SCREENSHOT_DIR / f"{name}-{width}.png"),
            full_page=True,
            clip={"x": 0, "y": 0, "width": width, "height": height},
            animations="disabled",
        )
    if original:
        page.set_viewport_size(original)


def check_page(page: Page, screenshot: str | None = None) -> None:
    """axe at desktop width and on a phone, no sideways scrolling on the phone, and the
    screenshots when asked for."""
    check_axe(page)
    original = page.viewport_size
    page.set_viewport_size(PHONE)
    assert has_no_horizontal_scroll(page, PHONE["width"]), f"{page.url} scrolls sideways at 360px"
    check_axe(page)
    if original:
        page.set_viewport_size(original)
    if screenshot and page.locator("article.report").count():
        take_top_screenshots(page, screenshot)
    elif screenshot:
        take_screenshots(page, screenshot)


def counts(page: Page) -> Locator:
    return page.get_by_role("region", name="What the board says", exact=True)


def count_of(region: Locator, label: str) -> Locator:
    term = region.page.locator("dt").filter(has_text=re.compile(f"^{re.escape(label)}$"))
    return region.locator(".answer-counts > div").filter(has=term).locator("dd")


def open_draft_as_survivor(page: Page, base_url: str, person: User, number: int) -> None:
    sign_in_survivor(page, base_url, person)
    page.get_by_role("link", name="Reports for funders").click()
    expect_heading(page, "The board's reports")
    check_page(page)
    # The board's pages name the period more briefly than staff's ("2025").
    page.get_by_role("link", name=f"{TITLE}, version {number}").click()
    expect_heading(page, f"{TITLE}, version {number}")


def answer_in_browser(
    page: Page, choice: str, *, could_identify: bool = False, note: str = ""
) -> None:
    form = page.get_by_role("region", name="Your answer")
    form.get_by_role("radio", name=choice).check()
    if could_identify:
        form.get_by_role("checkbox", name="This could identify someone").check()
    if note:
        form.get_by_label("What should change (you do not have to write anything)").fill(note)
    form.get_by_role("button", name="Save my answer").click()
    expect(
        page.get_by_text("Your answer is saved. You can change it while this is a draft.")
    ).to_be_visible()


# --- 1. staff prepare a draft ---------------------------------------------------------


def test_staff_prepare_a_draft_and_read_it_as_a_funder_would(
    page, live_server, personas, with_totp, monkeypatch
):
    # The draft is seen while it is being prepared: no worker takes the task until the test
    # does its work below.
    left_waiting(monkeypatch, generate_report_version)
    board(personas)

    sign_in_with_code(page, live_server.url, personas.sam, with_totp, "Board overview")
    page.get_by_role("link", name="Reports for funders").click()
    expect_heading(page, "Reports for funders")
    expect(page.get_by_text("There are no reports yet.")).to_be_visible()
    check_page(page, "report-staff-list-empty")

    # Only ended periods are offered: today's year and its current quarter are not.
    period = page.get_by_label("Which period?")
    offered = period.locator("option").all_inner_texts()
    assert PERIOD in offered
    assert f"{YEAR}, quarter 4 (October to December)" in offered
    this_year = YEAR + 1
    assert f"{this_year}, the whole year" not in offered
    assert f"{this_year}, quarter 4 (October to December)" not in offered
    assert f"{this_year}, quarter 3 (July to September)" in offered

    period.select_option(label=PERIOD)
    page.get_by_role("button", name="Prepare the draft").click()
    expect(page.get_by_text("The report is being prepared.")).to_be_visible()
    expect_heading(page, f"Report for {PERIOD}, version 1")
    progress = page.get_by_role("region", name="Being prepared")
    expect(progress).to_contain_text("0% done")
    expect(progress.get_by_role("progressbar")).to_be_visible()
    check_page(page, "report-staff-preparing")

    # The background task's work; the page checks again on its own and shows the draft.
    version = ReportVersion.objects.get()
    assert version.status == VersionStatus.GENERATING
    assert generate_version(version.pk) == VersionStatus.DRAFT
    expect(counts(page)).to_be_visible(timeout=15_000)
    expect(page.get_by_text("Draft: waiting for the board. First draft.")).to_be_visible()
    region = counts(page)
    expect(count_of(region, "Approve")).to_have_text("0")
    expect(count_of(region, "Do not approve yet")).to_have_text("0")
    expect(count_of(region, "Not answered yet")).to_have_text(str(BOARD_SIZE))
    expect(count_of(region, "Approvals needed")).to_have_text("4")
    expect(region.get_by_role("button", name="Publish for funders")).to_have_count(0)

    preview = page.get_by_role("region", name="The draft, exactly as a funder would see it")
    expect(preview.get_by_role("heading", name=TITLE, level=2)).to_be_visible()
    expect(preview).to_contain_text("The board has not written a statement for this report.")
    members = preview.get_by_role("row").filter(has_text="Survivor leaders on the board")
    expect(members.first).to_contain_text(str(BOARD_SIZE))
    expect(preview.locator(".report-hidden").first).to_be_visible()
    expect(preview).not_to_contain_text(INPUT_TEXT)
    check_page(page, "report-staff-draft")

    page.get_by_role("link", name="All reports").click()
    expect_heading(page, "Reports for funders")
    listed = page.get_by_role("row").filter(has_text=PERIOD)
    expect(listed).to_contain_text("Version 1: Draft: waiting for the board")
    expect(listed).to_contain_text("Not published yet")
    check_page(page, "report-staff-list")


# --- 2-4. the board reads, objects, approves and speaks; staff publish ------------------


def test_the_board_blocks_then_approves_and_staff_publish(
    page, new_context, watch, live_server, personas, with_totp
):
    people = board(personas)
    first = prepared_draft(personas)
    approver, objector = people[0], people[1]

    # A survivor leader reads the draft and approves it.
    open_draft_as_survivor(page, live_server.url, approver, 1)
    expect(page.get_by_text("This is a draft. Funders cannot see it.", exact=False)).to_be_visible()
    expect(page.get_by_role("heading", name=TITLE, level=2)).to_be_visible()
    expect(page.get_by_text("You have not answered yet.")).to_be_visible()
    check_page(page, "report-board-draft")
    answer_in_browser(page, "I approve this report")
    expect(page.get_by_text("You said: I approve this report")).to_be_visible()
    check_page(page)

    # Another says "this could identify someone".
    other = new_page(new_context, watch)
    open_draft_as_survivor(other, live_server.url, objector, 1)
    other.get_by_role("radio", name="I do not approve it yet").check()
    answer_in_browser(other, "I do not approve it yet", could_identify=True, note=NOTE)
    said = other.get_by_role("region", name="What the board has said so far")
    expect(said).to_contain_text(
        "Someone said this could identify a person. Staff cannot publish it"
    )
    check_page(other, "report-board-blocked")
    signoffs = SignOff.objects.filter(version=first)
    assert signoffs.filter(choice=SignOffChoice.APPROVE).count() == 1
    assert signoffs.get(choice=SignOffChoice.OBJECT).could_identify

    # Even with a majority behind it, the draft stays blocked.
    approve(first, people[2:5])
    staff = new_page(new_context, watch)
    sign_in_with_code(staff, live_server.url, personas.sam, with_totp, "Board overview")
    staff.goto(url(live_server, "staff_report_version", pk=first.pk))
    region = counts(staff)
    expect(count_of(region, "Approve")).to_have_text("4")
    expect(count_of(region, "Said it could identify someone")).to_have_text("1")
    expect(region).to_contain_text("A board member said this report could identify someone.")
    expect(region).to_contain_text(NOTE)  # the note, never who wrote it
    expect(region.get_by_role("button", name="Publish for funders")).to_have_count(0)
    expect(staff.get_by_role("button", name="Publish for funders")).to_have_count(0)
    check_page(staff, "report-staff-blocked")

    # Staff prepare it again: a new draft, and sign-off starts again.
    region.get_by_role("button", name="Prepare again").click()
    expect(
        staff.get_by_text(
            "The report is being prepared again. The board signs off on the new draft."
        )
    ).to_be_visible()
    expect_heading(staff, f"Report for {PERIOD}, version 2")
    check_page(staff)
    second = ReportVersion.objects.get(number=2)
    assert second.reason == VersionReason.REGENERATED
    first.refresh_from_db()
    assert first.status == VersionStatus.REPLACED
    assert generate_version(second.pk) == VersionStatus.DRAFT
    region = counts(staff)
    expect(region).to_be_visible(timeout=15_000)
    expect(count_of(region, "Approve")).to_have_text("0")
    expect(count_of(region, "Said it could identify someone")).to_have_text("0")
    expect(count_of(region, "Not answered yet")).to_have_text(str(BOARD_SIZE))

    # The old draft says it was replaced and points to the new one.
    other.reload()
    expect(other.get_by_text("A newer version replaced this draft.", exact=False)).to_be_visible()
    check_page(other)
    other.get_by_role("link", name="Read the newer version").click()
    expect_heading(other, f"{TITLE}, version 2")
    expect(other.get_by_text("You have not answered yet.")).to_be_visible()

    # 3. The board writes its statement.
    other.get_by_role("link", name="Write the board's statement").click()
    expect_heading(other, "The board's statement")
    check_page(other, "report-board-statement")
    other.get_by_label("The board's statement").fill(STATEMENT)
    other.get_by_role("button", name="Save the statement").click()
    expect(other.get_by_text("The board's statement is saved.", exact=False)).to_be_visible()
    statement = other.locator(".report-statement")
    expect(statement).to_contain_text(STATEMENT)
    check_page(other)
    second.refresh_from_db()
    assert second.statement == STATEMENT

    # Staff read it with the draft and have no way to change it.
    staff.reload()
    expect(staff.locator(".report-statement")).to_contain_text(STATEMENT)
    expect(staff.get_by_role("textbox")).to_have_count(0)
    expect(staff.get_by_role("link", name=re.compile("statement", re.IGNORECASE))).to_have_count(0)
    statement_url = url(live_server, "board_report_statement", pk=second.pk)
    # Asked for with staff's cookies, outside the page (a 404 page would log an error).
    assert staff.request.get(statement_url).status == 404

    # 4. Enough board members approve: the objector now too, in the browser.
    answer_in_browser(other, "I approve this report")
    page.goto(url(live_server, "board_report", pk=second.pk))
    answer_in_browser(page, "I approve this report")
    said = page.get_by_role("region", name="What the board has said so far")
    expect(said).to_contain_text("Not enough people have said yes yet.")
    approve(second, people[2:4])
    page.reload()
    expect(said).to_contain_text("Enough people said yes. Staff may now publish it.")
    check_page(page, "report-board-approved")

    staff.reload()
    region = counts(staff)
    expect(count_of(region, "Approve")).to_have_text("4")
    expect(region).to_contain_text("The board has approved this draft. You can publish it.")
    check_page(staff, "report-staff-approved")
    region.get_by_role("button", name="Publish for funders").click()
    expect(staff.get_by_text("The report is published. Funders have been told.")).to_be_visible()
    expect(staff.get_by_role("region", name="The report, as funders see it")).to_contain_text(
        STATEMENT
    )
    check_page(staff, "report-staff-published")
    second.refresh_from_db()
    assert second.status == VersionStatus.PUBLISHED
    assert second.published_at is not None

    # The board sees it published; nobody can answer any more.
    page.reload()
    expect(page.get_by_text("This is the version funders read.", exact=False)).to_be_visible()
    expect(page.get_by_role("region", name="Your answer")).to_have_count(0)
    check_page(page)


# --- 5. the funder reads, and downloads ----------------------------------------------------


def published_report(personas) -> ReportVersion:
    people = board(personas)
    version = prepared_draft(personas)
    save_statement(version=version, by=people[0], statement=STATEMENT)
    approve(version, people[:4])
    outcome = publish(version, actor=personas.sam)
    assert outcome.published
    return outcome.version


def test_a_funder_reads_the_report_and_downloads_it(page, live_server, personas, with_totp):
    version = published_report(personas)
    report = ImpactReport.objects.get()

    sign_in_with_code(page, live_server.url, personas.faye, with_totp, "Reports")
    page.get_by_role("link", name="Published reports").click()
    expect_heading(page, "Published reports")
    check_page(page, "report-funder-list")
    page.get_by_role("link", name=TITLE).click()
    expect_heading(page, TITLE)
    assert page.url.endswith(reverse("funder_report", kwargs={"org": "harbor", "pk": report.pk}))

    statement = page.get_by_role("region", name="What the board says about this report")
    expect(statement).to_contain_text(STATEMENT)
    members = page.get_by_role("row").filter(has_text="Survivor leaders on the board")
    expect(members.first).to_contain_text(str(BOARD_SIZE))
    # A hidden figure says so, with its reason in words, never a zero.
    hidden = page.locator("td.report-cell-hidden").first
    expect(hidden).to_contain_text("Hidden")
    expect(hidden.locator(".report-reason")).to_have_text(re.compile(r"\w+ \w+"))
    reasons = page.locator(".report-reason").all_inner_texts()
    assert any("fewer than 5 people" in reason for reason in reasons), reasons
    # Each chart has its figures in a table too.
    chart = page.locator("figure.report-chart").first
    expect(chart.get_by_role("img")).to_be_visible()
    expect(chart.get_by_role("table")).to_be_visible()
    expect(chart.get_by_role("columnheader").first).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(INPUT_TEXT)
    check_page(page, "report-funder-report")

    downloads = page.get_by_role("region", name="Download this report")
    with page.expect_download() as info:
        downloads.get_by_role("link", name="Download the figures (CSV)").click()
    csv_file = info.value
    # Neutral: the period only, never the program's name.
    assert csv_file.suggested_filename == f"report-{YEAR}.csv"
    text = csv_file.path().read_text(encoding="utf-8")
    assert text.startswith("Section,Area,Figure,Period,Value,Unit,Shown,Why hidden,What it means")
    members_line = next(line for line in text.splitlines() if f"{YEAR} Y,{BOARD_SIZE}," in line)
    assert "people,yes" in members_line
    assert "fewer than 5 people" in text
    assert "Harbor" not in text
    assert INPUT_TEXT not in text

    with page.expect_download() as info:
        downloads.get_by_role("link", name="Download as PDF").click()
    pdf_file = info.value
    assert pdf_file.suggested_filename == f"report-{YEAR}.pdf"
    reader = PdfReader(str(pdf_file.path()))
    pdf_text = " ".join(" ".join((p.extract_text() or "") for p in reader.pages).split())
    assert TITLE in pdf_text
    assert "We read every figure." in pdf_text
    assert "fewer than 5 people" in pdf_text
    assert re.search(rf"\b{BOARD_SIZE}\b", pdf_text)
    expect_heading(page, TITLE)  # still on the page after both downloads

    page.get_by_role("link", name="All reports from this program").click()
    expect_heading(page, "Published reports")
    page.get_by_role("link", name="All the programs you fund, added up").click()
    expect_heading(page, "All the programs you fund")
    expect(page.get_by_role("heading", name=f"{YEAR}, added up")).to_be_visible()
    expect(
        page.get_by_text("1 of the 1 programs you fund has published", exact=False)
    ).to_be_visible()
    portfolio_members = page.get_by_role("row").filter(has_text="Survivor leaders on the board")
    expect(portfolio_members.first).to_contain_text(str(BOARD_SIZE))
    expect(page.locator("body")).not_to_contain_text("Harbor")
    check_page(page, "report-funder-portfolio")
    assert version.status == VersionStatus.PUBLISHED
