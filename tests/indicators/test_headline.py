"""Headline indicators on both engines, each checked against the same computation in pandas
(the oracle) on the tiny hand-made region."""

from __future__ import annotations

import pandas as pd
import pytest

from ipobs.entities.regions import descendants
from ipobs.indicators import compute


def _d(s):
    return pd.Timestamp(s)


# a patent's life on one day: a lapse after that day's grant, a restoration after the lapse
SAME_DAY = {"filed": 1, "published": 2, "rejected": 3, "withdrawn": 3, "granted": 4, "lapsed": 5, "expired": 5,
            "invalidated": 5, "surrendered": 5, "restored": 6}


def status_at(f, as_of):
    ev = f["patent_event"]
    ev = ev[ev["status_after"].notna() & (ev["event_date"] <= _d(as_of))]
    ev = ev.assign(order=ev["event"].map(SAME_DAY).fillna(0)).sort_values(["patent_id", "event_date", "order"])
    return ev.groupby("patent_id")["status_after"].last()


def latest_vintage(facts):
    """The row whose vintage names the latest year (else the figure's own year; named beats implied)."""
    named = facts["vintage"].str.match(r"^[0-9]{4}")
    year = facts["vintage"].str[:4].where(named, facts["year"].astype(str))
    key = year + named.map({True: "1", False: "0"}) + facts["vintage"]
    return facts.loc[key.idxmax()]


def valid(f, as_of, region, kind=None, domestic=False):
    st = status_at(f, as_of)
    p = f["patent"]
    p = p[p["region_code"].isin(descendants(region)) & p["patent_id"].map(st).eq("granted")]
    if kind:
        p = p[p["kind"] == kind]
    if domestic:
        p = p[p["domestic"].fillna(False).astype(bool)]
    return p


def expect_valid_patents(f, as_of, region):
    return float(len(valid(f, as_of, region)))


def expect_inventions_per_10k(f, as_of, region):
    rf = f["region_fact"]
    pop = rf[(rf["region_code"] == region) & (rf["fact"] == "population") & (rf["year"] == _d(as_of).year)]
    if pop.empty or latest_vintage(pop)["value"] == 0:
        return None
    return len(valid(f, as_of, region, "invention", True)) * 10000 / float(latest_vintage(pop)["value"])


def expect_invention_share(f, as_of, region):
    p = f["patent"]
    d = _d(as_of)
    p = p[p["region_code"].isin(descendants(region)) & (p["filing_date"] >= pd.Timestamp(d.year, 1, 1))
          & (p["filing_date"] <= d)]
    return None if p.empty else (p["kind"] == "invention").sum() * 100.0 / len(p)


def expect_registered_trademarks(f, as_of, region):
    d = _d(as_of)
    tm = f["trademark"]
    tm = tm[tm["region_code"].isin(descendants(region))]
    ev = f["trademark_event"]
    ev = ev[ev["event_date"] <= d].sort_values("event_date")
    last = ev.groupby(["reg_no", "nice_class"])["status_after"].last()
    has = set(zip(f["trademark_event"]["reg_no"], f["trademark_event"]["nice_class"]))
    keep = []
    for r in tm.itertuples():
        key = (r.reg_no, r.nice_class)
        if key in has:
            ok = last.get(key) == "registered"
        else:
            ok = pd.notna(r.registration_date) and r.registration_date <= d and r.status not in (
                "cancelled", "invalidated", "rejected")
        ok = ok and (pd.isna(r.expiry_date) or r.expiry_date >= d)
        if ok:
            keep.append(r.reg_no)
    return float(len(set(keep)))


CASES = [(ind, fn, as_of, region)
         for ind, fn in [("valid_patents", expect_valid_patents), ("inventions_per_10k", expect_inventions_per_10k),
                         ("invention_share", expect_invention_share),
                         ("registered_trademarks", expect_registered_trademarks)]
         for as_of, region in [("2020-12-31", "120116"), ("2021-06-30", "120116Z6"), ("2021-12-31", "12")]]


@pytest.mark.parametrize(("indicator", "expected_fn", "as_of", "region"), CASES,
                         ids=[f"{c[0]}-{c[2]}-{c[3]}" for c in CASES])
def test_headline_matches_pandas(backend, tiny_frames, indicator, expected_fn, as_of, region):
    v = compute(backend, indicator, as_of, region=region)
    expected = expected_fn(tiny_frames, as_of, region)
    if expected is None:
        assert v.value is None and v.missing
    else:
        assert v.missing is None
        assert v.value == pytest.approx(expected)


def test_headline_values_by_eye(tiny_store):
    """The oracle itself is checked against numbers read off the fixture."""
    # end 2020: 0001, 0002, 0005, 0007, 0008 valid in Binhai (0006 lapsed 2020-11, 0009 is in Heping)
    assert compute(tiny_store, "valid_patents", "2020-12-31").value == 5
    # end 2021: 0005 lapsed; 0006 restored; 0003 and 0010 granted
    assert compute(tiny_store, "valid_patents", "2021-12-31").value == 7
    # domestic valid inventions end 2021: 0001, 0002, 0003 → 3 / 2,050,000 × 10,000
    assert compute(tiny_store, "inventions_per_10k", "2021-12-31").value == pytest.approx(3 * 10000 / 2_050_000)
    # 2020 filings in Binhai: inventions 0003, 0004, 0008 of 6 applications
    assert compute(tiny_store, "invention_share", "2020-12-31").value == pytest.approx(50.0)
    # end 2021: TM1 (no events, by dates), TM3, TM4; TM2 cancelled, TM5 expired, TM6 outside, TM7 pending
    assert compute(tiny_store, "registered_trademarks", "2021-12-31").value == 3
