"""The report protection rules: pure Python, no database."""

from __future__ import annotations

from decimal import Decimal
from itertools import count as counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.protection import (
    CODE_CHANGED,
    CODE_COMPLEMENTARY,
    CODE_DOMINANCE,
    CODE_SHOWN,
    CODE_TOO_FEW,
    METHOD_VERSION,
    Figure,
    ProtectedReport,
    Sum,
    attacker_interval,
    interval_size,
    median_weeks,
    passes_p_percent,
    protect,
)

_ids = counter(1)


def people(n: int) -> frozenset[int]:
    return frozenset(next(_ids) for _ in range(n))


def headcount(key: str, who: frozenset[int]) -> Figure:
    return Figure(key=key, kind="count", value=len(who), contributors=who)


def amounts(key: str, *values: str) -> Figure:
    by_person = {next(_ids): Decimal(v) for v in values}
    return Figure(
        key=key,
        kind="sum",
        value=sum(by_person.values(), Decimal(0)),
        contributors=frozenset(by_person),
        values_by_contributor=by_person,
    )


def hidden_counts(report: ProtectedReport) -> list[str]:
    return [d.key for d in report.decisions if not d.shown]


# --- rule 1: fewer than k people ----------------------------------------------


def test_k_below_five_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 5"):
        protect([headcount("a", people(9))], k=4)


def test_fewer_than_k_people_is_hidden_in_plain_words() -> None:
    report = protect([headcount("a", people(4)), headcount("b", people(5))])
    a, b = report.decision("a"), report.decision("b")
    assert (a.shown, a.value, a.reason, a.code) == (
        False,
        None,
        "fewer than 5 people",
        CODE_TOO_FEW,
    )
    assert (b.shown, b.value, b.code) == (True, 5, CODE_SHOWN)
    assert report.method_version == METHOD_VERSION


def test_a_raised_k_is_used() -> None:
    report = protect([headcount("a", people(6))], k=7)
    assert report.decision("a").reason == "fewer than 7 people"


def test_a_count_must_be_a_head_count() -> None:
    with pytest.raises(ValueError, match="number of people"):
        Figure(key="a", kind="count", value=3, contributors=people(2))


# --- rule 2: the p%-rule ------------------------------------------------------


def test_p_percent_rule_by_hand() -> None:
    # 100 + 50 are the two largest; the other three add to 9 < 10% of 100.
    assert not passes_p_percent([Decimal(v) for v in ("100", "50", "3", "3", "3")])
    # The other three add to exactly 10: passes.
    assert passes_p_percent([Decimal(v) for v in ("100", "50", "4", "3", "3")])


def test_a_dominated_sum_is_hidden() -> None:
    report = protect([amounts("pay", "1000", "20", "20", "20", "20")])
    decision = report.decision("pay")
    assert (decision.shown, decision.code) == (False, CODE_DOMINANCE)
    assert decision.reason == "could reveal one person's amount"
    assert protect([amounts("pay", "30", "30", "30", "30", "30")]).decision("pay").shown


def test_a_sum_from_fewer_than_k_people_is_hidden() -> None:
    report = protect([amounts("pay", "30", "30", "30", "30")])
    assert report.decision("pay").code == CODE_TOO_FEW


# --- rule 3: medians ----------------------------------------------------------


def test_median_weeks_rounds_half_up() -> None:
    assert median_weeks([7, 14, 21]) == 2
    assert median_weeks([10, 11]) == 2  # 10.5 days = 1.5 weeks -> 2
    assert median_weeks([3]) == 0  # 3 days < half a week
    assert median_weeks([4]) == 1  # 4 days > half a week
    with pytest.raises(ValueError, match="at least one value"):
        median_weeks([])


def test_median_needs_k_values() -> None:
    def median(key: str, days: list[int]) -> Figure:
        by_person = {next(_ids): Decimal(d) for d in days}
        return Figure(
            key=key,
            kind="median",
            value=median_weeks(by_person.values()),
            contributors=frozenset(by_person),
            values_by_contributor=by_person,
        )

    report = protect([median("few", [7, 14, 21, 28]), median("enough", [7, 14, 21, 28, 35])])
    assert report.decision("few").code == CODE_TOO_FEW
    assert (report.decision("enough").shown, report.decision("enough").value) == (True, 3)


# --- rule 4: complementary suppression ----------------------------------------


def test_board_of_eight_split_six_and_two() -> None:
    north, south = people(6), people(2)
    figures = [
        headcount("all", north | south),
        headcount("north", north),
        headcount("south", south),
    ]
    relations = [Sum("all", ("north", "south"))]
    report = protect(figures, relations)
    assert report.decision("south").code == CODE_TOO_FEW
    # Showing 8 and 6 would give away the 2: one more figure is hidden.
    assert report.decision("all").code == CODE_COMPLEMENTARY
    assert report.decision("all").reason == "hidden so another hidden figure cannot be worked out"
    assert report.decision("north").shown
    assert report.unresolved == ()
    shown = {"north": 6}
    interval = attacker_interval("south", shown, relations, {}, 5, too_few={"south"})
    assert interval == (0, 4)


def test_quarters_against_the_year() -> None:
    quarters = {"q1": people(6), "q2": people(7), "q3": people(5), "q4": people(3)}
    year = frozenset().union(*quarters.values())
    figures = [headcount("year", year)] + [headcount(k, v) for k, v in quarters.items()]
    relations = [Sum("year", tuple(quarters))]
    report = protect(figures, relations)
    assert report.decision("q4").code == CODE_TOO_FEW
    assert report.decision("year").code == CODE_COMPLEMENTARY
    assert [report.decision(q).shown for q in ("q1", "q2", "q3")] == [True, True, True]


def test_hiding_a_part_when_the_total_was_published() -> None:
    # The year was published before (say in an earlier summary); now the quarters
    # appear: q4 is too small, the year cannot be taken back, so the smallest
    # shown quarter is hidden as well.
    quarters = {"q1": people(6), "q2": people(7), "q3": people(9), "q4": people(3)}
    year = frozenset().union(*quarters.values())
    figures = [headcount("year", year)] + [headcount(k, v) for k, v in quarters.items()]
    relations = [Sum("year", tuple(quarters))]
    report = protect(figures, relations, published={"year": 25})
    assert report.decision("year").shown
    assert report.decision("q4").code == CODE_TOO_FEW
    assert report.decision("q1").code == CODE_COMPLEMENTARY
    assert report.unresolved == ()
    shown = {k: int(v) for k, v in report.shown_values().items()}
    interval = attacker_interval(
        "q4", shown, relations, {"year": 25}, 5, too_few={"q4"}, at_least_k={"q1"}
    )
    assert interval_size(interval) == 5


def test_a_new_version_after_an_earlier_one_was_published() -> None:
    # Version 1 covered the first three quarters only and showed all three.
    quarters = {"q1": people(6), "q2": people(7), "q3": people(5), "q4": people(2)}
    first = protect([headcount(k, quarters[k]) for k in ("q1", "q2", "q3")])
    assert first.shown_values() == {"q1": 6, "q2": 7, "q3": 5}
    # Version 2 adds q4 and the year: q4 is too small, and the quarters already
    # published cannot be taken back, so the year must go.
    year = frozenset().union(*quarters.values())
    figures = [headcount("year", year)] + [headcount(k, v) for k, v in quarters.items()]
    relations = [Sum("year", tuple(quarters))]
    second = protect(figures, relations, published=first.shown_values())
    assert second.decision("year").code == CODE_COMPLEMENTARY
    assert second.decision("q4").code == CODE_TOO_FEW


def test_nothing_left_to_hide_is_reported_as_unresolved() -> None:
    north, south = people(6), people(2)
    figures = [
        headcount("all", north | south),
        headcount("north", north),
        headcount("south", south),
    ]
    report = protect(figures, [Sum("all", ("north", "south"))], published={"all": 8, "north": 6})
    assert report.unresolved == ("south",)


def test_sums_that_could_be_worked_out_hide_more() -> None:
    big = amounts("north", "30", "30", "30", "30", "30", "30")
    small = amounts("south", "10", "10")
    whole = Figure(
        key="all",
        kind="sum",
        value=big.value + small.value,
        contributors=big.contributors | small.contributors,
        values_by_contributor={
            **(big.values_by_contributor or {}),
            **(small.values_by_contributor or {}),
        },
    )
    report = protect([whole, big, small], [Sum("all", ("north", "south"))])
    assert report.decision("south").code == CODE_TOO_FEW
    assert report.decision("all").code == CODE_COMPLEMENTARY
    assert report.decision("north").shown


def test_relations_must_add_up() -> None:
    figures = [headcount("all", people(9)), headcount("a", people(5)), headcount("b", people(5))]
    with pytest.raises(ValueError, match="do not add up"):
        protect(figures, [Sum("all", ("a", "b"))])


# --- property: random small tables --------------------------------------------


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[Figure], list[Sum], set[str], int]:
    """A grid of head counts (rows x columns) with row, column and grand totals.

    Also returns the keys an earlier version covered (a random subset).
    """
    k = draw(st.sampled_from([5, 6, 7]))
    rows = draw(st.integers(1, 2))
    cols = draw(st.integers(2, 6 // rows))
    cells: dict[str, frozenset[int]] = {}
    for r in range(rows):
        for c in range(cols):
            cells[f"r{r}c{c}"] = people(draw(st.integers(0, 20)))
    figures = [headcount(key, who) for key, who in cells.items()]
    relations: list[Sum] = []
    row_keys = []
    for r in range(rows):
        parts = tuple(f"r{r}c{c}" for c in range(cols))
        key = f"row{r}" if rows > 1 else "all"
        figures.append(headcount(key, frozenset().union(*(cells[p] for p in parts))))
        relations.append(Sum(key, parts))
        row_keys.append(key)
    if rows > 1:
        everyone = frozenset().union(*cells.values())
        figures.append(headcount("all", everyone))
        relations.append(Sum("all", tuple(row_keys)))
        col_keys = []
        for c in range(cols):
            parts = tuple(f"r{r}c{c}" for r in range(rows))
            figures.append(headcount(f"col{c}", frozenset().union(*(cells[p] for p in parts))))
            relations.append(Sum(f"col{c}", parts))
            col_keys.append(f"col{c}")
        relations.append(Sum("all", tuple(col_keys)))
    keys = sorted(f.key for f in figures)
    earlier = set(draw(st.lists(st.sampled_from(keys), unique=True)))
    return figures, relations, earlier, k


@settings(max_examples=200, deadline=None)
@given(tables(), st.booleans())
def test_no_hidden_count_can_be_narrowed_below_k(
    table: tuple[list[Figure], list[Sum], set[str], int],
    reasons_public: bool,
) -> None:
    figures, relations, earlier_keys, k = table
    # An earlier version, protected by the same rules, covered only some figures.
    earlier_figures = [f for f in figures if f.key in earlier_keys]
    earlier_relations = [r for r in relations if set(r.members) <= earlier_keys]
    first = protect(earlier_figures, earlier_relations, k=k, reasons_public=reasons_public)
    if not reasons_public:
        # Readers see only "hidden": with nothing published before, always solvable.
        assert first.unresolved == ()
        assert protect(figures, relations, k=k, reasons_public=False).unresolved == ()
    published = {key: int(v) for key, v in first.shown_values().items()}

    # An earlier version (or the published reasons) can pin a figure whatever
    # this version hides (say a total of 5 was published, and now one part is
    # 0): that key is listed as unresolved and the report must not be published.
    report = protect(figures, relations, published=published, k=k, reasons_public=reasons_public)
    by_key = {f.key: f for f in figures}
    shown = {d.key: int(d.value) for d in report.decisions if d.shown and d.value is not None}
    too_few: set[str] = set()
    at_least_k: set[str] = set()
    if reasons_public:
        # The reasons of this version and of the earlier one (same data, same k).
        for version in (first, report):
            too_few |= {d.key for d in version.decisions if d.code == CODE_TOO_FEW}
            at_least_k |= {d.key for d in version.decisions if d.code == CODE_COMPLEMENTARY}
    for decision in report.decisions:
        if decision.shown:
            assert len(by_key[decision.key].contributors) >= k
            continue
        if decision.key in published:
            continue  # already public: nothing this version can protect
        interval = attacker_interval(
            decision.key,
            shown,
            relations,
            published,
            k,
            too_few=too_few,
            at_least_k=at_least_k,
        )
        size = interval_size(interval)
        if decision.key in report.unresolved:
            assert size is not None
            assert size < k
        else:
            assert size is None or size >= k, (decision.key, interval)


def test_published_reasons_can_leave_a_figure_unresolved() -> None:
    one, four = people(1), people(4)
    figures = [headcount("all", one | four), headcount("a", one), headcount("b", four)]
    relations = [Sum("all", ("a", "b"))]
    # "a" and "b" are both "fewer than 5" and "all" has at least 5: each part is
    # 1..4 and "all" is 5..8 whatever is hidden.
    assert protect(figures, relations).unresolved == ("a", "all", "b")
    private = protect(figures, relations, reasons_public=False)
    assert private.unresolved == ()
    # Readers who see only "hidden" can say each part is 0..5: six values.
    assert private.decision("all").shown


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(0, 500).map(Decimal), min_size=0, max_size=8),
        min_size=2,
        max_size=6,
    )
)
def test_every_shown_sum_passes_the_p_percent_rule(groups: list[list[Decimal]]) -> None:
    parts = [amounts(f"p{i}", *(str(v) for v in values)) for i, values in enumerate(groups)]
    everyone: dict[int, Decimal] = {}
    for part in parts:
        everyone.update(part.values_by_contributor or {})
    whole = Figure(
        key="all",
        kind="sum",
        value=sum(everyone.values(), Decimal(0)),
        contributors=frozenset(everyone),
        values_by_contributor=everyone,
    )
    figures = [whole, *parts]
    relation = Sum("all", tuple(p.key for p in parts))
    report = protect(figures, [relation])
    by_key = {f.key: f for f in figures}
    hidden = [d.key for d in report.decisions if not d.shown]
    for decision in report.decisions:
        if decision.shown:
            figure = by_key[decision.key]
            assert len(figure.contributors) >= 5
            assert passes_p_percent((figure.values_by_contributor or {}).values())
    # A lone hidden figure in the relation could be worked out by subtraction.
    assert len(hidden) != 1
    assert report.unresolved == ()


# --- tallies: numbers of things, not of people ----------------------------------


def tally(key: str, value: int | Decimal, who: frozenset[int]) -> Figure:
    return Figure(key=key, kind="tally", value=value, contributors=who)


def test_a_tally_is_shown_only_with_k_people_whatever_its_size() -> None:
    report = protect([tally("meetings", 40, people(4)), tally("items", 2, people(5))])
    assert report.decision("meetings").code == CODE_TOO_FEW
    assert (report.decision("items").shown, report.decision("items").value) == (True, 2)


def test_a_tally_is_never_negative_and_adds_up_only_in_whole_numbers() -> None:
    with pytest.raises(ValueError, match="not negative"):
        tally("a", -1, people(5))
    halves = [tally("all", Decimal("1.5"), people(5)), tally("a", Decimal("1.5"), people(5))]
    with pytest.raises(ValueError, match="whole numbers"):
        protect(halves, [Sum("all", ("a",))])


def test_a_hidden_quarter_tally_hides_the_year_too() -> None:
    # Meetings held: the year shows 12, three quarters show 3 each; the fourth,
    # hidden for too few people, would be 12 - 9 = 3.
    quarters = {"q1": people(5), "q2": people(6), "q3": people(5), "q4": people(2)}
    year = frozenset().union(*quarters.values())
    figures = [tally("year", 12, year)] + [tally(q, 3, who) for q, who in quarters.items()]
    report = protect(figures, [Sum("year", tuple(quarters))])
    assert report.decision("q4").code == CODE_TOO_FEW
    assert report.decision("year").code == CODE_COMPLEMENTARY
    assert report.unresolved == ()


def test_a_hidden_tally_gets_no_range_from_its_reason() -> None:
    # Two parts hidden for too few people under a shown total of 40: as counts each
    # would be 0..4 (pinned); as tallies each could be 0..40.
    a, b = people(2), people(3)
    figures = [tally("all", 40, a | b), tally("a", 25, a), tally("b", 15, b)]
    report = protect(figures, [Sum("all", ("a", "b"))])
    assert report.unresolved == ()
    assert report.decision("all").shown
    assert attacker_interval("a", {"all": 40}, [Sum("all", ("a", "b"))], {}, 5) == (0, 40)


def test_a_small_shown_total_over_hidden_tallies_is_hidden() -> None:
    # A total of 2 over two hidden parts leaves each 0..2: three values, fewer than k.
    a, b = people(2), people(3)
    figures = [tally("all", 2, a | b), tally("a", 1, a), tally("b", 1, b)]
    report = protect(figures, [Sum("all", ("a", "b"))])
    assert report.decision("all").code == CODE_COMPLEMENTARY


def test_a_median_of_things_needs_k_values_and_k_people() -> None:
    def days_to_answer(key: str, days: list[int], who: frozenset[int]) -> Figure:
        values = tuple(Decimal(d) for d in days)
        return Figure(
            key=key,
            kind="median",
            value=median_weeks(values),
            contributors=who,
            median_values=values,
        )

    report = protect(
        [
            days_to_answer("few_values", [7, 14, 21, 28], people(9)),
            days_to_answer("few_people", [7, 14, 21, 28, 35, 42], people(4)),
            days_to_answer("enough", [7, 14, 21, 28, 35, 42], people(5)),
        ]
    )
    assert report.decision("few_values").code == CODE_TOO_FEW
    assert report.decision("few_people").code == CODE_TOO_FEW
    assert (report.decision("enough").shown, report.decision("enough").value) == (True, 4)
    with pytest.raises(ValueError, match="median_weeks"):
        Figure(key="m", kind="median", value=9, contributors=people(5), median_values=(Decimal(7),))


@st.composite
def tally_tables(draw: st.DrawFn) -> tuple[list[Figure], list[Sum], set[str], int]:
    """Quarters by areas of tallies, with area totals, quarter totals and the year.

    The value of a cell is drawn apart from its number of people: three people can
    log forty decisions, and nine people none.
    """
    k = draw(st.sampled_from([5, 6]))
    rows = draw(st.integers(1, 2))
    cols = draw(st.integers(2, 6 // rows))
    values: dict[str, int] = {}
    who: dict[str, frozenset[int]] = {}
    for r in range(rows):
        for c in range(cols):
            key = f"r{r}c{c}"
            values[key] = draw(st.integers(0, 12))
            who[key] = people(draw(st.integers(0, 9)))
    relations: list[Sum] = []

    def total(key: str, parts: tuple[str, ...]) -> None:
        values[key] = sum(values[p] for p in parts)
        who[key] = frozenset().union(*(who[p] for p in parts))
        relations.append(Sum(key, parts))

    row_keys = []
    for r in range(rows):
        key = f"row{r}" if rows > 1 else "all"
        total(key, tuple(f"r{r}c{c}" for c in range(cols)))
        row_keys.append(key)
    if rows > 1:
        col_keys = [f"col{c}" for c in range(cols)]
        for c, key in enumerate(col_keys):
            total(key, tuple(f"r{r}c{c}" for r in range(rows)))
        total("all", tuple(row_keys))
        relations.append(Sum("all", tuple(col_keys)))
    figures = [tally(key, values[key], who[key]) for key in values]
    keys = sorted(values)
    earlier = set(draw(st.lists(st.sampled_from(keys), unique=True)))
    return figures, relations, earlier, k


@settings(max_examples=150, deadline=None)
@given(tally_tables())
def test_no_hidden_tally_can_be_narrowed_below_k(
    table: tuple[list[Figure], list[Sum], set[str], int],
) -> None:
    figures, relations, earlier_keys, k = table
    earlier_figures = [f for f in figures if f.key in earlier_keys]
    earlier_relations = [r for r in relations if set(r.members) <= earlier_keys]
    first = protect(earlier_figures, earlier_relations, k=k)
    # Reasons say nothing about a tally's value, so nothing is pinned without history.
    assert first.unresolved == ()
    published = {key: int(v) for key, v in first.shown_values().items()}
    report = protect(figures, relations, published=published, k=k)
    by_key = {f.key: f for f in figures}
    shown = {d.key: int(d.value) for d in report.decisions if d.shown and d.value is not None}
    for decision in report.decisions:
        if decision.shown:
            assert len(by_key[decision.key].contributors) >= k
            continue
        if decision.key in published:
            continue
        size = interval_size(attacker_interval(decision.key, shown, relations, published, k))
        if decision.key in report.unresolved:
            assert size is not None
            assert size < k
        else:
            assert size is None or size >= k, (decision.key, size)


# --- versions of changed data ----------------------------------------------------------


def test_a_figure_that_changed_since_it_was_published_is_hidden() -> None:
    """Version 1 showed 75.00 paid to six people; one of them stopped being counted and
    version 2 would show 60.00 for five. Shown side by side, the difference is that one
    person's pay: version 2 hides the figure instead."""
    first = protect([amounts("paid", "15", "12", "12", "12", "12", "12")])
    assert first.shown_values() == {"paid": Decimal("75")}
    second = protect([amounts("paid", "12", "12", "12", "12", "12")], published={"paid": 75})
    assert second.decision("paid").code == CODE_CHANGED
    assert second.decision("paid").value is None
    assert second.decision("paid").reason == "changed since an earlier published version"


def test_a_figure_equal_to_every_earlier_value_stays_shown() -> None:
    figures = [headcount("members", people(6))]
    assert protect(figures, published={"members": [6, 6]}).decision("members").shown
    # Once two versions disagreed, no later value can be shown next to both.
    assert protect(figures, published={"members": [6, 7]}).decision("members").code == (
        CODE_CHANGED
    )


@settings(max_examples=150, deadline=None)
@given(tables(), st.data())
def test_no_shown_figure_differs_from_a_value_published_before(
    table: tuple[list[Figure], list[Sum], set[str], int], data: st.DataObject
) -> None:
    """Over random reports and random earlier versions (some values as they are now,
    some different): a figure is shown only if every value published before under its
    key equals it, so no two versions can be subtracted."""
    figures, relations, earlier_keys, k = table
    published: dict[str, list[int]] = {}
    for figure in figures:
        if figure.key in earlier_keys:
            shift = data.draw(st.sampled_from([0, 0, 1, -1, 3]))
            published[figure.key] = [int(figure.value), max(int(figure.value) + shift, 0)]
    report = protect(figures, relations, published=published, k=k)
    for decision in report.decisions:
        if decision.shown and decision.key in published:
            assert set(published[decision.key]) == {int(decision.value or 0)}
        if decision.key in published and len(set(published[decision.key])) > 1:
            assert not decision.shown


def test_a_hidden_sum_gets_a_partner_big_enough_to_cover_it() -> None:
    """Q1 (two people, 500.00) is hidden and the year was already published: hiding the
    tiny Q3 (5.00) as its partner would leave Q1 known to within 1%. The partner must be
    at least p% of Q1: Q4 (800.00) is hidden instead."""
    q1 = amounts("q1", "250", "250")
    q2 = amounts("q2", "200", "200", "200", "200", "100", "100")
    q3 = amounts("q3", "1", "1", "1", "1", "0.5", "0.5")
    q4 = amounts("q4", "150", "150", "150", "150", "100", "100")
    parts = (q1, q2, q3, q4)
    by_person = {p: v for f in parts for p, v in (f.values_by_contributor or {}).items()}
    year = Figure(
        key="year",
        kind="sum",
        value=sum(by_person.values(), Decimal(0)),
        contributors=frozenset(by_person),
        values_by_contributor=by_person,
    )
    relations = [Sum("year", ("q1", "q2", "q3", "q4"))]
    report = protect([year, *parts], relations, published={"year": year.value})
    assert report.decision("q1").code == CODE_TOO_FEW
    assert report.decision("q4").code == CODE_COMPLEMENTARY
    assert report.decision("q3").shown
    assert report.decision("q2").shown
    assert report.unresolved == ()
