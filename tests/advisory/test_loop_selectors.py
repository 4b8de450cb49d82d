"""Loop-health figures on a small dataset worked out by hand: input with no outcome, the
recommendations waiting, the median days from input to decision, and the share of input
whose author was told an outcome. Withdrawn, pending and other organizations' input, and
revised (superseded) links, count nowhere."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import time_machine

from advisory.models import AdvisorySettings, Influence, RecommendationResponse
from advisory.selectors.loop import (
    Told,
    Waiting,
    authors_told,
    median_days_to_decision,
    recommendations_waiting,
    stale_inputs,
)
from meetings.models import Input, InputStatus
from meetings.services.input import withdraw_input
from tests.advisory.factories import link
from tests.support.advisory import NOON, a_recommendation, decided, given

pytestmark = pytest.mark.django_db

TODAY = NOON.date()


@pytest.fixture(autouse=True)
def _noon():
    with time_machine.travel(NOON, tick=False):
        yield


@dataclass
class Dataset:
    stale: Input
    recent: Input
    linked_a: Input
    linked_b: Input
    withdrawn: Input


def dataset(personas) -> Dataset:
    harbor = personas.harbor
    d30, d10, d20 = decided(harbor, 30), decided(harbor, 10), decided(harbor, 20)
    stale = given(personas.ash, harbor, 100)
    recent = given(personas.river, harbor, 10)
    linked_a = given(personas.ash, harbor, 90)
    link(d30, linked_a)  # 60 days
    link(d10, linked_a)  # 80 days
    linked_b = given(personas.river, harbor, 80, direct=True)
    link(d30, linked_b)  # 50 days
    # A revised claim: only the current one counts (both 60 days, so the median is the
    # same either way; what matters is that the input counts once as told).
    revised = link(d20, linked_b)
    link(d20, linked_b, supersedes=revised)
    # Withdrawn after it was linked: 99 and 98 days, which would move the median to 70.
    withdrawn = given(personas.ash, harbor, 100)
    link(decided(harbor, 1), withdrawn)
    link(decided(harbor, 2), withdrawn)
    withdraw_input(input=withdrawn, author=personas.ash)
    # Never counted: waiting for its author, or another organization's.
    given(personas.river, harbor, 100, status=InputStatus.PENDING)
    given(personas.otto, personas.second, 100)
    return Dataset(stale, recent, linked_a, linked_b, withdrawn)


def test_input_with_no_outcome_after_the_setting(personas):
    data = dataset(personas)
    assert list(stale_inputs(personas.harbor, days=60)) == [data.stale]
    # With a shorter wait, the recent one shows too, oldest first.
    assert list(stale_inputs(personas.harbor, days=5)) == [data.stale, data.recent]
    assert list(stale_inputs(personas.second, days=60)) != []


def test_the_median_days_from_input_to_decision(personas):
    dataset(personas)
    # Current links of confirmed input: 60, 80, 50 and 60 days.
    assert median_days_to_decision(personas.harbor) == 60


def test_the_share_of_input_whose_author_was_told_an_outcome(personas):
    dataset(personas)
    told = authors_told(personas.harbor)
    assert told == Told(told=2, inputs=4)
    assert told.percent == 50


def test_withdrawing_input_takes_its_links_out_of_every_figure_but_keeps_the_rows(personas):
    data = dataset(personas)
    links_before = Influence.objects.count()
    withdraw_input(input=data.linked_b, author=personas.river)
    assert median_days_to_decision(personas.harbor) == 70  # 60 and 80
    assert authors_told(personas.harbor) == Told(told=1, inputs=3)
    assert list(stale_inputs(personas.harbor, days=60)) == [data.stale]
    assert Influence.objects.count() == links_before


def test_no_links_means_no_median_and_no_input_means_no_share(personas):
    assert median_days_to_decision(personas.harbor) is None
    assert authors_told(personas.harbor).percent is None


def test_the_median_rounds_to_whole_days(personas):
    input = given(personas.ash, personas.harbor, 40)
    link(decided(personas.harbor, 30), input)  # 10 days
    link(decided(personas.harbor, 27), input)  # 13 days
    link(decided(personas.harbor, 29), input)  # 11 days
    link(decided(personas.harbor, 26), input)  # 14 days: the median is 12
    assert median_days_to_decision(personas.harbor) == 12


def test_a_decision_dated_before_the_input_counts_as_the_same_day(personas):
    input = given(personas.ash, personas.harbor, 5)
    link(decided(personas.harbor, 10), input)
    assert median_days_to_decision(personas.harbor) == 0


def test_recommendations_waiting_and_overdue(personas):
    harbor = personas.harbor
    a_recommendation(harbor, adopted_days_ago=31)  # overdue since yesterday
    a_recommendation(harbor, adopted_days_ago=30)  # due today
    a_recommendation(
        harbor,
        adopted_days_ago=90,
        response=RecommendationResponse.DECLINED,
        response_reason="Not this year.",
    )
    a_recommendation(personas.second, adopted_days_ago=90)
    assert recommendations_waiting(harbor) == Waiting(awaiting=2, overdue=1)


def test_the_outcome_days_setting_is_read_from_the_organization(personas):
    from advisory.selectors.loop import has_something_to_say

    given(personas.ash, personas.harbor, 10)
    assert not has_something_to_say(personas.harbor)
    AdvisorySettings.objects.create(organization=personas.harbor, input_outcome_days=7)
    assert has_something_to_say(personas.harbor)
