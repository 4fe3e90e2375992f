import json

import pytest
from typer.testing import CliRunner

from ipobs.cli import app

from .conftest import batches

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from ipobs.store import open_store

    path = tmp_path_factory.mktemp("protection_cli") / "c.duckdb"
    with open_store(path) as s:
        for b in batches():
            s.import_batch(b)
    return str(path)


def test_cli_docket_overdue_json(db):
    r = runner.invoke(app, ["docket", "--overdue", "--as-of", "2021-06-30", "--format", "json", "--db", db])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["total"] == 2 and {c["case_id"] for c in out["cases"]} == {"A3", "A6"}


def test_cli_docket_due_within_and_department(db):
    r = runner.invoke(app, ["docket", "--due-within", "40", "--department", "区市场监管局", "--as-of", "2021-06-30",
                            "--db", db])
    assert r.exit_code == 0 and "A4" in r.output and "A5" not in r.output


def test_cli_docket_bad_date_fails_cleanly(db):
    r = runner.invoke(app, ["docket", "--as-of", "2021-13-01", "--db", db])
    assert r.exit_code == 2 and "not a date" in r.output


def test_cli_docket_limits_lists_sources():
    r = runner.invoke(app, ["docket", "limits"])
    assert r.exit_code == 0 and "民事诉讼法" in r.output and "public holidays are not modelled" in r.output


def test_cli_credit_check_exit_codes(db):
    listed = runner.invoke(app, ["credit", "check", "天津失信科技有限公司", "--as-of", "2021-06-30", "--db", db])
    assert listed.exit_code == 1 and "K1" in listed.output
    clear = runner.invoke(app, ["credit", "check", "天津权利人科技有限公司", "--purpose", "award", "--db", db])
    assert clear.exit_code == 0 and "clear" in clear.output
    bad = runner.invoke(app, ["credit", "check", "x", "--purpose", "loan", "--db", db])
    assert bad.exit_code == 2 and "unknown purpose" in bad.output


def test_cli_credit_list_public_masks_persons(db):
    r = runner.invoke(app, ["credit", "list", "--public", "--as-of", "2021-06-30", "--format", "json", "--db", db])
    assert r.exit_code == 0
    names = {e["name"] for e in json.loads(r.output)}
    assert names == {"李*", "天津市失信科技有限公司"}
