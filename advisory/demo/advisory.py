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
        "Board meetings move to Thursday evenings",
        DecisionArea.POLICY,
        DecisionStatus.ADOPTED,
        "",
        "From next month the board meets on Thursday evenings instead of Tuesdays.",
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
# Each decision is linked to what a member said on its own agenda topic:
# (the topic, how it shaped the decision, the member's answer to "Is this what you said?").
LINKS = (
    (
        "Outreach materials",
        "The board asked for shorter sentences and a bigger font; the new flyer does both.",
        (AnswerChoice.YES, ""),
    ),
    (
        "Meeting times",
        "Tuesdays clashed with classes for some members, so meetings moved to Thursdays.",
        (AnswerChoice.NOT_QUITE, "I meant any evening but Tuesday, not only Thursdays."),
    ),
    (
        "Peer mentoring pilot",
        "The board's point that mentors should be paid like board members shaped the budget.",
        (AnswerChoice.RATHER_NOT_SAY, ""),
    ),
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
        .select_related("meeting", "agenda_item")
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
        decisions = _decisions(organization, staff, meetings, inputs)
        _links(decisions, inputs, staff)
        _recommendations(organization, decisions, meetings, inputs)
    return len(decisions)


def _decisions(
    organization: Organization, staff: User, meetings: list[Meeting], inputs: list[Input]
) -> list[Decision]:
    decisions = []
    for index, (title, area, status, reason, description) in enumerate(DECISIONS):
        meeting = _meeting_of_decision(index, meetings, inputs)
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
            created_at=min(meeting.starts_at + datetime.timedelta(days=14), timezone.now()),
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


def _meeting_of_decision(index: int, meetings: list[Meeting], inputs: list[Input]) -> Meeting:
    """A decision linked to what was said is taken after the meeting where it was said."""
    if index < len(LINKS):
        said = _on_topic(inputs, LINKS[index][0])
        if said:
            return said[0].meeting
    return meetings[min(index + 1, len(meetings) - 1)]


def _on_topic(inputs: list[Input], topic: str) -> list[Input]:
    return [said for said in inputs if said.agenda_item and said.agenda_item.title == topic]


def _links(decisions: list[Decision], inputs: list[Input], staff: User) -> None:
    levels = (InfluenceLevel.DECISIVE, InfluenceLevel.SHAPED, InfluenceLevel.INFORMED)
    for decision, level, (topic, rationale, (answer, comment)) in zip(
        decisions, levels, LINKS, strict=False
    ):
        on_topic = _on_topic(inputs, topic)
        if not on_topic:
            continue
        said = on_topic[0]
        Influence.objects.create(
            decision=decision,
            input=said,
            level=level,
            rationale=rationale,
            actor_id=staff.pk,
            created_at=decision.created_at,
        )
        InfluenceAnswer.objects.create(
            decision=decision, input=said, answer=answer, comment=comment
        )
    # A member who said the same about the flyer at a later meeting proposed that their
    # words shaped it too; staff agreed.
    later = _on_topic(inputs, "Outreach materials")[1:]
    if later:
        link = Influence.objects.create(
            decision=decisions[0],
            input=later[0],
            level=InfluenceLevel.SHAPED,
            rationale="The flyer was tested with members before printing, as suggested.",
            origin=InfluenceOrigin.PROPOSAL,
            actor_id=staff.pk,
        )
        InfluenceProposal.objects.create(
            decision=decisions[0],
            input=later[0],
            note="I said the same about the font, and asked to test it with members first.",
            status=ProposalStatus.ACCEPTED,
            answer="Yes — we did that, thank you.",
            answered_by=staff,
            answered_at=timezone.now(),
            influence=link,
        )
    # One proposal waits for staff: transport help, part of paying for peer mentors' time.
    budget = _on_topic(inputs, "Budget priorities")
    if budget:
        InfluenceProposal.objects.create(
            decision=decisions[2],
            input=budget[0],
            note="Help with travel is part of what I said should stay in the budget.",
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
        text="Hold board meetings on an evening that does not clash with classes.",
        area=DecisionArea.POLICY,
        meeting=meetings[0],
        adopted_on=today - datetime.timedelta(days=120),
        adopted_by=inputs[0].author,
        due_on=today - datetime.timedelta(days=90),
        response=RecommendationResponse.ACCEPTED,
        response_reason="Staff agreed; board meetings move to Thursday evenings.",
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
