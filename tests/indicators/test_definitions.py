"""What each indicator counts, read off the tiny region (tiny_region.py) by hand."""

from __future__ import annotations

import pytest

from ipobs.indicators import compute, records, series

# (indicator, as_of, kwargs, expected value) — the comment says which records make the number
VALUES = [
    ("valid_patents", "2021-12-31", {"region": "120116Z1"}, 3),  # 0001, 0003, 0010 (0005 lapsed)
    ("valid_patents", "2021-12-31", {"industry": "nev"}, 3),  # 0001, 0003, 0010
    ("valid_inventions", "2021-12-31", {}, 4),  # 0001, 0002, 0003, 0008 (foreign owner still counts)
    ("valid_utility_models", "2020-12-31", {}, 1),  # 0005; 0006 lapsed 2020-11, restored 2021
    ("valid_utility_models", "2021-12-31", {}, 2),  # 0006 restored, 0010
    ("patent_applications", "2021-12-31", {}, 3),  # 0010, 0011, 0012
    ("patent_applications", "2021-03-15", {}, 2),  # year to date: 0010, 0011
    ("invention_grants", "2021-12-31", {}, 1),  # 0003
    ("patent_grants", "2020-12-31", {"region": "12"}, 6),  # 0002, 0005-0009 (0009 is in Heping)
    ("pct_applications", "2020-12-31", {}, 1),  # 0004
    ("pct_growth", "2020-12-31", {}, 0.0),  # 1 in 2020 against 1 in 2019 (0002)
    ("hv_inventions", "2020-12-31", {}, 2),  # 0001 maintained > 10 years, 0002 foreign family
    ("hv_inventions", "2021-12-31", {}, 3),  # + 0003 (SEI A01B, pledge 20M, award)
    ("industries_meeting_volume", "2020-12-31",
     {"settings": {"industry_min_applications": 1, "industry_min_grants": 1}}, 3),  # IT, smart mfg, culture
    ("industries_meeting_volume", "2020-12-31", {}, 0),
    ("sme_first_patents", "2021-12-31", {}, 3),  # E3, E4 (2020), E5 (2021)
    ("well_known_marks", "2021-12-31", {}, 1),  # TM1
    ("geographical_indications", "2021-12-31", {}, 1),  # TM3
    ("registered_trademarks", "2021-06-30", {}, 4),  # TM1-4 (TM2 cancelled only in September)
    ("madrid_registrations", "2021-12-31", {}, 1),  # TM7
    ("madrid_growth", "2021-12-31", {}, 0.0),  # 1 against 1 (TM4)
    ("new_trademark_registrations", "2021-12-31", {}, 1),  # TM4
    ("trademarks_to_new_enterprises", "2021-12-31", {}, 10.0),  # 1 of 10 new enterprises
    ("gdp_growth", "2021-12-31", {}, 10.0),
    ("copyright_industry_va_growth", "2021-12-31", {}, 20.0),
    ("ip_enterprises", "2020-12-31", {}, 2),  # E1 (three levels, once), E2
    ("ip_enterprises", "2022-06-30", {}, 3),  # + E3 from 2022
    ("ip_enterprises", "2022-06-30", {"industry": "next_gen_it"}, 1),  # E2
    ("gbt29490_units", "2021-12-31", {}, 1),
    ("gbt29490_units", "2022-01-01", {}, 0),  # valid_to is exclusive
    ("ip_hosting_smes", "2021-01-01", {}, 1),
    ("ip_hosting_smes", "2021-12-31", {}, 0),
    ("ip_intensive_universities", "2021-12-31", {}, 1),
    ("navigation_industry_projects", "2020-12-31", {}, 1),  # P1 accepted 2020-11-30
    ("navigation_industry_projects", "2020-10-31", {}, 0),
    ("trainings", "2021-12-31", {}, 2),
    ("hv_portfolios_qualified", "2021-12-31", {"settings": {"portfolio_min_inventions": 3, "portfolio_min_pct": 2}}, 1),
    ("hv_portfolios_qualified", "2020-12-31", {"settings": {"portfolio_min_inventions": 3, "portfolio_min_pct": 2}}, 0),
    ("service_institutions", "2021-12-31", {}, 3),
    ("large_institutions_introduced", "2021-12-31", {}, 1),  # P7 (note 大型全链条)
    ("specialised_institutions_introduced", "2021-12-31", {}, 1),  # P8; P9 predates the plan
    ("ms_monitoring_system", "2021-12-31", {}, 1),
    ("ms_monitoring_system", "2021-06-30", {}, 0),
    ("pledge_amount", "2021-12-31", {}, 8_000_000),  # PL2 mixed + PL3 trademark
    ("pledge_amount_patent", "2020-12-31", {}, 20_000_000),
    ("pledge_amount_growth", "2021-12-31", {}, -60.0),
    ("mixed_pledges", "2021-12-31", {}, 1),
    ("infringement_cases", "2021-12-31", {}, 3),  # C1-C3; C4 is a pre-examination
    ("cases_closed", "2021-12-31", {}, 4),
    ("on_time_closure_rate", "2021-12-31", {}, 200 / 3),  # C1, C2 (30 days extension) of C1-C3
    ("avg_handling_days", "2021-12-31", {}, (105 + 150 + 61 + 10) / 4),
    ("repeat_infringers", "2021-12-31", {}, 1),  # X1: C1, C2, C5
]


@pytest.mark.parametrize(("indicator", "as_of", "kw", "expected"), VALUES,
                         ids=[f"{v[0]}-{v[1]}-{'-'.join(map(str, v[2].values())) or 'home'}" for v in VALUES])
def test_definition_value(tiny_store, indicator, as_of, kw, expected):
    v = compute(tiny_store, indicator, as_of, **kw)
    assert v.missing is None
    assert v.value == pytest.approx(expected)


def test_high_value_reasons_each_patent_once(tiny_store):
    v = compute(tiny_store, "hv_inventions", "2021-12-31")
    assert v.parts["by_maintained"] == 1 and v.parts["by_foreign_family"] == 1
    assert v.parts["by_pledge"] == 1 and v.parts["by_award"] == 1
    df, total = records(tiny_store, "hv_inventions", "2021-12-31")
    assert total == 3 and df["patent_id"].is_unique
    row = df.set_index("patent_id").loc["CN202010000003"]
    assert row["reasons"] == "sei;pledge;award;" and row["award_name"] == "第二十二届中国专利优秀奖"
    # a higher pledge threshold drops the pledge reason, not the patent (it has others)
    v2 = compute(tiny_store, "hv_inventions", "2021-12-31", settings={"hv_pledge_threshold_yuan": 5e7})
    assert v2.value == 3 and v2.parts["by_pledge"] == 0


def test_population_vintage_default_and_chosen(tiny_store):
    v = compute(tiny_store, "hv_inventions_per_10k", "2020-12-31")
    assert v.value == pytest.approx(2 * 10000 / 2_060_000)
    assert v.vintage == {"population": {"year": 2020, "source": "七普修订", "vintage": "2022 census revision"}}
    v = compute(tiny_store, "inventions_per_10k", "2020-12-31", settings={"vintages": {"population": "2021 yearbook"}})
    assert v.value == pytest.approx(2 * 10000 / 2_000_000)
    assert v.vintage["population"]["vintage"] == "2021 yearbook"


def test_missing_data_is_a_sentence_not_zero(tiny_store):
    zero = compute(tiny_store, "inventions_per_10k", "2020-12-31", region="120116Z6")
    assert zero.value is None
    assert zero.missing == "the population figure for region 120116Z6 in 2020 is zero or empty"
    absent = compute(tiny_store, "inventions_per_10k", "2019-12-31")
    assert absent.missing == "no population figure for region 120116 in 2019 (region_fact)"
    vint = compute(tiny_store, "inventions_per_10k", "2021-12-31", settings={"vintages": {"population": "1990"}})
    assert vint.missing == "no population figure of vintage '1990' for region 120116 in 2021 (region_fact)"
    cr = compute(tiny_store, "software_copyrights", "2021-12-31")
    assert cr.value is None and cr.missing.startswith("no copyright registrations")
    ins = compute(tiny_store, "insurance_amount_growth", "2021-12-31")
    assert ins.value is None and ins.missing == "no insurance policies starting in the period have been imported"
    early = compute(tiny_store, "valid_patents", "2000-12-31")
    assert early.missing == "no patent legal-status events (patent_event) on or before the date have been imported"


def test_growth_needs_a_previous_year(tiny_store):
    v = compute(tiny_store, "pledge_amount_growth", "2020-12-31")
    assert v.value is None
    assert v.missing == "no pledge contracts registered in the same period of the previous year have been imported"


def test_records_drill_through(tiny_store):
    df, total = records(tiny_store, "valid_patents", "2021-12-31")
    assert total == compute(tiny_store, "valid_patents", "2021-12-31").value == 7
    assert {"patent_id", "title", "owner", "status", "status_date", "region_code", "attribution_basis"} <= set(df.columns)
    assert df.set_index("patent_id").loc["CN202020000006", "status_date"].date().isoformat() == "2021-01-15"
    page, total2 = records(tiny_store, "valid_patents", "2021-12-31", limit=2, offset=6)
    assert total2 == 7 and list(page["patent_id"]) == ["CN202120000010"]
    cases, n = records(tiny_store, "on_time_closure_rate", "2021-12-31")
    assert n == 4 and "internal_note" not in cases.columns
    c2 = cases.set_index("case_id").loc["C2"]
    assert c2["extension_days"] == 30 and bool(c2["on_time"])


def test_series_stocks_and_flows(tiny_store):
    vals = series(tiny_store, "patent_applications", [2020, 2021])
    assert [v.value for v in vals] == [6, 3]
    assert [v.as_of.isoformat() for v in vals] == ["2020-12-31", "2021-12-31"]


def test_unknown_ids_regions_industries(tiny_store):
    with pytest.raises(KeyError, match="unknown indicator 'valid_patent'; known: .*valid_patents"):
        compute(tiny_store, "valid_patent", "2021-12-31")
    with pytest.raises(ValueError, match="unknown region '999'"):
        compute(tiny_store, "valid_patents", "2021-12-31", region="999")
    with pytest.raises(ValueError, match="indicator trainings has no industry breakdown"):
        compute(tiny_store, "trainings", "2021-12-31", industry="nev")
    with pytest.raises(ValueError, match="unknown industry 'cars'"):
        compute(tiny_store, "valid_patents", "2021-12-31", industry="cars")
    with pytest.raises(ValueError, match="unknown setting"):
        compute(tiny_store, "valid_patents", "2021-12-31", settings={"nope": 1})


def test_growth_records_show_both_periods(tiny_store):
    df, total = records(tiny_store, "pledge_amount_growth", "2021-12-31")
    assert total == 3
    assert list(zip(df["period"], df["pledge_id"])) == [("current", "PL2"), ("current", "PL3"), ("previous", "PL1")]


@pytest.mark.parametrize(("rows", "latest"), [
    ([("年度常住人口统计", 2015), ("2020年第七次人口普查修订", 2015)], "2020年第七次人口普查修订"),
    ([("年度常住人口统计", 2020), ("2020年第七次人口普查修订", 2020)], "2020年第七次人口普查修订"),
    ([("年度常住人口统计", 2023), ("2020年第七次人口普查修订", 2023)], "年度常住人口统计"),
    ([("2021 yearbook", 2020), ("2022 census revision", 2020)], "2022 census revision"),
])
def test_latest_vintage_read_from_its_name(rows, latest):
    import ibis

    from ipobs.indicators.common import vintage_rank

    rf = ibis.memtable({"vintage": [r[0] for r in rows], "year": [r[1] for r in rows]})
    assert ibis.duckdb.connect().execute(rf.vintage.argmax(vintage_rank(rf))) == latest


def test_same_day_grant_and_lapse_is_lapsed(store):
    """Same-day events follow a patent's life: granted then lapsed that day leaves it lapsed."""
    import pandas as pd

    from ipobs.records.batch import RecordBatch

    pat = pd.DataFrame([{"patent_id": "CN201810000001", "application_no": "201810000001.X", "kind": "utility",
                         "filing_date": "2018-01-01", "title": "一种装置", "region_code": "120116"}])
    ev = pd.DataFrame([("CN201810000001", "2020-02-15", "lapsed", "lapsed"),
                       ("CN201810000001", "2020-02-15", "granted", "granted"),
                       ("CN201810000001", "2018-01-01", "filed", "pending")],
                      columns=["patent_id", "event_date", "event", "status_after"])
    store.import_batch(RecordBatch("patents", {"patent": pat, "patent_event": ev}))
    assert compute(store, "valid_patents", "2020-12-31").value == 0
    assert compute(store, "valid_patents", "2020-02-14").value == 0
