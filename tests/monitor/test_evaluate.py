"""evaluate(): every target of a plan gets a status, a sentence and the numbers behind it."""

from __future__ import annotations

import json

import pytest

from ipobs.monitor import STATUSES, Monitor, evaluate


def by_id(statuses):
    return {s.id: s for s in statuses}


def test_evaluate_tiny_every_target_has_status(tiny_store, tiny_plan):
    out = evaluate(tiny_store, tiny_plan, "2021-12-31")
    assert [s.id for s in out] == [t.id for t in tiny_plan.targets]
    for s in out:
        assert s.status in STATUSES
        assert s.status_reason_zh and s.status_reason_en
        assert s.departments == ["ipo"] and s.department_names[0]["zh"] == "区知识产权局"
    d = by_id(out)
    assert d["ghost"].status == "no_data" and "no_such_indicator" in d["ghost"].missing
    assert d["court"].status == "met" and "M-7" in d["court"].status_reason_zh


def test_evaluate_tiny_values_trace_to_records(tiny_store, tiny_plan, tiny_rows):
    pat, ev = tiny_rows
    granted = set(ev[(ev.event == "granted") & (ev.event_date.astype(str) <= "2021-12-31")].patent_id)
    d = by_id(evaluate(tiny_store, tiny_plan, "2021-12-31"))
    assert d["valid"].value == len(granted)
    assert d["valid"].series[-1] == {"year": 2021, "value": float(len(granted)), "missing": None}
    filed_2021 = pat[pat.filing_date.astype(str).str.startswith("2021")]
    assert d["share"].value == pytest.approx(100 * (filed_2021.kind == "invention").mean())


def test_evaluate_tiny_forecast_and_probability(tiny_store, tiny_plan):
    d = by_id(evaluate(tiny_store, tiny_plan, "2020-12-31"))
    s = d["valid"]
    assert s.forecast and [r["year"] for r in s.forecast] == [2021, 2022]
    assert s.status in ("met", "on_track", "at_risk", "off_track")
    share = d["share"]  # one invention in three: 33% ≥ 25% already
    assert share.status == "met"


def test_evaluate_tiny_growth_rule_in_percent(tiny_store, tiny_plan):
    """The plan writes 10 (%); filings grow 10% (Tanggu) and 20% (hi-tech) a year, so the whole area grows
    a little over 10% every year after rounding."""
    s = by_id(evaluate(tiny_store, tiny_plan, "2021-12-31"))["apps"]
    assert s.target == pytest.approx(10.0)  # growth targets and values are shown in percent
    assert s.unit == "%"
    assert [r["year"] for r in s.details["yoy"]] == [2019, 2020, 2021]


def test_evaluate_tiny_subregion_population_missing_is_no_data(tiny_store, tiny_plan):
    d = by_id(evaluate(tiny_store, tiny_plan, "2021-12-31", region="120116Z6"))
    s = d["per10k"]
    assert s.status == "no_data"
    assert "population" in s.missing and s.value is None


def test_evaluate_tiny_subregion_target_apportioned(tiny_store, tiny_plan):
    whole = by_id(evaluate(tiny_store, tiny_plan, "2021-12-31"))["valid"]
    zone = by_id(evaluate(tiny_store, tiny_plan, "2021-12-31", region="120116Z1"))["valid"]
    share = zone.details["apportion"]["share"]
    assert 0 < share < 1
    assert zone.target == pytest.approx(400 * share)
    assert whole.target == 400
    assert "分解" in zone.status_reason_zh


def test_evaluate_tiny_json_round_trip(tiny_store, tiny_plan):
    out = [s.to_dict() for s in evaluate(tiny_store, tiny_plan, "2021-12-31")]
    text = json.dumps(out, ensure_ascii=False)
    back = json.loads(text)
    for key in ("id", "indicator", "rule", "target", "value", "status", "forecast", "departments"):
        assert key in back[0]


def test_evaluate_tiny_monitor_reuses_values(tiny_store, tiny_plan):
    m = Monitor(tiny_store)
    m.evaluate(tiny_plan, "2020-12-31")
    first = m.values.computed
    m.evaluate(tiny_plan, "2021-12-31")
    # the second date only adds its own year-end values, the earlier years come from the cache
    assert m.values.computed - first < first


def test_evaluate_tiny_bad_date(tiny_store, tiny_plan):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        evaluate(tiny_store, tiny_plan, "31/12/2021")
