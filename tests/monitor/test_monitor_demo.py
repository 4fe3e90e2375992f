"""The binhai-2019 plan on the demo store: every target gets a status; CLI output shapes; batched values
equal the registry's one-by-one values."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from typer.testing import CliRunner

from ipobs.cli import app
from ipobs.monitor import STATUSES, Monitor, evaluate

AS_OF = "2021-12-31"


@pytest.fixture(scope="module")
def plan():
    from ipobs.plan import load_plan

    return load_plan("binhai-2019")


@pytest.fixture(scope="module")
def demo_statuses(demo_store, plan):
    return evaluate(demo_store, plan, AS_OF)


def test_monitor_demo_every_target_has_status(demo_statuses, plan):
    assert [s.id for s in demo_statuses] == [t.id for t in plan.targets]
    for s in demo_statuses:
        assert s.status in STATUSES, s.id
        assert s.status_reason_zh and s.status_reason_en
        assert s.departments, s.id
        assert s.synthetic is True
        if s.status == "no_data":
            assert s.missing and s.value is None
        if s.status in ("on_track", "at_risk") and s.rule != "milestone":
            assert s.probability is not None and s.forecast


def test_monitor_demo_values_equal_registry(demo_store, demo_statuses):
    from ipobs.indicators import compute

    by_id = {s.id: s for s in demo_statuses}
    for tid, ind in (("valid-patents", "valid_patents"), ("inventions-per-10k", "inventions_per_10k"),
                     ("invention-share", "invention_share"), ("registered-trademarks", "registered_trademarks")):
        assert by_id[tid].value == pytest.approx(compute(demo_store, ind, AS_OF).value)


def test_monitor_demo_subregions(demo_store, plan):
    from ipobs.entities.regions import sub_regions

    mon = Monitor(demo_store)
    zones = sub_regions()
    out = mon.evaluate_many(plan, [AS_OF], [None, *zones[:2]])
    assert len(out) == 3
    for (date, region), statuses in out.items():
        assert len(statuses) == len(plan.targets)
        assert all(s.region == region for s in statuses)


def test_monitor_cli_json_shape(demo_db):
    res = CliRunner().invoke(app, ["monitor", "--db", str(demo_db), "--as-of", AS_OF, "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert len(rows) == 52
    for r in rows:
        for key in ("id", "indicator", "rule", "target", "value", "status", "forecast", "departments",
                    "status_reason_zh", "probability", "growth_needed", "growth_seen"):
            assert key in r
        assert r["status"] in STATUSES


def test_monitor_cli_table_csv_xlsx(demo_db, tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["monitor", "--db", str(demo_db), "--as-of", AS_OF])
    assert res.exit_code == 0 and "合成演示数据" in res.output and "有效专利量突破8.5万件" in res.output
    res = runner.invoke(app, ["monitor", "--db", str(demo_db), "--as-of", AS_OF, "--format", "csv"])
    assert res.output.splitlines()[0].startswith("编号,目标,指标")
    out = tmp_path / "m.xlsx"
    res = runner.invoke(app, ["monitor", "--db", str(demo_db), "--as-of", AS_OF, "--format", "xlsx", "-o", str(out)])
    assert res.exit_code == 0, res.output
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    assert ws.cell(1, 1).value.startswith("合成演示数据") and ws.max_row == 2 + 52


@pytest.mark.parametrize("args, message", [
    (["--region", "999999"], "unknown region '999999'"),
    (["--as-of", "31/12/2021"], "not a date: '31/12/2021' (use YYYY-MM-DD)"),
    (["--format", "xlsx"], "--format xlsx needs -o FILE.xlsx"),
    (["--format", "pdf"], "unknown format 'pdf'"),
])
def test_monitor_cli_bad_input(demo_db, args, message):
    res = CliRunner().invoke(app, ["monitor", "--db", str(demo_db), *args])
    assert res.exit_code == 2
    assert message in res.output
    assert "Traceback" not in res.output


def test_monitor_cli_forecast_json(demo_db):
    res = CliRunner().invoke(app, ["forecast", "valid_patents", "--db", str(demo_db), "--as-of", AS_OF, "--to",
                                   "2024", "--format", "json"])
    assert res.exit_code == 0, res.output
    f = json.loads(res.output)
    assert [r["year"] for r in f["forecast"]] == [2022, 2023, 2024]
    assert all(r["lo95"] <= r["lo80"] <= r["mean"] <= r["hi80"] <= r["hi95"] for r in f["forecast"])


def test_monitor_cli_no_database(tmp_path):
    res = CliRunner().invoke(app, ["monitor", "--db", str(tmp_path / "none.duckdb")])
    assert res.exit_code == 2 and "no such database" in res.output


@pytest.mark.slow
def test_monitor_batch_values_equal_compute(demo_store):
    """Every indicator of the registry: the batched path (panel, bound templates, one by one) gives the
    registry's own values, parts and missing-data sentences."""
    from ipobs.indicators import compute, registry
    from ipobs.monitor.batch import values_many

    keys = []
    for iid, ind in registry().items():
        keys += [(iid, dt.date(2021, 12, 31), None, None), (iid, dt.date(2020, 12, 31), "120116Z6", None)]
        if "industry" in ind.dims:
            keys.append((iid, dt.date(2021, 12, 31), "120116Z4", "next_gen_it"))
    keys += [("valid_inventions", dt.date(2021, 6, 30), None, None),
             ("patent_applications", dt.date(2021, 6, 30), "120116Z1", None)]
    stats: dict = {}
    many = values_many(demo_store, keys, stats=stats)
    assert stats.get("panel") and stats.get("bound")
    # patents with two status events on one day: the registry's argmax picks either at random
    ties = demo_store.scalar(
        "SELECT count(DISTINCT e1.patent_id) FROM patent_event e1 JOIN patent_event e2 ON e1.patent_id = "
        "e2.patent_id AND e1.event_date = e2.event_date AND e1.event < e2.event "
        "WHERE e1.status_after IS NOT NULL AND e2.status_after IS NOT NULL")
    for k in keys:
        one, batch = compute(demo_store, *k), many[k]
        assert one.missing == batch.missing, k
        assert (one.value is None) == (batch.value is None), k
        assert one.parts.keys() == batch.parts.keys(), k
        for name, v in one.parts.items():
            w = batch.parts[name]
            if isinstance(v, (int, float)) and not isinstance(v, bool) and v is not None and w is not None:
                assert abs(v - w) <= max(1e-9 * abs(v), ties), (k, name, v, w)
            else:
                assert v == w, (k, name)
        if one.value is not None and not ties:
            assert math.isclose(one.value, batch.value, rel_tol=1e-9), k
