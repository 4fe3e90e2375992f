"""The navigation analysis: every section on a real set, and on bad input (empty, one patent, no
abstracts/citations) each section says what it cannot show; nothing divides by zero."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ipobs.analytics.navigation import SECTIONS, analyze, section
from ipobs.analytics.trends import suggest_phase

AS_OF = "2024-12-31"


@pytest.fixture(scope="module")
def full(mini):
    return analyze(mini, "ipc:A,B,G,H", as_of=AS_OF)


def _no_failures(result):
    failed = [s["id"] for s in result["sections"] for m in s["missing"] if "failed" in m["en"]]
    assert failed == []


def test_navigation_every_section_runs(full):
    assert [s["id"] for s in full["sections"]] == list(SECTIONS)
    _no_failures(full)
    json.dumps(full, allow_nan=False)  # no NaN or infinity anywhere


def test_navigation_overview_equals_store(full, mini):
    f = section(full, "overview")["facts"]
    assert f["patents"] == mini.count("patent") == 240
    assert f["inventions"] == int(mini.scalar("SELECT count(*) FROM patent WHERE kind = 'invention'"))
    assert f["in_region"] == int(mini.scalar("SELECT count(*) FROM patent WHERE region_code LIKE '120116%'"))
    assert f["region_share"] == pytest.approx(f["in_region"] / f["patents"])


def test_navigation_trends_add_up(full, mini):
    filings = pd.DataFrame(section(full, "trends")["tables"]["filings"])
    assert filings["total"].sum() == 240
    assert (filings[["invention", "utility", "design"]].sum(axis=1) == filings["total"]).all()
    y2015 = filings.set_index("year").loc[2015, "total"]
    assert y2015 == int(mini.scalar("SELECT count(*) FROM patent WHERE year(filing_date) = 2015"))


def test_navigation_applicants_ranked_on_entities(full, mini):
    top = section(full, "applicants")["tables"]["top"]
    first = top[0]
    n = int(mini.scalar("SELECT count(DISTINCT patent_id) FROM patent_party WHERE role='applicant' AND entity_id = ?",
                        [first["entity_id"]]))
    assert first["applications"] == n and first["name"].endswith("公司")
    assert [r["applications"] for r in top] == sorted((r["applications"] for r in top), reverse=True)


def test_navigation_network_finds_the_co_applicants(full):
    net = section(full, "network")
    pairs = {(p["a_id"], p["b_id"]) for p in net["tables"]["top_pairs"]}
    assert ("E000", "E001") in pairs and net["facts"]["communities"] >= 1
    assert all(a < b for a, b in pairs)  # one orientation per pair, whatever order the graph was built in


def test_navigation_is_deterministic(mini):
    sections = ["inventors", "network", "clusters", "value"]
    one = analyze(mini, "ipc:A,B,G,H", as_of=AS_OF, sections=sections)["sections"]
    two = analyze(mini, "ipc:A,B,G,H", as_of=AS_OF, sections=sections)["sections"]
    assert one == two


def test_navigation_in_two_threads_equals_one(mini, full):
    """Value and clusters on their own cursor beside the other sections: the same sections as one thread."""
    one = analyze(mini, "ipc:A,B,G,H", as_of=AS_OF, parallel=False)
    assert one["sections"] == full["sections"]
    assert (one["cpu_clock"], full["cpu_clock"]) == ("process", "thread")
    assert list(full["timings"]) == list(SECTIONS)
    # only side sections, or none: one thread
    assert analyze(mini, "ipc:A,B,G,H", as_of=AS_OF, sections=["value", "clusters"])["cpu_clock"] == "process"


def test_navigation_blank_spot_is_g06n(full):
    spots = section(full, "blank_spots")["tables"]["spots"]
    assert {"code": "G06N", "status": "absent"}.items() <= spots[0].items()


def test_navigation_industry_mapping_states_the_h01l_gap(full):
    sec = section(full, "industries")
    assert sec["facts"]["sei_gap_patents"] > 0
    assert any("H01L" in m["en"] for m in sec["missing"])
    assert {r["sei_code"] for r in sec["tables"]["sei_categories"]} >= {"1.5"}


def test_navigation_clusters_cover_every_patent(full):
    sec = section(full, "clusters")
    assert sum(c["patents"] for c in sec["tables"]["clusters"]) + sec["facts"]["unassigned"] == 240
    assert sec["facts"]["no_abstract"] > 0 and any("abstract" in m["en"] for m in sec["missing"])


def test_navigation_legal_status_as_of_date(mini):
    early = section(analyze(mini, "ipc:A,B,G,H", as_of="2013-01-01", sections=["legal_status"]), "legal_status")
    late = section(analyze(mini, "ipc:A,B,G,H", as_of=AS_OF, sections=["legal_status"]), "legal_status")
    assert early["facts"]["valid"] < late["facts"]["valid"]
    assert early["facts"]["no_event"] > 0 and early["missing"]


def test_navigation_empty_set_every_section_says_why(mini):
    res = analyze(mini, "ipc:Z99", as_of=AS_OF)
    assert res["set"]["size"] == 0
    for sec in res["sections"]:
        assert sec["missing"], sec["id"]
    json.dumps(res, allow_nan=False)


def test_navigation_one_patent(mini, mini_info):
    res = analyze(mini, f"ids:{mini_info['ids'][5]}", as_of=AS_OF)
    _no_failures(res)
    json.dumps(res, allow_nan=False)
    assert section(res, "overview")["facts"]["patents"] == 1
    for sid in ("lifecycle", "clusters", "network"):
        assert section(res, sid)["missing"], sid


def test_navigation_unknown_section(mini):
    with pytest.raises(ValueError, match="unknown section"):
        analyze(mini, "ipc:G", sections=["nope"])


def _years(rows):
    return pd.DataFrame(rows, columns=["year", "applications", "applicants"])


@pytest.mark.parametrize("apps, who, phase", [
    ([100, 100, 100, 150, 160, 170], [40, 40, 40, 60, 60, 60], "growth"),
    ([100, 100, 100, 150, 160, 170], [40, 40, 40, 38, 36, 35], "mature"),
    ([100, 100, 100, 100, 100, 100], [40, 40, 40, 40, 40, 40], "mature"),
    ([100, 100, 100, 60, 50, 40], [40, 40, 40, 20, 20, 20], "decline"),
    ([2, 3, 4, 10, 20, 30], [1, 2, 2, 5, 8, 12], "emerging"),
])
def test_lifecycle_phase_heuristic(apps, who, phase):
    df = _years([(2015 + i, a, w) for i, (a, w) in enumerate(zip(apps, who))])
    assert suggest_phase(df)[0] == phase


def test_lifecycle_phase_needs_six_years():
    got, why = suggest_phase(_years([(2020, 1, 1)]))
    assert got is None and "6" in why["en"]


def test_navigation_without_citations_or_abstracts(store):
    from minidata import build

    build(store, n=60, citations=False, abstracts=False)
    res = analyze(store, "ipc:A,B,G,H", as_of=AS_OF, sections=["value", "clusters"])
    _no_failures(res)
    json.dumps(res, allow_nan=False)
    assert any("no citations" in m["en"] for m in section(res, "value")["missing"])
    assert section(res, "clusters")["facts"]["no_abstract"] == 60
