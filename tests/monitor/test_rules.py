"""Rule evaluation per rule type on hand-made series, including the no-data cases."""

from __future__ import annotations

import datetime as dt

import pytest

from ipobs.monitor.rules import RuleSpec, cagr, growth_seen, judge, yoy

END_2021 = dt.date(2021, 12, 31)
DUE_2022 = dt.date(2022, 12, 31)
STEADY = {2015: 50000, 2016: 55000, 2017: 60000, 2018: 65000, 2019: 70000, 2020: 74000, 2021: 78000}


def rule(type_, value=None, **kw):
    return RuleSpec(type_, kw.pop("target_date", DUE_2022), value, **kw)


# -- level rules ----------------------------------------------------------------------------------------

def test_rules_at_least_met_when_value_reached():
    j = judge(rule("at_least", 75000, unit="件"), STEADY, 78000, END_2021)
    assert (j.status, j.gap, j.probability) == ("met", 0.0, None)
    assert "已达标" in j.reason_zh and "met" in j.reason_en


def test_rules_at_least_at_risk_sentence_has_forecast_and_probability():
    """Growth slowed to ~6% a year; reaching 83,000 (+6.4%) is about a coin toss."""
    j = judge(rule("at_least", 83000, unit="件"), STEADY, 78000, END_2021)
    assert j.status == "at_risk" and 0.25 <= j.probability < 0.6
    assert j.gap == 5000
    assert j.growth_needed == pytest.approx(83000 / 78000 - 1)
    assert j.growth_seen == pytest.approx((78000 / 65000) ** (1 / 3) - 1)  # 2019–2021 average
    for words in ("2022年目标≥83,000件", "2021年末为78,000件", "2019–2021年平均增速6.3%", "80%区间", "达标概率"):
        assert words in j.reason_zh
    assert "probability of meeting" in j.reason_en
    assert f"（{j.forecast.fitted[0]}–2021年）" in j.reason_zh  # the years the chosen model was fitted on


def test_rules_at_least_on_track_and_off_track_by_probability():
    fast = {y: 1000 * 1.2 ** (y - 2015) for y in range(2015, 2022)}
    assert judge(rule("at_least", fast[2021] * 1.1), fast, fast[2021], END_2021).status == "on_track"
    assert judge(rule("at_least", fast[2021] * 2.5), fast, fast[2021], END_2021).status == "off_track"


def test_rules_status_thresholds_are_settings():
    j_default = judge(rule("at_least", 83000), STEADY, 78000, END_2021)
    j_strict = judge(rule("at_least", 83000), STEADY, 78000, END_2021, settings={"at_risk_probability": 0.59})
    assert j_default.status == "at_risk" and j_strict.status == "off_track"
    assert j_default.probability == j_strict.probability


def test_rules_probability_monotone_in_target():
    probs = [judge(rule("at_least", v), STEADY, 78000, END_2021).probability for v in (80000, 84000, 88000, 95000)]
    assert probs == sorted(probs, reverse=True)


def test_rules_at_most():
    falling = {2017: 120, 2018: 110, 2019: 100, 2020: 92, 2021: 85}
    assert judge(rule("at_most", 90), falling, 85, END_2021).status == "met"
    j = judge(rule("at_most", 80), falling, 85, END_2021)
    assert j.status in ("on_track", "at_risk") and j.gap == 5


def test_rules_share_at_least_uses_bounds():
    share = {2017: 20.0, 2018: 21.5, 2019: 22.0, 2020: 23.1, 2021: 23.5}
    j = judge(rule("share_at_least", 24.5, unit="%", upper=100), share, 23.5, END_2021)
    assert j.status == "at_risk"
    assert j.forecast.scale == "logit" and j.forecast.paths.max() <= 100


def test_rules_deadline_passed_unmet_is_off_track():
    j = judge(rule("at_least", 90000), {**STEADY, 2022: 81000}, 81000, dt.date(2022, 12, 31))
    assert j.status == "off_track" and "已过" in j.reason_zh


def test_rules_no_value_is_no_data_not_zero():
    j = judge(rule("at_least", 85000), STEADY, None, END_2021)
    assert j.status == "no_data" and j.value is None and j.missing


def test_rules_too_short_to_forecast_is_no_data_with_reason():
    j = judge(rule("at_least", 85000), {2020: 70000, 2021: 78000}, 78000, END_2021)
    assert j.status == "no_data"
    assert "at least 3" in j.missing


# -- growth rules ---------------------------------------------------------------------------------------

GROWING = {2015: 50, 2016: 55, 2017: 61, 2018: 67, 2019: 74, 2020: 82, 2021: 90}


def test_rules_growth_each_year_broken_is_off_track():
    j = judge(rule("growth_at_least", 0.10, baseline_year=2018), GROWING, 90, END_2021)
    assert j.status == "off_track"
    assert [r["year"] for r in j.details["yoy"]] == [2019, 2020, 2021]
    assert "2021" in j.reason_en  # 90/82 − 1 = 9.8% < 10%


def test_rules_growth_each_year_so_far_held_gives_probability():
    j = judge(rule("growth_at_least", 0.08, baseline_year=2018), GROWING, 90, END_2021)
    assert j.status in ("on_track", "at_risk") and j.probability is not None
    assert j.value == pytest.approx(90 / 82 - 1)
    assert j.target == 0.08
    assert j.details["cagr"] == pytest.approx((90 / 67) ** (1 / 3) - 1)


def test_rules_growth_met_at_target_year():
    data = {**GROWING, 2022: 99}
    j = judge(rule("growth_at_least", 0.08, baseline_year=2018), data, 99, DUE_2022)
    assert j.status == "met"


def test_rules_growth_cagr_variant():
    data = {2018: 100, 2019: 130, 2020: 125, 2021: 160}
    each = judge(rule("growth_at_least", 0.15, baseline_year=2018), data, 160, END_2021)
    cagr_rule = judge(rule("growth_at_least", 0.15, baseline_year=2018, params={"average": "cagr"}), data, 160,
                      END_2021)
    assert each.status == "off_track"  # 2020 fell
    assert cagr_rule.status != "off_track" or cagr_rule.probability is not None
    assert cagr_rule.growth_needed == pytest.approx((100 * 1.15 ** 4 / 160) - 1)


def test_rules_growth_missing_year_is_no_data():
    data = {2018: 67, 2019: 74, 2021: 90}
    j = judge(rule("growth_at_least", 0.05, baseline_year=2018), data, 90, END_2021)
    assert j.status == "no_data" and "2020" in j.missing


def test_rules_growth_zero_base_is_no_data():
    data = {2018: 0, 2019: 3, 2020: 5, 2021: 8}
    j = judge(rule("growth_at_least", 0.05, baseline_year=2018), data, 8, END_2021)
    assert j.status == "no_data" and "zero" in j.missing


def test_rules_growth_baseline_from_plan_when_data_lacks_it():
    data = {2019: 74, 2020: 82, 2021: 90}
    j = judge(rule("growth_at_least", 0.05, baseline_year=2018, baseline_value=67), data, 90, END_2021)
    assert j.status != "no_data"
    assert "taken from the plan" in j.details["notes"][0]


EACH = {"each_year": True}


def test_rules_rising_and_falling_each_year():
    assert judge(rule("rising", baseline_year=2018, params=EACH), GROWING, 90, END_2021).status in ("on_track", "at_risk")
    assert judge(rule("rising", baseline_year=2018, params=EACH), {**GROWING, 2020: 95}, 90, END_2021).status \
        == "off_track"
    assert judge(rule("falling", baseline_year=2018, params=EACH), GROWING, 90, END_2021).status == "off_track"
    assert judge(rule("rising", baseline_year=2018, params=EACH), {**GROWING, 2022: 95}, 95, DUE_2022).status == "met"


def test_rules_rising_against_baseline_is_default():
    """PCT applications 'clearly higher' than in 2018: compared with the baseline, not year by year."""
    dip = {2018: 100, 2019: 90, 2020: 120, 2021: 130}
    j = judge(rule("rising", baseline_year=2018), dip, 130, END_2021)
    assert j.status == "met" and j.target == 100
    assert "2018年基期水平100" in j.reason_zh
    assert judge(rule("rising", baseline_year=2018, params={"compare": "baseline"}), dip, 95, dt.date(2021, 6, 30)) \
        .status in ("on_track", "at_risk", "off_track")
    j = judge(rule("falling", baseline_year=2018), {2018: 50, 2019: 55, 2020: 52, 2021: 51}, 51, END_2021)
    assert j.status != "met" and j.target == 50


def test_rules_strict_at_least():
    assert judge(rule("at_least", 78000), STEADY, 78000, END_2021).status == "met"
    j = judge(rule("at_least", 78000, params={"strict": True}), STEADY, 78000, END_2021)
    assert j.status != "met" and ">78,000" in j.reason_zh


def test_rules_level_each_year():
    """≥10 trainings every year after the 2018 baseline."""
    ok = {2018: 8, 2019: 11, 2020: 12, 2021: 14}
    j = judge(rule("at_least", 10, baseline_year=2018, params=EACH), ok, 14, END_2021)
    assert j.status in ("on_track", "at_risk") and j.probability is not None
    assert judge(rule("at_least", 10, baseline_year=2018, params=EACH), {**ok, 2020: 9}, 14, END_2021).status \
        == "off_track"
    assert judge(rule("at_least", 10, baseline_year=2018, params=EACH), {**ok, 2022: 12}, 12, DUE_2022).status \
        == "met"
    assert judge(rule("at_least", 10, baseline_year=2018, params=EACH), {2018: 8, 2019: 11, 2021: 14}, 14,
                 END_2021).status == "no_data"


def test_rules_growth_above_other_indicator():
    gdp = {y: 1000 * 1.06 ** (y - 2015) for y in GROWING}
    j = judge(rule("growth_above", params={"other": "gdp"}, baseline_year=2018), GROWING, 90, END_2021,
              other=gdp, other_name="GDP")
    assert j.status in ("on_track", "at_risk")
    assert j.value == pytest.approx(90 / 82 - 1) and j.target == pytest.approx(0.06)
    slow = {y: v if y < 2020 else v / 1.06 for y, v in gdp.items()}  # GDP flat in 2020: still fine
    assert judge(rule("growth_above", params={"other": "gdp"}, baseline_year=2018), GROWING, 90, END_2021,
                 other=slow, other_name="GDP").status != "off_track"
    fast = {y: 1000 * 1.15 ** (y - 2015) for y in GROWING}
    assert judge(rule("growth_above", params={"other": "gdp"}, baseline_year=2018), GROWING, 90, END_2021,
                 other=fast, other_name="GDP").status == "off_track"


def test_rules_growth_above_missing_other_is_no_data():
    j = judge(rule("growth_above", params={"other": "gdp"}, baseline_year=2018), GROWING, 90, END_2021,
              other={2018: 1000, 2019: 1060}, other_name="GDP")
    assert j.status == "no_data" and "2020" in j.missing


# -- milestones -----------------------------------------------------------------------------------------

def test_rules_milestone_done_cites_ledger():
    ev = {"text_zh": "M-7 巡回审判点 2020-06-30 完成", "text_en": "M-7 circuit trial point, 2020-06-30"}
    j = judge(rule("milestone", 1), {}, 1, END_2021, evidence=ev)
    assert j.status == "met" and "M-7" in j.reason_zh and j.details["evidence"] == ev


def test_rules_milestone_pending_and_overdue():
    assert judge(rule("milestone", 1), {}, 0, END_2021).status == "at_risk"
    assert judge(rule("milestone", 1), {}, 0, END_2021, settings={"milestone_pending_status": "on_track"}).status \
        == "on_track"
    assert judge(rule("milestone", 1), {}, 0, dt.date(2023, 12, 31)).status == "off_track"
    assert judge(rule("milestone", 1), {}, None, END_2021).status == "no_data"


# -- helpers --------------------------------------------------------------------------------------------

def test_rules_helpers():
    assert cagr({2018: 100, 2021: 133.1}, 2018, 2021) == pytest.approx(0.1)
    assert yoy({2019: 100, 2020: 110}, [2020, 2021]) == {2020: pytest.approx(0.1), 2021: None}
    g, span = growth_seen({2016: 80, 2018: 100, 2019: 105, 2021: 121}, 3)
    assert span == (2019, 2021) and g == pytest.approx((121 / 100) ** (1 / 3) - 1)


def test_rules_unknown_type_rejected():
    with pytest.raises(ValueError, match="unknown rule type"):
        RuleSpec("bigger", DUE_2022, 1)
