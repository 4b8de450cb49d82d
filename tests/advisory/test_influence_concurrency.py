"""Double submits in two real transactions on two connections (PostgreSQL): the same input
linked twice at once, one link revised twice at once, one proposal answered twice at once,
and a first answer to "Is this what you said?" sent twice at once. Each is written once; the
other hears why.

Each service is slowed down just after it takes its row lock, so the other transaction is
certainly waiting on that lock: the race is real every run."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from advisory.models import AnswerChoice, Influence, InfluenceAnswer, InfluenceProposal
from advisory.services import influence as services
from tests.advisory.factories import DecisionFactory, confirmed_input, link
from tests.support.races import race, slowed

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite has one writer at a time")


@pytest.fixture
def slow_locks(monkeypatch):
    monkeypatch.setattr(services, "_locked_decision", slowed(services._locked_decision))
    monkeypatch.setattr(services, "_locked_input", slowed(services._locked_input))


def errors(results: list[Any]) -> list[ValidationError]:
    return [result for result in results if isinstance(result, ValidationError)]


def test_the_same_input_linked_twice_at_once_is_linked_once(personas, slow_locks):
    decision = DecisionFactory.create(organization=personas.harbor)
    said = confirmed_input(personas.ash, personas.harbor)

    def link_as(person: Any) -> Any:
        return lambda: services.link_input(
            decision=decision, input=said, by=person, level="shaped", rationale="It did."
        )

    results = race(link_as(personas.sam), link_as(personas.ada))
    [refused] = errors(results)
    assert "revise it instead" in refused.messages[0]
    assert Influence.objects.count() == 1


def test_one_link_revised_twice_at_once_is_revised_once(personas, slow_locks):
    first = link(
        DecisionFactory.create(organization=personas.harbor),
        confirmed_input(personas.ash, personas.harbor),
    )

    def revise(words: str) -> Any:
        return lambda: services.revise_link(
            link=Influence.objects.get(pk=first.pk),
            by=personas.sam,
            level="shaped",
            rationale=words,
        )

    results = race(revise("One."), revise("Two."))
    [refused] = errors(results)
    assert "Someone changed this link" in refused.messages[0]
    assert Influence.objects.filter(supersedes=first).count() == 1


def test_one_proposal_answered_twice_at_once_is_answered_once(personas, slow_locks):
    decision = DecisionFactory.create(organization=personas.harbor)
    proposal = InfluenceProposal.objects.create(
        decision=decision, input=confirmed_input(personas.ash, personas.harbor)
    )

    def accept() -> Any:
        return services.answer_proposal(
            proposal=InfluenceProposal.objects.get(pk=proposal.pk),
            by=personas.sam,
            accept=True,
            level="shaped",
            rationale="It did.",
        )

    results = race(accept, accept)
    [refused] = errors(results)
    assert "already answered" in refused.messages[0]
    assert Influence.objects.count() == 1


def test_a_first_answer_sent_twice_at_once_is_one_answer(personas, slow_locks):
    made = link(
        DecisionFactory.create(organization=personas.harbor),
        confirmed_input(personas.ash, personas.harbor),
    )

    def answer(choice: str) -> Any:
        return lambda: services.answer_link(link=made, by=personas.ash, answer=choice)

    results = race(answer(AnswerChoice.YES), answer(AnswerChoice.RATHER_NOT_SAY))
    assert errors(results) == []
    assert InfluenceAnswer.objects.count() == 1
