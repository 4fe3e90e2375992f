"""Value: the quality score (cohort percentiles, weights as data, explanation) and the high-value flag."""

from __future__ import annotations

import pytest

from ipobs.analytics.value import explain_value, high_value_flags, value_scores, weights

AS_OF = "2024-12-31"


def test_value_weights_are_data():
    cfg = weights()
    assert set(cfg["components"]) == {"forward_citations", "family_size", "claims", "scope", "backward_citations",
                                      "grant_lag", "remaining_life", "maintenance"}
    assert sum(c["weight"] for c in cfg["components"].values()) == pytest.approx(1.0)


def test_value_scores_between_0_and_100(mini):
    df = value_scores(mini, "ipc:A,B,G,H", AS_OF)
    assert len(df) == 240
    assert df["score"].between(0, 100).all()
    pct_cols = [c for c in df.columns if c.endswith("_pct")]
    assert ((df[pct_cols] > 0) & (df[pct_cols] <= 1) | df[pct_cols].isna()).all().all()


def test_value_explanation_parts_add_up(mini, mini_info):
    e = explain_value(mini, mini_info["granted_inventions"][0], AS_OF)
    used = [p for p in e["parts"] if p["percentile"] is not None]
    assert sum(p["contribution"] for p in used) == pytest.approx(e["score"])
    assert all({"value", "percentile", "weight", "contribution"} <= p.keys() for p in e["parts"])
    assert e["cohort"]["size"] >= 1 and e["cohort"]["kind"] == "invention"


def test_value_missing_claims_left_out(mini):
    pid = mini.scalar("SELECT patent_id FROM patent WHERE claims_count IS NULL LIMIT 1")
    e = explain_value(mini, pid, AS_OF)
    assert "claims" in e["left_out"]


def test_value_pending_patent_has_no_grant_lag(mini):
    pid = mini.scalar("SELECT patent_id FROM patent WHERE grant_date IS NULL LIMIT 1")
    e = explain_value(mini, pid, AS_OF)
    assert {"grant_lag", "maintenance", "remaining_life"} <= set(e["left_out"])


def test_value_better_patent_scores_higher_in_its_cohort():
    import pandas as pd

    from ipobs.analytics.value import score_frame

    base = dict(kind="invention", filing_year=2018, ipc_main="G06F17/30", family_size=1, claims=5, scope=1,
                backward_citations=1, grant_lag=800, remaining_life=10, maintenance=3)
    rows = [dict(base, patent_id=f"P{i}", forward_citations=i) for i in range(40)]
    rows[-1].update(family_size=5, claims=30, grant_lag=300)
    df = score_frame(pd.DataFrame(rows))
    assert df["score"].idxmax() == 39
    assert (df["cohort"] == "invention|2018|W06").all()


def test_value_unknown_patent(mini):
    with pytest.raises(KeyError, match="no patent"):
        explain_value(mini, "CN000000000000", AS_OF)


def test_value_high_value_flags_equal_indicator(mini):
    from ipobs.indicators import compute, records

    flags = high_value_flags(mini, AS_OF)
    binhai = flags[flags["region_code"].str.startswith("120116")]
    assert compute(mini, "hv_inventions", AS_OF).value == len(binhai)
    rows, total = records(mini, "hv_inventions", AS_OF, limit=1000)
    assert sorted(rows["patent_id"]) == sorted(binhai["patent_id"])


def test_value_high_value_reasons(mini, mini_info):
    flags = high_value_flags(mini, AS_OF).set_index("patent_id")
    assert "award" in flags.loc[mini_info["granted_inventions"][2], "reasons"].split(";")
    assert "pledge" in flags.loc[mini_info["granted_inventions"][0], "reasons"].split(";")
    assert "pledge" not in flags.loc[mini_info["granted_inventions"][1], "reasons"]  # 2 million: under the threshold


def _scores_over_whole_population(store, set_text, cfg):
    """The reference path: components of every patent of the set's kinds and filing years, scored, then the set."""
    from ipobs.analytics.scope import Scope
    from ipobs.analytics.value import _population_for, components, score_frame

    with Scope(store, set_text, as_of=AS_OF, region=None) as s:
        raw = components(store, s.con, s.as_of, _population_for(s.con, "pset"), [])
        return score_frame(raw, cfg).merge(s.rset.frame(), on="patent_id")


@pytest.mark.parametrize("set_text", ["ipc:A,B,G,H", "ipc:G06", "ipc:H01M", "years:2019-2019"])
@pytest.mark.parametrize("cfg_change", [{}, {"min_cohort": 2}, {"min_cohort": 3, "cohort": "ipc_subclass"}])
def test_value_scores_of_the_set_cohorts_equal_whole_population(mini, set_text, cfg_change):
    import pandas as pd

    cfg = dict(weights(), **cfg_change)
    fast = value_scores(mini, set_text, AS_OF, cfg=cfg)
    slow = _scores_over_whole_population(mini, set_text, cfg)
    fast, slow = (d.assign(patent_id=d["patent_id"].astype(str)).sort_values("patent_id").reset_index(drop=True)
                  for d in (fast, slow))
    assert len(fast) == len(slow) > 0
    pd.testing.assert_frame_equal(fast, slow, check_exact=True, check_dtype=False)
    if cfg_change.get("min_cohort") == 2 and "cohort" not in cfg_change:
        assert (~fast["cohort"].str.endswith("|*")).any()  # narrow cohorts took part, not only widened ones


def test_high_value_flags_of_a_set_equal_the_whole_store_filtered(mini):
    every = high_value_flags(mini, AS_OF)
    ids = sorted(every["patent_id"].astype(str))[::2] + ["CN-NOT-THERE"]
    some = high_value_flags(mini, AS_OF, ids)
    want = every[every["patent_id"].astype(str).isin(ids)]
    cols = ["patent_id", "sei", "foreign_family", "maintained", "pledge", "award", "reasons"]
    norm = lambda d: d[cols].assign(patent_id=d["patent_id"].astype(str)).sort_values("patent_id").reset_index(drop=True)  # noqa: E731
    assert len(some) == len(want) > 0
    assert norm(some).equals(norm(want))
