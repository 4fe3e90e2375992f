"""Small valid records of any ledger kind, made from the schema (for template round trips)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ipobs.records.schema import ENUMS, KINDS, TABLES
from ipobs.sources.templates import layout


def _value(f, i: int, j: int, parent_key=None):
    if f.enum:
        codes = list(ENUMS[f.enum])
        return codes[(i + j) % len(codes)]
    if f.name == "nice_class":
        return (i * 7) % 45 + 1
    if f.type in ("date", "timestamp"):
        return (dt.date(2020, 1, 1) + dt.timedelta(days=30 * i + j)).isoformat()  # later columns, later dates
    if f.type == "int":
        return 2000 + i if f.name == "year" else i + 1
    if f.type == "float":
        return round(1000.5 * (i + 1), 2)
    if f.type == "bool":
        return i % 2 == 0
    if f.name == "region_code":
        return ["120116", "120116Z1", "1201"][i % 3]
    return f"{f.name}-{i + 1}" if parent_key is None else f"{f.name}-{parent_key}-{i + 1}"


def sample_records(kind: str, n: int = 3, program: str | None = None) -> dict[str, pd.DataFrame]:
    """``n`` main rows and two child rows per main row, in every column the template has."""
    sheets = layout(kind, program)
    main = sheets[0]
    key = main.table.key[0]
    rows = []
    for i in range(n):
        rec = {c.field.name: _value(c.field, i, j) for j, c in enumerate(main.columns)}
        if program:
            rec["program"] = program
        rows.append(rec)
    out = {main.table.name: pd.DataFrame(rows)}
    for spec in sheets[1:]:
        child = []
        for i, parent in enumerate(rows):
            for s in range(2):
                rec = {c.field.name: _value(c.field, 2 * i + s, j, parent[key]) for j, c in enumerate(spec.columns)}
                for k in TABLES[main.table.name].key:  # the link to the main row
                    if k in rec:
                        rec[k] = parent[k]
                if "seq" in rec:
                    rec["seq"] = s + 1
                if spec.table.name == "trademark_event":
                    rec["nice_class"] = parent["nice_class"]
                child.append(rec)
        out[spec.table.name] = pd.DataFrame(child)
    return out


def kinds_with_children() -> list[str]:
    return [k for k, v in KINDS.items() if v.children]
