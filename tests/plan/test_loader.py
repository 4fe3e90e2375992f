"""Plan files are validated on load: every problem names the file, the line and the field."""

from __future__ import annotations

import datetime as dt
from importlib import resources

import pytest

from ipobs.plan import PlanError, list_plans, load_plan, parse, validate_file

BINHAI = resources.files("ipobs.plan.plans").joinpath("binhai-2019.yaml").read_text(encoding="utf-8")


def line_of(text: str, needle: str, nth: int = 0) -> int:
    lines = text.splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if needle in line]
    return hits[nth]


def errors(text: str, file: str = "binhai-2019.yaml") -> list[str]:
    with pytest.raises(PlanError) as e:
        parse(text, file)
    return [str(i) for i in e.value.issues]


def test_plan_error_unknown_rule():
    bad = BINHAI.replace("rule: {type: at_least, value: 85000, params: {strict: true}}",
                         "rule: {type: atleast, value: 85000, params: {strict: true}}")
    line = line_of(bad, "type: atleast")
    assert errors(bad) == [f"binhai-2019.yaml line {line}, targets[0].rule.type: unknown rule 'atleast' "
                           "(did you mean 'at_least'?)"]


def test_plan_error_collects_every_problem():
    bad = (BINHAI.replace("indicator: trainings\n", "indicator: trainingz\n")
           .replace("departments: [ip_bureau, justice]\n    area: management\n    task: T26",
                    "departments: [ip_bureau, justise]\n    area: management\n    task: T26")
           .replace("group: culture\n", "group: kultur\n", 1))
    msgs = errors(bad)
    assert len(msgs) == 3
    assert msgs[0].endswith("tasks[23].group: unknown group 'kultur' (did you mean 'culture'?)")
    assert msgs[1] == (f"binhai-2019.yaml line {line_of(bad, 'trainingz')}, targets[48].indicator: unknown indicator "
                       "'trainingz' (did you mean 'trainings'?)")
    assert msgs[2].endswith("targets[51].departments[1]: unknown department 'justise' (did you mean 'justice'?)")


def test_plan_error_missing_field_and_wrong_type():
    text = """id: x
zh: 测试
en: test
issued: 2020-13-01
baseline_year: 2019
period: {start: 2020-01-01, end: 2021-12-31}
guiding: {zh: 指导}
goal: {year: 2021, zh: 目标}
areas: [{id: a, zh: 甲, en: A}]
groups: [{id: g, zh: 组, en: G}]
departments: {d: {zh: 部门, en: Dept}}
tasks: [{id: T1, number: one, group: g, zh: 任务, en: Task, departments: [d]}]
targets:
  - id: t1
    zh: 目标
    en: target
    indicator: valid_patents
    rule: {type: at_least}
    departments: [d]
    area: a
"""
    assert errors(text, "x.yaml") == [
        "x.yaml line 4, issued: expected a date YYYY-MM-DD, got '2020-13-01'",
        "x.yaml line 12, tasks[0].number: expected a whole number, got 'one'",
        "x.yaml line 18, targets[0].rule: rule 'at_least' needs a value",
    ]


def test_plan_error_duplicates():
    dup_key = BINHAI.replace("doc_no: 津滨政发〔2019〕26号\n", "doc_no: 津滨政发〔2019〕26号\ndoc_no: again\n")
    assert errors(dup_key) == [f"binhai-2019.yaml line {line_of(dup_key, 'doc_no: again')}, doc_no: duplicate key 'doc_no'"]
    dup_id = BINHAI.replace("  - id: inventions-per-10k\n", "  - id: valid-patents\n")
    assert errors(dup_id) == [f"binhai-2019.yaml line {line_of(dup_id, 'id: valid-patents', 1)}, targets[1].id: "
                              "duplicate id 'valid-patents' (also targets[0])"]


def test_plan_error_unknown_field_and_bad_yaml():
    text = BINHAI.replace("baseline_year: 2018\nperiod", "baseline_yr: 2018\nbaseline_year: 2018\nperiod")
    assert errors(text) == [f"binhai-2019.yaml line {line_of(text, 'baseline_yr')}, baseline_yr: unknown field "
                            "'baseline_yr' (did you mean 'baseline_year'?)"]
    msgs = errors("id: [unclosed\n", "broken.yaml")
    assert len(msgs) == 1 and msgs[0].startswith("broken.yaml line 2: not valid YAML")


def test_plan_error_parameter_reference():
    text = BINHAI.replace("{parameter: case_on_time_threshold}", "{parameter: nothing}")
    assert errors(text) == [f"binhai-2019.yaml line {line_of(text, 'parameter: nothing')}, targets[35].rule.value: "
                            "a value mapping must be {parameter: NAME} naming one of case_on_time_threshold"]


def test_plan_validate_file(tmp_path):
    good = tmp_path / "ok.yaml"
    good.write_text(BINHAI, encoding="utf-8")
    assert validate_file(good) == []
    bad = tmp_path / "bad.yaml"
    bad.write_text(BINHAI.replace("value: 60}", "value: sixty}"), encoding="utf-8")
    assert [str(i) for i in validate_file(bad)] == [
        f"bad.yaml line {line_of(bad.read_text(encoding='utf-8'), 'value: sixty')}, targets[1].rule.value: "
        "expected a number, got 'sixty'"]


def test_plan_list_and_unknown_name():
    assert list_plans() == ["binhai-2019", "example-city-2021"]
    with pytest.raises(PlanError, match="no shipped plan of that name"):
        load_plan("binhai-2018")


def test_plan_format_not_binhai_specific():
    p = load_plan("example-city-2021")
    assert p.region == "120101" and p.baseline_year == 2020
    assert set(p.departments) == {"amr", "most", "jfo", "ipc_court", "districts"}
    assert [t.id for t in p.tasks] == ["A1", "A2", "B1"]
    assert p.task("B1").targets == ("closure", "handling-days")
    assert p.target("closure").rule.value == 90
    assert p.target("monitoring").target_date == dt.date(2022, 6, 30)
    assert p.target("handling-days").rule.type == "at_most"
    assert p.target("valid-inventions").baseline_value == 3200
    assert p.indicator_settings().hv_pledge_threshold_yuan == 5_000_000
    assert p.to_dict()["targets"][0]["rule"]["type"] == "at_least"


def test_plan_unknown_setting():
    text = BINHAI.replace("settings:\n  period_start: 2019-01-01", "settings:\n  period_begin: 2019-01-01")
    msgs = errors(text)
    assert len(msgs) == 1 and msgs[0].startswith(f"binhai-2019.yaml line {line_of(text, 'settings:')}, settings: "
                                                 "unknown setting(s) period_begin")
