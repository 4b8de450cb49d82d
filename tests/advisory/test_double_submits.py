"""A form sent twice logs one decision and records one recommendation; far-off dates are
refused with nothing written."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from advisory.models import Decision, DecisionArea, DecisionStatus, Recommendation
from advisory.services.decisions import log_decision
from advisory.services.recommendations import RecommendationTerms, record_recommendation
from tests.meetings.factories import board_member

pytestmark = pytest.mark.django_db


def _log(personas, **changes):
    values = {
        "organization": personas.harbor,
        "by": personas.sam,
        "title": "Evening hours",
        "description": "",
        "area": DecisionArea.SERVICES,
        "status": DecisionStatus.ADOPTED,
        "reason": "",
        "decided_on": timezone.localdate(),
    }
    return log_decision(**(values | changes))


def test_a_decision_sent_twice_is_logged_once(personas):
    _log(personas)
    with pytest.raises(ValidationError, match="just logged"):
        _log(personas)
    assert Decision.objects.count() == 1


@pytest.mark.parametrize("days", [-6 * 366, 2 * 366])
def test_a_decision_dated_far_away_is_refused(personas, days):
    with pytest.raises(ValidationError):
        _log(personas, decided_on=timezone.localdate() + datetime.timedelta(days=days))
    assert not Decision.objects.exists()


def test_a_recommendation_sent_twice_is_recorded_once(personas):
    board_member(personas.ash, personas.harbor)
    terms = RecommendationTerms(
        text="Open one evening a week.",
        area=DecisionArea.SERVICES,
        meeting_id=None,
        adopted_on=timezone.localdate(),
    )
    record_recommendation(organization=personas.harbor, by=personas.ash, terms=terms)
    with pytest.raises(ValidationError, match="just recorded"):
        record_recommendation(organization=personas.harbor, by=personas.ash, terms=terms)
    assert Recommendation.objects.count() == 1


def test_staff_hear_that_a_member_proposed_a_link_without_any_content(personas):
    from accounts.models import OutboxMessage
    from advisory.services.influence import propose_link
    from tests.advisory.factories import DecisionFactory, confirmed_input

    decision = DecisionFactory.create(organization=personas.harbor)
    said = confirmed_input(personas.ash, personas.harbor)
    propose_link(decision=decision, input=said, by=personas.ash, note="It was my idea.")
    told = OutboxMessage.objects.filter(kind="link_proposed")
    assert set(told.values_list("recipient__email", flat=True)) == {
        "sam@example.test",
        "ada@example.test",
    }
