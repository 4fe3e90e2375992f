"""The Binhai 2019 plan ships whole: document, goals, 26 tasks with their departments, measures and
every quantified or checkable target."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from ipobs.indicators import registry
from ipobs.plan import load_plan

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_f00cef2c5f29e8c7.txt"


@pytest.fixture(scope="module")
def plan():
    return load_plan("binhai-2019")


def test_binhai_document(plan):
    assert plan.doc_no == "津滨政发〔2019〕26号"
    assert plan.issued == dt.date(2019, 9, 30)
    assert plan.baseline_year == 2018
    assert plan.goal["year"] == 2022
    assert plan.guiding.startswith("以习近平总书记对天津工作提出的“三个着力”重要要求为元为纲")
    assert [a.zh for a in plan.areas] == ["知识产权创造能力显著增强", "知识产权运用成效持续凸显", "知识产权保护水平大幅提高",
                                          "知识产权管理与服务更加完善"]
    assert [g.number for g in plan.groups] == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    assert [m.zh for m in plan.measures] == ["强化组织领导", "加强资金保障", "强化政策导向", "完善人才培育"]


def test_binhai_tasks_in_groups(plan):
    assert [t.id for t in plan.tasks] == [f"T{i:02d}" for i in range(1, 27)]
    sizes = {g.id: sum(t.group == g.id for t in plan.tasks) for g in plan.groups}
    assert sizes == {"creation": 6, "utilization": 7, "protection": 6, "management": 4, "culture": 3}
    t1 = plan.task("T01")
    assert t1.departments_text == ("区知识产权局、区发展改革委、区科技局、区工业和信息化局、区生态环境局、区卫生健康委、"
                                   "区文化和旅游局，各开发区管委会、街镇")
    assert t1.departments == ("ip_bureau", "drc", "sci", "miit", "eco", "health", "culture", "zones", "streets")
    assert plan.task("T10").departments == ("ip_bureau", "zgc")
    assert plan.task("T22").departments == ("ip_bureau", "hitech")
    assert plan.departments["zgc"].zh == "滨海—中关村管委会"


def test_binhai_task_departments_match_their_text(plan):
    for t in plan.tasks:
        names = re.split(r"[、，]", t.departments_text)
        assert [plan.departments[d].zh for d in t.departments] == names, t.id


def test_binhai_text_copied_exactly(plan):
    if not SEED.exists():
        pytest.skip("seed text not present")
    seed = SEED.read_text(encoding="utf-8")
    for t in plan.tasks:
        assert f"{t.number}．{t.zh}" in seed
        assert f"（责任部门：{t.departments_text}）" in seed
        for para in t.text.split("\n"):
            assert para in seed, (t.id, para[:30])
    for a in plan.areas:
        assert a.text in seed
    for m in plan.measures:
        assert m.text in seed
    assert plan.guiding in seed
    for target in plan.targets:
        for piece in re.split(r"[，；]", target.zh):
            assert piece in seed, (target.id, piece)


# (indicator, rule type, value, a param that must be set, task)
EXPECTED = [
    ("valid_patents", "at_least", 85000, {"strict": True}, None),
    ("inventions_per_10k", "at_least", 60, {}, None),
    ("invention_share", "share_at_least", 25, {}, None),
    ("pct_applications", "rising", None, {}, "T04"),
    ("registered_trademarks", "at_least", 70000, {}, None),
    ("well_known_marks", "rising", None, {"each_year": True}, "T05"),
    ("geographical_indications", "rising", None, {"each_year": True}, None),
    ("copyright_industry_va_growth", "growth_above", None, {"other": "gdp_growth"}, "T06"),
    ("software_copyrights", "rising", None, {"each_year": True}, "T06"),
    ("works_copyrights", "rising", None, {"each_year": True}, "T06"),
    ("ip_enterprises", "at_least", 2000, {}, "T02"),
    ("hv_portfolios_qualified", "at_least", 50, {}, "T08"),
    ("navigation_industry_projects", "at_least", 30, {}, "T09"),
    ("operation_platforms", "at_least", 10, {}, "T10"),
    ("infringement_cases", "falling", None, {}, "T14"),
    ("on_time_closure_rate", "at_least", 95, {"parameter": "case_on_time_threshold"}, None),
    ("gbt29490_units", "at_least", 500, {}, "T21"),
    ("service_alliances", "at_least", 5, {}, None),
    ("service_institutions", "at_least", 200, {}, None),
    ("ip_hosting_smes", "at_least", 1200, {}, None),
    ("industries_meeting_volume", "at_least", 5, {}, "T01"),
    ("enterprises_upgraded", "at_least", 500, {}, "T02"),
    ("sme_first_patents", "at_least", 3000, {}, "T02"),
    ("ip_intensive_universities", "at_least", 3, {"upto": 5}, "T03"),
    ("killer_products", "at_least", 50, {}, "T04"),
    ("trademarks_to_new_enterprises", "share_at_least", 40, {}, "T05"),
    ("madrid_growth", "growth_at_least", 20, {"average": "cagr"}, "T05"),
    ("pledge_amount_growth", "growth_at_least", 20, {"average": "cagr"}, "T11"),
    ("insurance_amount_growth", "growth_at_least", 20, {"average": "cagr"}, "T11"),
    ("financial_institutions_introduced", "at_least", 5, {"upto": 10}, "T11"),
    ("mixed_pledges", "milestone", 1, {}, "T11"),
    ("navigation_enterprise_projects", "at_least", 100, {}, "T09"),
    ("trainings", "at_least", 10, {"each_year": True}, "T24"),
    ("large_institutions_introduced", "at_least", 5, {"upto": 10}, "T22"),
    ("specialised_institutions_introduced", "at_least", 50, {}, "T22"),
    ("ms_monitoring_system", "milestone", 1, {}, "T20"),
    ("ms_circuit_trial_point", "milestone", 1, {}, None),
    ("ms_one_stop_platform", "milestone", 1, {}, "T17"),
    ("ms_think_tank", "milestone", 1, {}, "T26"),
]


@pytest.mark.parametrize(("indicator", "rule", "value", "params", "task"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_binhai_target_present(plan, indicator, rule, value, params, task):
    found = [t for t in plan.targets if t.indicator == indicator]
    assert found, f"no target on {indicator}"
    t = found[0]
    assert t.rule.type == rule
    assert t.rule.value == value
    for k, v in params.items():
        assert t.rule.params.get(k) == v
    assert t.task == task
    assert t.baseline_year == 2018 and t.target_date == dt.date(2022, 12, 31)
    assert t.departments and all(d in plan.departments for d in t.departments)
    assert t.area in {a.id for a in plan.areas}


def test_binhai_targets_point_at_registered_indicators(plan):
    reg = registry()
    assert len({t.id for t in plan.targets}) == len(plan.targets)
    for t in plan.targets:
        assert t.indicator in reg
        if t.rule.type == "growth_above":
            assert t.rule.params["other"] in reg
        if t.rule.type.startswith("growth") or t.rule.type == "growth_above":
            assert reg[t.indicator].kind == "growth"


def test_binhai_task_targets_listed(plan):
    assert plan.task("T02").targets == ("ip-enterprises", "enterprises-upgraded", "sme-first-patents")
    assert plan.task("T13").targets == ()
    assert {t.id for t in plan.targets_of(task="T11")} == {"pledge-growth", "insurance-growth", "financial-institutions",
                                                          "mixed-pledges"}


def test_binhai_parameter_override():
    p = load_plan("binhai-2019", parameters={"case_on_time_threshold": 90})
    assert p.target("on-time-closure").rule.value == 90
    assert p.indicator_settings().period_start == "2019-01-01"
