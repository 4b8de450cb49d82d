"""What each update is about, in plain words, and what else is waiting for a person.

An update in the outbox holds a kind code and the path of the page that needs the person,
made when it was queued; its e-mail still says only "there is an update". The words for
each kind, and what an app keeps waiting for people (a meeting to answer, input to check),
live with the app that knows them: each app says so in its own `updates.py` module —
`register_kinds(...)` and `@register_waiting` — which is imported on first use, as the
admin discovers `admin.py`. The ground floor never imports the apps above it.

`enqueue_update` refuses a kind with no words, so an update can never reach a person's
list as a sentence nobody wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User

# What an update says when its kind has no words here (only rows older than the words).
UNKNOWN_KIND = _("There is an update for you.")

_labels: dict[str, str | Promise] = {}


@dataclass(frozen=True)
class Waiting:
    """Something waiting for a person: a plain sentence and the page where they deal
    with it. `path` is compared with updates' targets, so one thing is listed once."""

    text: str
    path: str


# A finder gets the person, the organization and their role there ("funder" for a funder)
# and returns what waits for them; it answers [] without a query for roles it is not about.
WaitingFinder = Callable[[User, Organization, str], list[Waiting]]
_finders: list[WaitingFinder] = []

FUNDER = "funder"


def register_kinds(labels: Mapping[str, str | Promise]) -> None:
    """Give each kind code its plain sentence, said to the person it is for."""
    for code, label in labels.items():
        if not str(label).strip():
            raise ImproperlyConfigured(f"The update kind {code!r} needs words.")
        if code in _labels and _labels[code] != label:
            raise ImproperlyConfigured(f"The update kind {code!r} is given words twice.")
        _labels[code] = label


def register_waiting(finder: WaitingFinder) -> WaitingFinder:
    """A decorator for a function that finds what waits for a person."""
    if finder not in _finders:
        _finders.append(finder)
    return finder


@cache
def discover() -> None:
    """Import every installed app's `updates` module, once."""
    autodiscover_modules("updates")


def known_kinds() -> frozenset[str]:
    discover()
    return frozenset(_labels)


def is_known(kind: str) -> bool:
    return kind in known_kinds()


def label_of(kind: str) -> str:
    discover()
    return str(_labels.get(kind, UNKNOWN_KIND))


def waiting_for(user: User, organization: Organization, role: str) -> list[Waiting]:
    """Everything the apps keep waiting for this person here, in the apps' order."""
    discover()
    found: list[Waiting] = []
    for finder in _finders:
        found.extend(finder(user, organization, role))
    return found


def page(name: str, organization: Organization, **kwargs: Any) -> str:
    """The path of one of the organization's pages, for an update's target."""
    return reverse(name, kwargs={"org": organization.slug, **kwargs})
