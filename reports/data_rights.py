"""What "Download my data" and "Delete my account" do with funder reports.

A survivor leader's answers on report drafts are theirs: exported and deleted. Requests to
quote their words are deleted, and a published report quoting them is reissued without.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.data_rights import JSON, ErasureOptions, delete_rows, register, rows
from accounts.models import User
from reports.models import QuoteRequest, SignOff

# Before meetings deletes the person's input (order 0), so these are read while it exists.
BEFORE_INPUT = -5


def _export_signoffs(user: User) -> JSON:
    return rows(
        SignOff.objects.filter(user=user).order_by("created_at"),
        "version__report__year",
        "version__report__quarter",
        "version__number",
        "choice",
        "could_identify",
        "note",
        "created_at",
        "updated_at",
    )


def _export_quotes(user: User) -> JSON:
    return rows(
        QuoteRequest.objects.filter(input__author=user).order_by("created_at"),
        "report__year",
        "report__quarter",
        "input__public_id",
        "wording",
        "status",
        "created_at",
        "answered_at",
    )


def _erase_quotes(user: User, options: ErasureOptions) -> None:
    # Even when input is kept anonymous, the person is gone and cannot approve a quote:
    # the request goes, and a published version quoting it is reissued without it.
    from reports.services.report_publish import reissue_without_quote

    mine = list(QuoteRequest.objects.filter(input__author=user))
    for quote in mine:
        # Taken out of current reports now, not at the next hourly catch-up.
        reissue_without_quote(quote)
    QuoteRequest.objects.filter(pk__in=[quote.pk for quote in mine]).delete()


def _register() -> None:
    register(
        SignOff,
        export=_export_signoffs,
        erase=delete_rows(SignOff),
        reason="The person's answers on report drafts are theirs: deleted.",
        title=_("Your answers on report drafts"),
    )
    register(
        QuoteRequest,
        export=_export_quotes,
        erase=_erase_quotes,
        reason="Requests to quote the person's words are deleted; a published report "
        "quoting them is reissued without the quote.",
        title=_("Requests to quote your words in a report"),
        via="input",
        order=BEFORE_INPUT,
    )


_register()
