"""Advisory's updates in plain words, and what it keeps waiting for people: for survivor
leaders, paid work offered, a report draft to answer, a quote to allow or not; for staff,
feedback, recommendations and proposed links that need an answer."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Organization, User
from accounts.permissions import Capability, grants
from accounts.update_kinds import Waiting, page, register_kinds, register_waiting
from advisory.models import (
    Feedback,
    InterestStatus,
    OpportunityInterest,
    QuoteStatus,
    Recommendation,
    ReportVersion,
    VersionStatus,
)
from advisory.notify import DECISION_CHANGED, INPUT_LINKED, LINK_PROPOSED, PROPOSAL_ANSWERED
from advisory.selectors.influence import waiting_proposals
from advisory.selectors.report_board import my_quote_requests
from advisory.selectors.reports import board_voters
from advisory.services.feedback import FEEDBACK_ANSWERED, FEEDBACK_RECEIVED, PROGRAM_CHANGE
from advisory.services.opportunities import (
    OPPORTUNITY_ANSWERED,
    OPPORTUNITY_CANCELLED,
    OPPORTUNITY_CHANGED,
    OPPORTUNITY_OFFER,
    OPPORTUNITY_PAID,
)
from advisory.services.recommendations import (
    RECOMMENDATION_ADOPTED,
    RECOMMENDATION_ANSWERED,
    WEEKLY_DIGEST,
)
from advisory.services.report_generation import REPORT_DRAFT_READY, REPORT_READY
from advisory.services.report_publish import QUOTE_REQUEST, REPORT_PUBLISHED

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
        REPORT_DRAFT_READY: gettext_lazy("A report draft is ready for you to read."),
        REPORT_READY: gettext_lazy("The report you asked for is ready."),
        REPORT_PUBLISHED: gettext_lazy("A report was published."),
        QUOTE_REQUEST: gettext_lazy(
            "Staff asked to quote your words, without your name, in a report. You choose."
        ),
        FEEDBACK_RECEIVED: gettext_lazy("New feedback came in. It needs an answer."),
        FEEDBACK_ANSWERED: gettext_lazy("Your feedback has an answer."),
        PROGRAM_CHANGE: gettext_lazy("Something changed because of what you said."),
        OPPORTUNITY_OFFER: gettext_lazy("You are offered paid work. Say yes or no."),
        OPPORTUNITY_ANSWERED: gettext_lazy("A survivor leader answered about paid work."),
        OPPORTUNITY_CANCELLED: gettext_lazy("Paid work you were offered or booked is cancelled."),
        OPPORTUNITY_PAID: gettext_lazy(
            "Work you did is marked done, and your pay for it is added."
        ),
        OPPORTUNITY_CHANGED: gettext_lazy("Paid work you were offered or booked has changed."),
    }
)


@register_waiting
def offers_to_answer(user: User, organization: Organization, role: str) -> list[Waiting]:
    if not grants(role, Capability.USE_OWN_SEAT):
        return []
    offers = (
        OpportunityInterest.objects.filter(
            user_id=user.pk,
            opportunity__organization=organization,
            status=InterestStatus.OFFERED,
        )
        .select_related("opportunity")
        .order_by("offered_at", "pk")
    )
    return [
        Waiting(
            _("You are offered paid work: “%(title)s”. Say yes or no.")
            % {"title": offer.opportunity.title},
            page("opportunity", organization, pk=offer.opportunity_id),
        )
        for offer in offers
    ]


@register_waiting
def drafts_to_answer(user: User, organization: Organization, role: str) -> list[Waiting]:
    """Drafts waiting for the board that this board member has not answered yet."""
    if not grants(role, Capability.USE_OWN_SEAT):
        return []
    drafts = list(
        ReportVersion.objects.filter(report__organization=organization, status=VersionStatus.DRAFT)
        .exclude(signoffs__user_id=user.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not drafts or not board_voters(organization).filter(pk=user.pk).exists():
        return []
    text = _(
        "A report draft waits for your answer. Read it as a funder would, then say yes or not yet."
    )
    return [Waiting(text, page("board_report", organization, pk=pk)) for pk in drafts]


@register_waiting
def quotes_to_answer(user: User, organization: Organization, role: str) -> list[Waiting]:
    """Each request to quote the person's words that waits for their yes or no."""
    if not grants(role, Capability.USE_OWN_SEAT):
        return []
    asked = my_quote_requests(user, organization).filter(status=QuoteStatus.ASKED)
    text = _("Staff asked to quote your words, without your name, in a report. Say yes or no.")
    return [
        Waiting(text, page("my_quote", organization, pk=pk))
        for pk in asked.order_by("pk").values_list("pk", flat=True)
    ]


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
