"""The analysis scope's shared tables: the fast paths (tables derived from the value cohorts', party names read
only when needed, high-value flags from the scope's tables) give the same rows and sections as the plain ones."""

from __future__ import annotations

import pytest

from ipobs.analytics import value
from ipobs.analytics.navigation import SECTIONS, analyze, section
from ipobs.analytics.scope import Scope

AS_OF = "2024-12-31"
SET = "ipc:A,B,G,H"


def _rows(s: Scope, table: str) -> list[tuple]:
    return sorted(s.con.execute(f"SELECT * FROM {table}").fetchall(), key=repr)


@pytest.mark.parametrize("set_text", [SET, "ipc:G06", "years:2019-2019"])
def test_scope_tables_from_the_value_cohorts_equal_the_direct_ones(mini, set_text):
    with Scope(mini, set_text, as_of=AS_OF) as direct, Scope(mini, set_text, as_of=AS_OF) as wide:
        wide.population = value.population
        assert _rows(wide, wide.events()) == _rows(direct, direct.events())
        assert _rows(wide, wide.ipcs()) == _rows(direct, direct.ipcs())
        assert _rows(wide, wide.status()) == _rows(direct, direct.status())
        assert wide.population_events() == "wevent" and direct.population_events() is None
        members = {r[0] for r in wide.con.execute("SELECT patent_id FROM vpat").fetchall()}
        assert set(wide.rset.ids) <= members  # the population holds the set
        n_wide = wide.con.execute("SELECT count(*) FROM wevent").fetchone()[0]
        n_pop = wide.con.execute("SELECT count(*) FROM patent_event SEMI JOIN vpat USING (patent_id)").fetchone()[0]
        assert n_wide == n_pop


def test_analysis_sections_do_not_depend_on_the_value_section_running(mini):
    """With the value section, the set's events and IPC codes come from the cohorts' tables; without, directly."""
    others = [s for s in SECTIONS if s != "value"]
    with_value = analyze(mini, SET, as_of=AS_OF)
    without = analyze(mini, SET, as_of=AS_OF, sections=others)
    assert [section(with_value, s) for s in others] == without["sections"]


def test_value_section_high_value_equals_high_value_flags(mini):
    with Scope(mini, SET, as_of=AS_OF) as s:
        ids = s.rset.ids
        on_scope = value.scope_high_value_flags(s)
    plain = value.high_value_flags(mini, AS_OF, ids)
    cols = ["patent_id", "sei", "foreign_family", "maintained", "pledge", "award", "reasons"]
    norm = lambda d: d[cols].assign(patent_id=d["patent_id"].astype(str)).sort_values("patent_id").reset_index(drop=True)  # noqa: E731
    assert len(on_scope) == len(plain) > 0
    assert norm(on_scope).equals(norm(plain))
    sec = section(analyze(mini, SET, as_of=AS_OF, sections=["value"]), "value")
    assert sec["facts"]["high_value"] == len(plain)
    assert {r["category"]: r["patents"] for r in sec["tables"]["high_value"]} == {
        r: int(plain[r].sum()) for r in ("sei", "foreign_family", "maintained", "pledge", "award")}


def test_scope_parties_read_names_when_name_norm_is_missing(store):
    """``pparty`` leaves ``name`` out while every row has ``name_norm``; rows without it bring the names back, and
    the player sections read the same names either way (here name = name_norm)."""
    from minidata import build

    build(store, n=60)
    players = ["lifecycle", "applicants", "inventors", "network"]
    before = analyze(store, SET, as_of=AS_OF, sections=players)["sections"]
    with Scope(store, SET, as_of=AS_OF) as s:
        assert s.con.execute(f"SELECT count(name) FROM {s.parties()}").fetchone()[0] == 0
    store.con.execute("UPDATE patent_party SET name_norm = NULL WHERE seq = 1")
    with Scope(store, SET, as_of=AS_OF) as s:
        missing, named = s.con.execute(f"SELECT count(*) FILTER (WHERE name_norm IS NULL), count(name) "
                                       f"FROM {s.parties()}").fetchone()
        assert missing > 0 and named == s.con.execute("SELECT count(*) FROM pparty").fetchone()[0]
    assert analyze(store, SET, as_of=AS_OF, sections=players)["sections"] == before


def test_value_table_refuses_cohorts_made_for_another_configuration(mini):
    with Scope(mini, SET, as_of=AS_OF) as s:
        value.population(s)
        with pytest.raises(ValueError, match="another value configuration"):
            value.value_table(s, dict(value.weights(), min_cohort=2))


def _scope_databases(store) -> set[str]:
    return {r[0] for r in store.con.execute("SELECT database_name FROM duckdb_databases() "
                                            "WHERE database_name LIKE 'ipobs_scope_%'").fetchall()}


def test_a_fork_shares_the_tables_each_made_once_and_detaches_with_its_scope(mini):
    """The store is read-only: the scope's tables live in its own attached in-memory database. A fork in another
    thread sees the tables made on the scope and makes a table the scope then reads, never the same one twice."""
    import threading

    made: list[tuple[str, str]] = []
    with Scope(mini, SET, as_of=AS_OF) as s:
        assert _scope_databases(mini) == {s.db}
        s.patents()
        with s.fork() as twin:
            assert twin.made("ppat") and twin.con.execute("SELECT count(*) FROM ppat").fetchone()[0] == s.size
            gate = threading.Event()

            def slow_make(scope):
                def make():
                    made.append((scope.db, threading.current_thread().name))
                    gate.wait(5)  # the other thread asks for the table meanwhile
                    scope.con.execute(f"CREATE TABLE {scope.db}.main.slow AS SELECT 1 AS x")
                return make

            worker = threading.Thread(target=lambda: twin.once("slow", slow_make(twin)), name="fork")
            worker.start()
            for _ in range(500):  # until the fork is inside make (5 s at most)
                if made:
                    break
                threading.Event().wait(0.01)
            asker = threading.Thread(target=lambda: s.once("slow", slow_make(s)), name="scope")
            asker.start()
            gate.set()
            worker.join(5)
            asker.join(5)
            assert made == [(s.db, "fork")]  # made once, by the thread that asked first
            assert s.con.execute("SELECT x FROM slow").fetchall() == [(1,)]
            twin.status()
        assert s.made("pstatus") and s.con.execute("SELECT count(*) FROM pstatus").fetchone()[0] > 0
        assert _scope_databases(mini) == {s.db}  # closing the fork leaves the tables
        with Scope(mini, "ipc:G06", as_of=AS_OF) as other:  # another analysis: its own tables
            assert other.db != s.db
            assert other.con.execute("SELECT count(*) FROM pset").fetchone()[0] == other.size != s.size
    assert _scope_databases(mini) == set()
