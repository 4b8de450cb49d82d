"""Recording the board's recommendations and answering them: who may, what is refused with
nothing written, the due date, and who is told (through the outbox, by kind only)."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AssignmentStatus, AuditEvent, OutboxMessage, RoleAssignment
from advisory.models import AdvisorySettings, DecisionArea, Recommendation, RecommendationResponse
from advisory.services.recommendations import (
    RECOMMENDATION_ADOPTED,
    RECOMMENDATION_ANSWERED,
    AnswerTerms,
    RecommendationTerms,
    answer_recommendation,
    record_recommendation,
    save_advisory_settings,
)
from compensation.selectors.ledger import organization_today
from meetings.models import MeetingStatus
from tests.advisory.factories import DecisionFactory
from tests.meetings.factories import MeetingFactory, board_member
from tests.support.advisory import TEXT, a_recommendation, past_meeting

pytestmark = pytest.mark.django_db


def terms(organization, **changes) -> RecommendationTerms:
    base = RecommendationTerms(
        text=TEXT, area=DecisionArea.BUDGET, adopted_on=organization_today(organization)
    )
    return dataclasses.replace(base, **changes)


def recommend(personas, **changes) -> Recommendation:
    board_member(personas.ash, personas.harbor)
    return record_recommendation(
        organization=personas.harbor, by=personas.ash, terms=terms(personas.harbor, **changes)
    )


def kinds_for(user) -> list[str]:
    return list(OutboxMessage.objects.filter(recipient=user).values_list("kind", flat=True))


# --- recording ---------------------------------------------------------------------------


def test_a_board_member_records_a_recommendation_due_in_30_days_by_default(personas):
    recommendation = recommend(personas)
    assert recommendation.due_on == recommendation.adopted_on + datetime.timedelta(days=30)
    assert recommendation.text == TEXT
    assert recommendation.adopted_by == personas.ash
    # The defaults were read, not written.
    assert not AdvisorySettings.objects.exists()
    assert AuditEvent.objects.filter(
        action="recommendation.recorded", target_id=recommendation.pk
    ).exists()


def test_the_due_date_follows_the_organizations_setting(personas):
    AdvisorySettings.objects.create(organization=personas.harbor, recommendation_answer_days=14)
    adopted_on = organization_today(personas.harbor) - datetime.timedelta(days=3)
    recommendation = recommend(personas, adopted_on=adopted_on)
    assert recommendation.due_on == adopted_on + datetime.timedelta(days=14)


def test_it_can_name_a_past_meeting_of_the_organization(personas):
    meeting = past_meeting(personas.harbor)
    assert recommend(personas, meeting_id=meeting.pk).meeting == meeting


@pytest.mark.parametrize(
    "meeting",
    [
        lambda p: MeetingFactory.create(organization=p.harbor),  # not yet held
        lambda p: past_meeting(p.harbor, status=MeetingStatus.CANCELLED),
        lambda p: past_meeting(p.second),
    ],
    ids=["future", "cancelled", "another-organization"],
)
def test_only_a_past_meeting_of_this_organization_can_be_named(personas, meeting):
    with pytest.raises(ValidationError) as raised:
        recommend(personas, meeting_id=meeting(personas).pk)
    assert "meeting" in raised.value.message_dict
    assert not Recommendation.objects.exists()


def test_it_cannot_be_adopted_before_the_meeting_it_came_from(personas):
    meeting = past_meeting(personas.harbor)
    before = organization_today(personas.harbor) - datetime.timedelta(days=10)
    with pytest.raises(ValidationError) as raised:
        recommend(personas, meeting_id=meeting.pk, adopted_on=before)
    assert "adopted_on" in raised.value.message_dict
    assert not Recommendation.objects.exists()


def test_a_recommendation_cannot_be_adopted_in_the_future(personas):
    tomorrow = organization_today(personas.harbor) + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as raised:
        recommend(personas, adopted_on=tomorrow)
    assert "adopted_on" in raised.value.message_dict
    assert not Recommendation.objects.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(("field", "value"), [("text", "   "), ("area", "weather")])
def test_text_and_area_are_needed(personas, field, value):
    with pytest.raises(ValidationError) as raised:
        recommend(personas, **{field: value})
    assert field in raised.value.message_dict
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize("who", ["river", "sam", "ada", "fin", "otto"])
def test_only_active_board_members_record_recommendations(personas, who):
    with pytest.raises(PermissionDenied):
        record_recommendation(
            organization=personas.harbor,
            by=getattr(personas, who),
            terms=terms(personas.harbor),
        )
    assert not Recommendation.objects.exists()


def test_a_paused_board_role_cannot_record(personas):
    board_member(personas.ash, personas.harbor)
    RoleAssignment.objects.filter(user=personas.ash).update(status=AssignmentStatus.PAUSED)
    with pytest.raises(PermissionDenied):
        record_recommendation(
            organization=personas.harbor, by=personas.ash, terms=terms(personas.harbor)
        )


def test_staff_and_admins_are_told_by_kind_only(personas):
    recommendation = recommend(personas)
    assert kinds_for(personas.sam) == [RECOMMENDATION_ADOPTED]
    assert kinds_for(personas.ada) == [RECOMMENDATION_ADOPTED]
    for nobody in (personas.ash, personas.river, personas.fin, personas.faye, personas.otto):
        assert kinds_for(nobody) == []
    # The message holds ids and a code: nothing of what the board said.
    for message in OutboxMessage.objects.values():
        assert TEXT not in str(message)
        assert str(recommendation.pk) != message["kind"]


# --- answering ---------------------------------------------------------------------------


def answer(personas, recommendation, *, by=None, **changes) -> Recommendation:
    values = {
        "response": RecommendationResponse.ACCEPTED_IN_PART,
        "reason": "We can pay for reading time from April.",
        "decision_ids": [],
    } | changes
    return answer_recommendation(
        recommendation=recommendation, by=by or personas.sam, terms=AnswerTerms(**values)
    )


def test_staff_answer_with_reasons_and_the_decisions_that_came_of_it(personas):
    recommendation = a_recommendation(personas.harbor)
    decision = DecisionFactory.create(organization=personas.harbor)
    answered = answer(personas, recommendation, decision_ids=[decision.pk])
    answered.refresh_from_db()
    assert answered.response == RecommendationResponse.ACCEPTED_IN_PART
    assert answered.response_reason == "We can pay for reading time from April."
    assert answered.responded_by == personas.sam
    assert list(answered.decisions.all()) == [decision]
    assert AuditEvent.objects.filter(
        action="recommendation.answered", target_id=recommendation.pk
    ).exists()


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_answering_needs_a_reason_and_writes_nothing_without_one(personas, reason):
    recommendation = a_recommendation(personas.harbor)
    with pytest.raises(ValidationError) as raised:
        answer(personas, recommendation, reason=reason)
    assert "reason" in raised.value.message_dict
    recommendation.refresh_from_db()
    assert recommendation.response == ""
    assert not OutboxMessage.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="recommendation.").exists()


def test_declining_needs_a_reason_too(personas):
    recommendation = a_recommendation(personas.harbor)
    with pytest.raises(ValidationError):
        answer(personas, recommendation, response=RecommendationResponse.DECLINED, reason="")


def test_an_answer_must_be_one_of_the_three(personas):
    with pytest.raises(ValidationError) as raised:
        answer(personas, a_recommendation(personas.harbor), response="maybe")
    assert "response" in raised.value.message_dict


def test_another_organizations_decision_cannot_be_linked(personas):
    recommendation = a_recommendation(personas.harbor)
    mine = DecisionFactory.create(organization=personas.harbor)
    theirs = DecisionFactory.create(organization=personas.second)
    with pytest.raises(ValidationError) as raised:
        answer(personas, recommendation, decision_ids=[mine.pk, theirs.pk])
    assert "decisions" in raised.value.message_dict
    recommendation.refresh_from_db()
    assert recommendation.response == ""
    assert not recommendation.decisions.exists()


def test_an_unknown_decision_id_is_refused(personas):
    with pytest.raises(ValidationError):
        answer(personas, a_recommendation(personas.harbor), decision_ids=[987_654])


@pytest.mark.parametrize("who", ["ash", "fin", "otto", "faye"])
def test_only_staff_and_admins_answer(personas, who):
    recommendation = a_recommendation(personas.harbor)
    with pytest.raises(PermissionDenied):
        answer(personas, recommendation, by=getattr(personas, who))


def test_an_admin_can_answer(personas):
    recommendation = a_recommendation(personas.harbor)
    assert answer(personas, recommendation, by=personas.ada).responded_by == personas.ada


def test_staff_may_change_their_answer(personas):
    recommendation = a_recommendation(personas.harbor)
    first, second = DecisionFactory.create_batch(2, organization=personas.harbor)
    answer(personas, recommendation, decision_ids=[first.pk])
    answer(
        personas,
        recommendation,
        response=RecommendationResponse.ACCEPTED,
        reason="We found the money after all.",
        decision_ids=[second.pk],
    )
    recommendation.refresh_from_db()
    assert recommendation.response == RecommendationResponse.ACCEPTED
    assert recommendation.response_reason == "We found the money after all."
    assert list(recommendation.decisions.all()) == [second]
    actions = list(
        AuditEvent.objects.filter(target_id=recommendation.pk, target_type="recommendation")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["recommendation.answered", "recommendation.answer_changed"]


def test_the_boards_active_members_are_told_by_kind_only(personas):
    board_member(personas.ash, personas.harbor)
    board_member(personas.river, personas.harbor)
    RoleAssignment.objects.filter(user=personas.river).update(status=AssignmentStatus.STEPPED_DOWN)
    board_member(personas.otto, personas.second)
    answer(personas, a_recommendation(personas.harbor))
    assert kinds_for(personas.ash) == [RECOMMENDATION_ANSWERED]
    for nobody in (personas.river, personas.otto, personas.sam, personas.ada, personas.fin):
        assert kinds_for(nobody) == []
    for message in OutboxMessage.objects.values():
        assert "reading time" not in str(message)


# --- settings ----------------------------------------------------------------------------


def test_settings_are_created_on_the_first_save_and_changed_after(personas):
    first = save_advisory_settings(
        organization=personas.harbor, by=personas.sam, answer_days=21, outcome_days=45
    )
    second = save_advisory_settings(
        organization=personas.harbor, by=personas.ada, answer_days=28, outcome_days=90
    )
    assert first.pk == second.pk
    saved = AdvisorySettings.objects.get(organization=personas.harbor)
    assert (saved.recommendation_answer_days, saved.input_outcome_days) == (28, 90)


@pytest.mark.parametrize(("answer_days", "outcome_days"), [(0, 60), (30, 0), (366, 60)])
def test_settings_out_of_range_are_refused(personas, answer_days, outcome_days):
    with pytest.raises(ValidationError):
        save_advisory_settings(
            organization=personas.harbor,
            by=personas.sam,
            answer_days=answer_days,
            outcome_days=outcome_days,
        )
    assert not AdvisorySettings.objects.exists()


@pytest.mark.parametrize("who", ["ash", "fin"])
def test_only_staff_and_admins_change_settings(personas, who):
    with pytest.raises(PermissionDenied):
        save_advisory_settings(
            organization=personas.harbor, by=getattr(personas, who), answer_days=7, outcome_days=7
        )
