"""Decision pages: who reaches them, forms that refuse bad input with nothing written, the
board's decision log by area, withdrawn input leaving every count, and authorship never
reaching the board's pages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from advisory.models import (
    AnswerChoice,
    Decision,
    DecisionArea,
    DecisionStatus,
    DecisionStatusChange,
    Influence,
    InfluenceAnswer,
)
from meetings.models import InputStatus, InputVisibility
from tests.advisory.factories import DecisionFactory, confirmed_input, link
from tests.factories import SurvivorProfileFactory
from tests.meetings.factories import MeetingFactory
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db

STAFF_PAGES = ("decisions", "new_decision", "decision", "edit_decision")
BOARD_PAGES = ("decision_log", "board_decision")
WITH_PK = {"decision", "edit_decision", "board_decision", "change_decision_status"}


def url(name: str, decision: Decision | None = None, org: str = "harbor") -> str:
    kwargs: dict[str, Any] = {"org": org}
    if name in WITH_PK:
        assert decision is not None
        kwargs["pk"] = decision.pk
    return reverse(name, kwargs=kwargs)


def decision_in(organization: Any, **fields: Any) -> Decision:
    decision = DecisionFactory.create(organization=organization, **fields)
    DecisionStatusChange.objects.create(
        decision=decision, status=decision.status, reason=decision.reason
    )
    return decision


def html_of(response: Any) -> str:
    assert response.status_code == 200
    return str(response.content.decode())


# --- who reaches what --------------------------------------------------------------------


@pytest.mark.parametrize("name", STAFF_PAGES)
@pytest.mark.parametrize("who", ["sam", "ada"])
def test_staff_and_admins_open_the_staff_pages(personas, name, who):
    decision = decision_in(personas.harbor)
    assert client_for(getattr(personas, who)).get(url(name, decision)).status_code == 200


@pytest.mark.parametrize("name", STAFF_PAGES)
@pytest.mark.parametrize("who", ["ash", "river", "fin", "faye", "otto"])
def test_nobody_else_finds_the_staff_pages(personas, name, who):
    decision = decision_in(personas.harbor)
    assert client_for(getattr(personas, who)).get(url(name, decision)).status_code == 404


@pytest.mark.parametrize("name", BOARD_PAGES)
@pytest.mark.parametrize("who", ["ash", "river"])
def test_survivor_leaders_open_the_decision_log(personas, name, who):
    decision = decision_in(personas.harbor)
    assert client_for(getattr(personas, who)).get(url(name, decision)).status_code == 200


@pytest.mark.parametrize("name", BOARD_PAGES)
@pytest.mark.parametrize("who", ["sam", "ada", "fin", "faye", "otto"])
def test_nobody_else_finds_the_decision_log(personas, name, who):
    decision = decision_in(personas.harbor)
    assert client_for(getattr(personas, who)).get(url(name, decision)).status_code == 404


@pytest.mark.parametrize("name", [*STAFF_PAGES, *BOARD_PAGES, "change_decision_status"])
def test_anonymous_visitors_are_asked_to_sign_in(client, personas, name):
    response = client.get(url(name, decision_in(personas.harbor)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["decision", "edit_decision", "change_decision_status"])
@pytest.mark.parametrize("org", ["harbor", "second"])
def test_another_organizations_decision_is_not_found_on_staff_pages(personas, name, org):
    theirs = decision_in(personas.second)
    client = client_for(personas.sam)
    if name == "change_decision_status":
        response = client.post(url(name, theirs, org), {"status": "adopted"})
    else:
        response = client.get(url(name, theirs, org))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == DecisionStatus.UNDER_CONSIDERATION


@pytest.mark.parametrize("org", ["harbor", "second"])
def test_another_organizations_decision_is_not_found_in_the_decision_log(personas, org):
    theirs = decision_in(personas.second)
    assert client_for(personas.ash).get(url("board_decision", theirs, org)).status_code == 404


def test_another_organizations_decisions_are_not_listed(personas):
    decision_in(personas.second, title="Second's own plan")
    assert "Second's own plan" not in html_of(client_for(personas.sam).get(url("decisions")))
    assert "Second's own plan" not in html_of(client_for(personas.ash).get(url("decision_log")))


# --- logging a decision ------------------------------------------------------------------


def new_decision_data(**overrides: str) -> dict[str, str]:
    return {
        "title": "Shorter intake forms",
        "description": "One page.",
        "area": DecisionArea.INTAKE,
        "decided_on": "2026-03-02",
        "meeting": "",
        "status": DecisionStatus.UNDER_CONSIDERATION,
        "reason": "",
    } | overrides


def test_staff_log_a_decision_from_one_of_their_meetings(personas):
    meeting = MeetingFactory.create(organization=personas.harbor, title="March board")
    client = client_for(personas.sam)
    form_page = html_of(client.get(url("new_decision")))
    assert "March board" in form_page
    response = client.post(url("new_decision"), new_decision_data(meeting=str(meeting.pk)))
    decision = Decision.objects.get()
    assert response["Location"] == url("decision", decision)
    assert (decision.meeting, decision.created_by) == (meeting, personas.sam)
    assert DecisionStatusChange.objects.filter(decision=decision).count() == 1


def test_the_meeting_list_offers_only_this_organizations_meetings_newest_first(personas):
    now = datetime.datetime.now(datetime.UTC)
    MeetingFactory.create(organization=personas.harbor, title="Older", starts_at=now)
    MeetingFactory.create(
        organization=personas.harbor, title="Newer", starts_at=now + datetime.timedelta(days=3)
    )
    MeetingFactory.create(organization=personas.second, title="Second's meeting")
    html = html_of(client_for(personas.sam).get(url("new_decision")))
    assert html.index("Newer") < html.index("Older")
    assert "Second's meeting" not in html


@pytest.mark.parametrize("status", [DecisionStatus.NOT_ADOPTED, DecisionStatus.PARTLY_ADOPTED])
def test_a_decision_not_adopted_without_a_reason_is_refused_on_the_page(personas, status):
    client = client_for(personas.sam)
    before = AuditEvent.objects.count()
    html = html_of(client.post(url("new_decision"), new_decision_data(status=status)))
    assert "Nothing was saved yet" in html
    assert "Say why it was not adopted" in html
    assert not Decision.objects.exists()
    assert AuditEvent.objects.count() == before


def test_another_organizations_meeting_is_a_form_error(personas):
    theirs = MeetingFactory.create(organization=personas.second)
    client = client_for(personas.sam)
    html = html_of(client.post(url("new_decision"), new_decision_data(meeting=str(theirs.pk))))
    assert "Choose one of your organization&#x27;s meetings, or none." in html
    assert not Decision.objects.exists()


def test_a_bad_date_is_a_form_error(personas):
    client = client_for(personas.sam)
    html = html_of(client.post(url("new_decision"), new_decision_data(decided_on="someday")))
    assert "Enter a date" in html
    assert not Decision.objects.exists()


# --- the staff decision page: status and details -----------------------------------------


def test_the_staff_page_shows_the_timeline_by_staff_and_the_place_for_links(personas):
    decision = decision_in(personas.harbor, title="Evening meetings")
    html = html_of(client_for(personas.sam).get(url("decision", decision)))
    assert "Evening meetings" in html
    assert "by staff" not in html  # the first step here was written with no actor
    assert reverse("link_inputs", kwargs={"org": "harbor", "pk": decision.pk}) in html


def test_staff_change_the_status_and_see_the_step_added(personas):
    decision = decision_in(personas.harbor)
    client = client_for(personas.sam)
    response = client.post(
        url("change_decision_status", decision),
        {"status": DecisionStatus.PARTLY_ADOPTED, "reason": "Only the short form for now."},
    )
    assert response["Location"] == url("decision", decision)
    html = html_of(client.get(url("decision", decision)))
    assert "Only the short form for now." in html
    assert "by staff" in html
    assert DecisionStatusChange.objects.filter(decision=decision).count() == 2


def test_a_status_change_without_a_needed_reason_shows_the_error_and_changes_nothing(personas):
    decision = decision_in(personas.harbor)
    client = client_for(personas.sam)
    html = html_of(
        client.post(
            url("change_decision_status", decision),
            {"status": DecisionStatus.NOT_ADOPTED, "reason": ""},
        )
    )
    assert "Nothing was changed" in html
    assert "Say why it was not adopted" in html
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.UNDER_CONSIDERATION
    assert DecisionStatusChange.objects.filter(decision=decision).count() == 1


def test_the_same_status_again_is_refused_on_the_page(personas):
    decision = decision_in(personas.harbor)
    html = html_of(
        client_for(personas.sam).post(
            url("change_decision_status", decision),
            {"status": DecisionStatus.UNDER_CONSIDERATION, "reason": ""},
        )
    )
    assert "It is already" in html
    assert DecisionStatusChange.objects.filter(decision=decision).count() == 1


def test_changing_the_status_needs_a_post(personas):
    decision = decision_in(personas.harbor)
    response = client_for(personas.sam).get(url("change_decision_status", decision))
    assert response.status_code == 405


def test_staff_correct_the_details_but_not_the_status(personas):
    decision = decision_in(personas.harbor, area=DecisionArea.BUDGET)
    client = client_for(personas.sam)
    form_page = html_of(client.get(url("edit_decision", decision)))
    assert 'name="status"' not in form_page
    response = client.post(
        url("edit_decision", decision),
        {
            "title": "A clearer title",
            "description": "",
            "area": DecisionArea.HIRING,
            "decided_on": "2026-01-05",
            "meeting": "",
            "status": DecisionStatus.ADOPTED,  # not on the form: ignored
        },
    )
    assert response["Location"] == url("decision", decision)
    decision.refresh_from_db()
    assert (decision.title, decision.area, decision.status) == (
        "A clearer title",
        DecisionArea.HIRING,
        DecisionStatus.UNDER_CONSIDERATION,
    )


def test_editing_with_another_organizations_meeting_is_a_form_error(personas):
    decision = decision_in(personas.harbor)
    theirs = MeetingFactory.create(organization=personas.second)
    html = html_of(
        client_for(personas.sam).post(
            url("edit_decision", decision),
            {
                "title": "Moved",
                "area": DecisionArea.HIRING,
                "decided_on": "2026-01-05",
                "meeting": str(theirs.pk),
            },
        )
    )
    assert "Nothing was saved yet" in html
    decision.refresh_from_db()
    assert decision.meeting is None
    assert decision.title != "Moved"


# --- staff's list: filters and pages -----------------------------------------------------


def test_staff_filter_by_area_and_status(personas):
    decision_in(personas.harbor, title="Budget plan", area=DecisionArea.BUDGET)
    decision_in(
        personas.harbor,
        title="Hiring plan",
        area=DecisionArea.HIRING,
        status=DecisionStatus.ADOPTED,
    )
    decision_in(personas.harbor, title="Hiring idea", area=DecisionArea.HIRING)
    client = client_for(personas.sam)
    html = html_of(client.get(url("decisions"), {"area": "hiring", "status": "adopted"}))
    assert "Hiring plan" in html
    assert "Hiring idea" not in html
    assert "Budget plan" not in html


def test_a_filter_value_not_offered_is_ignored_and_said_so(personas):
    decision_in(personas.harbor, title="Budget plan", area=DecisionArea.BUDGET)
    html = html_of(client_for(personas.sam).get(url("decisions"), {"area": "weather"}))
    assert "Budget plan" in html
    assert "not in the list" in html


def test_pages_keep_the_filter(personas):
    for number in range(30):
        decision_in(personas.harbor, title=f"Hiring {number}", area=DecisionArea.HIRING)
    html = html_of(client_for(personas.sam).get(url("decisions"), {"area": "hiring"}))
    assert "?area=hiring&amp;page=2" in html
    assert "Page 1 of 2" in html


# --- the board's decision log ------------------------------------------------------------


def test_the_log_shows_status_reason_area_and_answers_side_by_side(personas):
    decision = decision_in(
        personas.harbor,
        title="Evening meetings",
        area=DecisionArea.SERVICES,
        status=DecisionStatus.PARTLY_ADOPTED,
        reason="Two evenings a month, not four.",
    )
    for author, answer in (
        (personas.ash, AnswerChoice.YES),
        (personas.river, AnswerChoice.RATHER_NOT_SAY),
        (personas.river, None),
    ):
        given = confirmed_input(author, personas.harbor)
        link(decision, given)
        if answer:
            InfluenceAnswer.objects.create(decision=decision, input=given, answer=answer)
    html = html_of(client_for(personas.ash).get(url("decision_log")))
    assert "Evening meetings" in html
    assert "Partly adopted" in html
    assert "Two evenings a month, not four." in html
    assert "3 pieces of input are linked to it." in html
    for label in ("Yes", "Not quite", "No answer yet", "Rather not say"):
        assert f"<dt>{label}</dt>" in html
    assert reverse("board_recommendations", kwargs={"org": "harbor"}) in html
    assert "<table" not in html


def test_the_log_counts_decisions_by_area_and_filters_by_one(personas):
    for number in range(3):
        decision_in(personas.harbor, title=f"Budget {number}", area=DecisionArea.BUDGET)
    decision_in(personas.harbor, title="Hiring plan", area=DecisionArea.HIRING)
    decision_in(personas.second, title="Elsewhere", area=DecisionArea.HIRING)
    client = client_for(personas.river)
    html = html_of(client.get(url("decision_log")))
    assert "All areas (4)" in html
    assert "Budget (3)" in html
    assert "Hiring (1)" in html
    assert "Training (" not in html  # areas with nothing are left out
    html = html_of(client.get(url("decision_log"), {"area": "hiring"}))
    assert "Hiring plan" in html
    assert "Budget 0" not in html
    assert 'href="?area=hiring" aria-current="page"' in html


def test_the_board_page_shows_the_timeline_and_not_quite_comments(personas):
    decision = decision_in(personas.harbor, title="Evening meetings")
    DecisionStatusChange.objects.create(
        decision=decision,
        status=DecisionStatus.NOT_ADOPTED,
        reason="No budget this year.",
        actor_id=personas.sam.pk,
    )
    given = confirmed_input(personas.river, personas.harbor)
    link(decision, given)
    InfluenceAnswer.objects.create(
        decision=decision,
        input=given,
        answer=AnswerChoice.NOT_QUITE,
        comment="I meant weekends, not evenings.",
    )
    html = html_of(client_for(personas.ash).get(url("board_decision", decision)))
    assert "No budget this year." in html
    assert "I meant weekends, not evenings." in html
    assert "by staff" not in html


# --- withdrawn input leaves every count --------------------------------------------------


def test_a_withdrawn_inputs_link_leaves_every_count_but_the_row_stays(personas):
    decision = decision_in(personas.harbor)
    kept = confirmed_input(personas.ash, personas.harbor)
    gone = confirmed_input(personas.river, personas.harbor)
    link(decision, kept)
    withdrawn_link = link(decision, gone)
    InfluenceAnswer.objects.create(
        decision=decision, input=gone, answer=AnswerChoice.NOT_QUITE, comment="Gone soon."
    )
    board = client_for(personas.ash)
    staff = client_for(personas.sam)
    assert "2 pieces of input are linked" in html_of(board.get(url("decision_log")))
    gone.status = InputStatus.WITHDRAWN
    gone.save(update_fields=["status"])
    pages = [
        html_of(board.get(url("decision_log"))),
        html_of(board.get(url("board_decision", decision))),
        html_of(staff.get(url("decisions"))),
        html_of(staff.get(url("decision", decision))),
    ]
    for html in pages:
        assert "1 piece of input is linked to it." in html
        assert "2 pieces" not in html
        assert "Gone soon." not in html
    assert Influence.objects.filter(pk=withdrawn_link.pk).exists()


# --- authorship never reaches the board ---------------------------------------------------


def test_the_board_never_sees_who_said_what(personas):
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Juniper Quill")
    decision = decision_in(personas.harbor, title="Evening meetings")
    attributed = confirmed_input(
        personas.ash,
        personas.harbor,
        body="Evenings are hard with children at home.",
        visibility=InputVisibility.ATTRIBUTED,
    )
    link(decision, attributed)
    InfluenceAnswer.objects.create(
        decision=decision,
        input=attributed,
        answer=AnswerChoice.NOT_QUITE,
        comment="I meant weekends.",
    )
    for reader in (personas.river, personas.ash):
        client = client_for(reader)
        for page in (url("decision_log"), url("board_decision", decision)):
            html = html_of(client.get(page))
            assert "Juniper" not in html
            assert "ash@example.test" not in html
            assert "Evenings are hard" not in html  # the words stay in the meeting


def test_no_scores_targets_or_rankings(personas):
    decision_in(personas.harbor)
    for page in (url("decision_log"),):
        html = html_of(client_for(personas.ash).get(page)).lower()
        for word in ("score", "target", "rank", "%"):
            assert word not in html
