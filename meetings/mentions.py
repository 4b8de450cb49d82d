"""Mention tokens in minutes and comments: `@[member:<user_id>]`.

A token becomes the person's chosen name only while they let staff see their name on what
they say (`attribute_to_staff`); otherwise, and for unknown people, people outside the
organization and erased accounts, it reads "a board member". Everything else is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import Exists, OuterRef
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from accounts.models import ConsentScope, Organization, User
from accounts.selectors.consent import current_grants
from accounts.selectors.profile import chosen_name_here
from meetings.models import Meeting

TOKEN = re.compile(r"@\[member:(\d{1,12})\]")


def token_for(user_id: int) -> str:
    return f"@[member:{user_id}]"


def mentioned_ids(texts: Iterable[str]) -> set[int]:
    return {int(match) for text in texts for match in TOKEN.findall(text)}


def names_for(
    ids: set[int], organization: Organization, *, meeting: Meeting | None = None
) -> dict[int, str]:
    """Chosen names of the mentioned people who may be named: one query for them all, none
    when nobody is mentioned. Anyone missing from the answer reads "a board member".

    With `meeting`, only its invitees can be named: otherwise anyone able to write a token
    could learn the chosen name behind any id in the organization by guessing."""
    if not ids:
        return {}
    consenting = current_grants().filter(
        user_id=OuterRef("pk"),
        organization_id=organization.pk,
        scope=ConsentScope.ATTRIBUTE_TO_STAFF,
    )
    people = User.objects.filter(
        pk__in=ids, erased_at__isnull=True, memberships__organization=organization
    ).filter(Exists(consenting))
    # The name the person gave this organization; one given elsewhere is never shown here.
    rows = people.annotate(name=chosen_name_here(organization, person="pk")).values_list(
        "pk", "name"
    )
    if meeting is not None:
        rows = rows.filter(meeting_invitations__meeting=meeting)
    return {pk: name.strip() for pk, name in rows if name and name.strip()}


def render(text: str, names: dict[int, str]) -> SafeString:
    """The text with every token resolved, escaped, line breaks kept."""
    pieces: list[str] = []
    position = 0
    for match in TOKEN.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        name = names.get(int(match.group(1)))
        if name is None:
            pieces.append(format_html('<span class="mention">{}</span>', _("a board member")))
        else:
            pieces.append(format_html('<span class="mention">{}</span>', name))
        position = match.end()
    pieces.append(escape(text[position:]))
    joined = "".join(pieces).replace("\r\n", "\n").replace("\n", "<br>")
    # Every piece above is escaped or built by format_html; only <br> is added here.
    return mark_safe(joined)  # noqa: S308  # built from escaped pieces only


def render_all(
    texts: list[str], organization: Organization, *, meeting: Meeting | None = None
) -> list[SafeString]:
    """Several texts with one query for all the people they mention."""
    names = names_for(mentioned_ids(texts), organization, meeting=meeting)
    return [render(text, names) for text in texts]
