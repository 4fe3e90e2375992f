"""A plan as data: goal areas, task groups, tasks with their departments, safeguard measures,
and targets that point at indicator ids with a rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

RULE_TYPES: dict[str, str] = {
    "at_least": "the value reaches at least `value` by the target date",
    "at_most": "the value is at most `value` by the target date",
    "share_at_least": "a share (%) reaches at least `value`",
    "growth_at_least": "growth (%) is at least `value` (each year, or as a CAGR with average: cagr)",
    "rising": "the yearly series rises (each year with each_year: true, else against the baseline)",
    "falling": "the yearly series falls (each year with each_year: true, else against the baseline)",
    "growth_above": "growth (%) exceeds the growth of the indicator named in params.other",
    "milestone": "a ledger item shows the milestone reached (indicator value ≥ 1)",
}
NEEDS_VALUE = {"at_least", "at_most", "share_at_least", "growth_at_least"}

# params a rule may carry, and what each means (docs/plan.md repeats this table)
RULE_PARAMS: dict[str, str] = {
    "strict": "true: strictly more (or less) than value (突破)",
    "upto": "upper end of a stated range (3-5 → value 3, upto 5)",
    "each_year": "true: the condition must hold in every year of the period",
    "average": "'cagr': growth is the compound average annual growth since the baseline year (年均)",
    "compare": "'baseline': rising/falling judged against the baseline year",
    "other": "growth_above: the indicator id whose growth must be exceeded",
    "parameter": "set by the loader: the plan parameter the value came from",
}


@dataclass(frozen=True)
class Department:
    id: str
    zh: str
    en: str
    kind: str


@dataclass(frozen=True)
class Area:
    id: str
    number: str
    zh: str
    en: str
    text: str


@dataclass(frozen=True)
class Group:
    id: str
    number: str
    zh: str
    en: str


@dataclass(frozen=True)
class Task:
    id: str
    number: int
    group: str
    zh: str
    en: str
    departments: tuple[str, ...]
    departments_text: str
    text: str
    targets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Measure:
    id: str
    number: str
    zh: str
    en: str
    text: str
    departments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    type: str
    value: float | None = None
    params: dict = field(default_factory=dict)

    def __hash__(self) -> int:  # params is a dict: hash what identifies the rule
        return hash((self.type, self.value, tuple(sorted(self.params))))


@dataclass(frozen=True)
class Target:
    id: str
    zh: str
    en: str
    indicator: str
    rule: Rule
    baseline_year: int
    baseline_value: float | None
    target_date: dt.date
    departments: tuple[str, ...]
    area: str
    task: str | None
    note: str = ""

    @property
    def text(self) -> str:
        """The plan's own sentence (the Chinese text the target comes from)."""
        return self.zh


@dataclass
class Plan:
    id: str
    zh: str
    en: str
    doc_no: str
    issuer: str
    issued: dt.date
    region: str
    baseline_year: int
    period_start: dt.date
    period_end: dt.date
    preamble: str
    guiding: str
    guiding_en: str
    goal: dict
    areas: list[Area]
    groups: list[Group]
    tasks: list[Task]
    measures: list[Measure]
    departments: dict[str, Department]
    targets: list[Target]
    settings: dict = field(default_factory=dict)
    parameters: dict = field(default_factory=dict)
    source: str = ""

    def target(self, target_id: str) -> Target:
        for t in self.targets:
            if t.id == target_id:
                return t
        raise KeyError(f"plan {self.id} has no target {target_id!r}")

    def task(self, task_id: str) -> Task:
        for t in self.tasks:
            if t.id == task_id:
                return t
        raise KeyError(f"plan {self.id} has no task {task_id!r}")

    def targets_of(self, *, area: str | None = None, task: str | None = None,
                   department: str | None = None) -> list[Target]:
        return [t for t in self.targets if (area is None or t.area == area) and (task is None or t.task == task)
                and (department is None or department in t.departments)]

    def indicator_settings(self, **overrides):
        """The indicator Settings this plan fixes (``settings:``), with overrides."""
        from ipobs.indicators.settings import Settings

        return Settings.of({**self.settings, **overrides})

    def to_dict(self) -> dict:
        from ipobs.jsonable import jsonable  # numpy and pandas: loaded only when a plan is written out

        d = asdict(self)
        d["departments"] = {k: asdict(v) for k, v in self.departments.items()}
        return jsonable(d)
