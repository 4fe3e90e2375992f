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
