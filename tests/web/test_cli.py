"""`ipobs user add|list`, `ipobs run` and `ipobs serve` (the server itself is replaced by a recorder)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ipobs.cli import app
from ipobs.store import open_store
from ipobs.web.accounts import Accounts

runner = CliRunner()


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "x.duckdb"
    open_store(path).close()
    return path


@pytest.fixture()
def served(monkeypatch):
    calls = []
    monkeypatch.setattr("ipobs.web.serve.serve", lambda settings, host, port, **kw: calls.append((settings, host,
                                                                                                   port)))
    return calls


def test_user_add_officer_with_department(db):
    r = runner.invoke(app, ["user", "add", "li", "--role", "officer", "--department", "market",
                            "--password", "long-enough-1", "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert "li: officer of market" in r.output
    a = Accounts(db.with_name("x.accounts.sqlite"))
    assert a.verify("li", "long-enough-1", "cli").department == "market"
    r = runner.invoke(app, ["user", "list", "--db", str(db)])
    assert "li" in r.output and "market" in r.output


def test_user_add_prompts_for_the_password(db):
    r = runner.invoke(app, ["user", "add", "wang", "--role", "analyst", "--db", str(db)],
                      input="long-enough-2\nlong-enough-2\n")
    assert r.exit_code == 0, r.output
    assert Accounts(db.with_name("x.accounts.sqlite")).verify("wang", "long-enough-2", "cli").role == "analyst"


@pytest.mark.parametrize("args,message", [
    (["--role", "officer"], "a department officer needs --department"),
    (["--role", "officer", "--department", "nowhere"], "unknown department 'nowhere'"),
    (["--role", "boss"], "unknown role 'boss'"),
])
def test_user_add_refuses_bad_accounts(db, args, message):
    r = runner.invoke(app, ["user", "add", "zhao", *args, "--password", "long-enough-1", "--db", str(db)])
    assert r.exit_code == 2
    assert message in r.output


def test_run_prints_the_url_and_the_first_password_once(db, served, monkeypatch):
    monkeypatch.delenv("IPOBS_ADMIN_PASSWORD", raising=False)
    r = runner.invoke(app, ["run", "--db", str(db), "--port", "8123"])
    assert r.exit_code == 0, r.output
    assert "IP Observatory: http://127.0.0.1:8123/  (login: admin / password " in r.output
    password = r.output.split("password ")[1].split(" ")[0]
    assert Accounts(db.with_name("x.accounts.sqlite")).verify("admin", password, "cli") is not None
    again = runner.invoke(app, ["run", "--db", str(db)])
    assert password not in again.output and "printed on the first run" in again.output
    assert [(h, p) for _, h, p in served] == [("127.0.0.1", 8123), ("127.0.0.1", 8000)]


def test_run_takes_the_admin_password_from_the_environment(db, served, monkeypatch):
    monkeypatch.setenv("IPOBS_ADMIN_PASSWORD", "from-the-env-1")
    r = runner.invoke(app, ["run", "--db", str(db)])
    assert "login: admin / the password in IPOBS_ADMIN_PASSWORD" in r.output
    assert Accounts(db.with_name("x.accounts.sqlite")).verify("admin", "from-the-env-1", "cli") is not None


def test_serve_refuses_a_missing_database(tmp_path, served):
    r = runner.invoke(app, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert r.exit_code == 2 and "no such database" in r.output and served == []
