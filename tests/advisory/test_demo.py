"""The demo's decisions: across areas and statuses, links with each kind of answer, a
proposed link, recommendations (one answered, one overdue), feedback with an answer and two
"What we changed" entries — written once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from advisory.models import (
    AnswerChoice,
    Decision,
    DecisionStatusChange,
    Feedback,
    Influence,
    InfluenceAnswer,
    InfluenceOrigin,
    InfluenceProposal,
    ProgramChange,
    Recommendation,
)
from advisory.selectors.links import current_links

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo_meetings", stdout=StringIO())
    out = StringIO()
    call_command("seed_demo_advisory", stdout=out)
    return out.getvalue()


def test_the_demo_has_every_kind_of_outcome(seeded):
    assert "Added" in seeded
    decisions = Decision.objects.all()
    assert len({d.status for d in decisions}) == 5
    assert len({d.area for d in decisions}) == 5
    assert DecisionStatusChange.objects.count() >= decisions.count()
    organization = decisions[0].organization
    assert current_links(organization).count() == 4
    assert set(InfluenceAnswer.objects.values_list("answer", flat=True)) == set(AnswerChoice.values)
    assert current_links(organization).filter(origin=InfluenceOrigin.PROPOSAL).exists()
    assert InfluenceProposal.objects.filter(status="waiting").count() == 1
    today = timezone.localdate()
    assert Recommendation.objects.exclude(response="").count() == 1
    assert Recommendation.objects.filter(response="", due_on__lt=today).count() == 1


def test_the_demo_has_answered_feedback_and_two_changes(seeded):
    feedback = Feedback.objects.get()
    assert feedback.anonymous
    assert feedback.answer
    assert ProgramChange.objects.count() == 2
    assert ProgramChange.objects.filter(feedback=feedback).exists()


def test_running_it_again_adds_nothing(seeded):
    out = StringIO()
    call_command("seed_demo_advisory", stdout=out)
    assert "nothing was added" in out.getvalue()
    assert Decision.objects.count() == 5


def test_every_link_joins_a_decision_to_what_was_said_on_its_own_topic(settings):
    """The demo once linked feedback-box input to an evening group decision, and showed one
    recommendation twice: a funder reading it would not believe it."""
    settings.DEBUG = True
    for command in ("seed_demo", "seed_demo_meetings", "seed_demo_pay", "seed_demo_advisory"):
        call_command(command, stdout=StringIO())
    call_command("seed_demo_reports", stdout=StringIO())
    call_command("seed_demo_opportunities", stdout=StringIO())
    topic_words = {
        "Outreach materials": "flyer",
        "Meeting times": "thursday",
        "Peer mentoring pilot": "mentor",
        "Peer support group": "peer support",
        "Staff training": "training",
        "Feedback box": "feedback",
        "Welcome pack": "welcome pack",
    }
    links = Influence.objects.select_related("decision", "input__agenda_item")
    assert links.count() >= 10
    for link in links:
        assert link.input.agenda_item is not None
        topic = link.input.agenda_item.title
        assert topic_words[topic] in link.decision.title.lower(), (topic, link.decision.title)
        assert link.input.meeting.starts_at < link.created_at
    texts = list(Recommendation.objects.values_list("text", flat=True))
    assert len(texts) == len(set(texts))
    for change in ProgramChange.objects.prefetch_related("inputs__agenda_item"):
        for said in change.inputs.all():
            assert said.agenda_item is not None
            assert said.agenda_item.title == "Language access", change.title
