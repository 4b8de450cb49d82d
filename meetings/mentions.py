"""Mention tokens in minutes and comments: `@[member:<user_id>]`.

The rule: rendered minutes never depend on anyone's consent, nor on who reads them. Every
token reads "a board member", for every person mentioned and every reader, whatever anyone
chose. A name appears only where the note-taker typed it as plain words, and then everyone
who may read the minutes reads the same words. Naming people by their consent (the name
where they allowed it, "a board member" where not) would show every reader exactly who
allowed it, which staff and other survivors must never learn. Everything else is escaped.
"""

from __future__ import annotations

import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

TOKEN = re.compile(r"@\[member:(\d{1,12})\]")


def token_for(user_id: int) -> str:
    return f"@[member:{user_id}]"


def render(text: str) -> SafeString:
    """The text with every token shown as "a board member", escaped, line breaks kept. No
    query, no consent and no reader: the same text gives the same page to everyone."""
    neutral = format_html('<span class="mention">{}</span>', _("a board member"))
    pieces: list[str] = []
    position = 0
    for match in TOKEN.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(neutral)
        position = match.end()
    pieces.append(escape(text[position:]))
    joined = "".join(pieces).replace("\r\n", "\n").replace("\n", "<br>")
    # Every piece above is escaped or built by format_html; only <br> is added here.
    return mark_safe(joined)  # noqa: S308  # built from escaped pieces only
