"""Advisory's updates in plain words, and what it keeps waiting for people: for staff,
feedback, recommendations and proposed links that need an answer."""

from __future__ import annotations

from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Organization, User
from accounts.permissions import Capability, grants
from accounts.update_kinds import Waiting, page, register_kinds, register_waiting
from advisory.models import (
    Feedback,
    Recommendation,
)
from advisory.notify import DECISION_CHANGED, INPUT_LINKED, LINK_PROPOSED, PROPOSAL_ANSWERED
from advisory.selectors.influence import waiting_proposals
from advisory.services.feedback import FEEDBACK_ANSWERED, FEEDBACK_RECEIVED, PROGRAM_CHANGE
from advisory.services.recommendations import (
    RECOMMENDATION_ADOPTED,
    RECOMMENDATION_ANSWERED,
    WEEKLY_DIGEST,
)

register_kinds(
    {
        INPUT_LINKED: gettext_lazy("Something you said was linked to a decision."),
        DECISION_CHANGED: gettext_lazy("A decision that your input helped shape has changed."),
        PROPOSAL_ANSWERED: gettext_lazy(
            "Staff answered the link you suggested between your input and a decision."
        ),
        LINK_PROPOSED: gettext_lazy(
            "A survivor leader suggested that their input shaped a decision."
        ),
        RECOMMENDATION_ADOPTED: gettext_lazy(
            "The board made a recommendation. It needs an answer."
        ),
        RECOMMENDATION_ANSWERED: gettext_lazy("Staff answered a recommendation from the board."),
        WEEKLY_DIGEST: gettext_lazy("This week's summary: input and answers still waiting."),
        FEEDBACK_RECEIVED: gettext_lazy("New feedback came in. It needs an answer."),
        FEEDBACK_ANSWERED: gettext_lazy("Your feedback has an answer."),
        PROGRAM_CHANGE: gettext_lazy("Something changed because of what you said."),
    }
)


@register_waiting
def answers_staff_owe(user: User, organization: Organization, role: str) -> list[Waiting]:
    """Staff and admins: what survivor leaders said that still needs an answer."""
    if not grants(role, Capability.LOOK_AFTER_BOARD):
        return []
    waiting = []
    feedback = Feedback.objects.filter(organization=organization, answered_at__isnull=True)
    if count := feedback.count():
        text = ngettext(
            "One piece of feedback waits for an answer.",
            "%(count)d pieces of feedback wait for an answer.",
            count,
        ) % {"count": count}
        waiting.append(Waiting(text, page("feedback_inbox", organization)))
    recommendations = Recommendation.objects.filter(organization=organization, response="")
    if count := recommendations.count():
        text = ngettext(
            "A recommendation from the board waits for an answer.",
            "%(count)d recommendations from the board wait for an answer.",
            count,
        ) % {"count": count}
        waiting.append(Waiting(text, page("recommendations", organization)))
    if count := waiting_proposals(organization).count():
        text = ngettext(
            "A survivor leader suggested a link between their input and a decision.",
            "Survivor leaders suggested %(count)d links between their input and a decision.",
            count,
        ) % {"count": count}
        waiting.append(Waiting(text, page("link_proposals", organization)))
    return waiting
