"""The one scoping point for influence links: every page and count reads links through
`current_links`, which leaves out revised claims (superseded) and links whose input was
withdrawn, is not confirmed, or is gone with its author's account. The rows stay.

Answers to "Is this what you said?" count only while their link is current
(`current_answers`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, QuerySet

from accounts.models import Organization
from advisory.models import AnswerChoice, Influence, InfluenceAnswer
from meetings.models import InputStatus


def current_links(organization: Organization) -> QuerySet[Influence]:
    return Influence.objects.filter(
        decision__organization=organization,
        superseded_by__isnull=True,
        input__status=InputStatus.CONFIRMED,
        input__meeting__organization=organization,
    )


def current_answers(organization: Organization) -> QuerySet[InfluenceAnswer]:
    live = current_links(organization).filter(
        decision_id=OuterRef("decision_id"), input_id=OuterRef("input_id")
    )
    return InfluenceAnswer.objects.filter(decision__organization=organization).filter(Exists(live))


@dataclass(frozen=True)
class AnswerCounts:
    """'Is this what you said?' for one decision's current links, side by side. Only
    "yes" counts as confirmed influence."""

    links: int
    yes: int
    not_quite: int
    rather_not_say: int

    @property
    def no_answer(self) -> int:
        return self.links - self.yes - self.not_quite - self.rather_not_say


def answer_counts(organization: Organization, decision_ids: list[int]) -> dict[int, AnswerCounts]:
    """For each decision: its current links and how their authors answered. Two grouped
    queries whatever the number of decisions or links."""
    links = dict(
        current_links(organization)
        .filter(decision_id__in=decision_ids)
        .order_by()
        .values("decision_id")
        .annotate(n=Count("id"))
        .values_list("decision_id", "n")
    )
    answered: dict[int, dict[str, int]] = {}
    for decision_id, answer, n in (
        current_answers(organization)
        .filter(decision_id__in=decision_ids)
        .order_by()
        .values("decision_id", "answer")
        .annotate(n=Count("id"))
        .values_list("decision_id", "answer", "n")
    ):
        answered.setdefault(decision_id, {})[answer] = n
    return {
        decision_id: AnswerCounts(
            links=links.get(decision_id, 0),
            yes=answered.get(decision_id, {}).get(AnswerChoice.YES, 0),
            not_quite=answered.get(decision_id, {}).get(AnswerChoice.NOT_QUITE, 0),
            rather_not_say=answered.get(decision_id, {}).get(AnswerChoice.RATHER_NOT_SAY, 0),
        )
        for decision_id in decision_ids
    }
