"""Vendor legal statuses → schema codes through legal_status.csv."""

from __future__ import annotations

import csv
import io
from importlib import resources

import pytest

from ipobs.records.schema import ENUMS
from ipobs.sources.status import INACTIVE, read_status


@pytest.mark.parametrize("cell, status, events", [
    ("授权", "granted", ("granted",)),
    ("有权-审定授权", "granted", ("granted",)),
    ("审中-实质审查", "pending", ()),
    ("无权-未缴年费", "lapsed", ("lapsed",)),
    ("无权-视为撤回", "withdrawn", ("withdrawn",)),
    ("期限届满", "expired", ("expired",)),
    ("全部无效", "invalidated", ("invalidated",)),
    ("避重放弃", "surrendered", ("surrendered",)),
    ("授权 | 权利转移 | 质押", "granted", ("granted", "transferred", "pledged")),
    ("实质审查的生效", "pending", ()),
    ("失效", INACTIVE, ()),
    ("0", INACTIVE, ()), ("1", "granted", ()), ("2", "pending", ()), ("220", "withdrawn", ("withdrawn",)),
    ("221", "pending", ()), ("999", None, ()),
    ("某种没见过的状态", None, ()),
])
def test_read_status(cell, status, events):
    assert read_status(cell) == (status, events)


def test_table_uses_schema_codes_only():
    text = resources.files("ipobs.sources").joinpath("legal_status.csv").read_text(encoding="utf-8")
    for r in csv.DictReader(io.StringIO(text)):
        assert r["status"] in ("", INACTIVE, *ENUMS["patent_status"]), r
        assert r["event"] in ("", *ENUMS["patent_event"]), r
        assert r["match"] in ("exact", "contains"), r
