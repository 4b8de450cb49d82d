"""Staff's view of input across meetings: who may open it, that only confirmed input shows,
names only with consent (each named author's view recorded once), and the filters
(docs/design.md promises 4, 5 and 7)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessRecord, ConsentScope
from accounts.services.consent import ensure_consent_texts, grant_consent
from meetings.models import Input, InputStatus, InputVisibility
from tests.factories import SurvivorProfileFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db

ANON = InputVisibility.ANONYMOUS
ATTR = InputVisibility.ATTRIBUTED
NAMELESS = "A board member"
# What one view of the overview costs, however many inputs there are. Any signed-in staff
# request costs 4 outside the view (see PINNED_STAFF_QUERIES in test_input_views.py). The
# view adds: the organization, the viewer's role (the 404 check), the meetings and the
# topics for the two filter lists, the page's count and its rows (meeting, agenda item and
# the author's profile joined in), the viewer's role again (for the labels), the consent of
# every attributed author on the page in one query, then one access record per named
# author: the test names the same two people whatever the size, so two. Nothing is asked
# per input or per meeting.
PINNED_QUERIES = 14


def overview_url(org, **query) -> str:
    url = reverse("input_overview", kwargs={"org": org.slug})
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def html(user, url) -> str:
    response = client_for(user).get(url)
    assert response.status_code == 200
    return response.content.decode()


def allow_attribution(organization, user) -> None:
    ensure_consent_texts(organization=organization)
    grant_consent(
        user=user,
        organization=organization,
        scope=ConsentScope.ATTRIBUTE_TO_STAFF,
        text_version=1,
        language="en",
    )


def say(meeting, author, body, *, visibility=ANON, status=InputStatus.CONFIRMED, item=None):
    return Input.objects.create(
        meeting=meeting,
        author=author,
        body=body,
        visibility=visibility,
        status=status,
        agenda_item=item,
    )


@pytest.fixture
def names(personas):
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ashling")
    SurvivorProfileFactory.create(user=personas.river, chosen_name="Riverdale")


@pytest.fixture
def meeting(personas, names):
    return MeetingFactory.create(organization=personas.harbor, title="Spring meeting")


# --- who may open it -----------------------------------------------------------------------


def test_only_the_organizations_staff_and_admins_open_it(personas):
    url = overview_url(personas.harbor)
    for person in (personas.sam, personas.ada):
        assert client_for(person).get(url).status_code == 200
    for person in (personas.ash, personas.river, personas.fin, personas.faye, personas.otto):
        assert client_for(person).get(url).status_code == 404, person
    assert client_for(personas.sam).get(overview_url(personas.second)).status_code == 404
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_staff_home_links_to_it(personas):
    page = html(personas.sam, reverse("organization_home", kwargs={"org": personas.harbor.slug}))
    assert overview_url(personas.harbor) in page
    assert "What survivor leaders said" in page


# --- what it shows -------------------------------------------------------------------------


def test_only_confirmed_input_appears(personas, meeting):
    say(meeting, personas.ash, "Confirmed words.")
    say(meeting, personas.ash, "Waiting words.", status=InputStatus.PENDING)
    say(meeting, personas.ash, "Rejected words.", status=InputStatus.REJECTED)
    say(meeting, personas.ash, "Withdrawn words.", status=InputStatus.WITHDRAWN)
    other = MeetingFactory.create(organization=personas.second)
    say(other, personas.otto, "Another organization's words.")
    for person in (personas.sam, personas.ada):
        page = html(person, overview_url(personas.harbor))
        assert "Confirmed words." in page
        for hidden in ("Waiting words.", "Rejected words.", "Withdrawn words.", "Another org"):
            assert hidden not in page


def test_even_what_a_staff_member_wrote_down_waits_for_the_author(personas, meeting):
    input = say(meeting, personas.ash, "Written down by Sam.", status=InputStatus.PENDING)
    input.recorded_by = personas.sam
    input.save()
    assert "Written down by Sam." not in html(personas.sam, overview_url(personas.harbor))


def test_no_name_without_consent_and_no_access_record(personas, meeting):
    say(meeting, personas.ash, "Attributed, but no consent.", visibility=ATTR)
    allow_attribution(personas.harbor, personas.river)
    say(meeting, personas.river, "Consent, but anonymous.", visibility=ANON)
    page = html(personas.sam, overview_url(personas.harbor))
    assert "Attributed, but no consent." in page
    assert "Consent, but anonymous." in page
    assert page.count(NAMELESS) >= 2
    for secret in ("Ashling", "Riverdale", personas.ash.email, personas.river.email):
        assert secret not in page
    assert not AccessRecord.objects.exists()


def test_a_withdrawn_consent_hides_the_name_again(personas, meeting):
    from accounts.services.consent import withdraw_consent

    allow_attribution(personas.harbor, personas.ash)
    say(meeting, personas.ash, "Mine to name.", visibility=ATTR)
    assert "Ashling" in html(personas.sam, overview_url(personas.harbor))
    withdraw_consent(
        user=personas.ash, organization=personas.harbor, scope=ConsentScope.ATTRIBUTE_TO_STAFF
    )
    assert "Ashling" not in html(personas.sam, overview_url(personas.harbor))


def test_one_access_record_per_named_author_per_view(personas, meeting):
    allow_attribution(personas.harbor, personas.ash)
    allow_attribution(personas.harbor, personas.river)
    later = MeetingFactory.create(organization=personas.harbor, title="Summer meeting")
    for where in (meeting, later):
        say(where, personas.ash, "Ash, named.", visibility=ATTR)
        say(where, personas.river, "River, named.", visibility=ATTR)
    say(meeting, personas.river, "River, anonymous.", visibility=ANON)
    page = html(personas.sam, overview_url(personas.harbor))
    assert "Ashling" in page
    assert "Riverdale" in page
    records = AccessRecord.objects.all()
    assert sorted((r.viewer, r.subject.pk, r.what) for r in records) == sorted(
        [(personas.sam, personas.ash.pk, "input"), (personas.sam, personas.river.pk, "input")]
    )
    html(personas.sam, overview_url(personas.harbor))
    assert AccessRecord.objects.count() == 4


def test_newest_meeting_first_with_the_topic_labelled(personas, names):
    now = timezone.now()
    old = MeetingFactory.create(
        organization=personas.harbor, title="Older meeting", starts_at=now - timedelta(days=30)
    )
    new = MeetingFactory.create(
        organization=personas.harbor, title="Newer meeting", starts_at=now - timedelta(days=2)
    )
    say(old, personas.ash, "Said at the older one.")
    say(
        new,
        personas.ash,
        "Said at the newer one.",
        item=AgendaItemFactory(meeting=new, title="Bus fares"),
    )
    page = html(personas.sam, overview_url(personas.harbor))
    assert page.index("Newer meeting") < page.index("Older meeting")
    assert page.index("Said at the newer one.") < page.index("Said at the older one.")
    assert "Topic: Bus fares" in page
    assert "No topic in particular" in page


# --- filters -------------------------------------------------------------------------------


@pytest.fixture
def two_meetings(personas, names):
    now = timezone.now()
    first = MeetingFactory.create(
        organization=personas.harbor, title="First meeting", starts_at=now - timedelta(days=20)
    )
    second = MeetingFactory.create(
        organization=personas.harbor, title="Second meeting", starts_at=now - timedelta(days=5)
    )
    say(
        first, personas.ash, "Buses at first.", item=AgendaItemFactory(meeting=first, title="Buses")
    )
    say(first, personas.ash, "Food at first.", item=AgendaItemFactory(meeting=first, title="Food"))
    say(second, personas.ash, "Buses again.", item=AgendaItemFactory(meeting=second, title="Buses"))
    say(second, personas.ash, "No topic.")
    return first, second


def test_the_filter_form_is_labelled_and_lists_meetings_and_topics(personas, two_meetings):
    page = html(personas.sam, overview_url(personas.harbor))
    assert 'method="get"' in page
    assert '<label for="id_meeting">Meeting</label>' in page
    assert '<label for="id_topic">Topic</label>' in page
    for option in ("First meeting (", "Second meeting (", ">Buses</option>", ">Food</option>"):
        assert option in page
    assert page.count(">Buses</option>") == 1  # a topic of two meetings is offered once


def test_filter_by_meeting(personas, two_meetings):
    first, _second = two_meetings
    page = html(personas.sam, overview_url(personas.harbor, meeting=first.pk))
    assert "Buses at first." in page
    assert "Food at first." in page
    assert "Buses again." not in page
    assert "No topic." not in page


def test_filter_by_topic_across_meetings(personas, two_meetings):
    page = html(personas.sam, overview_url(personas.harbor, topic="Buses"))
    assert "Buses at first." in page
    assert "Buses again." in page
    assert "Food at first." not in page
    assert "No topic." not in page


def test_filter_by_meeting_and_topic(personas, two_meetings):
    _first, second = two_meetings
    page = html(personas.sam, overview_url(personas.harbor, meeting=second.pk, topic="Buses"))
    assert "Buses again." in page
    for hidden in ("Buses at first.", "Food at first.", "No topic."):
        assert hidden not in page
    page = html(personas.sam, overview_url(personas.harbor, meeting=second.pk, topic="Food"))
    assert "No confirmed input matches what you chose." in page


@pytest.mark.parametrize(
    "query",
    [
        {"meeting": "abc"},
        {"meeting": "987654"},
        {"meeting": "-1"},
        {"topic": "Not a topic"},
        {"topic": "Buses", "meeting": "x"},
        {"page": "nope"},
        {"page": "9999"},
    ],
)
def test_bad_filter_values_are_ignored_with_a_plain_message(personas, two_meetings, query):
    response = client_for(personas.sam).get(overview_url(personas.harbor), query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Buses again." in page
    if "meeting" in query:
        assert "That meeting is not in the list, so input from all meetings is shown." in page
    if query.get("topic") == "Not a topic":
        assert "That topic is not in the list, so input on all topics is shown." in page
        assert "Food at first." in page
    if "page" in query:
        assert "not in the list" not in page


def test_another_organizations_meeting_is_not_a_filter(personas, two_meetings):
    other = MeetingFactory.create(organization=personas.second, title="Their meeting")
    say(other, personas.otto, "Their words.")
    page = html(personas.sam, overview_url(personas.harbor, meeting=other.pk))
    assert "That meeting is not in the list" in page
    assert "Their words." not in page
    assert "Their meeting" not in page


def test_pages_of_25_keep_the_filters(personas, two_meetings):
    first, _second = two_meetings
    for n in range(30):
        say(first, personas.ash, f"Thought number {n}.")
    page = html(personas.sam, overview_url(personas.harbor, meeting=first.pk))
    assert page.count("<li>") >= 25
    assert "Page 1 of 2" in page
    assert f"?meeting={first.pk}&amp;page=2" in page
    second_page = html(personas.sam, overview_url(personas.harbor, meeting=first.pk, page=2))
    assert "Page 2 of 2" in second_page
    assert "Buses again." not in second_page


# --- cost ----------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [3, 60])
def test_the_overview_costs_the_same_queries_however_many_inputs(personas, names, number):
    allow_attribution(personas.harbor, personas.ash)
    allow_attribution(personas.harbor, personas.river)
    meetings = [
        MeetingFactory.create(organization=personas.harbor, title=f"Meeting {n}") for n in range(3)
    ]
    for n in range(number):
        where = meetings[n % 3]
        item = AgendaItemFactory(meeting=where, title=f"Topic {n % 4}")
        say(
            where,
            personas.ash if n % 2 else personas.river,
            f"Thought {n}",
            visibility=ATTR,
            item=item,
        )
    client = client_for(personas.sam)
    client.get(overview_url(personas.harbor))  # the first request of a session saves it
    with CaptureQueriesContext(connection) as queries:
        assert client.get(overview_url(personas.harbor)).status_code == 200
    assert len(queries) == PINNED_QUERIES
