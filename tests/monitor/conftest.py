"""A tiny hand-made store (patents 2012–2021 in two zones, population, a ledger milestone) and a small plan
built with the Target/Rule shapes of ipobs.plan, so the monitor's tests know every number behind a value."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import pytest

from ipobs.records.batch import RecordBatch

TANGGU_STREET = "120116001"  # zone 120116Z1
HITECH_STREET = "120116402"  # a street of zone 120116Z6 (see regions.csv)
YEARS = range(2012, 2022)


def _street_of(zone: str) -> str:
    from ipobs.entities.regions import regions

    return next(r.code for r in regions().values() if r.parent == zone and r.level == "street")


def patent_rows():
    """Filings grow 10% a year in Tanggu, 20% in the hi-tech zone; every third is an invention;
    each patent is granted the year after filing (so the stock of valid patents grows)."""
    rows, events = [], []
    n = 0
    for zone, base, growth in (("120116Z1", 20, 1.10), ("120116Z6", 10, 1.20)):
        street = _street_of(zone)
        for y in YEARS:
            for i in range(round(base * growth ** (y - 2012))):
                n += 1
                pid = f"CN{y}{n:08d}"
                kind = "invention" if i % 3 == 0 else "utility"
                filed = dt.date(y, 3, 1)
                granted = dt.date(y + 1, 6, 1)
                rows.append({"patent_id": pid, "application_no": pid[2:], "kind": kind, "filing_date": filed,
                             "title": f"t{n}", "region_code": street, "domestic": True})
                events.append({"patent_id": pid, "event_date": filed, "event": "filed", "status_after": "pending"})
                if granted <= dt.date(2021, 12, 31):
                    events.append({"patent_id": pid, "event_date": granted, "event": "granted",
                                   "status_after": "granted"})
    return pd.DataFrame(rows), pd.DataFrame(events)


@pytest.fixture(scope="session")
def tiny_rows():
    """(patent frame, event frame) imported into the tiny store: the oracle for its values."""
    return patent_rows()


@pytest.fixture(scope="session")
def tiny_db(tmp_path_factory):
    from ipobs.store import open_store

    path = tmp_path_factory.mktemp("monitor") / "tiny.duckdb"
    with open_store(path) as store:
        pat, ev = patent_rows()
        store.import_batch(RecordBatch("patents", {"patent": pat, "patent_event": ev}, label="tiny patents"))
        facts = [{"region_code": code, "year": y, "fact": "population", "value": pop * 1.01 ** (y - 2012),
                  "source": "test", "vintage": "test"}
                 for code, pop in (("120116", 2_000_000), ("120116Z1", 500_000), ("120116Z6", 300_000))
                 for y in YEARS if not (code == "120116Z6" and y == 2021)]  # the hi-tech zone lacks 2021
        store.import_batch(RecordBatch("region_facts", {"region_fact": pd.DataFrame(facts)}, label="tiny facts"))
        items = pd.DataFrame([{
            "item_id": "M-7", "program": "circuit_court", "name": "知识产权巡回审判点（滨海新区）",
            "department": "court", "status": "completed", "start_date": dt.date(2020, 3, 1),
            "end_date": dt.date(2020, 6, 30), "region_code": "120116",
        }])
        store.import_batch(RecordBatch("programs", {"program_item": items}, label="tiny ledger"))
    return path


@pytest.fixture()
def tiny_store(tiny_db):
    from ipobs.store import open_store

    s = open_store(tiny_db, read_only=True)
    yield s
    s.close()


def target(id_, indicator, type_, value=None, *, params=None, baseline_year=2018, due="2022-12-31",
           departments=("ipo",)):
    return SimpleNamespace(
        id=id_, zh=f"目标{id_}", en=f"target {id_}", indicator=indicator,
        rule=SimpleNamespace(type=type_, value=value, params=params or {}),
        baseline_year=baseline_year, baseline_value=None, target_date=dt.date.fromisoformat(due),
        departments=list(departments), area="create", task="T01", note="")


@pytest.fixture(scope="session")
def tiny_plan():
    dept = SimpleNamespace(id="ipo", zh="区知识产权局", en="District IP Office", kind="lead")
    return SimpleNamespace(
        id="tiny", zh="测试规划", en="test plan", departments={"ipo": dept},
        targets=[
            target("valid", "valid_patents", "at_least", 400),
            target("per10k", "inventions_per_10k", "at_least", 1.0),
            target("share", "invention_share", "share_at_least", 25),
            target("apps", "patent_applications", "growth_at_least", 10),
            target("rising", "valid_inventions", "rising"),
            target("court", "ms_circuit_trial_point", "milestone", 1),
            target("ghost", "no_such_indicator", "at_least", 1),
        ],
    )
