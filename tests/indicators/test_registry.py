"""The registry: one entry per indicator, each documented; the docs are generated from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ipobs.indicators import Indicator, Settings, define, registry
from ipobs.indicators.docs import render
from ipobs.plan import list_plans, load_plan

DOCS = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"


def test_registry_entries_documented():
    reg = registry()
    assert len(reg) >= 80
    for ind in reg.values():
        assert ind.definition_zh and ind.definition_en and ind.source and ind.example, ind.id
        assert ind.example.startswith(f"ipobs indicator {ind.id} "), ind.id
        assert ind.rows is not None, f"{ind.id} lists no records"
        if ind.kind == "growth":
            assert ind.base in reg, ind.id


def test_docs_indicators_md_current():
    assert DOCS.read_text(encoding="utf-8") == render(), "docs/indicators.md is stale: run `ipobs indicators docs`"
    for ind in registry():
        assert f"**`{ind}`**" in render()


def test_every_plan_target_has_an_indicator():
    reg = registry()
    for name in list_plans():
        for t in load_plan(name).targets:
            assert t.indicator in reg, (name, t.id)


def test_register_rejects_a_second_definition_of_an_id():
    ind = registry()["valid_patents"]
    with pytest.raises(ValueError, match="registered twice"):
        define(**{**{f: getattr(ind, f) for f in Indicator.__dataclass_fields__}, "parts": lambda t, q: {}})


def test_indicator_needs_its_words():
    with pytest.raises(ValueError, match="indicator x: source is empty"):
        Indicator(id="x", zh="甲", en="x", unit="件", unit_en="items", kind="count", group="g", definition_zh="定义",
                  definition_en="def", source="", example="ipobs indicator x", parts=lambda t, q: {})


def test_settings_of():
    s = Settings.of({"infringement_case_kinds": ["civil"], "hv_pledge_threshold_yuan": 5})
    assert s.infringement_case_kinds == ("civil",) and s.hv_pledge_threshold_yuan == 5.0
    with pytest.raises(ValueError, match="setting repeat_window_days: expected int, got 'x'"):
        Settings.of({"repeat_window_days": "x"})


def test_sei_prefix_list_current(shared_data):
    """data/sei_ipc.csv is what make_sei_ipc.py derives from the shared concordance."""
    from importlib import resources

    from ipobs.indicators.data.make_sei_ipc import derive, render as render_csv

    shipped = resources.files("ipobs.indicators.data").joinpath("sei_ipc.csv").read_text(encoding="utf-8")
    assert shipped == render_csv(derive(shared_data / "cn-sei-ipc-2021"))
    assert not [line for line in shipped.splitlines() if line.startswith(("H01L", "H10"))]
