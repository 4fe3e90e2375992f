"""Compiled SQL templates on disk: read back exactly, keyed by everything they depend on, and the values
computed from cached templates equal freshly compiled ones."""

from __future__ import annotations

import datetime as dt

import pytest

from ipobs.monitor import batch, sqlcache

KEYS = [(i, dt.date(y, 12, 31), g, None) for i in ("design_applications", "cases_closed", "trainings", "valid_patents")
        for y in (2019, 2020) for g in (None, "120116Z1")]


def _fresh(monkeypatch, folder):
    monkeypatch.setenv(sqlcache.ENV, str(folder))
    monkeypatch.setattr(batch, "_TEMPLATES", {})
    monkeypatch.setattr(batch, "_FIRST_RECORDS", {})


def test_sqlcache_templates_read_back_without_compiling(tiny_store, tmp_path, monkeypatch):
    _fresh(monkeypatch, tmp_path / "c")
    stats: dict = {}
    first = batch.values_many(tiny_store, KEYS, stats=stats)
    files = list((tmp_path / "c" / "sql").glob("*.json"))
    assert files and stats["bound"] >= 8
    compiled = dict(batch._TEMPLATES)

    _fresh(monkeypatch, tmp_path / "c")

    def no_compile(*a, **k):
        raise AssertionError("compiled although the template is on disk")

    monkeypatch.setattr(batch.Templates, "_build", no_compile)
    second = batch.values_many(tiny_store, KEYS)
    assert batch._TEMPLATES == compiled  # SQL, column types and constants read back exactly
    for k in KEYS:
        assert second[k].value == first[k].value and second[k].parts == first[k].parts, k


def test_sqlcache_key_changes_with_what_sql_depends_on(tiny_store):
    fp = sqlcache.code_fingerprint()
    a = sqlcache.template_key(("parts", ("x", True, False, "s")), fp)
    assert a == sqlcache.template_key(("parts", ("x", True, False, "s")), fp)
    assert a != sqlcache.template_key(("parts", ("x", False, False, "s")), fp)
    assert a != sqlcache.template_key(("parts", ("x", True, False, "s")), fp + "edited")
    schema = sqlcache.schema_fingerprint(tiny_store.con)
    assert len(schema) == 64 and schema == sqlcache.schema_fingerprint(tiny_store.con)


def test_sqlcache_stale_or_broken_file_is_recompiled(tiny_store, tmp_path, monkeypatch):
    _fresh(monkeypatch, tmp_path / "c")
    first = batch.values_many(tiny_store, KEYS)
    for f in (tmp_path / "c" / "sql").glob("*.json"):
        f.write_text("{not json", encoding="utf-8")
    _fresh(monkeypatch, tmp_path / "c")
    second = batch.values_many(tiny_store, KEYS)
    assert {k: v.value for k, v in second.items()} == {k: v.value for k, v in first.items()}


@pytest.mark.parametrize("value", ["off", ""])
def test_sqlcache_off_writes_nothing(tiny_store, tmp_path, monkeypatch, value):
    monkeypatch.setenv(sqlcache.ENV, value)
    monkeypatch.setattr(batch, "_TEMPLATES", {})
    monkeypatch.chdir(tmp_path)
    assert sqlcache.cache_dir() is None
    batch.values_many(tiny_store, KEYS[:2])
    assert not list(tmp_path.rglob("*.json"))


def test_sqlcache_params_sql_is_one_row_per_query():
    from ipobs.indicators.base import get
    from ipobs.indicators.compute import query

    qs = [query(get("valid_patents"), dt.date(2020, 12, 31), g, None, None) for g in (None, "120116Z1")]
    sql = batch.params_sql(qs)
    assert sql.startswith("(VALUES (0, DATE '2020-12-31', DATE '2020-01-01', DATE '2019-12-31'")
    assert sql.count("CAST([") == 2 and sql.endswith("AS ipobs_p(k, d, ys, d1, ys1, y, y1, region, codes, industry)")


def test_schema_fingerprint_ignores_attached_databases(tiny_store):
    """Tables of a database attached beside the store (the status spans, an analysis's scope) are not the
    store's schema: making them must not send every template back to be compiled."""
    from ipobs.store import derived

    con = tiny_store.con
    before = sqlcache.schema_fingerprint(con)
    derived.table(con, "patent_granted_spans")
    con.execute("ATTACH ':memory:' AS fingerprint_probe (READ_WRITE)")
    try:
        con.execute("CREATE TABLE fingerprint_probe.main.patent_extra (x INTEGER)")
        assert sqlcache.schema_fingerprint(con) == before
    finally:
        con.execute("DETACH fingerprint_probe")
        derived.forget(con)
