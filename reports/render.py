"""Turn a stored report snapshot into what a page, a CSV or a PDF shows.

Everything here reads the snapshot only: no database, so the board's draft, the staff
preview and the funder's copy are the same figures laid out the same way. A hidden figure
is never turned into a number: it has no value, no bar in a chart and no part in a share
or a total; it carries the plain reason it is hidden instead. Shares (informed decisions,
"yes" answers) are not stored: they are worked out here only when every figure they are
made from is shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from compensation.money import format_money
from reports.measures import (
    ALL_AREAS,
    SECTIONS,
    MeasureInfo,
    area_label,
    measure_info,
)

Text = str | Promise

PERIOD_LABELS: dict[str, Text] = {
    "Q1": gettext_lazy("January to March"),
    "Q2": gettext_lazy("April to June"),
    "Q3": gettext_lazy("July to September"),
    "Q4": gettext_lazy("October to December"),
    "Y": gettext_lazy("Whole year"),
}
# Short names under a chart's bars, where a whole month range does not fit.
PERIOD_SHORT: dict[str, Text] = {
    "Q1": gettext_lazy("Jan-Mar"),
    "Q2": gettext_lazy("Apr-Jun"),
    "Q3": gettext_lazy("Jul-Sep"),
    "Q4": gettext_lazy("Oct-Dec"),
    "Y": gettext_lazy("Year"),
}
QUARTERS = ("Q1", "Q2", "Q3", "Q4")
ANSWER_WHATS = ("yes", "not_quite", "no_answer")
ANSWER_LABELS: dict[str, Text] = {
    "yes": gettext_lazy("Yes"),
    "not_quite": gettext_lazy("Not quite"),
    "no_answer": gettext_lazy("No answer"),
}
# Measures whose quarters are drawn as a trend in a year report: one head figure per
# section that reads sensibly as bars (people, meetings, hours, inputs).
TREND_KEYS = (
    "participation.attended",
    "participation.hours",
    "leadership.led_meetings",
    "influence.all.informed",
    "loop.told",
)
# The chart's drawing box, in SVG user units; the stylesheet scales it to the width.
CHART_WIDTH = 320
CHART_HEIGHT = 160
CHART_BASELINE = 130
CHART_TOP = 20
SHARE_WIDTH = 300


# No figure exists for the period (pay parity with no staff rate to compare with): nothing
# was hidden, so it must not read as hidden to protect people.
NO_DATA = "no_data"


def hidden_reason(code: str, k: int) -> str:
    """Why a figure is hidden, in plain words (the codes come from reports.protection), or
    that there is no figure at all."""
    if code == NO_DATA:
        return _("no figure for this period")
    if code == "too_few":
        return ngettext("fewer than %(k)d person", "fewer than %(k)d people", k) % {"k": k}
    if code == "dominance":
        return _("could reveal one person's amount")
    if code == "complementary":
        return _("hidden so another hidden figure cannot be worked out")
    if code == "changed":
        # Next to an earlier version, the difference would describe only the few people
        # whose data changed.
        return _("changed since an earlier published version")
    return _("hidden to protect the people behind it")


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def format_value(value: Decimal, unit: str, currency: str) -> str:
    """A shown figure in words a reader expects for its unit."""
    if unit == "money":
        return format_money(value, currency)
    if unit == "weeks":
        weeks = int(value.to_integral_value(rounding=ROUND_HALF_UP))
        return ngettext("%(n)d week", "%(n)d weeks", weeks) % {"n": weeks}
    if unit == "ratio":
        return number_format(value, decimal_pos=2)
    if unit == "hours":
        places = 0 if value == value.to_integral_value() else 1
        return number_format(value, decimal_pos=places, force_grouping=True)
    return number_format(value, decimal_pos=0, force_grouping=True)


def percent_of(part: Decimal, whole: Decimal) -> int | None:
    """Whole percent, or None when there is nothing to divide by."""
    if whole <= 0:
        return None
    return int((part * 100 / whole).to_integral_value(rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Cell:
    period: str
    period_label: Text
    shown: bool
    value: Decimal | None
    display: str
    reason: str
    code: str


@dataclass(frozen=True)
class Row:
    key: str
    label: Text
    definition: Text
    contributors: Text
    unit: str
    area: str
    cells: tuple[Cell, ...]

    def cell(self, period: str) -> Cell | None:
        for cell in self.cells:
            if cell.period == period:
                return cell
        return None


@dataclass(frozen=True)
class ShareCell:
    period: str
    period_label: Text
    percent: int | None
    display: str
    # Why no share is given: a figure it needs is hidden, or there is nothing to divide.
    missing: str


@dataclass(frozen=True)
class ShareRow:
    label: Text
    definition: Text
    cells: tuple[ShareCell, ...]


@dataclass(frozen=True)
class Bar:
    label: Text
    short: Text
    shown: bool
    display: str
    reason: str
    x: int
    y: int
    width: int
    height: int
    text_x: int
    text_y: int


@dataclass(frozen=True)
class TrendChart:
    key: str
    title: Text
    description: str
    bars: tuple[Bar, ...]
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    baseline: int = CHART_BASELINE
    label_y: int = CHART_HEIGHT - 12

    @property
    def any_shown(self) -> bool:
        """A chart with every bar hidden draws nothing: its table says why."""
        return any(bar.shown for bar in self.bars)


@dataclass(frozen=True)
class SharePart:
    what: str
    label: Text
    percent: int
    display: str
    x: int
    width: int


@dataclass(frozen=True)
class ShareChart:
    key: str
    title: Text
    description: str
    parts: tuple[SharePart, ...]
    width: int = SHARE_WIDTH


@dataclass(frozen=True)
class AnswerSide:
    """One "Is this what you said?" answer for the report's main period."""

    what: str
    label: Text
    cell: Cell
    share: ShareCell | None


@dataclass(frozen=True)
class AreaBlock:
    area: str
    label: Text
    rows: tuple[Row, ...]
    shares: tuple[ShareRow, ...]
    answers: tuple[AnswerSide, ...]
    answer_chart: ShareChart | None


@dataclass(frozen=True)
class Section:
    key: str
    title: Text
    rows: tuple[Row, ...]
    shares: tuple[ShareRow, ...] = ()
    areas: tuple[AreaBlock, ...] = ()
    # Decision areas where nothing happened in the period: named once, not a table each.
    quiet_areas: tuple[Text, ...] = ()


@dataclass(frozen=True)
class Quote:
    text: str


@dataclass(frozen=True)
class ReportView:
    year: int
    quarter: int
    k: int
    method_version: str
    currency: str
    periods: tuple[str, ...]
    period_labels: tuple[Text, ...]
    sections: tuple[Section, ...]
    trends: tuple[TrendChart, ...]
    quotes: tuple[Quote, ...]
    hidden: int
    statement: str

    @property
    def main_period(self) -> str:
        """The column the report is about: the year, or its one quarter."""
        return self.periods[-1] if self.periods else "Y"

    @property
    def title(self) -> str:
        if self.quarter == 0:
            return _("Report for %(year)d") % {"year": self.year}
        return _("Report for %(months)s %(year)d") % {
            "months": PERIOD_LABELS[f"Q{self.quarter}"],
            "year": self.year,
        }

    @property
    def rows(self) -> Iterable[Row]:
        """Every figure row in display order (for the CSV and totals)."""
        for section in self.sections:
            yield from section.rows
            for block in section.areas:
                yield from block.rows

    @classmethod
    def from_snapshot(cls, snapshot: Mapping[str, Any], statement: str = "") -> ReportView:
        k = int(snapshot.get("k", 5))
        currency = str(snapshot.get("currency", ""))
        periods = tuple(str(p) for p in snapshot.get("periods", ()))
        rows = [
            row
            for measure in snapshot.get("measures", ())
            if (row := _row(measure, periods, k, currency)) is not None
        ]
        by_key = {row.key: row for row in rows}
        sections = tuple(_section(key, title, rows, by_key, periods) for key, title in SECTIONS)
        return cls(
            year=int(snapshot.get("year", 0)),
            quarter=int(snapshot.get("quarter", 0)),
            k=k,
            method_version=str(snapshot.get("method_version", "")),
            currency=currency,
            periods=periods,
            period_labels=tuple(PERIOD_LABELS.get(p, p) for p in periods),
            sections=tuple(s for s in sections if s.rows or s.areas or s.quiet_areas),
            trends=_trends(by_key, periods),
            quotes=tuple(Quote(str(q.get("text", ""))) for q in snapshot.get("quotes", ())),
            hidden=int(snapshot.get("hidden", 0)),
            statement=statement,
        )


def _info(key: str) -> MeasureInfo | None:
    try:
        return measure_info(key)
    except KeyError:
        # A snapshot written by a newer or older registry: leave out what we cannot name
        # rather than show a figure without its definition.
        return None


def _cell(period: str, raw: Mapping[str, Any] | None, unit: str, k: int, currency: str) -> Cell:
    label = PERIOD_LABELS.get(period, period)
    value = _decimal(raw.get("value")) if raw else None
    if raw and raw.get("shown") and value is not None:
        return Cell(period, label, True, value, format_value(value, unit, currency), "", "shown")
    code = str(raw.get("code", "")) if raw else ""
    reason = hidden_reason(code, k)
    display = _("No figure") if code == NO_DATA else _("Hidden")
    return Cell(period, label, False, None, display, reason, code or "hidden")


def _row(measure: Mapping[str, Any], periods: Sequence[str], k: int, currency: str) -> Row | None:
    info = _info(str(measure.get("key", "")))
    if info is None:
        return None
    cells = measure.get("cells", {})
    return Row(
        key=info.key,
        label=info.label,
        definition=info.definition,
        contributors=info.contributors,
        unit=info.unit,
        area=info.area,
        cells=tuple(_cell(p, cells.get(p), info.unit, k, currency) for p in periods),
    )


def _share_cell(
    period: str, parts: Sequence[Cell | None], whole: Sequence[Cell | None]
) -> ShareCell:
    label = PERIOD_LABELS.get(period, period)
    needed = [*parts, *whole]
    if any(cell is None or not cell.shown or cell.value is None for cell in needed):
        return ShareCell(period, label, None, "", _("not given: a figure it needs is hidden"))
    part = sum((c.value for c in parts if c and c.value is not None), Decimal(0))
    total = sum((c.value for c in whole if c and c.value is not None), Decimal(0))
    percent = percent_of(part, total)
    if percent is None:
        return ShareCell(period, label, None, "", _("nothing to count"))
    return ShareCell(period, label, percent, f"{percent}%", "")


def _share_row(
    label: Text,
    definition: Text,
    periods: Sequence[str],
    parts: Sequence[Row | None],
    whole: Sequence[Row | None],
) -> ShareRow | None:
    if any(row is None for row in (*parts, *whole)):
        return None
    cells = tuple(
        _share_cell(
            p,
            [row.cell(p) for row in parts if row],
            [row.cell(p) for row in whole if row],
        )
        for p in periods
    )
    return ShareRow(label, definition, cells)


def _section(
    key: str,
    title: Text,
    rows: Sequence[Row],
    by_key: Mapping[str, Row],
    periods: Sequence[str],
) -> Section:
    if key == "influence":
        return _influence_section(title, rows, by_key, periods)
    mine = tuple(row for row in rows if row.key.split(".", 1)[0] == key)
    shares: list[ShareRow] = []
    if key == "recommendations":
        share = _share_row(
            _("Share of recommendations answered"),
            _("Recommendations answered, out of those made."),
            periods,
            [by_key.get("recommendations.answered")],
            [by_key.get("recommendations.made")],
        )
        shares += [share] if share else []
    if key == "loop":
        share = _share_row(
            _("Share of input whose author was told"),
            _("Input whose author was told what happened, out of all confirmed input."),
            periods,
            [by_key.get("loop.told")],
            [by_key.get("loop.inputs")],
        )
        shares += [share] if share else []
    return Section(key, title, mine, tuple(shares))


def _is_quiet(rows: Sequence[Row]) -> bool:
    """Every figure shown and zero: nothing happened in this area."""
    return all(cell.shown and cell.value == 0 for row in rows for cell in row.cells)


def _influence_section(
    title: Text, rows: Sequence[Row], by_key: Mapping[str, Row], periods: Sequence[str]
) -> Section:
    areas: dict[str, list[Row]] = {}
    for row in rows:
        if row.key.startswith("influence."):
            areas.setdefault(row.area, []).append(row)
    blocks: list[AreaBlock] = []
    quiet: list[Text] = []
    for area, area_rows in areas.items():
        if area != ALL_AREAS and _is_quiet(area_rows):
            quiet.append(area_label(area))
            continue
        blocks.append(_area_block(area, area_rows, by_key, periods))
    # "All areas" first: it is the headline; the areas follow in registry order.
    blocks.sort(key=lambda block: block.area != ALL_AREAS)
    return Section("influence", title, (), (), tuple(blocks), tuple(quiet))


def _area_block(
    area: str, rows: Sequence[Row], by_key: Mapping[str, Row], periods: Sequence[str]
) -> AreaBlock:
    prefix = f"influence.{area}."
    answer_rows = [by_key.get(prefix + what) for what in ANSWER_WHATS]
    shares = [
        _share_row(
            _("Share of decisions shaped by survivor input"),
            _("Decisions shaped by survivor input, out of all decisions made."),
            periods,
            [by_key.get(prefix + "informed")],
            [by_key.get(prefix + "decisions")],
        ),
        _share_row(
            _('Share of links the author agreed with ("Yes")'),
            _("Links answered Yes, out of yes, not quite and no answer together."),
            periods,
            [by_key.get(prefix + "yes")],
            answer_rows,
        ),
    ]
    main = periods[-1] if periods else "Y"
    answers: list[AnswerSide] = []
    for what, row in zip(ANSWER_WHATS, answer_rows, strict=True):
        cell = row.cell(main) if row else None
        if cell is None:
            continue
        share = _share_row("", "", [main], [row], answer_rows) if row else None
        answers.append(
            AnswerSide(what, ANSWER_LABELS[what], cell, share.cells[0] if share else None)
        )
    label = area_label(area)
    return AreaBlock(
        area=area,
        label=label,
        rows=tuple(rows),
        shares=tuple(share for share in shares if share),
        answers=tuple(answers),
        answer_chart=_answer_chart(area, label, answers),
    )


def _answer_chart(area: str, label: Text, answers: Sequence[AnswerSide]) -> ShareChart | None:
    """A bar split into yes / not quite / no answer, only when all three are shown."""
    if len(answers) != len(ANSWER_WHATS) or any(
        side.share is None or side.share.percent is None for side in answers
    ):
        return None
    parts: list[SharePart] = []
    x = 0
    for side in answers:
        percent = side.share.percent if side.share and side.share.percent is not None else 0
        width = round(SHARE_WIDTH * percent / 100)
        parts.append(SharePart(side.what, side.label, percent, f"{percent}%", x, width))
        x += width
    words = ", ".join(f"{part.label} {part.display}" for part in parts)
    return ShareChart(
        key=f"answers-{area}",
        title=_("How authors answered: %(area)s") % {"area": label},
        description=_('"Is this what you said?" answers: %(words)s.') % {"words": words},
        parts=tuple(parts),
    )


def _trends(by_key: Mapping[str, Row], periods: Sequence[str]) -> tuple[TrendChart, ...]:
    """Bar charts by quarter, for a year report (a quarter report has one column)."""
    quarters = [p for p in periods if p in QUARTERS]
    if len(quarters) < 2:
        return ()
    charts = []
    for key in TREND_KEYS:
        row = by_key.get(key)
        if row is not None:
            charts.append(_trend(row, quarters))
    return tuple(charts)


def _trend(row: Row, quarters: Sequence[str]) -> TrendChart:
    cells = [cell for q in quarters if (cell := row.cell(q)) is not None]
    top = max((cell.value for cell in cells if cell.value is not None), default=Decimal(0))
    slot = CHART_WIDTH // max(len(cells), 1)
    span = CHART_BASELINE - CHART_TOP
    bars = []
    for index, cell in enumerate(cells):
        x = index * slot + slot // 4
        width = slot // 2
        height = int(span * cell.value / top) if cell.shown and cell.value and top > 0 else 0
        y = CHART_BASELINE - height
        bars.append(
            Bar(
                label=cell.period_label,
                short=PERIOD_SHORT.get(cell.period, cell.period),
                shown=cell.shown,
                display=cell.display,
                reason=cell.reason,
                x=x,
                y=y,
                width=width,
                height=height,
                text_x=x + width // 2,
                text_y=max(y - 6, CHART_TOP - 6) if cell.shown else CHART_BASELINE - 8,
            )
        )
    words = "; ".join(f"{cell.period_label}: {_spoken(cell)}" for cell in cells)
    return TrendChart(
        key=row.key.replace(".", "-"),
        title=_("%(label)s, by quarter") % {"label": row.label},
        description=words,
        bars=tuple(bars),
    )


def _spoken(cell: Cell) -> str:
    """A cell as a chart's text alternative reads it."""
    if cell.shown:
        return cell.display
    if cell.code == NO_DATA:
        return cell.reason
    return _("hidden (%(reason)s)") % {"reason": cell.reason}


def csv_rows(view: ReportView) -> Iterable[list[str]]:
    """One line per figure and period, with the reason when hidden (never a zero)."""
    yield [
        _("Section"),
        _("Area"),
        _("Figure"),
        _("Period"),
        _("Value"),
        _("Unit"),
        _("Shown"),
        _("Why hidden"),
        _("What it means"),
    ]
    titles = dict(SECTIONS)
    for section in view.sections:
        for row in (*section.rows, *(row for block in section.areas for row in block.rows)):
            for cell in row.cells:
                yield [
                    str(titles.get(section.key, section.key)),
                    str(area_label(row.area)) if row.area else "",
                    str(row.label),
                    f"{view.year} {cell.period}",
                    str(cell.value) if cell.shown and cell.value is not None else "",
                    view.currency if row.unit == "money" else row.unit,
                    _("yes") if cell.shown else _("no"),
                    cell.reason,
                    str(row.definition),
                ]
