"""The meetings half of the demo: a year of Harbor Light's board meetings, eight months
past and four to come, with agenda items proposed by survivor leaders, replies,
attendance, input (confirmed, and one waiting for its author to check) and approved
minutes. Everyday program topics only — nothing about anyone's past.

Rows are written directly: the services refuse meetings in the past, and the demo has no
one to notify. Written once: if the organization already has meetings, nothing is added.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import (
    AssignmentStatus,
    ConsentScope,
    Organization,
    Role,
    RoleAssignment,
    User,
)
from accounts.selectors.consent import has_consent
from accounts.services.roles import ensure_board
from meetings.mentions import token_for
from meetings.models import (
    AgendaItem,
    AgendaStatus,
    Attendance,
    Input,
    InputStatus,
    InputVisibility,
    Meeting,
    MeetingFormat,
    MeetingInvitation,
    MeetingRole,
    Minutes,
    MinutesStatus,
    Reply,
)

PAST_MEETINGS = 8
UPCOMING_MEETINGS = 4
MEETING_MINUTES = 120

# (topic, what it is about, content note, what a member said about it)
TOPICS = (
    (
        "Outreach materials",
        "New wording for the program flyer and the welcome card.",
        "",
        "Shorter sentences and a bigger font would make the flyer easier to read.",
    ),
    (
        "Training schedule",
        "When to hold the volunteer training sessions this season.",
        "",
        "Evening sessions work better for people who have day jobs.",
    ),
    (
        "Budget priorities",
        "Which parts of next year's budget the board wants to protect.",
        "Talks about money and costs.",
        "Transport help for board members should stay in the budget.",
    ),
    (
        "Hiring panel",
        "Who from the board sits on the panel for the new peer support role.",
        "",
        "Two board members on the panel would give a fairer view.",
    ),
    (
        "Language access",
        "Which languages the outreach materials should come in.",
        "",
        "Spanish and Arabic versions would reach more people in our area.",
    ),
    (
        "Website updates",
        "Making the program's website clearer on a phone.",
        "",
        "The contact page should say how quickly someone will answer.",
    ),
    (
        "Meeting times",
        "Whether to move board meetings to a different evening.",
        "",
        "Tuesdays clash with classes for some of us; Thursdays would be easier.",
    ),
    (
        "Feedback form",
        "A short form for people in the program to say what works and what does not.",
        "",
        "Keep it to five questions and let people skip any of them.",
    ),
    (
        "Welcome pack",
        "What new board members get when they join.",
        "",
        "A one-page guide to how meetings run would help new members.",
    ),
    (
        "Annual report",
        "Reviewing the draft of the program's yearly report.",
        "",
        "The report should say which board ideas the program took up.",
    ),
    (
        "Peer mentoring pilot",
        "Planning a small mentoring pilot for next spring.",
        "",
        "Mentors should get the same stipend rate as board members.",
    ),
    (
        "Transport costs",
        "How travel to in-person meetings is paid back.",
        "",
        "Paying bus fares in advance would help more than paying them back later.",
    ),
)


@dataclass(frozen=True)
class DemoBoard:
    organization: Organization
    staff: User
    members: list[User]  # survivor leaders with an active role, co-chairs first
    co_chairs: list[User]


def seed_meetings(organization: Organization) -> int:
    """Write the demo meetings once; returns how many meetings were added."""
    if Meeting.objects.filter(organization=organization).exists():
        return 0
    board = _demo_board(organization)
    if board is None or not board.members:
        return 0
    with transaction.atomic():
        return _seed(board)


def _demo_board(organization: Organization) -> DemoBoard | None:
    staff = (
        User.objects.filter(memberships__organization=organization, memberships__role=Role.STAFF)
        .order_by("pk")
        .first()
    )
    if staff is None:
        return None
    assignments = (
        RoleAssignment.objects.filter(
            role__organization=organization,
            status=AssignmentStatus.ACTIVE,
            user__memberships__organization=organization,
            user__memberships__role=Role.SURVIVOR_LEADER,
        )
        .select_related("role", "user")
        .order_by("-role__is_co_chair", "user_id")
    )
    members: list[User] = []
    co_chairs: list[User] = []
    for assignment in assignments:
        if assignment.user not in members:
            members.append(assignment.user)
        if assignment.role.is_co_chair and assignment.user not in co_chairs:
            co_chairs.append(assignment.user)
    return DemoBoard(organization, staff, members, co_chairs or members[:1])


def _meeting_starts(organization: Organization, months_from_now: int) -> datetime.datetime:
    """The second Thursday of a month at 6 pm, in the organization's time zone."""
    zone = zoneinfo.ZoneInfo(organization.time_zone or "UTC")
    today = timezone.localdate()
    month_index = today.year * 12 + today.month - 1 + months_from_now
    year, month = divmod(month_index, 12)
    first = datetime.date(year, month + 1, 1)
    first_thursday = first + datetime.timedelta(days=(3 - first.weekday()) % 7)
    day = first_thursday + datetime.timedelta(days=7)
    return datetime.datetime.combine(day, datetime.time(18, 0), tzinfo=zone)


def _seed(board: DemoBoard) -> int:
    advisory_board = ensure_board(organization=board.organization)
    now = timezone.now()
    count = 0
    newest_past: Meeting | None = None
    for offset in range(-PAST_MEETINGS, UPCOMING_MEETINGS):
        starts_at = _meeting_starts(board.organization, offset)
        meeting = Meeting.objects.create(
            organization=board.organization,
            board=advisory_board,
            title=f"Board meeting, {starts_at:%B %Y}",
            starts_at=starts_at,
            duration_minutes=MEETING_MINUTES,
            format=MeetingFormat.VIDEO if offset % 2 else MeetingFormat.IN_PERSON,
            location="https://video.example.test/board"
            if offset % 2
            else "Community room, 2nd floor",
            created_by=board.staff,
            created_at=starts_at - datetime.timedelta(days=30),
        )
        count += 1
        index = offset + PAST_MEETINGS
        past = starts_at < now
        invitations = _invite(board, meeting, index, past=past)
        items = _agenda(board, meeting, index, past=past)
        if past:
            newest_past = meeting
            _attendance(board, meeting, invitations)
            _input(board, meeting, items[0], index)
            _minutes(board, meeting, items, invitations, index)
    if newest_past is not None:
        _pending_input(board, newest_past)
    return count


def _invite(
    board: DemoBoard, meeting: Meeting, index: int, *, past: bool
) -> list[MeetingInvitation]:
    note_taker = board.members[index % len(board.members)]
    upcoming_replies = (Reply.YES, Reply.MAYBE, Reply.NO_REPLY, Reply.YES, Reply.NO)
    invitations = []
    for position, person in enumerate(board.members):
        if person == board.co_chairs[index % len(board.co_chairs)]:
            meeting_role = MeetingRole.CHAIR
        elif person == note_taker:
            meeting_role = MeetingRole.NOTE_TAKER
        else:
            meeting_role = MeetingRole.PARTICIPANT
        if past:
            reply = Reply.NO if (position + index) % 5 == 4 else Reply.YES
        else:
            reply = upcoming_replies[(position + index) % len(upcoming_replies)]
        invitations.append(
            MeetingInvitation.objects.create(
                meeting=meeting,
                user=person,
                reply=reply,
                replied_at=None if reply == Reply.NO_REPLY else meeting.created_at,
                meeting_role=meeting_role,
            )
        )
    return invitations


def _agenda(board: DemoBoard, meeting: Meeting, index: int, *, past: bool) -> list[AgendaItem]:
    items = []
    for position in range(2):
        title, description, note, _said = TOPICS[(index * 2 + position) % len(TOPICS)]
        proposer = board.members[(index + position) % len(board.members)]
        status = AgendaStatus.ACCEPTED if past or position == 0 else AgendaStatus.PROPOSED
        items.append(
            AgendaItem.objects.create(
                meeting=meeting,
                title=title,
                description=description,
                content_note=note,
                proposed_by=proposer,
                status=status,
                position=position,
                created_at=meeting.created_at,
            )
        )
    return items


def _attendance(board: DemoBoard, meeting: Meeting, invitations: list[MeetingInvitation]) -> None:
    hours = Decimal(MEETING_MINUTES) / 60
    for invitation in invitations:
        came = invitation.reply == Reply.YES
        Attendance.objects.create(
            meeting=meeting,
            user=invitation.user,
            attended=came,
            hours=hours if came else Decimal("0"),
            meeting_role=invitation.meeting_role,
            recorded_by=board.staff,
            recorded_at=min(meeting.starts_at + datetime.timedelta(days=1), timezone.now()),
        )


def _visibility(person: User, organization: Organization) -> str:
    if has_consent(person, organization, ConsentScope.ATTRIBUTE_TO_STAFF):
        return InputVisibility.ATTRIBUTED
    return InputVisibility.ANONYMOUS


def _input(board: DemoBoard, meeting: Meeting, item: AgendaItem, index: int) -> None:
    author = board.members[(index + 1) % len(board.members)]
    said = next(topic[3] for topic in TOPICS if topic[0] == item.title)
    Input.objects.create(
        meeting=meeting,
        agenda_item=item,
        author=author,
        body=said,
        visibility=_visibility(author, board.organization),
        status=InputStatus.CONFIRMED,
        created_at=meeting.starts_at,
        updated_at=meeting.starts_at,
        confirmed_at=meeting.starts_at,
    )


def _pending_input(board: DemoBoard, meeting: Meeting) -> None:
    """Staff wrote down what a member said; it waits for them to check it (recent, so the
    30-day clean-up leaves it alone)."""
    author = board.members[-1]
    Input.objects.create(
        meeting=meeting,
        author=author,
        body="The agenda should go out a week before, so there is time to read it.",
        visibility=InputVisibility.ANONYMOUS,
        status=InputStatus.PENDING,
        recorded_by=board.staff,
    )


def _minutes(
    board: DemoBoard,
    meeting: Meeting,
    items: list[AgendaItem],
    invitations: list[MeetingInvitation],
    index: int,
) -> None:
    chair = next(i.user for i in invitations if i.meeting_role == MeetingRole.CHAIR)
    note_taker = next(
        (i.user for i in invitations if i.meeting_role == MeetingRole.NOTE_TAKER), board.staff
    )
    first, second = items
    body = (
        f"{token_for(chair.pk)} chaired the meeting and welcomed everyone.\n"
        f"{first.title}: the board agreed on next steps and staff will share a new draft.\n"
        f"{second.title}: {token_for(note_taker.pk)} will bring ideas to the next meeting.\n"
        "Next meeting: the second Thursday of next month."
    )
    Minutes.objects.create(
        meeting=meeting,
        body=body,
        status=MinutesStatus.APPROVED,
        drafted_by=note_taker,
        approved_by=board.co_chairs[index % len(board.co_chairs)],
        approved_at=min(meeting.starts_at + datetime.timedelta(days=7), timezone.now()),
    )
