"""The feedback half of the demo: feedback with an answer, and two "What we changed"
entries — through the real services, so the outbox notices and the audit events are the
real ones. Written once; `seed_demo_advisory` calls it after the decisions."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Organization, Role, User
from accounts.selectors.roles import board_voters
from advisory.models import Feedback
from advisory.services.feedback import (
    ChangeTerms,
    FeedbackTerms,
    answer_feedback,
    record_program_change,
    send_feedback,
)
from meetings.models import Input, InputStatus


def seed_feedback(organization: Organization) -> int:
    """Write the demo's feedback and changes once; returns how many messages were added."""
    if Feedback.objects.filter(organization=organization).exists():
        return 0
    with transaction.atomic():
        return _seed(organization)


def _seed(organization: Organization) -> int:
    staff = (
        User.objects.filter(memberships__organization=organization, memberships__role=Role.STAFF)
        .order_by("pk")
        .first()
    )
    members = list(board_voters(organization))
    if staff is None or len(members) < 3:
        return 0
    heard = send_feedback(
        organization=organization,
        author=members[2],
        terms=FeedbackTerms(
            body="The reminder messages come too late in the day to plan around work.",
            anonymous=True,
            board_may_read=True,
        ),
    )
    answer_feedback(
        feedback=heard,
        by=staff,
        answer="Thank you. Reminders now go out two days before, in the morning.",
    )
    record_program_change(
        organization=organization,
        by=staff,
        terms=ChangeTerms(
            title="Meeting reminders go out two days before, in the morning",
            description="Because members said the old reminders came too late to plan.",
            changed_on=timezone.localdate(),
            feedback_ids=(heard.pk,),
        ),
    )
    record_program_change(
        organization=organization,
        by=staff,
        terms=ChangeTerms(
            title="The flyer now comes in Spanish and Arabic",
            description="Because a member said it would reach more people in our area.",
            changed_on=timezone.localdate() - datetime.timedelta(days=20),
            # Linked to what was said on that very topic, never to whatever came last.
            input_ids=tuple(
                Input.objects.filter(
                    meeting__organization=organization,
                    status=InputStatus.CONFIRMED,
                    agenda_item__title="Language access",
                )
                .order_by("-created_at")
                .values_list("pk", flat=True)[:1]
            ),
        ),
    )
    return Feedback.objects.filter(organization=organization).count()
