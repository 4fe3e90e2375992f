"""docs/monitoring.md documents every monitor setting and every rule type."""

from __future__ import annotations

from pathlib import Path

from ipobs.monitor import RULE_TYPES, monitor_settings, settings_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "monitoring.md"


def test_monitor_docs_every_setting_documented():
    text = DOC.read_text(encoding="utf-8")
    for s in settings_table():
        assert f"| `{s.name}` | {s.default} |" in text, s.name
        assert s.help and s.help_zh


def test_monitor_docs_every_rule_type_documented():
    text = DOC.read_text(encoding="utf-8")
    for t in RULE_TYPES:
        assert f"`{t}`" in text, t


def test_monitor_settings_reject_unknown_and_bad_values():
    import pytest

    with pytest.raises(ValueError, match="unknown monitor setting 'on_track'"):
        monitor_settings({"on_track": 0.5})
    with pytest.raises(ValueError, match="need 0 ≤ at_risk_probability ≤ on_track_probability"):
        monitor_settings({"at_risk_probability": 0.9})
    with pytest.raises(ValueError, match="not one of"):
        monitor_settings({"milestone_pending_status": "fine"})
    assert monitor_settings({"indicators": {"period_start": "2019-01-01"}}).seed == 2019


def test_monitor_doctests():
    import doctest
    import importlib

    for name in ("forecast", "backtest", "text", "settings"):
        mod = importlib.import_module(f"ipobs.monitor.{name}")
        result = doctest.testmod(mod)
        assert result.failed == 0, name
