"""How fast funder reports are made: N synthetic organizations, each with 20
survivor leaders who said yes to being counted and five years of monthly board meetings —
attendance, agenda items, confirmed input, decisions with influence links and answers,
recommendations with answers, and pay earned and paid in monthly batches — seeded with bulk
inserts. Then it prints

- the time to generate one organization-year report through the real engine (the task body
  `generate_version`: compute, protect, store the snapshot) and how many queries that took,
  the same for every organization, so the count is fixed, not a loop over rows;
- the time of each grouped query of `compute_figures`, and for the two heaviest the same
  figures from hand-written SQL (PostgreSQL only), checked to be equal;
- the time of a funder's portfolio over all the organizations' published year reports.

Not a test. Run it with

    ORGS=50 DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python benchmarks/reports.py

(or `make bench ORGS=50`; add DATABASE_URL=postgres://... to measure on PostgreSQL). It works
in a throwaway test database, created and dropped here.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import (  # noqa: E402
    AdvisoryBoard,
    AssignmentStatus,
    BoardRole,
    ConsentAction,
    ConsentEvent,
    ConsentScope,
    ConsentText,
    FunderAccess,
    Membership,
    Organization,
    Role,
    RoleAssignment,
    User,
)
from advisory.models import (  # noqa: E402
    AnswerChoice,
    Decision,
    DecisionArea,
    DecisionStatus,
    Influence,
    InfluenceAnswer,
    InfluenceLevel,
    Recommendation,
    RecommendationResponse,
)
from compensation.models import (  # noqa: E402
    BatchItem,
    EntryKind,
    EntryReason,
    EntrySource,
    LedgerEntry,
    PaymentBatch,
    PaymentMethod,
    RateBasis,
    StipendRate,
)
from meetings.models import (  # noqa: E402
    AgendaItem,
    Attendance,
    Input,
    InputStatus,
    Meeting,
    MeetingFormat,
    MeetingRole,
    MeetingStatus,
)
from reports import compute  # noqa: E402
from reports.models import (  # noqa: E402
    ImpactReport,
    ReportVersion,
    VersionReason,
    VersionStatus,
)
from reports.selectors.report_funder import portfolio  # noqa: E402
from reports.services.report_generation import (  # noqa: E402
    counted_survivor_ids,
    generate_version,
)

SURVIVORS = 20
YEARS = 5
BATCH = 5_000  # rows per INSERT
ZONE = "America/Chicago"
RATE = Decimal("40.00")  # hourly stipend; the benchmark is 50, so parity 0.80
AREAS = [area.value for area in DecisionArea]
SAMPLE = 20  # organizations each query is timed on
# Reports generated through the engine. Past this many (generation is seconds each on two
# cores) the other organizations publish a copy of one of these snapshots: the portfolio
# reads nothing but snapshots, so it is timed on the same amount of data.
GENERATED = 50


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def report_year() -> int:
    return timezone.localdate().year - 1  # the newest year that has ended


# --- seeding -----------------------------------------------------------------------------


def seed_organization(number: int, year: int) -> Organization:
    """One organization and five years of its board's work, all in bulk inserts."""
    rng = random.Random(number)  # noqa: S311  # the same made-up data on every run
    zone = ZoneInfo(ZONE)
    first_year = year - YEARS + 1
    organization = Organization.objects.create(
        name=f"Program {number}", slug=f"program-{number}", time_zone=ZONE
    )
    staff = User.objects.create(email=f"staff-{number}@bench.test")
    survivors = User.objects.bulk_create(
        User(email=f"leader-{number}-{n}@bench.test") for n in range(SURVIVORS)
    )
    Membership.objects.bulk_create(
        [Membership(user=staff, organization=organization, role=Role.STAFF)]
        + [
            Membership(user=person, organization=organization, role=Role.SURVIVOR_LEADER)
            for person in survivors
        ]
    )
    text = ConsentText.objects.create(
        organization=organization,
        scope=ConsentScope.COUNT_IN_REPORTS,
        language="en",
        version=1,
        text="What I do can be counted in reports that show numbers, not people.",
        effective_at=datetime(first_year, 1, 1, tzinfo=zone),
    )
    now = timezone.now()
    ConsentEvent.objects.bulk_create(
        ConsentEvent(
            user=person,
            organization=organization,
            scope=ConsentScope.COUNT_IN_REPORTS,
            action=ConsentAction.GRANTED,
            text=text,
            language="en",
            expires_at=now + timedelta(days=365),
            created_at=now - timedelta(days=30),
        )
        for person in survivors
    )
    board = AdvisoryBoard.objects.create(organization=organization, name="Advisory board")
    member = BoardRole.objects.create(
        organization=organization, name="Board member", description="Comes to meetings."
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(
            board=board,
            role=member,
            user=person,
            status=AssignmentStatus.ACTIVE,
            starts_on=date(first_year, 1, 1),
        )
        for person in survivors
    )
    rate = StipendRate.objects.create(
        organization=organization,
        basis=RateBasis.HOURLY,
        amount=RATE,
        meeting_role="",
        benchmark_hourly=Decimal("50.00"),
        effective_from=date(first_year, 1, 1),
    )

    # Monthly meetings; each August's is cancelled.
    meetings = Meeting.objects.bulk_create(
        Meeting(
            organization=organization,
            board=board,
            title=f"Board meeting {y}-{m:02d}",
            starts_at=datetime(y, m, 12, 18, 0, tzinfo=zone),
            format=MeetingFormat.VIDEO,
            status=MeetingStatus.CANCELLED if m == 8 else MeetingStatus.SCHEDULED,
        )
        for y in range(first_year, year + 1)
        for m in range(1, 13)
    )
    held = [meeting for meeting in meetings if meeting.status == MeetingStatus.SCHEDULED]

    attendance: list[Attendance] = []
    for index, meeting in enumerate(held):
        chair, facilitator = survivors[index % SURVIVORS], survivors[(index + 1) % SURVIVORS]
        for person in survivors:
            came = person in (chair, facilitator) or rng.random() < 0.85
            role = MeetingRole.PARTICIPANT
            if came and person is chair:
                role = MeetingRole.CHAIR
            elif came and person is facilitator:
                role = MeetingRole.FACILITATOR
            attendance.append(
                Attendance(
                    meeting=meeting,
                    user=person,
                    attended=came,
                    hours=rng.choice((Decimal("1.50"), Decimal("2.00"))) if came else Decimal(0),
                    meeting_role=role,
                )
            )
        # Staff come too; nobody counts them.
        attendance.append(
            Attendance(
                meeting=meeting,
                user=staff,
                attended=True,
                hours=Decimal("2.00"),
                meeting_role=MeetingRole.NOTE_TAKER,
            )
        )
    Attendance.objects.bulk_create(attendance, batch_size=BATCH)

    AgendaItem.objects.bulk_create(
        (
            AgendaItem(
                meeting=meeting,
                title=f"Topic {n}",
                proposed_by=staff if n == 3 else rng.choice(survivors),
                position=n,
            )
            for meeting in meetings
            for n in range(4)
        ),
        batch_size=BATCH,
    )
    inputs = Input.objects.bulk_create(
        (
            Input(
                meeting=meeting,
                author=rng.choice(survivors),
                body="What I want the board to hear.",
                status=InputStatus.PENDING if n == 5 else InputStatus.CONFIRMED,
            )
            for meeting in held
            for n in range(6)
        ),
        batch_size=BATCH,
    )
    by_meeting: dict[int, list[Input]] = {}
    for item in inputs:
        if item.status == InputStatus.CONFIRMED:
            by_meeting.setdefault(item.meeting_id, []).append(item)

    decisions: list[Decision] = []
    for index, meeting in enumerate(held):
        day = meeting.starts_at.astimezone(zone).date() + timedelta(days=7)
        for n in range(2):
            refused = (index + n) % 5 == 0
            decisions.append(
                Decision(
                    organization=organization,
                    title=f"Decision {index}-{n}",
                    area=AREAS[(index * 2 + n) % len(AREAS)],
                    status=DecisionStatus.NOT_ADOPTED if refused else DecisionStatus.ADOPTED,
                    reason="The budget did not allow it this year." if refused else "",
                    decided_on=day,
                    meeting=meeting,
                )
            )
    decisions = Decision.objects.bulk_create(decisions, batch_size=BATCH)
    links: list[Influence] = []
    answers: list[InfluenceAnswer] = []
    for decision in decisions:
        assert decision.meeting_id is not None  # noqa: S101  # every seeded decision has one
        for item in rng.sample(by_meeting[decision.meeting_id], 2):
            links.append(
                Influence(
                    decision=decision,
                    input=item,
                    level=InfluenceLevel.SHAPED,
                    rationale="It changed the plan.",
                )
            )
            said = rng.random()
            if said < 0.6:
                answers.append(
                    InfluenceAnswer(decision=decision, input=item, answer=AnswerChoice.YES)
                )
            elif said < 0.75:
                answers.append(
                    InfluenceAnswer(
                        decision=decision,
                        input=item,
                        answer=AnswerChoice.NOT_QUITE,
                        comment="I meant something a little different.",
                    )
                )
            elif said < 0.8:
                answers.append(
                    InfluenceAnswer(
                        decision=decision, input=item, answer=AnswerChoice.RATHER_NOT_SAY
                    )
                )
    Influence.objects.bulk_create(links, batch_size=BATCH)
    InfluenceAnswer.objects.bulk_create(answers, batch_size=BATCH)

    recommendations = []
    for index, meeting in enumerate(held[::2]):  # about six a year
        adopted = meeting.starts_at.astimezone(zone).date()
        answered = index % 6 != 5
        recommendations.append(
            Recommendation(
                organization=organization,
                text="Pay for childcare at every meeting.",
                area=AREAS[index % len(AREAS)],
                meeting=meeting,
                adopted_on=adopted,
                due_on=adopted + timedelta(days=30),
                response=RecommendationResponse.ACCEPTED if answered else "",
                response_reason="We can do this." if answered else "",
                responded_at=(
                    datetime.combine(adopted + timedelta(days=10 + index % 20), clock(12), zone)
                    if answered
                    else None
                ),
            )
        )
    Recommendation.objects.bulk_create(recommendations, batch_size=BATCH)

    # Pay: earned per attendance, paid in one batch a month about three weeks later.
    batches = PaymentBatch.objects.bulk_create(
        PaymentBatch(
            organization=organization,
            method=PaymentMethod.CHECK,
            status=PaymentBatch.Status.PAID,
            reference=f"Checks {meeting.pk}",
            paid_at=meeting.starts_at + timedelta(days=18 + rng.randrange(10)),
        )
        for meeting in held
    )
    batch_of = {meeting.pk: batch for meeting, batch in zip(held, batches, strict=True)}
    earned: list[LedgerEntry] = []
    paid_in: list[PaymentBatch] = []  # the batch of each earned entry, in the same order
    for row in attendance:
        if not row.attended or row.user is staff:
            continue
        earned.append(
            LedgerEntry(
                organization=organization,
                user=row.user,
                kind=EntryKind.EARNED,
                source=EntrySource.MEETING,
                reason=EntryReason.ATTENDED,
                amount=(row.hours * RATE).quantize(Decimal("0.01")),
                currency="USD",
                hours=row.hours,
                work_date=row.meeting.starts_at.astimezone(zone).date(),
                rate=rate,
                attendance=row,
                attendance_version=1,
                meeting=row.meeting,
            )
        )
        paid_in.append(batch_of[row.meeting.pk])
    earned = LedgerEntry.objects.bulk_create(earned, batch_size=BATCH)
    BatchItem.objects.bulk_create(
        (BatchItem(batch=batch, entry=entry) for entry, batch in zip(earned, paid_in, strict=True)),
        batch_size=BATCH,
    )
    owed: dict[tuple[PaymentBatch, int], Decimal] = defaultdict(Decimal)
    for entry, batch in zip(earned, paid_in, strict=True):
        owed[(batch, entry.user_id)] += entry.amount
    LedgerEntry.objects.bulk_create(
        (
            LedgerEntry(
                organization=organization,
                user_id=user_id,
                kind=EntryKind.PAYMENT,
                source=EntrySource.PAYMENT,
                reason=EntryReason.BATCH_PAID,
                amount=-amount,
                currency="USD",
                work_date=_local_day(batch.paid_at, zone),
                batch=batch,
            )
            for (batch, user_id), amount in owed.items()
        ),
        batch_size=BATCH,
    )
    return organization


def _local_day(moment: datetime | None, zone: ZoneInfo) -> date:
    assert moment is not None  # noqa: S101  # seeded batches are all paid
    return moment.astimezone(zone).date()


# --- hand-written SQL for the heaviest measures (PostgreSQL) -----------------------------

SQL: dict[str, str] = {
    "_links": """
        SELECT EXTRACT(QUARTER FROM d.decided_on)::int, d.area, a.answer, i.author_id, COUNT(*)
        FROM advisory_influence l
        JOIN advisory_decision d ON d.id = l.decision_id
        JOIN meetings_input i ON i.id = l.input_id
        JOIN meetings_meeting m ON m.id = i.meeting_id
        LEFT JOIN advisory_influenceanswer a
               ON a.decision_id = l.decision_id AND a.input_id = l.input_id
        WHERE d.organization_id = %(org)s AND m.organization_id = %(org)s
          AND i.status = 'confirmed' AND i.author_id = ANY(%(counted)s)
          AND d.decided_on >= %(first)s AND d.decided_on < %(after)s AND NOT EXISTS (
                SELECT 1 FROM advisory_influence s WHERE s.supersedes_id = l.id)
        GROUP BY 1, 2, 3, 4
    """,
    "_decisions": """
        SELECT EXTRACT(QUARTER FROM d.decided_on)::int, d.area, COUNT(*),
               COUNT(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM advisory_influence l
                   JOIN meetings_input i ON i.id = l.input_id
                   JOIN meetings_meeting m ON m.id = i.meeting_id
                   WHERE l.decision_id = d.id AND i.status = 'confirmed'
                     AND m.organization_id = %(org)s AND i.author_id = ANY(%(counted)s)
                     AND NOT EXISTS (
                SELECT 1 FROM advisory_influence s WHERE s.supersedes_id = l.id))),
               COUNT(*) FILTER (WHERE d.status IN ('not_adopted', 'partly_adopted')
                                  AND d.reason <> '')
        FROM advisory_decision d
        WHERE d.organization_id = %(org)s
          AND d.decided_on >= %(first)s AND d.decided_on < %(after)s
        GROUP BY 1, 2
    """,
    "_inputs": """
        SELECT EXTRACT(QUARTER FROM m.starts_at AT TIME ZONE %(zone)s)::int, i.author_id,
               COUNT(*),
               COUNT(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM advisory_influence l
                   JOIN advisory_decision d ON d.id = l.decision_id
                   WHERE l.input_id = i.id AND d.organization_id = %(org)s AND NOT EXISTS (
                SELECT 1 FROM advisory_influence s WHERE s.supersedes_id = l.id)))
        FROM meetings_input i JOIN meetings_meeting m ON m.id = i.meeting_id
        WHERE m.organization_id = %(org)s AND i.status = 'confirmed'
          AND i.author_id = ANY(%(counted)s)
          AND m.starts_at >= %(start)s AND m.starts_at < %(end)s
        GROUP BY 1, 2
    """,
    "_attendance": """
        SELECT EXTRACT(QUARTER FROM m.starts_at AT TIME ZONE %(zone)s)::int, a.user_id,
               SUM(a.hours)
        FROM meetings_attendance a JOIN meetings_meeting m ON m.id = a.meeting_id
        WHERE m.organization_id = %(org)s AND m.status = 'scheduled' AND a.attended
          AND a.user_id = ANY(%(counted)s)
          AND m.starts_at >= %(start)s AND m.starts_at < %(end)s
        GROUP BY 1, 2
    """,
    "_led": """
        SELECT EXTRACT(QUARTER FROM m.starts_at AT TIME ZONE %(zone)s)::int,
               COUNT(DISTINCT a.meeting_id), ARRAY_AGG(DISTINCT a.user_id)
        FROM meetings_attendance a JOIN meetings_meeting m ON m.id = a.meeting_id
        WHERE m.organization_id = %(org)s AND m.status = 'scheduled' AND a.attended
          AND a.user_id = ANY(%(counted)s) AND a.meeting_role IN ('chair', 'facilitator')
          AND m.starts_at >= %(start)s AND m.starts_at < %(end)s
        GROUP BY 1
    """,
    "_paid": """
        SELECT EXTRACT(QUARTER FROM e.work_date)::int, e.user_id, -SUM(e.amount)
        FROM compensation_ledgerentry e
        WHERE e.organization_id = %(org)s AND e.kind = 'payment'
          AND e.user_id = ANY(%(counted)s)
          AND e.work_date >= %(first)s AND e.work_date < %(after)s
        GROUP BY 1, 2 HAVING -SUM(e.amount) > 0
    """,
    "_days_to_payment": """
        SELECT EXTRACT(QUARTER FROM b.paid_at AT TIME ZONE %(zone)s)::int, e.user_id,
               GREATEST((b.paid_at AT TIME ZONE %(zone)s)::date - e.work_date, 0)
        FROM compensation_ledgerentry e
        JOIN compensation_batchitem bi ON bi.entry_id = e.id
        JOIN compensation_paymentbatch b ON b.id = bi.batch_id
        WHERE e.organization_id = %(org)s AND e.kind = 'earned'
          AND e.user_id = ANY(%(counted)s) AND b.status = 'paid'
          AND b.paid_at >= %(start)s AND b.paid_at < %(end)s
    """,
}


def _normal_orm(name: str, result: Any) -> Counter[tuple[Any, ...]]:
    """The ORM query's result as a multiset of plain rows, to compare with SQL's."""
    rows: list[tuple[Any, ...]] = []
    if name in {"_links", "_decisions", "_inputs"}:
        rows = [tuple(row) for row in result]
    elif name in {"_attendance", "_paid"}:
        rows = [(q, user, total) for q, people in result.items() for user, total in people.items()]
    elif name == "_led":
        counts, leaders = result
        rows = [(q, counts[q], tuple(sorted(leaders[q]))) for q in counts]
    elif name == "_days_to_payment":
        rows = [(q, user, days) for q, pairs in result.items() for user, days in pairs]
    return Counter(rows)


def _normal_sql(name: str, rows: Iterable[tuple[Any, ...]]) -> Counter[tuple[Any, ...]]:
    if name == "_led":
        return Counter((q, n, tuple(sorted(people))) for q, n, people in rows)
    return Counter(tuple(row) for row in rows)


def run_sql(name: str, span: Any) -> list[tuple[Any, ...]]:
    params = {
        "org": span.organization.pk,
        "counted": sorted(span.counted),
        "zone": span.zone.key,
        "start": span.start,
        "end": span.end,
        "first": date(span.year, 1, 1),
        "after": date(span.year + 1, 1, 1),
    }
    with connection.cursor() as cursor:
        cursor.execute(SQL[name], params)
        return list(cursor.fetchall())


# --- measuring ---------------------------------------------------------------------------

QUERIES: tuple[str, ...] = (
    "_board_by_quarter",
    "_meetings_held",
    "_attendance",
    "_led",
    "_agenda_items",
    "_decisions",
    "_links",
    "_recommendations",
    "_inputs",
    "_parity",
    "_paid",
    "_days_to_payment",
)


def timed(call: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call(*args)
    return time.perf_counter() - started, result


def spans(organizations: list[Organization], year: int) -> list[Any]:
    return [
        compute._Year(
            organization=organization,
            year=year,
            zone=ZoneInfo(organization.time_zone),
            counted=frozenset(counted_survivor_ids(organization)),
        )
        for organization in organizations
    ]


def generate_all(organizations: list[Organization], year: int) -> None:
    """One year report per organization through the task body, then published."""
    reports = ImpactReport.objects.bulk_create(
        ImpactReport(organization=organization, year=year, quarter=0)
        for organization in organizations
    )
    versions = ReportVersion.objects.bulk_create(
        ReportVersion(
            report=report, number=1, status=VersionStatus.GENERATING, reason=VersionReason.FIRST
        )
        for report in reports
    )
    seconds: list[float] = []
    queries: list[int] = []
    for version in versions[:GENERATED]:
        reset_queries()  # the query log keeps 9,000 at most: count each from empty
        with CaptureQueriesContext(connection) as captured:
            took, status = timed(generate_version, version.pk)
        assert status == VersionStatus.DRAFT, status  # noqa: S101  # a benchmark's own check
        seconds.append(took)
        queries.append(len(captured))
    # Also through the engine alone: compute + protect + snapshot, without the notices.
    organization = organizations[0]
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        engine, _snapshot = timed(
            lambda: compute.build_snapshot(
                organization,
                year=year,
                quarter=0,
                counted_ids=counted_survivor_ids(organization),
                published={},
                k=5,
                currency="USD",
                quotes=[],
            )
        )
    say(
        f"one organization-year report (generate_version: compute, protect, store, tell the "
        f"board): first {seconds[0] * 1000:.0f} ms, median {statistics.median(seconds) * 1000:.0f}"
        f" ms, slowest {max(seconds) * 1000:.0f} ms over {len(seconds)} organizations"
    )
    say(
        f"    queries per generation: {sorted(set(queries))} (the same for every organization; "
        f"of them, compute + protect + snapshot alone: {len(captured)} queries, "
        f"{engine * 1000:.0f} ms)"
    )
    draft = ReportVersion.objects.get(pk=versions[0].pk)
    shown = sum(
        1
        for measure in draft.snapshot["measures"]
        for cell in measure["cells"].values()
        if cell["shown"]
    )
    say(f"    first snapshot: {shown} figures shown, {draft.snapshot['hidden']} hidden")
    if len(versions) > GENERATED:
        made = list(
            ReportVersion.objects.filter(pk__in=[v.pk for v in versions[:GENERATED]]).values_list(
                "snapshot", flat=True
            )
        )
        for index, version in enumerate(versions[GENERATED:]):
            version.snapshot = made[index % len(made)]
            version.status = VersionStatus.DRAFT
        ReportVersion.objects.bulk_update(
            versions[GENERATED:], ["snapshot", "status"], batch_size=500
        )
        say(
            f"    the other {len(versions) - GENERATED} organizations publish copies of these "
            f"{len(made)} snapshots"
        )
    ReportVersion.objects.filter(pk__in=[v.pk for v in versions]).update(
        status=VersionStatus.PUBLISHED, published_at=timezone.now()
    )


def time_queries(organizations: list[Organization], year: int) -> None:
    sample = spans(organizations[:SAMPLE], year)
    totals: dict[str, float] = {}
    for name in QUERIES:
        function = getattr(compute, name)
        totals[name] = sum(timed(function, span)[0] for span in sample)
    say(f"each query of compute_figures, mean over {len(sample)} organizations:")
    for name in sorted(QUERIES, key=lambda n: -totals[n]):
        say(f"    {name:<20} {totals[name] / len(sample) * 1000:7.1f} ms")
    heaviest = sorted(QUERIES, key=lambda n: -totals[n])[:2]
    if connection.vendor != "postgresql":
        say("hand-written SQL for comparison: PostgreSQL only (give DATABASE_URL)")
        return
    for name in heaviest:
        if name not in SQL:
            say(f"    {name}: no hand-written SQL to compare with")
            continue
        function = getattr(compute, name)
        orm_time = sql_time = 0.0
        for span in sample:
            took, result = timed(function, span)
            orm_time += took
            took_sql, rows = timed(run_sql, name, span)
            sql_time += took_sql
            if _normal_orm(name, result) != _normal_sql(name, rows):
                raise SystemExit(f"{name}: the hand-written SQL gives other figures")
        say(
            f"heavy measure {name}: ORM {orm_time / len(sample) * 1000:.1f} ms, hand-written "
            f"SQL {sql_time / len(sample) * 1000:.1f} ms per organization; same figures"
        )


def time_portfolio(organizations: list[Organization], year: int) -> None:
    funder = User.objects.create(email="funder@bench.test")
    FunderAccess.objects.bulk_create(
        FunderAccess(user=funder, organization=organization) for organization in organizations
    )
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        took, result = timed(portfolio, funder, year)
    assert result.reporting == len(organizations), result.reporting  # noqa: S101
    say(
        f"portfolio over {result.reporting} published year reports "
        f"(reports.selectors.report_funder.portfolio): {took * 1000:.0f} ms, "
        f"{len(captured)} queries, {len(result.rows)} rows"
    )


def main() -> None:
    count = int(os.environ.get("ORGS", "50"))
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        year = report_year()
        say(f"Database: {connection.vendor}; {count} organizations; report year {year}")
        started = time.perf_counter()
        organizations = [seed_organization(number, year) for number in range(count)]
        rows = (
            Attendance.objects.count()
            + AgendaItem.objects.count()
            + Input.objects.count()
            + Decision.objects.count()
            + Influence.objects.count()
            + InfluenceAnswer.objects.count()
            + LedgerEntry.objects.count()
            + BatchItem.objects.count()
        )
        say(f"seeded {rows:,} rows in {time.perf_counter() - started:.0f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        time_queries(organizations, year)
        generate_all(organizations, year)
        time_portfolio(organizations, year)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
