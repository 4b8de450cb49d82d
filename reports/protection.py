"""Which figures of a report may be shown ("The protection rules").

Pure Python: no models, no database, no Django. The report generator builds
``Figure`` values, declares which figures add up (``Sum``), passes the values
already published in earlier versions, and gets back one ``Decision`` per figure.

What an attacker is assumed to know (the rules below are checked against this):

- every figure shown now, and every figure published in an earlier version
  (``published``: every value ever published under each key). A figure whose value
  differs from one published before is hidden ("changed"), so two versions can never
  be subtracted to describe the few people whose data changed;
- every additive relation (``Sum``): which figures add up to which total;
- that counts are head counts: whole numbers, never negative, equal to the
  number of distinct people behind them;
- that tallies (meetings held, decisions logged: numbers of things, not of
  people) are never negative, and whole numbers when they take part in a
  ``Sum``; nothing else: a tally from three people can be any size, so the
  reason a tally is hidden says nothing about its value;
- with ``reasons_public=True`` (the default, the safe choice), the reason
  given for every hidden figure: a count hidden as "fewer than k people" lies
  in 0..k-1, and a count hidden for any other reason has at least k people (it
  passed the first rule). With ``reasons_public=False`` the caller promises
  that readers only see "hidden", so a hidden count is only known to be >= 0.

Knowing the reasons can pin a figure whatever else is hidden (a shown total
of 5 over two parts that each have fewer than 5 people puts each part in
1..4). Such keys are listed in ``ProtectedReport.unresolved``.

The rules (k is the organization setting, never below 5; p = 10):

1. a figure is shown only if at least k distinct people contribute (the only
   rule for a tally);
2. a sum also passes the p%-rule: the total minus the two largest
   contributions is at least p% of the largest (otherwise the second-largest
   contributor could estimate the largest within p%);
3. a median comes from at least k values and at least k people, and is shown
   in whole weeks, rounding half up (``median_weeks``); its values may be
   given per person or on their own (days to answer each recommendation);
4. complementary suppression: while some hidden count or whole-number tally
   could be narrowed to
   fewer than k possible values (``attacker_interval``), or some hidden sum
   could be worked out exactly, hide one more figure — the total of a
   relation that touches it if that total is shown, else the smallest shown
   part (ties by key). A figure already published cannot be hidden again; if
   nothing is left to hide, the key is listed in ``ProtectedReport.unresolved``
   and the report must not be published.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

METHOD_VERSION = (
    "protection-3 (k>=5, p=10%, tallies, complementary ranges >= k, changed figures hidden)"
)
K_FLOOR = 5
P_PERCENT = 10

Kind = Literal["count", "tally", "sum", "median"]
# Kinds whose figures are whole numbers an attacker can pin down through ``Sum`` relations.
_WHOLE_KINDS = frozenset({"count", "tally"})
Number = Decimal | int

CODE_SHOWN = "shown"
CODE_TOO_FEW = "too_few"
CODE_DOMINANCE = "dominance"
CODE_COMPLEMENTARY = "complementary"
CODE_CHANGED = "changed"

REASON_DOMINANCE = "could reveal one person's amount"
REASON_COMPLEMENTARY = "hidden so another hidden figure cannot be worked out"
REASON_CHANGED = "changed since an earlier published version"

# How far the feasibility search tries an unbounded hidden count (small reports).
_SEARCH_CAP = 400
_MAX_PASSES = 10_000


def reason_too_few(k: int) -> str:
    return f"fewer than {k} people"


@dataclass(frozen=True)
class Figure:
    """One figure of a report. Counts are head counts: value == len(contributors).

    A tally is a number of things (not people) that ``contributors`` took part in.
    Sums carry ``values_by_contributor`` (amounts). Medians carry either
    ``values_by_contributor`` or ``median_values`` (days, one per thing measured,
    from any of ``contributors``).
    """

    key: str
    kind: Kind
    value: Number
    contributors: frozenset[int]
    values_by_contributor: Mapping[int, Decimal] | None = None
    median_values: tuple[Decimal, ...] | None = None

    def __post_init__(self) -> None:
        if self.kind == "count":
            if isinstance(self.value, bool) or not isinstance(self.value, int):
                raise ValueError(f"{self.key}: a count must be a whole number")
            if self.value != len(self.contributors):
                raise ValueError(f"{self.key}: a count must equal its number of people")
            return
        if self.kind == "tally":
            if isinstance(self.value, bool) or Decimal(self.value) < 0:
                raise ValueError(f"{self.key}: a tally must be a number, not negative")
            return
        if self.kind == "median" and self.median_values is not None:
            if any(Decimal(v) < 0 for v in self.median_values):
                raise ValueError(f"{self.key}: values must not be negative")
            if self.median_values and self.value != median_weeks(self.median_values):
                raise ValueError(f"{self.key}: a median must be median_weeks(values)")
            return
        values = self.values_by_contributor
        if values is None or frozenset(values) != self.contributors:
            raise ValueError(f"{self.key}: give one value for each contributor")
        if any(Decimal(v) < 0 for v in values.values()):
            raise ValueError(f"{self.key}: values must not be negative")
        if self.kind == "sum":
            if Decimal(self.value) != sum((Decimal(v) for v in values.values()), Decimal(0)):
                raise ValueError(f"{self.key}: a sum must equal its contributions")
        elif self.kind == "median":
            if values and self.value != median_weeks(values.values()):
                raise ValueError(f"{self.key}: a median must be median_weeks(values)")
        else:  # pragma: no cover - guarded by the type
            raise ValueError(f"{self.key}: unknown kind {self.kind!r}")

    @property
    def value_count(self) -> int:
        """How many values a median comes from (people for every other kind)."""
        if self.median_values is not None:
            return len(self.median_values)
        return len(self.contributors)


@dataclass(frozen=True)
class Sum:
    """An additive relation: the figure ``total`` equals the sum of ``parts``."""

    total: str
    parts: tuple[str, ...]

    @property
    def members(self) -> tuple[str, ...]:
        return (self.total, *self.parts)


@dataclass(frozen=True)
class Decision:
    key: str
    shown: bool
    value: Number | None
    reason: str
    code: str  # stable code for translation: shown, too_few, dominance, complementary, changed


@dataclass(frozen=True)
class ProtectedReport:
    decisions: tuple[Decision, ...]
    k: int
    method_version: str = METHOD_VERSION
    unresolved: tuple[str, ...] = field(default=())

    def decision(self, key: str) -> Decision:
        for item in self.decisions:
            if item.key == key:
                return item
        raise KeyError(key)

    def shown_values(self) -> dict[str, Number]:
        return {d.key: d.value for d in self.decisions if d.shown and d.value is not None}


# --- rules 2 and 3 -----------------------------------------------------------


def passes_p_percent(contributions: Iterable[Decimal], p: int = P_PERCENT) -> bool:
    """True when the total minus the two largest is at least p% of the largest."""
    ordered = sorted((Decimal(c) for c in contributions), reverse=True)
    if not ordered:
        return True
    largest = ordered[0]
    second = ordered[1] if len(ordered) > 1 else Decimal(0)
    rest = sum(ordered, Decimal(0)) - largest - second
    return rest >= largest * Decimal(p) / Decimal(100)


def median_weeks(values_in_days: Iterable[int | Decimal]) -> int:
    """The median of day counts, in whole weeks, rounding half up."""
    ordered = sorted(Decimal(v) for v in values_in_days)
    if not ordered:
        raise ValueError("a median needs at least one value")
    middle = len(ordered) // 2
    pair = ordered[middle - 1] + ordered[middle] if len(ordered) > 1 else ordered[0] * 2
    median = ordered[middle] if len(ordered) % 2 else pair / 2
    return int((median / 7).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- the attacker's view of hidden counts ------------------------------------

Bounds = dict[str, tuple[int, int | None]]


def _propagate(bounds: Bounds, relations: Sequence[Sum]) -> Bounds | None:
    """Tighten bounds until nothing changes; None when no counts can fit."""
    current = dict(bounds)
    for _ in range(_MAX_PASSES):
        changed = False
        for rel in relations:
            parts = [current[p] for p in rel.parts]
            parts_lo = sum(lo for lo, _ in parts)
            his = [hi for _, hi in parts]
            parts_hi = None if any(h is None for h in his) else sum(h for h in his if h is not None)
            t_lo, t_hi = current[rel.total]
            new_t_lo = max(t_lo, parts_lo)
            new_t_hi = (
                parts_hi if t_hi is None else (t_hi if parts_hi is None else min(t_hi, parts_hi))
            )
            if (new_t_lo, new_t_hi) != (t_lo, t_hi):
                current[rel.total] = (new_t_lo, new_t_hi)
                t_lo, t_hi = new_t_lo, new_t_hi
                changed = True
            for index, name in enumerate(rel.parts):
                lo, hi = current[name]
                others_lo = parts_lo - parts[index][0]
                new_lo, new_hi = lo, hi
                if t_hi is not None:
                    cap = t_hi - others_lo
                    new_hi = cap if hi is None else min(hi, cap)
                if parts_hi is not None:
                    others_hi = parts_hi - (parts[index][1] or 0)
                    new_lo = max(lo, t_lo - others_hi)
                if (new_lo, new_hi) != (lo, hi):
                    current[name] = (new_lo, new_hi)
                    changed = True
        for lo, hi in current.values():
            if hi is not None and lo > hi:
                return None
        if not changed:
            return current
    return None


def _feasible(bounds: Bounds, relations: Sequence[Sum]) -> bool:
    tightened = _propagate(bounds, relations)
    if tightened is None:
        return False
    open_keys = [key for key, (lo, hi) in tightened.items() if hi != lo]
    if not open_keys:
        return all(
            tightened[r.total][0] == sum(tightened[p][0] for p in r.parts) for r in relations
        )

    def size(key: str) -> int:
        lo, hi = tightened[key]
        return _SEARCH_CAP if hi is None else hi - lo

    key = min(open_keys, key=lambda name: (size(name), name))
    lo, hi = tightened[key]
    top = lo + _SEARCH_CAP if hi is None else hi
    for value in range(lo, top + 1):
        trial = dict(tightened)
        trial[key] = (value, value)
        if _feasible(trial, relations):
            return True
    return False


def attacker_interval(
    hidden_key: str,
    shown: Mapping[str, int],
    relations: Sequence[Sum],
    published: Mapping[str, int],
    k: int,
    *,
    too_few: Set[str] = frozenset(),
    at_least_k: Set[str] = frozenset(),
) -> tuple[int, int | None]:
    """The smallest and largest value a hidden count could have, to an attacker.

    The attacker knows ``shown`` and ``published`` values exactly, the count
    relations, that counts are whole and not negative, that counts in
    ``too_few`` lie in 0..k-1 and that counts in ``at_least_k`` are at least k.
    ``None`` as the upper end means no upper limit.
    """
    known: dict[str, int] = {**published, **shown}
    if hidden_key in known:
        value = known[hidden_key]
        return value, value
    names = {hidden_key} | {name for rel in relations for name in rel.members}
    bounds: Bounds = {}
    for name in names:
        if name in known:
            bounds[name] = (known[name], known[name])
        elif name in too_few:
            bounds[name] = (0, k - 1)
        elif name in at_least_k:
            bounds[name] = (k, None)
        else:
            bounds[name] = (0, None)
    base = _propagate(bounds, relations)
    if base is None:
        raise ValueError("the shown figures do not add up")
    lo, hi = base[hidden_key]
    top = lo + _SEARCH_CAP if hi is None else hi
    low = next(
        (v for v in range(lo, top + 1) if _feasible({**base, hidden_key: (v, v)}, relations)), lo
    )
    if hi is None:
        return low, None
    high = next(
        (v for v in range(hi, low - 1, -1) if _feasible({**base, hidden_key: (v, v)}, relations)),
        hi,
    )
    return low, high


def interval_size(interval: tuple[int, int | None]) -> int | None:
    """How many values the interval holds (None: unlimited)."""
    lo, hi = interval
    return None if hi is None else hi - lo + 1


# --- the whole report --------------------------------------------------------


def _pick_more(
    start: str,
    relations: Sequence[Sum],
    hideable: Set[str],
    values: Mapping[str, Number],
    at_least: Decimal = Decimal(0),
) -> str | None:
    """The next figure to hide: first a shown total, then the smallest shown part of
    at least ``at_least`` (else the largest smaller one).

    Looks at the relations touching ``start`` first, then further out through
    hidden figures. For sums ``at_least`` is p% of the figure being protected: a tiny
    partner would leave it known to within a few per cent (A + B known, B small).
    """
    frontier = {start}
    seen_relations: set[int] = set()
    reached = {start}
    while frontier:
        layer = [
            (i, rel)
            for i, rel in enumerate(relations)
            if i not in seen_relations and frontier & set(rel.members)
        ]
        if not layer:
            return None
        seen_relations.update(i for i, _ in layer)
        totals = sorted({rel.total for _, rel in layer if rel.total in hideable})
        if totals:
            return totals[0]
        parts = sorted(
            {p for _, rel in layer for p in rel.parts if p in hideable},
            key=lambda name: (
                Decimal(values[name]) < at_least,
                # Big enough: the smallest such. Too small: the largest of them.
                Decimal(values[name]) * (-1 if Decimal(values[name]) < at_least else 1),
                name,
            ),
        )
        if parts:
            return parts[0]
        members = {m for _, rel in layer for m in rel.members}
        frontier = members - reached
        reached |= members
    return None


def _components(relations: Sequence[Sum]) -> dict[str, tuple[Sum, ...]]:
    """For each figure in a relation, the relations connected to it.

    Figures in unconnected relations cannot narrow each other, and searching one
    small group at a time keeps a report with hundreds of figures quick.
    """
    parent: dict[str, str] = {}

    def root(name: str) -> str:
        while parent.setdefault(name, name) != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for rel in relations:
        for member in rel.parts:
            parent[root(member)] = root(rel.total)
    groups: dict[str, list[Sum]] = {}
    for rel in relations:
        groups.setdefault(root(rel.total), []).append(rel)
    return {name: tuple(groups[root(name)]) for rel in relations for name in rel.members}


def _check_relations(figures: Mapping[str, Figure], relations: Sequence[Sum]) -> None:
    for rel in relations:
        missing = [m for m in rel.members if m not in figures]
        if missing:
            raise ValueError(f"unknown figures in a relation: {missing}")
        kinds = {figures[m].kind for m in rel.members}
        if len(kinds) != 1 or kinds == {"median"}:
            raise ValueError(
                f"relation {rel.total}: parts must all be counts, all tallies or all sums"
            )
        if kinds == {"tally"} and any(
            Decimal(figures[m].value) != Decimal(figures[m].value).to_integral_value()
            for m in rel.members
        ):
            raise ValueError(f"relation {rel.total}: tallies that add up must be whole numbers")
        total = sum((Decimal(figures[p].value) for p in rel.parts), Decimal(0))
        if Decimal(figures[rel.total].value) != total:
            raise ValueError(f"relation {rel.total}: the parts do not add up to the total")


Published = Mapping[str, Number | Collection[Number]]


def _history(published: Published | None) -> dict[str, set[Decimal]]:
    """Every value published earlier under each key (one, or several versions')."""
    history: dict[str, set[Decimal]] = {}
    for key, given in (published or {}).items():
        values = (given,) if isinstance(given, str | int | Decimal) else given
        history[key] = {Decimal(v) for v in values}
    return history


def protect(
    figures: Sequence[Figure],
    relations: Sequence[Sum] = (),
    published: Published | None = None,
    k: int = K_FLOOR,
    *,
    reasons_public: bool = True,
) -> ProtectedReport:
    """Decide, for every figure, whether it may be shown, and why not.

    ``published`` gives, per key, the value (or every value) published before, in any
    version of any report. A figure whose value differs from one published before is
    hidden ("changed"): the difference between two versions describes only the people
    whose data changed, and nobody can say how few they are. A figure equal to every
    value published before is fixed knowledge for the attacker."""
    if isinstance(k, bool) or not isinstance(k, int) or k < K_FLOOR:
        raise ValueError(f"k must be a whole number of at least {K_FLOOR}")
    by_key = {f.key: f for f in figures}
    if len(by_key) != len(figures):
        raise ValueError("figure keys must be unique")
    _check_relations(by_key, relations)
    history = {key: seen for key, seen in _history(published).items() if key in by_key}
    earlier = {
        key: by_key[key].value
        for key, seen in history.items()
        if seen == {Decimal(by_key[key].value)}
    }
    changed = set(history) - set(earlier)

    codes: dict[str, str] = {}
    for f in figures:
        if len(f.contributors) < k or f.value_count < k:
            codes[f.key] = CODE_TOO_FEW
        elif f.key in changed:
            codes[f.key] = CODE_CHANGED
        elif f.kind == "sum" and not passes_p_percent((f.values_by_contributor or {}).values()):
            codes[f.key] = CODE_DOMINANCE
        else:
            codes[f.key] = CODE_SHOWN

    values = {f.key: f.value for f in figures}
    unresolved: set[str] = set()
    count_rels = [r for r in relations if by_key[r.total].kind in _WHOLE_KINDS]
    component = _components(count_rels)
    related = {name for rel in count_rels for name in rel.members}
    sum_rels = [r for r in relations if by_key[r.total].kind == "sum"]

    def hideable() -> set[str]:
        return {key for key, code in codes.items() if code == CODE_SHOWN and key not in earlier}

    # Counts and whole tallies: every hidden one keeps at least k possible values. Only
    # those in a relation can be narrowed by arithmetic; a lone hidden count keeps its
    # reason's range (0..k-1, or k and up), a lone tally any value.
    whole = {key for key, f in by_key.items() if f.kind == "count" or key in related}
    while True:
        shown = {
            key: int(values[key])
            for key, code in codes.items()
            if code == CODE_SHOWN and key in whole
        }
        known = {key: int(v) for key, v in earlier.items() if key in whole}
        too_few: set[str] = set()
        at_least_k: set[str] = set()
        if reasons_public:
            # The reason bounds a head count, never a tally.
            too_few = {
                key
                for key, code in codes.items()
                if code == CODE_TOO_FEW and by_key[key].kind == "count"
            }
            at_least_k = {
                key
                for key, code in codes.items()
                if code in {CODE_COMPLEMENTARY, CODE_CHANGED} and by_key[key].kind == "count"
            }
        narrow = None
        for key in sorted(k_ for k_ in whole if codes[k_] != CODE_SHOWN):
            if key in known or key in unresolved:
                continue
            size = interval_size(
                attacker_interval(
                    key,
                    shown,
                    component.get(key, ()),
                    known,
                    k,
                    too_few=too_few,
                    at_least_k=at_least_k,
                )
            )
            if size is not None and size < k:
                narrow = key
                break
        if narrow is None:
            break
        extra = _pick_more(narrow, count_rels, hideable(), values)
        if extra is None:
            unresolved.add(narrow)
        else:
            codes[extra] = CODE_COMPLEMENTARY

    # Sums: no hidden sum can be worked out exactly from shown and earlier sums.
    while True:
        derived = {
            key for key, code in codes.items() if code == CODE_SHOWN and by_key[key].kind == "sum"
        }
        derived |= {key for key in earlier if by_key[key].kind == "sum"}
        exposed = None
        grew = True
        while grew and exposed is None:
            grew = False
            for rel in sum_rels:
                unknown = [m for m in rel.members if m not in derived]
                if len(unknown) == 1:
                    derived.add(unknown[0])
                    grew = True
                    if unknown[0] not in earlier and unknown[0] not in unresolved:
                        exposed = unknown[0]
                        break
        if exposed is None:
            break
        cover = Decimal(values[exposed]) * Decimal(P_PERCENT) / Decimal(100)
        extra = _pick_more(exposed, sum_rels, hideable(), values, at_least=cover)
        if extra is None:
            unresolved.add(exposed)
        else:
            codes[extra] = CODE_COMPLEMENTARY

    reasons = {
        CODE_SHOWN: "",
        CODE_TOO_FEW: reason_too_few(k),
        CODE_DOMINANCE: REASON_DOMINANCE,
        CODE_COMPLEMENTARY: REASON_COMPLEMENTARY,
        CODE_CHANGED: REASON_CHANGED,
    }
    decisions = tuple(
        Decision(
            key=f.key,
            shown=codes[f.key] == CODE_SHOWN,
            value=f.value if codes[f.key] == CODE_SHOWN else None,
            reason=reasons[codes[f.key]],
            code=codes[f.key],
        )
        for f in figures
    )
    return ProtectedReport(decisions=decisions, k=k, unresolved=tuple(sorted(unresolved)))
