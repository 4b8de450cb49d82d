"""The measures a funder report shows (docs/design.md "Equal-partnership measures").

One registry, in display order, so the engine, the renderer and the CSV agree on what each
figure is, what it means in plain words, and whose activity it is computed from. No targets,
scores or rankings: every measure describes what happened, never how well.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from advisory.models import DecisionArea

# count: a head count (value == number of people); tally: a number of things (meetings,
# decisions) that is not a head count; sum: amounts added up per person; median: the middle
# value, in whole weeks.
MeasureKind = Literal["count", "tally", "sum", "median"]
Unit = Literal[
    "people",
    "meetings",
    "hours",
    "items",
    "decisions",
    "links",
    "recommendations",
    "inputs",
    "messages",
    "changes",
    "weeks",
    "ratio",
    "money",
]

ALL_AREAS = "all"
INFLUENCE_PREFIX = "influence."


@dataclass(frozen=True)
class MeasureInfo:
    key: str
    section: str
    label: str | Promise
    definition: str | Promise
    contributors: str | Promise
    unit: Unit
    kind: MeasureKind
    area: str = ""  # a DecisionArea value or "all"; empty outside influence


SECTIONS: tuple[tuple[str, str | Promise], ...] = (
    ("participation", _("Taking part")),
    ("leadership", _("Leading")),
    ("influence", _("What survivor input changed")),
    ("decisions", _("Decisions not taken up")),
    ("recommendations", _("The board's recommendations")),
    ("loop", _("Telling people what happened")),
    ("pay", _("Pay")),
)

_BOARD = _("Survivor leaders on the board who agreed to be counted.")
_ATTENDED = _("Survivor leaders who came to a meeting and agreed to be counted.")
_AUTHORS = _("Survivor leaders whose input is counted and who agreed to be counted.")
_PAID = _("Survivor leaders who were paid and agreed to be counted.")
_FEEDBACK = _("Survivor leaders who sent feedback and agreed to be counted.")

_HEAD: tuple[MeasureInfo, ...] = (
    MeasureInfo(
        "participation.members",
        "participation",
        _("Survivor leaders on the board"),
        _("How many survivor leaders had an active role on the board."),
        _BOARD,
        "people",
        "count",
    ),
    MeasureInfo(
        "participation.attended",
        "participation",
        _("Survivor leaders who came to meetings"),
        _("How many survivor leaders came to at least one board meeting."),
        _ATTENDED,
        "people",
        "count",
    ),
    MeasureInfo(
        "participation.meetings",
        "participation",
        _("Board meetings held"),
        _("How many board meetings took place. Cancelled meetings are not counted."),
        _BOARD,
        "meetings",
        "tally",
    ),
    MeasureInfo(
        "participation.hours",
        "participation",
        _("Hours in meetings"),
        _("All the hours survivor leaders spent in board meetings, added up."),
        _ATTENDED,
        "hours",
        "sum",
    ),
    MeasureInfo(
        "leadership.led_meetings",
        "leadership",
        _("Meetings led by survivor leaders"),
        _("How many board meetings a survivor leader chaired or ran."),
        _("Survivor leaders who led a meeting and agreed to be counted."),
        "meetings",
        "tally",
    ),
    MeasureInfo(
        "leadership.agenda_items",
        "leadership",
        _("Agenda items from survivor leaders"),
        _("How many meeting topics survivor leaders asked to talk about."),
        _("Survivor leaders who suggested a topic and agreed to be counted."),
        "items",
        "tally",
    ),
)

# Per decision area, then for all areas together ("influence.<area|all>.<what>").
_INFLUENCE_PARTS: tuple[tuple[str, str | Promise, str | Promise, Unit], ...] = (
    (
        "decisions",
        _("Decisions made"),
        _("How many decisions the program made in this area."),
        "decisions",
    ),
    (
        "informed",
        _("Decisions shaped by survivor input"),
        _("How many of those decisions survivor input helped shape."),
        "decisions",
    ),
    (
        "yes",
        _("Links the author agreed with"),
        _('The person who said it answered "Yes" to "Is this what you said?".'),
        "links",
    ),
    (
        "not_quite",
        _("Links the author said were not quite right"),
        _('The person who said it answered "Not quite" to "Is this what you said?".'),
        "links",
    ),
    (
        "no_answer",
        _("Links with no answer"),
        _("The person who said it has not answered, or would rather not say."),
        "links",
    ),
)

_TAIL: tuple[MeasureInfo, ...] = (
    MeasureInfo(
        "decisions.not_adopted",
        "decisions",
        _("Decisions not taken up, or taken up in part"),
        _("How many decisions did not follow the advice fully. Each has a reason the board read."),
        _BOARD,
        "decisions",
        "tally",
    ),
    MeasureInfo(
        "recommendations.made",
        "recommendations",
        _("Recommendations made"),
        _("How many formal recommendations the board agreed on."),
        _BOARD,
        "recommendations",
        "tally",
    ),
    MeasureInfo(
        "recommendations.answered",
        "recommendations",
        _("Recommendations answered"),
        _("How many of the board's recommendations staff answered, with reasons."),
        _BOARD,
        "recommendations",
        "tally",
    ),
    MeasureInfo(
        "recommendations.weeks_to_answer",
        "recommendations",
        _("Weeks to answer a recommendation"),
        _("The middle number of weeks staff took to answer. Half took longer, half less."),
        _BOARD,
        "weeks",
        "median",
    ),
    MeasureInfo(
        "loop.inputs",
        "loop",
        _("Input confirmed"),
        _("How many things survivor leaders said and confirmed as their own words."),
        _AUTHORS,
        "inputs",
        "tally",
    ),
    MeasureInfo(
        "loop.told",
        "loop",
        _("Input whose author was told what happened"),
        _("How many of those inputs were linked to a decision, so the author could see it."),
        _AUTHORS,
        "inputs",
        "tally",
    ),
    MeasureInfo(
        "loop.feedback",
        "loop",
        _("Feedback sent"),
        _(
            "How many times survivor leaders told the program what works and what doesn't, "
            "outside meetings."
        ),
        _FEEDBACK,
        "messages",
        "tally",
    ),
    MeasureInfo(
        "loop.feedback_answered",
        "loop",
        _("Feedback answered"),
        _(
            "How many of those messages staff answered, so the person who sent it could read "
            "the answer."
        ),
        _FEEDBACK,
        "messages",
        "tally",
    ),
    MeasureInfo(
        "loop.changes",
        "loop",
        _("Changes made because of what survivor leaders said"),
        _(
            "How many changes the program made because of feedback or meeting input, as listed "
            'in "What we changed".'
        ),
        _("Survivor leaders whose feedback or input led to a change and who agreed to be counted."),
        "changes",
        "tally",
    ),
    MeasureInfo(
        "pay.parity",
        "pay",
        _("Pay compared with staff pay"),
        _("Survivor leaders' pay per hour divided by the program's usual professional pay."),
        _BOARD,
        "ratio",
        "tally",
    ),
    MeasureInfo(
        "pay.total_paid",
        "pay",
        _("Total paid"),
        _("All the money paid to survivor leaders for their work, added up."),
        _PAID,
        "money",
        "sum",
    ),
    MeasureInfo(
        "pay.weeks_to_payment",
        "pay",
        _("Weeks to get paid"),
        _(
            "The middle number of weeks between the work and the payment. Pay not paid "
            "yet counts too, for as long as it has waited, once that is over 14 days."
        ),
        _PAID,
        "weeks",
        "median",
    ),
)

INFLUENCE_WHATS: tuple[str, ...] = tuple(what for what, *_rest in _INFLUENCE_PARTS)


def influence_areas() -> tuple[str, ...]:
    """Every decision area, then "all"."""
    return (*DecisionArea.values, ALL_AREAS)


def _influence(area: str, what: str) -> MeasureInfo:
    for part, label, definition, unit in _INFLUENCE_PARTS:
        if part == what:
            return MeasureInfo(
                key=f"{INFLUENCE_PREFIX}{area}.{what}",
                section="influence",
                label=label,
                definition=definition,
                contributors=_AUTHORS if what in {"yes", "not_quite", "no_answer"} else _BOARD,
                unit=unit,
                kind="tally",
                area=area,
            )
    raise KeyError(what)


def area_label(area: str) -> str | Promise:
    """The plain name of a decision area ("all" reads "All areas")."""
    if area == ALL_AREAS:
        return _("All areas")
    return DecisionArea(area).label


# Display order: participation and leadership, influence by area then all, the rest.
MEASURES: tuple[MeasureInfo, ...] = (
    *_HEAD,
    *(_influence(area, what) for area in influence_areas() for what in INFLUENCE_WHATS),
    *_TAIL,
)
_BY_KEY = {info.key: info for info in MEASURES}


def measure_info(key: str) -> MeasureInfo:
    """The measure behind a key such as ``participation.hours`` or
    ``influence.budget.informed``; KeyError for anything else."""
    return _BY_KEY[key]
