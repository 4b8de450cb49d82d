"""Reports' updates in plain words, and what it keeps waiting for survivor leaders: a
report draft to answer, a quote to allow or not."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organization, User
from accounts.permissions import Capability, grants
from accounts.selectors.roles import board_voters
from accounts.update_kinds import Waiting, page, register_kinds, register_waiting
from reports.models import QuoteStatus, ReportVersion, VersionStatus
from reports.selectors.report_board import my_quote_requests
from reports.services.report_generation import REPORT_DRAFT_READY, REPORT_READY
from reports.services.report_publish import QUOTE_REQUEST, REPORT_PUBLISHED

register_kinds(
    {
        REPORT_DRAFT_READY: gettext_lazy("A report draft is ready for you to read."),
        REPORT_READY: gettext_lazy("The report you asked for is ready."),
        REPORT_PUBLISHED: gettext_lazy("A report was published."),
        QUOTE_REQUEST: gettext_lazy(
            "Staff asked to quote your words, without your name, in a report. You choose."
        ),
    }
)


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
