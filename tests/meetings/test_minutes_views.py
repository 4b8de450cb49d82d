"""Minutes pages: who sees, drafts, comments and approves; what the page shows."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import ConsentScope
from accounts.selectors.consent import has_consent
from accounts.services.consent import withdraw_consent
from meetings.mentions import token_for
from meetings.models import Minutes, MinutesComment, MinutesStatus
from meetings.services.minutes import approve_minutes, comment_on_minutes, draft_minutes
from tests.factories import SurvivorProfileFactory, UserFactory
from tests.meetings.minutes_support import allow_name, make_co_chair, meeting_with
from tests.mfa import give_totp
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(personas):
    for name in ("sam", "fin", "ada", "faye"):
        give_totp(getattr(personas, name))
    make_co_chair(personas.ash, personas.harbor)
    return meeting_with(personas, invited=("ash", "river"), note_taker="river")


def url(name, meeting, org=None):
    return reverse(name, kwargs={"org": org or meeting.organization.slug, "pk": meeting.pk})


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("ash", 200),
        ("river", 200),
        ("sam", 200),
        ("ada", 200),
        ("fin", 404),
        ("faye", 404),
        ("otto", 404),
    ],
)
def test_who_sees_the_minutes(personas, meeting, who, status):
    draft_minutes(meeting=meeting, by=personas.sam, body="Notes.")
    assert client_for(getattr(personas, who)).get(url("minutes", meeting)).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(meeting):
    response = Client().get(url("minutes", meeting))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_survivor_not_invited_gets_404(personas):
    meeting = meeting_with(personas, invited=("ash",))
    assert client_for(personas.river).get(url("minutes", meeting)).status_code == 404


def test_a_meeting_of_another_organization_is_404_under_either_slug(personas, meeting):
    assert client_for(personas.otto).get(url("minutes", meeting, "second")).status_code == 404
    assert client_for(personas.ash).get(url("minutes", meeting, "second")).status_code == 404


@pytest.mark.parametrize(("who", "status"), [("sam", 200), ("river", 200), ("ash", 404)])
def test_staff_and_the_note_taker_may_edit(personas, meeting, who, status):
    assert client_for(getattr(personas, who)).get(url("edit_minutes", meeting)).status_code == (
        status
    )


def test_the_note_taker_drafts_with_a_mention_from_the_list(personas, meeting):
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ash")
    allow_name(personas.ash, personas.harbor)
    client = client_for(personas.river)
    page = client.get(url("edit_minutes", meeting)).content.decode()
    assert token_for(personas.ash.pk) in page
    assert "always shows as “a board member”" in page
    response = client.post(
        url("edit_minutes", meeting), {"body": "Thanks for the outreach ideas", "mention": ""}
    )
    assert response.status_code == 302
    client.post(
        url("edit_minutes", meeting),
        {"body": "Thanks for the outreach ideas", "mention": personas.ash.pk},
    )
    assert (
        Minutes.objects.get().body == f"Thanks for the outreach ideas {token_for(personas.ash.pk)}"
    )
    shown = minutes_body(client.get(url("minutes", meeting)).content.decode())
    assert shown == 'Thanks for the outreach ideas <span class="mention">a board member</span>'


def test_a_person_outside_the_meeting_cannot_be_chosen(personas, meeting):
    outsider = UserFactory.create()
    response = client_for(personas.sam).post(
        url("edit_minutes", meeting), {"body": "Notes.", "mention": outsider.pk}
    )
    assert response.status_code == 200
    assert not Minutes.objects.exists()


def minutes_body(html: str) -> str:
    found = re.search(r'<p class="minutes-body">(.*?)</p>', html, re.DOTALL)
    assert found is not None
    return found.group(1)


def what_was_written(html: str) -> tuple[str, list[str]]:
    """The minutes and every comment's words: everything the page shows of what was
    written, without who wrote the comments (staff-only attribution, tested below)."""
    return minutes_body(html), re.findall(r"</p><p>(.*?)</p></li>", html, re.DOTALL)


def test_no_reader_can_tell_from_the_minutes_who_allowed_their_name(personas, meeting):
    """Ash lets staff see their name, River does not. Staff, each survivor and the co-chair
    read the same minutes, and the same again once the two choices are swapped: only what
    the note-taker typed as words names anyone."""
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ash")
    SurvivorProfileFactory.create(user=personas.river, chosen_name="River")
    allow_name(personas.ash, personas.harbor)
    ash, river = token_for(personas.ash.pk), token_for(personas.river.pk)
    minutes = draft_minutes(
        meeting=meeting,
        by=personas.river,
        body=f"{ash} chaired.\n{river} took notes.\nJules sent thanks. {ash}, {river} agreed.",
    )
    comment_on_minutes(minutes=minutes, author=personas.ada, body=f"Thanks {river} and {ash}.")
    readers = ("ash", "river", "sam", "ada")

    def seen_by_each() -> set[tuple[str, tuple[str, ...]]]:
        seen = set()
        for who in readers:
            html = client_for(getattr(personas, who)).get(url("minutes", meeting)).content
            body, comments = what_was_written(html.decode())
            seen.add((body, tuple(comments)))
        return seen

    before = seen_by_each()
    assert len(before) == 1  # one and the same for every reader
    (body, comments), *_ = before
    for hidden in ("Ash", "River", "member:"):
        assert hidden not in body
    assert body.count("a board member") == 4
    assert "Jules sent thanks." in body  # typed by the note-taker, for everyone
    assert comments == (
        'Thanks <span class="mention">a board member</span> and '
        '<span class="mention">a board member</span>.',
    )

    withdraw_consent(
        user=personas.ash, organization=personas.harbor, scope=ConsentScope.ATTRIBUTE_TO_STAFF
    )
    allow_name(personas.river, personas.harbor)
    assert has_consent(personas.river, personas.harbor, ConsentScope.ATTRIBUTE_TO_STAFF)
    assert seen_by_each() == before


def test_markup_in_minutes_and_comments_is_escaped(personas, meeting):
    minutes = draft_minutes(meeting=meeting, by=personas.sam, body="<script>alert(1)</script>")
    comment_on_minutes(minutes=minutes, author=personas.ash, body='<img src=x onerror="alert(2)">')
    html = client_for(personas.river).get(url("minutes", meeting)).content.decode()
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in html


def test_survivors_never_see_which_survivor_commented(personas, meeting):
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ash")
    allow_name(personas.ash, personas.harbor)
    minutes = draft_minutes(meeting=meeting, by=personas.sam, body="Notes.")
    comment_on_minutes(minutes=minutes, author=personas.ash, body="Add the budget please.")
    river_sees = client_for(personas.river).get(url("minutes", meeting)).content.decode()
    assert "Ash" not in river_sees
    assert "A board member" in river_sees
    staff_see = client_for(personas.sam).get(url("minutes", meeting)).content.decode()
    assert "<strong>Ash</strong>" in staff_see
    ash_sees = client_for(personas.ash).get(url("minutes", meeting)).content.decode()
    assert "<strong>You</strong>" in ash_sees


def test_a_board_member_comments(personas, meeting):
    draft_minutes(meeting=meeting, by=personas.sam, body="Notes.")
    client = client_for(personas.ash)
    response = client.post(url("comment_on_minutes", meeting), {"body": "Looks right."})
    assert response.status_code == 302
    assert MinutesComment.objects.get().author == personas.ash
    client.post(url("comment_on_minutes", meeting), {"body": ""})
    assert MinutesComment.objects.count() == 1


def test_only_the_co_chair_sees_and_uses_the_approve_button(personas, meeting):
    draft_minutes(meeting=meeting, by=personas.sam, body="Notes.")
    river_page = client_for(personas.river).get(url("minutes", meeting)).content.decode()
    assert "Approve the minutes" not in river_page
    client_for(personas.river).post(url("approve_minutes", meeting))
    client_for(personas.sam).post(url("approve_minutes", meeting))
    assert Minutes.objects.get().status == MinutesStatus.DRAFT
    ash = client_for(personas.ash)
    assert "Approve the minutes" in ash.get(url("minutes", meeting)).content.decode()
    response = ash.post(url("approve_minutes", meeting), follow=True)
    assert "The minutes are approved." in response.content.decode()
    assert Minutes.objects.get().status == MinutesStatus.APPROVED


def test_approved_minutes_offer_no_edit_comment_or_approve(personas, meeting):
    minutes = draft_minutes(meeting=meeting, by=personas.sam, body="Notes.")
    approve_minutes(minutes=minutes, by=personas.ash)
    sam = client_for(personas.sam)
    html = sam.get(url("minutes", meeting)).content.decode()
    assert "read-only" in html
    assert url("edit_minutes", meeting) not in html
    assert url("comment_on_minutes", meeting) not in html
    assert url("approve_minutes", meeting) not in html
    assert sam.get(url("edit_minutes", meeting)).status_code == 302
    sam.post(url("edit_minutes", meeting), {"body": "Changed."})
    client_for(personas.river).post(url("comment_on_minutes", meeting), {"body": "Late."})
    assert Minutes.objects.get().body == "Notes."
    assert not MinutesComment.objects.exists()


@pytest.mark.parametrize("count", [3, 30])
def test_the_minutes_page_query_count_is_flat(personas, meeting, count, django_assert_num_queries):
    SurvivorProfileFactory.create(user=personas.ash, chosen_name="Ash")
    minutes = draft_minutes(
        meeting=meeting,
        by=personas.sam,
        body=" ".join(token_for(p.pk) for p in (personas.ash, personas.river)),
    )
    for n in range(count):
        author = personas.ash if n % 2 else personas.river
        comment_on_minutes(minutes=minutes, author=author, body=f"Point {n} {token_for(author.pk)}")
    client = client_for(personas.sam)
    client.get(url("minutes", meeting))
    # Signing in and the session (10, the same on every page), the viewer's time zone (1,
    # the same on every organization's page), then the organization, the meeting, the
    # viewer's role, the minutes, the comments with their authors' roles in one, and one
    # for the names of the survivors who commented (mentions need none): the same for 3 or
    # 30 comments.
    with django_assert_num_queries(10):
        response = client.get(url("minutes", meeting))
    assert response.status_code == 200


def test_comments_show_the_day_not_the_minute(personas, meeting):
    """Next to "A board member" an exact time can single someone out on a small board."""
    from django.utils import dateformat, formats

    minutes = draft_minutes(meeting=meeting, by=personas.sam, body="Notes.")
    comment = comment_on_minutes(minutes=minutes, author=personas.ash, body="Fine by me.")
    html = client_for(personas.river).get(url("minutes", meeting)).content.decode()
    assert dateformat.format(comment.created_at, formats.get_format("DATE_FORMAT")) in html
    assert dateformat.format(comment.created_at, "P") not in html.split("Comments", 1)[1]
