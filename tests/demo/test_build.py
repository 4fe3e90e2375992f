"""The synthetic demo region: every table filled, consistent, labelled, deterministic.

Most tests read the session's demo store (scale 0.02, seed 7, tests/conftest.py).
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from ipobs.demo.build import build_demo
from ipobs.demo.codes import valid_application_no, valid_uscc
from ipobs.records.schema import ENUMS, TABLES


def q(store, sql: str) -> pd.DataFrame:
    return store.query(sql)


def test_build_refuses_existing_file(tmp_path):
    path = tmp_path / "x.duckdb"
    path.write_bytes(b"")
    with pytest.raises(FileExistsError, match="already exists; pass force=True"):
        build_demo(path, scale=0.002, seed=1, echo=lambda s: None)


def test_interrupted_build_leaves_the_old_store_and_no_half_built_one(tmp_path):
    """A build stopped half-way (Ctrl-C in `make run`) must not leave a file that is later taken for a
    finished store; the store it was to replace stays as it was."""
    path = tmp_path / "z.duckdb"
    path.write_bytes(b"old store")
    lines = []

    def stop_after_entities(line: str) -> None:
        lines.append(line)
        if line.strip().startswith("entities:"):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_demo(path, scale=0.002, seed=1, force=True, echo=stop_after_entities)
    assert path.read_bytes() == b"old store"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["z.duckdb"]
    assert str(path) in lines[0] and "building" not in lines[0]


def test_finished_build_replaces_the_old_store_and_its_wal(tmp_path):
    """With force, the new store takes the old one's place in one rename; the old store's WAL (which DuckDB would
    replay into the new file) is gone, and nothing is left under the building name."""
    from ipobs.store import open_store

    path = tmp_path / "w.duckdb"
    path.write_bytes(b"old store")
    (tmp_path / "w.duckdb.wal").write_bytes(b"old wal")
    summary = build_demo(path, scale=0.002, seed=1, force=True, echo=lambda s: None)
    assert summary["path"] == str(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb"]
    with open_store(path, read_only=True) as store:
        assert store.count("patent") == summary["counts"]["patent"] > 0


def test_build_rejects_bad_scale(tmp_path):
    with pytest.raises(ValueError, match="scale must be positive"):
        build_demo(tmp_path / "y.duckdb", scale=0, echo=lambda s: None)


def test_demo_every_table_non_empty(demo_store):
    empty = [t for t, n in demo_store.counts().items() if n == 0 and t != "saved_search"]
    assert empty == []


def test_demo_labelled_synthetic(demo_store):
    assert demo_store.synthetic
    assert demo_store.meta("demo_scale") == "0.02"
    assert demo_store.meta("demo_seed") == "7"
    for name, t in TABLES.items():
        if "synthetic" in t.columns:
            bad = demo_store.scalar(f'SELECT count(*) FROM "{name}" WHERE synthetic IS NOT TRUE')
            assert bad == 0, name
    assert demo_store.scalar("SELECT bool_and(synthetic) FROM import_batch") is True


def test_demo_child_rows_have_parents(demo_store):
    for child, col in [("patent_party", "patent_id"), ("patent_ipc", "patent_id"), ("patent_event", "patent_id"),
                       ("patent_family", "patent_id"), ("patent_citation", "citing_id"),
                       ("patent_citation", "cited_id")]:
        orphans = demo_store.scalar(f"SELECT count(*) FROM {child} c ANTI JOIN patent p ON c.{col} = p.patent_id")
        assert orphans == 0, (child, col)
    for child, col, parent, key in [
        ("entity_alias", "entity_id", "entity", "entity_id"), ("patent_party", "entity_id", "entity", "entity_id"),
        ("entity_flag", "entity_id", "entity", "entity_id"), ("case_party", "case_id", "ip_case", "case_id"),
        ("case_party", "entity_id", "entity", "entity_id"), ("case_event", "case_id", "ip_case", "case_id"),
        ("pledge_right", "pledge_id", "pledge", "pledge_id"), ("pledge", "pledgee_entity_id", "entity", "entity_id"),
        ("trademark", "entity_id", "entity", "entity_id"), ("credit_entry", "entity_id", "entity", "entity_id"),
        ("program_item", "entity_id", "entity", "entity_id"), ("ip_transaction", "right_no", "patent", "patent_id"),
    ]:
        orphans = demo_store.scalar(
            f"SELECT count(*) FROM {child} c WHERE c.{col} IS NOT NULL AND NOT EXISTS "
            f"(SELECT 1 FROM {parent} p WHERE p.{key} = c.{col})")
        assert orphans == 0, (child, col)


def test_demo_pledged_patents_valid_at_pledge_date(demo_store):
    from ipobs.store.history import valid_patent_ids

    ib = demo_store.ibis()
    rights = q(demo_store, "SELECT r.right_no, p.registration_date FROM pledge_right r JOIN pledge p USING (pledge_id) "
                           "WHERE r.right_kind = 'patent'")
    assert len(rights) > 0
    events = ib.table("patent_event")
    for d, group in rights.groupby("registration_date"):
        valid = set(valid_patent_ids(events, pd.Timestamp(d).date()).execute()["patent_id"])
        assert set(group["right_no"]) <= valid


def test_demo_pledge_events_match_pledges(demo_store):
    n_rights = demo_store.scalar("SELECT count(*) FROM pledge_right WHERE right_kind = 'patent'")
    n_events = demo_store.scalar("SELECT count(*) FROM patent_event WHERE event = 'pledged'")
    assert n_rights == n_events


def test_demo_numbers_well_formed(demo_store):
    p = q(demo_store, "SELECT patent_id, application_no, publication_no, grant_no, kind FROM patent")
    assert all(valid_application_no(a) for a in p["application_no"])
    assert (p["patent_id"] == "CN" + p["application_no"].str[:12]).all()
    digit = p["application_no"].str[4]
    assert set(digit[p["kind"] == "invention"]) == {"1"}
    assert set(digit[p["kind"] == "utility"]) == {"2"}
    assert set(digit[p["kind"] == "design"]) == {"3"}
    assert p["publication_no"].dropna().str.fullmatch(r"CN[123]\d{8}[AUS]").all()
    assert p["grant_no"].dropna().str.fullmatch(r"CN[123]\d{8}[BUS]").all()
    uscc = q(demo_store, "SELECT uscc FROM entity WHERE uscc IS NOT NULL")["uscc"]
    assert len(uscc) > 100 and all(valid_uscc(u) for u in uscc)


def test_demo_status_cache_matches_history(demo_store):
    latest = q(demo_store, """
        SELECT p.patent_id, p.status, arg_max(e.status_after, e.event_date) AS from_events
        FROM patent p JOIN patent_event e USING (patent_id)
        WHERE e.status_after IS NOT NULL GROUP BY p.patent_id, p.status""")
    assert (latest["status"] == latest["from_events"]).all()
    assert set(latest["status"]) >= {"pending", "granted", "lapsed", "withdrawn", "rejected", "expired"}


def test_demo_one_status_change_per_day(demo_store):
    dup = demo_store.scalar("""SELECT count(*) FROM (SELECT patent_id, event_date FROM patent_event
        WHERE status_after IS NOT NULL GROUP BY ALL HAVING count(*) > 1)""")
    assert dup == 0


def test_demo_dates_follow_the_law(demo_store):
    p = q(demo_store, "SELECT kind, filing_date, grant_date, publication_date, pct_date, status FROM patent")
    lag = (p["grant_date"] - p["filing_date"]).dt.days / 365.25
    inv = p["kind"] == "invention"
    assert lag[~inv].dropna().between(0.2, 1.05).all()
    assert lag[inv].dropna().quantile(0.1) >= 1.3
    assert lag[inv].dropna().quantile(0.9) <= 4.1
    pub = (p["publication_date"] - p["filing_date"]).dt.days / 30.4
    assert pub[inv].dropna().quantile(0.5) == pytest.approx(18.4, abs=0.6)
    ends = q(demo_store, """SELECT p.kind, p.filing_date, e.event_date FROM patent_event e JOIN patent p USING (patent_id)
                            WHERE e.event = 'expired'""")
    years = (ends["event_date"] - ends["filing_date"]).dt.days / 365.25
    assert years[ends["kind"] == "utility"].between(9.99, 10.01).all()


def test_demo_kind_mix_and_grant_rates(demo_store):
    p = q(demo_store, "SELECT kind, year(filing_date) AS y, grant_date IS NOT NULL AS granted, status FROM patent")
    mix = p.groupby("kind").size() / len(p)
    assert 0.27 <= mix["invention"] <= 0.40
    assert 0.08 <= mix["design"] <= 0.15
    decided = p[p["y"] <= 2019]
    rate = decided.groupby("kind")["granted"].mean()
    assert 0.30 <= rate["invention"] <= 0.55
    assert 0.7 <= rate["utility"] <= 0.95
    by_year = p[p["kind"] == "invention"].groupby("y").size() / p.groupby("y").size()
    assert by_year[2022] < 0.27 < by_year[2012]


def test_demo_counts_derived_fields(demo_store):
    cited = q(demo_store, """SELECT p.cited_by_count, coalesce(c.n, 0) AS n FROM patent p LEFT JOIN
        (SELECT cited_id, count(*) AS n FROM patent_citation GROUP BY cited_id) c ON c.cited_id = p.patent_id""")
    assert (cited["cited_by_count"] == cited["n"]).all()
    fam = q(demo_store, """SELECT p.family_size, p.foreign_family, coalesce(f.n, 0) AS n, coalesce(f.g, false) AS g
        FROM patent p LEFT JOIN (SELECT patent_id, count(*) AS n, bool_or(granted) AS g FROM patent_family GROUP BY 1) f
        USING (patent_id)""")
    assert (fam["family_size"] == fam["n"] + 1).all()
    assert (fam["foreign_family"] == fam["g"]).all()
    assert demo_store.scalar("SELECT count(*) FROM patent WHERE pct AND pct_application_no NOT SIMILAR TO 'PCT/CN20[0-9]{2}/[0-9]{6}'") == 0


def test_demo_citations_point_back_in_time(demo_store):
    late = demo_store.scalar("""SELECT count(*) FROM patent_citation c JOIN patent a ON a.patent_id = c.citing_id
        JOIN patent b ON b.patent_id = c.cited_id WHERE b.publication_date >= a.filing_date""")
    assert late == 0


def test_demo_attribution_follows_cnipa(demo_store):
    p = q(demo_store, "SELECT grant_date, region_code, applicant_region, owner_region, attribution_basis FROM patent")
    by_owner = p["grant_date"].notna() & (p["grant_date"] <= "2020-12-31")
    assert (p.loc[by_owner, "attribution_basis"] == "owner_address").all()
    assert (p.loc[~by_owner, "attribution_basis"] == "applicant_address").all()
    assert (p.loc[by_owner, "region_code"].fillna("") == p.loc[by_owner, "owner_region"].fillna("")).all()
    assert (p.loc[~by_owner, "region_code"].fillna("") == p.loc[~by_owner, "applicant_region"].fillna("")).all()
    binhai = p["region_code"].fillna("").str.startswith("120116").mean()
    assert 0.8 <= binhai <= 0.9


def test_demo_industry_follows_main_classification(demo_store):
    from ipobs.records.industries import industry_of

    p = q(demo_store, "SELECT ipc_main, industry, kind FROM patent")
    expected = p["ipc_main"].map(industry_of)
    assert (expected.fillna("-") == p["industry"].fillna("-")).all()
    assert p["industry"].isna().mean() == pytest.approx(0.1, abs=0.04)
    assert p.loc[p["kind"] == "design", "ipc_main"].str.fullmatch(r"LOC\d\d-\d\d").all()


def test_demo_party_names_resolve_to_truth(demo_store):
    from ipobs.entities.names import normalize_name

    parties = q(demo_store, """SELECT pp.name, pp.name_norm, pp.entity_id, a.entity_id AS alias_entity
        FROM patent_party pp LEFT JOIN entity_alias a ON a.name_norm = pp.name_norm
        WHERE pp.role IN ('applicant', 'owner')""")
    assert (parties["name"].map(normalize_name) == parties["name_norm"]).all()
    assert (parties["entity_id"] == parties["alias_entity"]).all()
    messy = parties[parties["name"] != parties["name_norm"]]
    assert len(messy) > 0.05 * len(parties)
    assert parties["name"].str.contains("有限责任公司").any() and parties["name"].str.contains("Co., Ltd.").any()
    assert demo_store.scalar("SELECT count(*) FROM entity_alias WHERE rule <> 'demo-truth' OR confidence <> 1.0") == 0


def test_demo_abstracts_and_titles(demo_store):
    p = q(demo_store, "SELECT kind, title, title_en, abstract, claims_count FROM patent")
    lengths = p.loc[p["kind"] != "design", "abstract"].str.len()
    assert lengths.between(60, 220).mean() > 0.97
    assert p["title"].nunique() > 0.3 * len(p)  # real titles repeat too ("一种输送线")
    assert p["abstract"].nunique() > 0.95 * len(p)
    assert p["title_en"].notna().mean() == pytest.approx(0.05, abs=0.02)
    claims = p.groupby("kind")["claims_count"].agg(["min", "max"])
    assert claims.loc["design", "max"] == 1 and claims.loc["utility", "max"] <= 10


def test_demo_cases_mostly_on_time(demo_store):
    c = q(demo_store, """SELECT c.case_id, c.kind, c.department, c.received_date, c.deadline_date, c.closed_date,
        coalesce(sum(e.days) FILTER (WHERE e.status IN ('extended', 'suspended')), 0) AS extra
        FROM ip_case c LEFT JOIN case_event e USING (case_id) GROUP BY ALL""")
    assert set(c["kind"]) == set(ENUMS["case_kind"])
    closed = c[c["closed_date"].notna()]
    base = (closed["closed_date"] <= closed["deadline_date"]).mean()
    allowed = (closed["closed_date"] <= closed["deadline_date"] + pd.to_timedelta(closed["extra"], unit="D")).mean()
    assert 0.88 <= base <= 0.97 and 0.92 <= allowed <= 0.99
    assert {"区市场监管局", "区法院", "区知识产权局", "中国（滨海新区）知识产权保护中心"} <= set(c["department"])
    persons = demo_store.scalar("SELECT count(*) FROM case_party WHERE is_person")
    assert persons > 0


def test_demo_repeat_infringers_and_serial_cases(demo_store):
    repeat = demo_store.scalar("""SELECT count(DISTINCT a.entity_id) FROM case_party a JOIN ip_case ca USING (case_id)
        JOIN case_party b ON a.entity_id = b.entity_id AND a.case_id <> b.case_id JOIN ip_case cb ON cb.case_id = b.case_id
        WHERE a.side = 'respondent' AND b.side = 'respondent'
          AND abs(date_diff('day', ca.received_date, cb.received_date)) <= 730""")
    assert repeat > 0
    serial = demo_store.scalar("""SELECT max(n) FROM (SELECT c.right_no, p.entity_id, count(DISTINCT c.case_id) AS n
        FROM ip_case c JOIN case_party p USING (case_id) WHERE p.side = 'complainant' AND c.right_no IS NOT NULL
        GROUP BY ALL)""")
    assert serial >= 3


def test_demo_programs_cover_every_ledger(demo_store):
    progs = set(q(demo_store, "SELECT DISTINCT program FROM program_item")["program"])
    assert progs == set(ENUMS["program"])
    members = q(demo_store, "SELECT members FROM program_item WHERE program = 'hv_portfolio' AND members IS NOT NULL")
    ids = {m for row in members["members"] for m in row.split(";")}
    known = set(q(demo_store, "SELECT patent_id FROM patent")["patent_id"])
    assert ids and ids <= known


def test_demo_region_facts_two_population_vintages(demo_store):
    f = q(demo_store, "SELECT year, vintage, value FROM region_fact WHERE region_code = '120116' AND fact = 'population'")
    wide = f.pivot(index="year", columns="vintage", values="value")
    assert wide.shape[1] == 2
    revised = wide.dropna()
    assert list(revised.index) == list(range(2011, 2021))
    assert (revised.iloc[:, 0] != revised.iloc[:, 1]).all()
    zones = demo_store.scalar("SELECT count(DISTINCT region_code) FROM region_fact")
    assert zones == 9


def test_demo_madrid_grows(demo_store):
    m = q(demo_store, """SELECT year(registration_date) AS y, count(*) AS n FROM trademark
        WHERE madrid AND region_code LIKE '120116%' GROUP BY 1 ORDER BY 1""").set_index("y")["n"]
    assert m.loc[2024] > 2 * m.loc[2019]
    assert demo_store.scalar("SELECT count(*) FROM trademark WHERE geo_indication") >= 1


# ------------------------------------------------------------------ determinism
def _fingerprint(path) -> dict[str, str]:
    from ipobs.store import open_store

    out = {}
    with open_store(path, read_only=True) as store:
        for name, t in TABLES.items():
            cols = [c for c in t.columns if c != "batch_id"]
            df = store.query(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{name}"')
            df = df.astype(str).sort_values(cols).reset_index(drop=True)
            out[name] = hashlib.sha256(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes()).hexdigest()
    return out


@pytest.mark.slow
def test_demo_same_seed_same_tables(tmp_path):
    quiet = dict(echo=lambda s: None)
    build_demo(tmp_path / "a.duckdb", scale=0.003, seed=11, **quiet)
    build_demo(tmp_path / "b.duckdb", scale=0.003, seed=11, **quiet)
    build_demo(tmp_path / "c.duckdb", scale=0.003, seed=12, **quiet)
    a, b, c = (_fingerprint(tmp_path / f"{x}.duckdb") for x in "abc")
    assert a == b
    assert a["patent"] != c["patent"] and a["trademark"] != c["trademark"]


def test_demo_streams_are_independent():
    from ipobs.demo.config import stream

    a = stream(7, "patents", 2019).random(5)
    b = stream(7, "patents", 2019).random(5)
    c = stream(7, "trademarks").random(5)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
