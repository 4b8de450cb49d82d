"""Hand-made report snapshots in the schema helper A's engine writes (notes: "Snapshot
schema"), so the renderer and the funder pages are tested on exactly known figures."""

from __future__ import annotations

from typing import Any

from reports.measures import MEASURES


def cell(value: str | None, code: str = "shown") -> dict[str, Any]:
    if value is None:
        return {"shown": False, "value": None, "code": code}
    return {"shown": True, "value": value, "code": "shown"}


def year_snapshot(
    year: int = 2025,
    *,
    values: dict[str, dict[str, dict[str, Any]]] | None = None,
    quotes: list[dict[str, Any]] | None = None,
    k: int = 5,
    default: str = "7",
) -> dict[str, Any]:
    """A year report where every figure is `default` unless `values` says otherwise
    (key -> period -> cell)."""
    periods = ["Q1", "Q2", "Q3", "Q4", "Y"]
    values = values or {}
    measures = []
    hidden = 0
    for info in MEASURES:
        cells = {period: cell(_default_for(info.unit, default)) for period in periods}
        cells.update(values.get(info.key, {}))
        hidden += sum(1 for c in cells.values() if not c["shown"])
        measures.append(
            {
                "key": info.key,
                "section": info.section,
                "area": info.area,
                "unit": info.unit,
                "kind": info.kind,
                "cells": cells,
            }
        )
    return {
        "schema": 1,
        "method_version": "protection-2 test",
        "k": k,
        "year": year,
        "quarter": 0,
        "periods": periods,
        "currency": "USD",
        "measures": measures,
        "quotes": quotes or [],
        "hidden": hidden,
    }


def _default_for(unit: str, default: str) -> str:
    return {"money": "1250.00", "ratio": "1.00", "weeks": "2", "hours": "12.5"}.get(unit, default)
