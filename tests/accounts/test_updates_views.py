"""A person's updates as a list, and "What needs you now" at the top of each home page.

Updates here are made by the real services (a meeting scheduled, input written down for a
survivor, a role offered), so each carries the page its service chose. What a person would
notice: the count on the home page is what they have not opened and leads to the list;
opening one takes them to the page and the count falls; nobody can open, or mark, anyone
else's update.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, OutboxMessage, Role
from accounts.services.consent import ensure_consent_texts, grant_consent
from accounts.services.roles import create_board_role, invite_to_role
from accounts.services.sign_in_notices import tell_of_failed_sign_ins
from accounts.update_kinds import label_of
from advisory.services.feedback import FeedbackTerms, send_feedback
from meetings.services.input import record_input_on_behalf
from meetings.services.scheduling import schedule_meeting
from tests.factories import SurvivorProfileFactory
from tests.meetings.factories import board_member
from tests.mfa import give_totp, sign_in

pytestmark = pytest.mark.django_db


def home(personas: Any) -> str:
    return reverse("organization_home", kwargs={"org": personas.harbor.slug})


def updates_page(personas: Any) -> str:
    return reverse("updates", kwargs={"org": personas.harbor.slug})


def client_for(client: Any, user: Any) -> Any:
    if user.memberships.exclude(role=Role.SURVIVOR_LEADER).exists():
        give_totp(user)
    sign_in(client, user)
    return client


def schedule(personas: Any, title: str = "Spring planning") -> Any:
    return schedule_meeting(
        organization=personas.harbor,
        by=personas.sam,
        title=title,
        starts_at=timezone.now() + dt.timedelta(days=10),
        duration_minutes=90,
        format="video",
        location="https://video.example.test/room",
    )


@pytest.fixture
def ash_on_the_board(personas: Any) -> Any:
    SurvivorProfileFactory.create(
        user=personas.ash, organization=personas.harbor, chosen_name="Juniper"
    )
    board_member(personas.ash, personas.harbor)
    return personas.ash


def html_of(response: Any) -> str:
    return str(response.content.decode())


def test_the_count_falls_when_an_update_is_opened(client, personas, ash_on_the_board):
    meeting = schedule(personas)
    record_input_on_behalf(
        meeting=meeting, recorded_by=personas.sam, author=personas.ash, body="Mornings suit me."
    )
    client_for(client, personas.ash)

    page = html_of(client.get(home(personas)))
    assert "There are 2 updates for you." in page
    assert f'<a href="{updates_page(personas)}">There are 2 updates for you.</a>' in page

    listed = html_of(client.get(updates_page(personas)))
    assert label_of("input_to_confirm") in listed
    assert label_of("meeting_invitation") in listed
    update = OutboxMessage.objects.get(recipient=personas.ash, kind="input_to_confirm")
    opened = client.post(
        reverse("open_update", kwargs={"org": "harbor", "public_id": update.public_id})
    )

    assert opened.status_code == 302
    assert opened["Location"] == reverse("inputs_to_check", kwargs={"org": "harbor"})
    assert client.get(opened["Location"]).status_code == 200
    assert "There is 1 update for you." in html_of(client.get(home(personas)))
    update.refresh_from_db()
    assert update.seen_at is not None
    assert AuditEvent.objects.filter(
        action="outbox.seen.input_to_confirm", target_id=update.pk, actor_id=personas.ash.pk
    ).exists()


def test_the_list_shows_unseen_first_then_a_few_seen(client, personas, ash_on_the_board):
    old = schedule(personas, "Winter review")
    seen = OutboxMessage.objects.get(recipient=personas.ash, kind="meeting_invitation")
    client_for(client, personas.ash)
    client.post(reverse("open_update", kwargs={"org": "harbor", "public_id": seen.public_id}))
    invite_to_role(
        role=create_board_role(
            organization=personas.harbor,
            actor=personas.ada,
            name="Treasurer",
            description="Reads the budget.",
        ),
        person=personas.ash,
        invited_by=personas.sam,
        starts_on=timezone.localdate(),
    )

    page = html_of(client.get(updates_page(personas)))

    new_part, seen_part = page.split("Opened recently")
    assert label_of("role_invitation") in new_part
    assert label_of("meeting_invitation") in seen_part
    assert label_of("meeting_invitation") not in new_part
    assert old.title not in page  # the list says what kind of thing, never its content


def test_opening_one_update_marks_others_about_the_same_page(client, personas, ash_on_the_board):
    from meetings.services.scheduling import reschedule_meeting

    meeting = schedule(personas)
    reschedule_meeting(
        meeting=meeting,
        by=personas.sam,
        title=meeting.title,
        starts_at=meeting.starts_at + dt.timedelta(days=1),
        duration_minutes=60,
        format="video",
        location=meeting.location,
    )
    first, second = OutboxMessage.objects.filter(recipient=personas.ash).order_by("pk")
    assert first.target == second.target == f"/o/harbor/meetings/{meeting.pk}/"
    client_for(client, personas.ash)

    response = client.post(
        reverse("open_update", kwargs={"org": "harbor", "public_id": second.public_id})
    )

    assert response["Location"] == first.target
    assert not OutboxMessage.objects.filter(recipient=personas.ash, seen_at__isnull=True).exists()
    assert "updates for you" not in html_of(client.get(home(personas)))


def test_nobody_opens_or_marks_another_persons_update(client, personas, ash_on_the_board):
    schedule(personas)
    rivers = OutboxMessage.objects.create(
        recipient=personas.river, organization=personas.harbor, kind="pay_sent", target="/"
    )
    ashs = OutboxMessage.objects.get(recipient=personas.ash)
    client_for(client, personas.ash)

    for org, public_id in (("harbor", rivers.public_id), ("second", ashs.public_id)):
        url = reverse("open_update", kwargs={"org": org, "public_id": public_id})
        assert client.post(url).status_code == 404
    client.post(reverse("mark_updates_seen", kwargs={"org": "harbor"}))

    rivers.refresh_from_db()
    ashs.refresh_from_db()
    assert rivers.seen_at is None  # River's stays new
    assert ashs.seen_at is not None  # Ash's own, marked with "Mark them all as seen"
    assert label_of("pay_sent") not in html_of(client.get(updates_page(personas)))


def test_an_update_pointing_off_the_site_goes_to_the_list_instead(client, personas):
    # Only our own code makes targets, and the model refuses these; a row written around it
    # still never sends anyone elsewhere.
    for target in ("https://example.org/", "//example.org/", ""):
        message = OutboxMessage.objects.create(
            recipient=personas.ash, organization=personas.harbor, kind="pay_sent", target=target
        )
        client_for(client, personas.ash)
        response = client.post(
            reverse("open_update", kwargs={"org": "harbor", "public_id": message.public_id})
        )
        assert response["Location"] == updates_page(personas)


# --- What needs you now ---------------------------------------------------------------------


def needs_you(page: str) -> str:
    start = page.index('id="needs-you"')
    return page[start : page.index("</section>", start)]


def test_a_new_member_starts_on_what_is_waiting_for_them(client, personas, ash_on_the_board):
    ensure_consent_texts(organization=personas.harbor)
    meeting = schedule(personas)
    record_input_on_behalf(
        meeting=meeting, recorded_by=personas.sam, author=personas.ash, body="Mornings suit me."
    )
    invite_to_role(
        role=create_board_role(
            organization=personas.harbor,
            actor=personas.ada,
            name="Treasurer",
            description="Reads the budget.",
        ),
        person=personas.ash,
        invited_by=personas.sam,
        starts_on=timezone.localdate(),
    )
    client_for(client, personas.ash)

    section = needs_you(html_of(client.get(home(personas))))

    assert "A role on the board is offered to you." in section
    assert f"Will you come to “{meeting.title}”?" in section
    assert "Staff wrote down something you said. Check that it is right." in section
    assert "Look at your choices about your information." in section
    # Each thing once: the updates about the role, the meeting and the input are opened
    # through the lines above, not listed again beside them.
    assert section.count("<li>") == 4
    update = OutboxMessage.objects.get(recipient=personas.ash, kind="role_invitation")
    assert reverse("open_update", kwargs={"org": "harbor", "public_id": update.public_id}) in (
        section
    )


def test_once_everything_is_answered_the_home_page_says_what_to_do_next(
    client, personas, ash_on_the_board
):
    ensure_consent_texts(organization=personas.harbor)
    grant_consent(
        user=personas.ash,
        organization=personas.harbor,
        scope="count_in_reports",
        text_version=1,
        language="en",
    )
    client_for(client, personas.ash)

    section = needs_you(html_of(client.get(home(personas))))

    assert "Nothing needs you right now." in section
    assert reverse("meetings", kwargs={"org": "harbor"}) in section


def test_staff_start_on_the_answers_they_owe(client, personas):
    SurvivorProfileFactory.create(user=personas.river, organization=personas.harbor)
    send_feedback(
        author=personas.river,
        organization=personas.harbor,
        terms=FeedbackTerms(body="The room is too cold.", anonymous=True, board_may_read=False),
    )
    client_for(client, personas.sam)

    section = needs_you(html_of(client.get(home(personas))))

    # The update about it is opened through the inbox's line: one thing, listed once.
    assert "One piece of feedback waits for an answer." in section
    assert section.count("<li>") == 1
    assert "The room is too cold." not in section
    update = OutboxMessage.objects.get(recipient=personas.sam, kind="feedback_received")
    assert update.target == reverse("feedback_inbox", kwargs={"org": "harbor"})
    assert reverse("open_update", kwargs={"org": "harbor", "public_id": update.public_id}) in (
        section
    )


def test_the_list_gives_the_month_never_the_day(client, personas):
    # Anonymous feedback is dated to the month in the inbox; its update must not say more.
    SurvivorProfileFactory.create(user=personas.river, organization=personas.harbor)
    send_feedback(
        author=personas.river,
        organization=personas.harbor,
        terms=FeedbackTerms(body="The room is too cold.", anonymous=True, board_may_read=False),
    )
    client_for(client, personas.sam)
    page = html_of(client.get(updates_page(personas)))
    today = timezone.localdate()
    assert today.strftime("%B %Y") in page
    assert f"{today.day} {today.strftime('%B %Y')}" not in page


def test_the_sign_in_notice_stays_until_read_and_is_not_listed_again(client, personas):
    tell_of_failed_sign_ins(user_id=personas.ash.pk)
    client_for(client, personas.ash)

    first = html_of(client.get(home(personas)))
    assert "Someone tried to sign in to your account" in first
    assert label_of("sign_in_attempts") not in needs_you(first)
    assert "updates for you" not in first
    assert "Someone tried to sign in to your account" in html_of(client.get(home(personas)))
    read = client.post(reverse("sign_in_notice_read", kwargs={"org": "harbor"}))
    assert read["Location"] == home(personas)
    second = html_of(client.get(home(personas)))
    assert "Someone tried to sign in to your account" not in second


# --- query counts ---------------------------------------------------------------------------


def many_updates(personas: Any, count: int) -> None:
    for n in range(count):
        OutboxMessage.objects.create(
            recipient=personas.ash,
            organization=personas.harbor,
            kind="meeting_changed" if n % 2 else "pay_sent",
            target=f"/o/harbor/meetings/{n}/",
            seen_at=timezone.now() if n % 3 == 0 else None,
        )


def assert_flat(client: Any, url: str, expected: int, django_assert_num_queries: Any) -> str:
    client.get(url)  # warm up: the session and sign-in checks settle
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return html_of(response)


# SURVIVOR_HOME_QUERIES = 19: session and user (2); the MFA check and, for a survivor
# without a second factor, that they need none (3); the viewer's time zone (1); the
# organization (1); the membership (1); the sign-in notice (1); the unseen count (1); the
# newest unseen updates (1); what waits, one query each: roles offered, choices never made,
# meetings to answer, input to check, paid work offered, report drafts, quotes (7); the
# profile for the greeting (1).
SURVIVOR_HOME_QUERIES = 19


@pytest.mark.parametrize("count", [3, 30])
def test_the_survivor_home_costs_the_same_for_3_or_30_updates(
    client, personas, ash_on_the_board, count, django_assert_num_queries
):
    many_updates(personas, count)
    client_for(client, personas.ash)
    page = assert_flat(client, home(personas), SURVIVOR_HOME_QUERIES, django_assert_num_queries)
    assert "What needs you now" in page


# STAFF_HOME_QUERIES = 13: session and user (2); the MFA check (1); the viewer's time zone
# (1); the organization (1); the membership (1); the sign-in notice, the unseen count and
# the newest unseen updates (3); what waits: claims, feedback, recommendations, proposed
# links (4).
STAFF_HOME_QUERIES = 13


def test_the_staff_home_has_a_pinned_query_count(client, personas, django_assert_num_queries):
    client_for(client, personas.sam)
    assert_flat(client, home(personas), STAFF_HOME_QUERIES, django_assert_num_queries)


# UPDATE_LIST_QUERIES = 10: session and user (2); the MFA checks for a survivor (3); the
# viewer's time zone (1); the organization (1); the unseen updates, their count, and the
# most recently opened ones (3).
UPDATE_LIST_QUERIES = 10


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_costs_the_same_for_3_or_30_updates(
    client, personas, ash_on_the_board, count, django_assert_num_queries
):
    many_updates(personas, count)
    client_for(client, personas.ash)
    page = assert_flat(
        client, updates_page(personas), UPDATE_LIST_QUERIES, django_assert_num_queries
    )
    seen = len(range(0, count, 3))
    assert page.count('action="/o/harbor/updates/') - 1 == (count - seen) + min(seen, 10)
