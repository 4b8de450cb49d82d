"""The reports half of the demo: last year's board work, a published report for
that year with the board's statement (some figures hidden, as they would be on any small
board), and a draft for the last ended quarter waiting for the board to sign off.

The demo meetings only reach a few months back, so last year's meetings, attendance,
input, decisions, recommendations and pay are written here first — directly, with past
dates, like the other demo modules (services only ever act "now"). The report itself goes
through the real engine and the real publish service. Written once: if the organization
has a report, nothing is added.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import AssignmentStatus, Organization, Role, RoleAssignment, User
from accounts.selectors.roles import board_voters
from advisory.models import (
    AnswerChoice,
    Decision,
    DecisionArea,
    DecisionStatus,
    DecisionStatusChange,
    Influence,
    InfluenceAnswer,
    InfluenceLevel,
    Recommendation,
    RecommendationResponse,
)
from compensation.models import (
    Approval,
    BatchItem,
    EntryKind,
    EntryReason,
    EntrySource,
    LedgerEntry,
    PaymentBatch,
    PaymentMethod,
)
from compensation.services.accrual import accrue_attendance
from compensation.services.ledger import append_entry
from meetings.models import (
    AgendaItem,
    AgendaStatus,
    Attendance,
    Input,
    InputStatus,
    InputVisibility,
    Meeting,
    MeetingFormat,
    MeetingRole,
)
from reports.models import (
    ImpactReport,
    ReportVersion,
    SignOff,
    SignOffChoice,
    VersionStatus,
)
from reports.selectors.reports import signoff_state
from reports.services.report_generation import ended_periods, generate_version, start_report

MEETING_HOURS = Decimal(2)
# What the board talked about last year: program topics only, never anyone's past.
SAID = (
    ("Welcome pack", "The welcome pack should say plainly what happens at the first visit."),
    ("Peer support group", "A peer group that meets in the evening would help people who work."),
    ("Staff training", "Staff training should include how to explain choices without pressure."),
    ("Feedback box", "People should be able to give feedback without writing their name."),
)
# (title, area, status, reason, the topic whose input shaped it, decided in month) — last
# year's decisions. Each is linked only to what members said on its own topic before it
# was decided, so the story holds together: a welcome pack came from talk of welcome packs.
DECISIONS = (
    (
        "Evening peer support group",
        DecisionArea.SERVICES,
        DecisionStatus.ADOPTED,
        "",
        "Peer support group",
        6,
    ),
    (
        "Staff training on offering choices",
        DecisionArea.TRAINING,
        DecisionStatus.ADOPTED,
        "",
        "Staff training",
        7,
    ),
    (
        "Anonymous feedback box",
        DecisionArea.SERVICES,
        DecisionStatus.IMPLEMENTED,
        "",
        "Feedback box",
        8,
    ),
    (
        "Welcome pack rewritten",
        DecisionArea.COMMUNICATIONS,
        DecisionStatus.IMPLEMENTED,
        "",
        "Welcome pack",
        9,
    ),
    (
        "A second office location",
        DecisionArea.BUDGET,
        DecisionStatus.NOT_ADOPTED,
        "The budget does not cover a second office this year; the board will be asked again.",
        "",
        10,
    ),
)
# (month adopted, text, area, staff's answer) — two different pieces of advice.
RECOMMENDATIONS = (
    (
        3,
        "Ask people in the program which evening suits them best.",
        DecisionArea.SERVICES,
        "A short survey went out with the next newsletter.",
    ),
    (
        9,
        "Offer the training on choices to every new staff member in their first month.",
        DecisionArea.TRAINING,
        "New staff now take it in their first month.",
    ),
)
STATEMENT = (
    "We read this report before it was shared. The figures are right as far as we can tell. "
    "We want funders to know that the evening group and the new welcome pack came from "
    "what members said in meetings, and that we were paid for our time."
)


def seed_reports(organization: Organization) -> int:
    """Write the demo reports once; returns how many report versions were added."""
    if ImpactReport.objects.filter(organization=organization).exists():
        return 0
    staff = _first(organization, Role.STAFF)
    finance = _first(organization, Role.FINANCE)
    voters = list(board_voters(organization))
    if staff is None or finance is None or len(voters) < 5:
        return 0
    year = timezone.localdate().year - 1
    with transaction.atomic():
        _history(organization, year, staff, finance, voters)
    _publish_year(organization, year, staff, voters)
    _draft_for_last_quarter(organization, staff)
    return ReportVersion.objects.filter(report__organization=organization).count()


def _first(organization: Organization, role: str) -> User | None:
    return (
        User.objects.filter(memberships__organization=organization, memberships__role=role)
        .order_by("pk")
        .first()
    )


# --- last year's work -----------------------------------------------------------------


def _history(
    organization: Organization, year: int, staff: User, finance: User, members: list[User]
) -> None:
    # The board has served since before last year began.
    RoleAssignment.objects.filter(
        board__organization=organization,
        user__in=members,
        status=AssignmentStatus.ACTIVE,
        starts_on__gt=datetime.date(year, 1, 1),
    ).update(starts_on=datetime.date(year, 1, 1))
    board = members[0].role_assignments.filter(board__organization=organization).first()
    if board is None:
        return
    zone = ZoneInfo(organization.time_zone or "UTC")
    inputs: list[Input] = []
    for month in range(1, 13):
        starts_at = datetime.datetime(year, month, 10, 18, tzinfo=zone)
        meeting = Meeting.objects.create(
            organization=organization,
            board=board.board,
            title=f"Board meeting, {starts_at:%B %Y}",
            starts_at=starts_at,
            duration_minutes=120,
            format=MeetingFormat.VIDEO if month % 2 else MeetingFormat.IN_PERSON,
            created_by=staff,
            created_at=starts_at - datetime.timedelta(days=30),
        )
        topic, said = SAID[month % len(SAID)]
        item = AgendaItem.objects.create(
            meeting=meeting,
            title=topic,
            proposed_by=members[month % len(members)],
            status=AgendaStatus.ACCEPTED,
            created_at=meeting.created_at,
        )
        # Most members come to most meetings; the co-chairs take turns chairing.
        for index, person in enumerate(members):
            came = (month + index) % 5 != 0
            role = MeetingRole.PARTICIPANT
            if came and index == month % 2:
                role = MeetingRole.CHAIR
            attendance = Attendance.objects.create(
                meeting=meeting,
                user=person,
                attended=came,
                hours=MEETING_HOURS if came else Decimal(0),
                meeting_role=role,
                recorded_by=staff,
                recorded_at=starts_at + datetime.timedelta(days=1),
            )
            accrue_attendance(attendance_id=attendance.pk)
        # Two members speak at each meeting, a different pair each month.
        for author in (members[month % len(members)], members[(month + 3) % len(members)]):
            inputs.append(
                Input.objects.create(
                    meeting=meeting,
                    agenda_item=item,
                    author=author,
                    body=said,
                    visibility=InputVisibility.ANONYMOUS,
                    status=InputStatus.CONFIRMED,
                    created_at=starts_at,
                    updated_at=starts_at,
                    confirmed_at=starts_at,
                )
            )
    _decisions(organization, year, staff, inputs)
    _pay(organization, year, finance)


def _decisions(organization: Organization, year: int, staff: User, inputs: list[Input]) -> None:
    for title, area, status, reason, topic, month in DECISIONS:
        decided_on = datetime.date(year, month, 20)
        decision = Decision.objects.create(
            organization=organization,
            title=title,
            area=area,
            status=status,
            reason=reason,
            decided_on=decided_on,
            created_by=staff,
            created_at=datetime.datetime.combine(
                decided_on, datetime.time(12), tzinfo=datetime.UTC
            ),
        )
        DecisionStatusChange.objects.create(
            decision=decision,
            status=status,
            reason=reason,
            actor_id=staff.pk,
            created_at=decision.created_at,
        )
        # What members said on this topic in the months before shaped it.
        for said in _said_before(inputs, topic, decided_on):
            Influence.objects.create(
                decision=decision,
                input=said,
                level=InfluenceLevel.SHAPED,
                rationale="What the board said shaped this decision.",
                actor_id=staff.pk,
                created_at=decision.created_at,
            )
            InfluenceAnswer.objects.create(
                decision=decision,
                input=said,
                answer=AnswerChoice.YES,
                answered_at=decision.created_at + datetime.timedelta(days=5),
            )
    for month, text, area, answer in RECOMMENDATIONS:
        adopted_on = datetime.date(year, month, 12)
        Recommendation.objects.create(
            organization=organization,
            text=text,
            area=area,
            adopted_on=adopted_on,
            due_on=adopted_on + datetime.timedelta(days=30),
            response=RecommendationResponse.ACCEPTED,
            response_reason=answer,
            responded_by=staff,
            responded_at=datetime.datetime.combine(
                adopted_on + datetime.timedelta(days=18), datetime.time(12), tzinfo=datetime.UTC
            ),
        )


def _said_before(inputs: list[Input], topic: str, decided_on: datetime.date) -> list[Input]:
    return [
        said
        for said in inputs
        if said.agenda_item is not None
        and said.agenda_item.title == topic
        and said.meeting.starts_at.date() < decided_on
    ]


def _pay(organization: Organization, year: int, finance: User) -> None:
    """Approve and pay last year's earned pay, one batch a month, about ten days after."""
    earned = (
        LedgerEntry.objects.filter(
            organization=organization,
            kind=EntryKind.EARNED,
            work_date__year=year,
            reversal__isnull=True,
        )
        .filter(Q(approval__isnull=True))
        .order_by("work_date", "id")
    )
    months: dict[int, list[LedgerEntry]] = {}
    for entry in earned:
        months.setdefault(entry.work_date.month, []).append(entry)
    for month, entries in months.items():
        paid_on = max(entry.work_date for entry in entries) + datetime.timedelta(days=10)
        paid_at = datetime.datetime.combine(paid_on, datetime.time(12), tzinfo=datetime.UTC)
        batch = PaymentBatch.objects.create(
            organization=organization,
            method=PaymentMethod.DIRECT_DEPOSIT,
            status=PaymentBatch.Status.PAID,
            reference=f"DEMO-{year}{month:02d}-HIST",
            created_by=finance,
            created_at=paid_at - datetime.timedelta(days=2),
            paid_by=finance,
            paid_at=paid_at,
        )
        totals: dict[int, Decimal] = {}
        for entry in entries:
            Approval.objects.create(
                entry=entry, approved_by=finance, approved_at=paid_at - datetime.timedelta(days=3)
            )
            BatchItem.objects.create(batch=batch, entry=entry)
            totals[entry.user_id] = totals.get(entry.user_id, Decimal(0)) + entry.amount
        for user_id, total in totals.items():
            append_entry(
                organization_id=organization.pk,
                user_id=user_id,
                kind=EntryKind.PAYMENT,
                source=EntrySource.PAYMENT,
                reason=EntryReason.BATCH_PAID,
                amount=-total,
                currency=entries[0].currency,
                work_date=paid_on,
                actor_id=finance.pk,
                batch=batch,
                created_at=paid_at,
            )


# --- the reports ------------------------------------------------------------------------


def _prepare(organization: Organization, year: int, quarter: int, staff: User) -> ReportVersion:
    version = start_report(organization, year=year, quarter=quarter, actor=staff)
    # The task would do this in the background; the demo does it now.
    generate_version(version.pk)
    version.refresh_from_db()
    return version


def _publish_year(organization: Organization, year: int, staff: User, voters: list[User]) -> None:
    from reports.services.report_publish import publish

    version = _prepare(organization, year, 0, staff)
    if version.status != VersionStatus.DRAFT:
        return
    now = timezone.now()
    ReportVersion.objects.filter(pk=version.pk).update(
        statement=STATEMENT, statement_updated_at=now
    )
    for person in voters:
        SignOff.objects.create(version=version, user=person, choice=SignOffChoice.APPROVE)
    version.refresh_from_db()
    if signoff_state(version).met:
        publish(version, actor=staff)


def _draft_for_last_quarter(organization: Organization, staff: User) -> None:
    this_year = timezone.localdate().year
    quarter = next(
        ((y, q) for y, q in ended_periods(organization) if y == this_year and q > 0), None
    )
    if quarter is not None:
        _prepare(organization, quarter[0], quarter[1], staff)
