"""`ipobs demo`: refuses to overwrite, rejects a bad scale, and builds a labelled store."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from ipobs.cli import app

runner = CliRunner()


def test_cli_demo_refuses_existing_file(tmp_path):
    path = tmp_path / "d.duckdb"
    path.write_bytes(b"")
    res = runner.invoke(app, ["demo", "--db", str(path), "--scale", "0.002"])
    assert res.exit_code == 2
    assert res.output.strip() == f"Error: {path} already exists; pass force=True (ipobs demo --force) to replace it."


def test_cli_demo_rejects_bad_scale(tmp_path):
    res = runner.invoke(app, ["demo", "--db", str(tmp_path / "d.duckdb"), "--scale", "0"])
    assert res.exit_code == 2
    assert res.output.strip() == "Error: scale must be positive, got 0.0"


def test_cli_demo_builds_and_reports(tmp_path):
    path = tmp_path / "d.duckdb"
    res = runner.invoke(app, ["demo", "--db", str(path), "--scale", "0.002", "--seed", "3"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output[res.output.index("{"):])
    assert summary["synthetic"] is True and summary["seed"] == 3
    assert summary["counts"]["patent"] > 0 and summary["rejected"] == {}
    assert set(summary["calibration"]) >= {"valid_patents", "valid_inventions", "applications", "grants"}
    info = runner.invoke(app, ["info", "--db", str(path)])
    assert "合成演示数据 SYNTHETIC DEMO DATA" in info.output
