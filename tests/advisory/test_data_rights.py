"""Deleting an account or downloading one's data, with answers, proposals and links."""

from __future__ import annotations

import pytest

from accounts.services.data_rights import collect_personal_data, erase_account
from advisory.models import AnswerChoice, Influence, InfluenceAnswer
from advisory.selectors.links import answer_counts, current_links
from meetings.models import Input
from tests.advisory.factories import DecisionFactory, confirmed_input, link

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(personas):
    decision = DecisionFactory.create(organization=personas.harbor)
    said = confirmed_input(personas.ash, personas.harbor)
    link(decision, said)
    InfluenceAnswer.objects.create(
        decision=decision,
        input=said,
        answer=AnswerChoice.NOT_QUITE,
        comment="I meant weekday evenings.",
    )
    return decision, said


def test_keeping_input_anonymous_keeps_the_link_without_the_persons_words(personas, answered):
    erase_account(user=personas.ash, keep_input_anonymous=True)
    answer = InfluenceAnswer.objects.get()
    assert (answer.answer, answer.comment) == (AnswerChoice.RATHER_NOT_SAY, "")
    assert current_links(personas.harbor).count() == 1


def test_deleting_input_leaves_the_link_row_but_no_page_or_count_sees_it(personas, answered):
    decision, said = answered
    erase_account(user=personas.ash, keep_input_anonymous=False)
    assert not Input.objects.filter(pk=said.pk).exists()
    assert Influence.objects.count() == 1  # append-only: never deleted
    assert not current_links(personas.harbor).exists()
    assert answer_counts(personas.harbor, [decision.pk])[decision.pk].links == 0
    assert not InfluenceAnswer.objects.exists()


def test_download_my_data_has_what_became_of_my_input(personas, answered):
    decision, _said = answered
    sections = {s["title"]: s["data"] for s in collect_personal_data(personas.ash)["sections"]}
    assert sections["What became of what you said"][0]["decision"] == decision.title
    assert sections["Your answers to “Is this what you said?”"][0]["answer"] == "not_quite"
