"""The advisory half of the demo, on top of the demo meetings: decisions across areas and
statuses with their timelines, links from the board's confirmed input with each kind of
answer, a link a member proposed and staff accepted, one proposal waiting, and two
recommendations — one answered with a linked decision, one overdue.

Rows are written directly with past dates (the services only ever act "now"). Written
once: if the organization has decisions, nothing is added.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Organization, Role, User
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
from meetings.models import Input, InputStatus, Meeting

# (title, area, status, reason, description)
DECISIONS = (
    (
        "Flyer rewritten in plain language",
        DecisionArea.COMMUNICATIONS,
        DecisionStatus.IMPLEMENTED,
        "",
        "The program flyer now uses short sentences and a larger font.",
    ),
    (
        "Evening office hours on Thursdays",
        DecisionArea.SERVICES,
        DecisionStatus.ADOPTED,
        "",
        "The drop-in office stays open until 8 pm on Thursdays.",
    ),
    (
        "Peer mentors paid for training time",
        DecisionArea.BUDGET,
        DecisionStatus.PARTLY_ADOPTED,
        "This year's budget covers training days, not travel; travel is planned for next year.",
        "Training days for peer mentors are paid at the board rate.",
    ),
    (
        "A second intake form for walk-ins",
        DecisionArea.INTAKE,
        DecisionStatus.NOT_ADOPTED,
        "The board said one shorter form is better than two; the existing form was shortened.",
        "A separate, shorter form for people who walk in.",
    ),
    (
        "Board member on the hiring panel for the new coordinator",
        DecisionArea.HIRING,
        DecisionStatus.UNDER_CONSIDERATION,
        "",
        "One board member joins the panel, paid, if they choose to.",
    ),
)
RATIONALES = (
    "The board asked for shorter sentences and a bigger font; the new flyer does both.",
    "Members said evenings are the only time many people can come.",
    "The board's point that training is work shaped what the budget now pays for.",
)
ANSWERS = (
    (AnswerChoice.YES, ""),
    (AnswerChoice.NOT_QUITE, "I meant weekday evenings in general, not only Thursdays."),
    (AnswerChoice.RATHER_NOT_SAY, ""),
)


def seed_advisory(organization: Organization) -> int:
    """Write the demo's decisions once; returns how many decisions were added."""
    if Decision.objects.filter(organization=organization).exists():
        return 0
    staff = (
        User.objects.filter(memberships__organization=organization, memberships__role=Role.STAFF)
        .order_by("pk")
        .first()
    )
    inputs = list(
        Input.objects.filter(meeting__organization=organization, status=InputStatus.CONFIRMED)
        .select_related("meeting")
        .order_by("meeting__starts_at", "id")
    )
    meetings = list(
        Meeting.objects.filter(organization=organization, starts_at__lt=timezone.now()).order_by(
            "starts_at"
        )
    )
    if staff is None or len(inputs) < 4 or len(meetings) < 3:
        return 0
    with transaction.atomic():
        decisions = _decisions(organization, staff, meetings)
        _links(decisions, inputs, staff)
        _recommendations(organization, decisions, meetings, inputs)
    return len(decisions)


def _decisions(organization: Organization, staff: User, meetings: list[Meeting]) -> list[Decision]:
    decisions = []
    for index, (title, area, status, reason, description) in enumerate(DECISIONS):
        meeting = meetings[min(index + 1, len(meetings) - 1)]
        on = meeting.starts_at.date() + datetime.timedelta(days=14)
        decision = Decision.objects.create(
            organization=organization,
            title=title,
            description=description,
            area=area,
            status=status,
            reason=reason,
            decided_on=min(on, timezone.localdate()),
            meeting=meeting,
            created_by=staff,
            created_at=meeting.starts_at + datetime.timedelta(days=14),
        )
        first = DecisionStatus.UNDER_CONSIDERATION
        DecisionStatusChange.objects.create(
            decision=decision, status=first, actor_id=staff.pk, created_at=decision.created_at
        )
        if status != first:
            DecisionStatusChange.objects.create(
                decision=decision,
                status=status,
                reason=reason,
                actor_id=staff.pk,
                created_at=decision.created_at + datetime.timedelta(days=7),
            )
        decisions.append(decision)
    return decisions


def _links(decisions: list[Decision], inputs: list[Input], staff: User) -> None:
    levels = (InfluenceLevel.DECISIVE, InfluenceLevel.SHAPED, InfluenceLevel.INFORMED)
    for index, (decision, rationale) in enumerate(zip(decisions, RATIONALES, strict=False)):
        said = inputs[index]
        Influence.objects.create(
            decision=decision,
            input=said,
            level=levels[index],
            rationale=rationale,
            actor_id=staff.pk,
            created_at=decision.created_at,
        )
        answer, comment = ANSWERS[index]
        InfluenceAnswer.objects.create(
            decision=decision, input=said, answer=answer, comment=comment
        )
    # A member proposed that their input shaped the plain-language flyer; staff agreed.
    proposed = inputs[3]
    link = Influence.objects.create(
        decision=decisions[0],
        input=proposed,
        level=InfluenceLevel.SHAPED,
        rationale="The suggestion to test the flyer with members before printing was followed.",
        origin=InfluenceOrigin.PROPOSAL,
        actor_id=staff.pk,
    )
    InfluenceProposal.objects.create(
        decision=decisions[0],
        input=proposed,
        note="I suggested testing it with members first.",
        status=ProposalStatus.ACCEPTED,
        answer="Yes — we did that, thank you.",
        answered_by=staff,
        answered_at=timezone.now(),
        influence=link,
    )
    if len(inputs) > 4:
        InfluenceProposal.objects.create(
            decision=decisions[1],
            input=inputs[4],
            note="This was part of what I said about evening hours.",
        )


def _recommendations(
    organization: Organization,
    decisions: list[Decision],
    meetings: list[Meeting],
    inputs: list[Input],
) -> None:
    today = timezone.localdate()
    answered = Recommendation.objects.create(
        organization=organization,
        text="Open the office at least one evening a week.",
        area=DecisionArea.SERVICES,
        meeting=meetings[0],
        adopted_on=today - datetime.timedelta(days=120),
        adopted_by=inputs[0].author,
        due_on=today - datetime.timedelta(days=90),
        response=RecommendationResponse.ACCEPTED,
        response_reason="Staff agreed; Thursday evenings start next month.",
        responded_at=timezone.now() - datetime.timedelta(days=100),
    )
    answered.decisions.add(decisions[1])
    Recommendation.objects.create(
        organization=organization,
        text="Pay board members for time spent reading papers before each meeting.",
        area=DecisionArea.BUDGET,
        meeting=meetings[-3],
        adopted_on=max(today - datetime.timedelta(days=40), meetings[-3].starts_at.date()),
        adopted_by=inputs[1].author,
        due_on=today - datetime.timedelta(days=10),
    )
