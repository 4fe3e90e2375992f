"""Load and validate plan files, pointing at file, line and field for every problem.

The YAML is composed into nodes first, so every value keeps the line it came from; then each
section is checked against a small declarative spec (``SPEC``) and cross-checked (departments,
areas, tasks and indicator ids exist; ids are unique). All problems are collected before
raising :class:`PlanError`, e.g.::

    binhai-2019.yaml line 212, targets[7].rule.type: unknown rule 'atleast' (did you mean 'at_least'?)
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ipobs.plan.model import (NEEDS_VALUE, RULE_PARAMS, RULE_TYPES, Area, Department, Group, Measure, Plan, Rule,
                              Target, Task)

DEPARTMENT_KINDS = ("bureau", "judicial", "zone", "street", "government", "group", "other")

# field -> (type, required). Types: str, int, number, date, bool, map, list, strlist, any.
SPEC: dict[str, dict[str, tuple[str, bool]]] = {
    "plan": {
        "id": ("str", True), "zh": ("str", True), "en": ("str", True), "doc_no": ("str", False),
        "issuer": ("str", False), "issuer_en": ("str", False), "issued": ("date", True), "region": ("str", False),
        "baseline_year": ("int", True), "period": ("map", True), "basis": ("str", False),
        "preamble": ("str", False), "settings": ("map", False), "parameters": ("map", False),
        "guiding": ("map", True), "goal": ("map", True), "areas": ("list", True), "groups": ("list", True),
        "departments": ("map", True), "tasks": ("list", True), "measures": ("list", False),
        "target_defaults": ("map", False), "targets": ("list", True),
    },
    "period": {"start": ("date", True), "end": ("date", True)},
    "guiding": {"zh": ("str", True), "en": ("str", False)},
    "goal": {"year": ("int", True), "zh": ("str", True), "en": ("str", False)},
    "parameter": {"value": ("number", True), "zh": ("str", False), "en": ("str", False)},
    "area": {"id": ("str", True), "number": ("str", False), "zh": ("str", True), "en": ("str", True),
             "text": ("str", False)},
    "group": {"id": ("str", True), "number": ("str", False), "zh": ("str", True), "en": ("str", True)},
    "department": {"zh": ("str", True), "en": ("str", True), "kind": ("str", False)},
    "task": {"id": ("str", True), "number": ("int", True), "group": ("str", True), "zh": ("str", True),
             "en": ("str", True), "departments": ("strlist", True), "departments_text": ("str", False),
             "text": ("str", False)},
    "measure": {"id": ("str", True), "number": ("str", False), "zh": ("str", True), "en": ("str", True),
                "departments": ("strlist", False), "text": ("str", False)},
    "target_defaults": {"baseline_year": ("int", False), "target_date": ("date", False)},
    "target": {"id": ("str", True), "zh": ("str", True), "en": ("str", True), "indicator": ("str", True),
               "rule": ("map", True), "baseline_year": ("int", False), "baseline_value": ("number", False),
               "target_date": ("date", False), "departments": ("strlist", True), "area": ("str", True),
               "task": ("str", False), "note": ("str", False)},
    "rule": {"type": ("str", True), "value": ("any", False), "params": ("map", False)},
}


@dataclass(frozen=True)
class Issue:
    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file} line {self.line}" if self.line else self.file
        return f"{where}, {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class PlanError(ValueError):
    """A plan file that cannot be used; ``issues`` lists every problem found."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        head = "\n".join(str(i) for i in issues[:20])
        more = f"\n… and {len(issues) - 20} more" if len(issues) > 20 else ""
        super().__init__(head + more)


def _path(parts: tuple) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


class _Reader:
    """Turns YAML nodes into plain values and remembers the line of every path."""

    def __init__(self, file: str):
        self.file = file
        self.lines: dict[tuple, int] = {}
        self.issues: list[Issue] = []
        self._scalar = SafeConstructor()

    def issue(self, path: tuple, message: str, line: int | None = None) -> None:
        if line is None:
            p = path
            while p and p not in self.lines:
                p = p[:-1]
            line = self.lines.get(p)
        self.issues.append(Issue(self.file, line, _path(path), message))

    def value(self, node, path: tuple = ()):
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, MappingNode):
            out = {}
            for k, v in node.value:
                key = self._scalar.construct_object(k) if isinstance(k, ScalarNode) else None
                if not isinstance(key, (str, int)):
                    self.issue(path, "mapping keys must be plain text", k.start_mark.line + 1)
                    continue
                key = str(key)
                if key in out:
                    self.issue(path + (key,), f"duplicate key {key!r}", k.start_mark.line + 1)
                out[key] = self.value(v, path + (key,))
                self.lines[path + (key,)] = k.start_mark.line + 1  # a field's line is where its key is
            return out
        if isinstance(node, SequenceNode):
            return [self.value(v, path + (i,)) for i, v in enumerate(node.value)]
        try:
            return self._scalar.construct_object(node)
        except ValueError:  # e.g. a date-shaped 2020-13-01: keep the text, the type check names it
            return node.value
        except ConstructorError as e:
            self.issue(path, f"unreadable value ({e.problem})")
            return None


def _suggest(word, choices) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1)
    return f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(map(str, choices))})"


def _check_type(r: _Reader, path: tuple, value, typ: str) -> bool:
    ok = {
        "str": lambda v: isinstance(v, str) and v.strip() != "",
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)),
        "date": lambda v: isinstance(v, dt.date),
        "bool": lambda v: isinstance(v, bool),
        "map": lambda v: isinstance(v, dict),
        "list": lambda v: isinstance(v, list),
        "strlist": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
        "any": lambda v: True,
    }[typ](value)
    if not ok:
        words = {"str": "a non-empty text", "int": "a whole number", "number": "a number", "date": "a date YYYY-MM-DD",
                 "bool": "true or false", "map": "a mapping", "list": "a list", "strlist": "a list of ids"}
        r.issue(path, f"expected {words[typ]}, got {value!r}")
    return ok


def _check(r: _Reader, path: tuple, data, spec_name: str) -> bool:
    """Check one mapping against SPEC[spec_name]; False when it cannot be used at all."""
    if not isinstance(data, dict):
        r.issue(path, f"expected a mapping, got {data!r}")
        return False
    spec = SPEC[spec_name]
    good = True
    for key, val in data.items():
        if key not in spec:
            r.issue(path + (key,), f"unknown field {key!r}{_suggest(key, spec)}")
            continue
        if not (val is None and not spec[key][1]) and not _check_type(r, path + (key,), val, spec[key][0]):
            good = False
    for key, (_, required) in spec.items():
        if required and data.get(key) is None:
            r.issue(path, f"missing required field {key!r}")
            good = False
    return good


def _unique(r: _Reader, items: list, section: str) -> None:
    seen: dict = {}
    for i, it in enumerate(items):
        if isinstance(it, dict) and "id" in it:
            if it["id"] in seen:
                r.issue((section, i, "id"), f"duplicate id {it['id']!r} (also {section}[{seen[it['id']]}])")
            seen.setdefault(it["id"], i)


def parse(text: str, file: str = "<plan>", *, parameters: dict | None = None) -> Plan:
    """A validated :class:`Plan` from YAML text; :class:`PlanError` lists every problem."""
    r = _Reader(file)
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise PlanError([Issue(file, mark.line + 1 if mark else None, "", f"not valid YAML: {e.problem or e}")]) from None
    if node is None:
        raise PlanError([Issue(file, None, "", "the file is empty")])
    data = r.value(node)
    _check(r, (), data, "plan")
    structure = {k: t for k, (t, _) in SPEC["plan"].items() if t in ("map", "list")}
    if not isinstance(data, dict) or any(
            not isinstance(data.get(k), dict if t == "map" else list)
            for k, t in structure.items() if SPEC["plan"][k][1] or data.get(k) is not None):
        raise PlanError(r.issues)
    plan = _build(r, data, parameters or {})
    if r.issues:
        raise PlanError(r.issues)
    return plan


def _build(r: _Reader, d: dict, overrides: dict) -> Plan:
    for name in ("period", "guiding", "goal"):
        _check(r, (name,), d[name], name)
    departments = {}
    for key, dep in d["departments"].items():
        if _check(r, ("departments", key), dep, "department"):
            kind = dep.get("kind") or "other"
            if kind not in DEPARTMENT_KINDS:
                r.issue(("departments", key, "kind"), f"unknown department kind {kind!r}{_suggest(kind, DEPARTMENT_KINDS)}")
            departments[key] = Department(key, dep["zh"], dep["en"], kind)

    def dep_ids(path, ids):
        for i, x in enumerate(ids or []):
            if x not in departments:
                r.issue(path + (i,), f"unknown department {x!r}{_suggest(x, departments)}")
        return tuple(ids or [])

    areas = [Area(a["id"], a.get("number", ""), a["zh"], a["en"], a.get("text", "")) for i, a in enumerate(d["areas"])
             if _check(r, ("areas", i), a, "area")]
    groups = [Group(g["id"], g.get("number", ""), g["zh"], g["en"]) for i, g in enumerate(d["groups"])
              if _check(r, ("groups", i), g, "group")]
    for section in ("areas", "groups", "tasks", "measures", "targets"):
        _unique(r, d.get(section) or [], section)
    group_ids, area_ids = {g.id for g in groups}, {a.id for a in areas}

    tasks = []
    for i, t in enumerate(d["tasks"]):
        if not _check(r, ("tasks", i), t, "task"):
            continue
        if t["group"] not in group_ids:
            r.issue(("tasks", i, "group"), f"unknown group {t['group']!r}{_suggest(t['group'], group_ids)}")
        tasks.append(Task(t["id"], t["number"], t["group"], t["zh"], t["en"],
                          dep_ids(("tasks", i, "departments"), t["departments"]), t.get("departments_text", ""),
                          t.get("text", "")))
    task_ids = {t.id for t in tasks}
    measures = [Measure(m["id"], m.get("number", ""), m["zh"], m["en"], m.get("text", ""),
                        dep_ids(("measures", i, "departments"), m.get("departments")))
                for i, m in enumerate(d.get("measures") or []) if _check(r, ("measures", i), m, "measure")]

    settings = dict(d.get("settings") or {})
    try:
        from ipobs.indicators.settings import Settings

        Settings.of(settings)
    except ValueError as e:
        r.issue(("settings",), str(e))
    params = {}
    for key, p in (d.get("parameters") or {}).items():
        if _check(r, ("parameters", key), p, "parameter"):
            params[key] = dict(p)
    for key, v in overrides.items():
        if key not in params:
            raise PlanError([Issue(r.file, None, "parameters", f"unknown parameter {key!r}{_suggest(key, params)}")])
        params[key] = {**params[key], "value": v}

    defaults = d.get("target_defaults") or {}
    _check(r, ("target_defaults",), defaults, "target_defaults")
    targets = [t for i, raw in enumerate(d["targets"])
               if (t := _target(r, i, raw, defaults, d, params, area_ids, task_ids, dep_ids)) is not None]
    by_task: dict[str, list[str]] = {}
    for t in targets:
        if t.task:
            by_task.setdefault(t.task, []).append(t.id)
    tasks = [Task(**{**t.__dict__, "targets": tuple(by_task.get(t.id, ()))}) for t in tasks]

    g = d["guiding"]
    return Plan(
        id=d["id"], zh=d["zh"], en=d["en"], doc_no=d.get("doc_no", ""), issuer=d.get("issuer", ""),
        issued=d["issued"], region=str(d.get("region") or ""), baseline_year=d["baseline_year"],
        period_start=d["period"].get("start"), period_end=d["period"].get("end"), preamble=d.get("preamble", ""),
        guiding=g.get("zh", ""), guiding_en=g.get("en", ""), goal=dict(d["goal"]), areas=areas, groups=groups,
        tasks=tasks, measures=measures, departments=departments, targets=targets, settings=settings,
        parameters=params, source=r.file,
    )


def _target(r, i, raw, defaults, d, params, area_ids, task_ids, dep_ids) -> Target | None:
    from ipobs.indicators import registry

    path = ("targets", i)
    if not _check(r, path, raw, "target"):
        return None
    reg = registry()
    if raw["indicator"] not in reg:
        r.issue(path + ("indicator",), f"unknown indicator {raw['indicator']!r}{_suggest(raw['indicator'], reg)}")
    if raw["area"] not in area_ids:
        r.issue(path + ("area",), f"unknown goal area {raw['area']!r}{_suggest(raw['area'], area_ids)}")
    if raw.get("task") and raw["task"] not in task_ids:
        r.issue(path + ("task",), f"unknown task {raw['task']!r}{_suggest(raw['task'], task_ids)}")
    rule = _rule(r, path + ("rule",), raw["rule"], params, reg)
    if rule is None:
        return None
    target_date = raw.get("target_date") or defaults.get("target_date") or d["period"].get("end")
    baseline_year = raw.get("baseline_year") or defaults.get("baseline_year") or d["baseline_year"]
    return Target(raw["id"], raw["zh"], raw["en"], raw["indicator"], rule, baseline_year, raw.get("baseline_value"),
                  target_date, dep_ids(path + ("departments",), raw["departments"]), raw["area"], raw.get("task"),
                  raw.get("note", ""))


def _rule(r, path, raw, params, reg) -> Rule | None:
    if not _check(r, path, raw, "rule"):
        return None
    typ = raw["type"]
    if typ not in RULE_TYPES:
        r.issue(path + ("type",), f"unknown rule {typ!r}{_suggest(typ, RULE_TYPES)}")
        return None
    rp = dict(raw.get("params") or {})
    for key in rp:
        if key not in RULE_PARAMS or key == "parameter":
            r.issue(path + ("params", key), f"unknown rule parameter {key!r}{_suggest(key, RULE_PARAMS)}")
    value = raw.get("value")
    if isinstance(value, dict):
        name = value.get("parameter")
        if set(value) != {"parameter"} or name not in params:
            r.issue(path + ("value",), f"a value mapping must be {{parameter: NAME}} naming one of "
                                       f"{', '.join(params) or 'the plan parameters (none defined)'}")
            return None
        value, rp["parameter"] = params[name]["value"], name
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
        r.issue(path + ("value",), f"expected a number, got {value!r}")
        return None
    if typ in NEEDS_VALUE and value is None:
        r.issue(path, f"rule {typ!r} needs a value")
    if typ == "milestone" and value is None:
        value = 1
    if typ == "growth_above":
        other = rp.get("other")
        if other not in reg:
            r.issue(path + ("params", "other"), f"growth_above needs params.other, an indicator id; got {other!r}")
    if "upto" in rp and (not isinstance(rp["upto"], (int, float)) or (value is not None and rp["upto"] < value)):
        r.issue(path + ("params", "upto"), f"upto must be a number not below value, got {rp['upto']!r}")
    if rp.get("average") not in (None, "cagr"):
        r.issue(path + ("params", "average"), f"average must be 'cagr', got {rp['average']!r}")
    if rp.get("compare") not in (None, "baseline"):
        r.issue(path + ("params", "compare"), f"compare must be 'baseline', got {rp['compare']!r}")
    return Rule(typ, None if value is None else float(value), rp)


# ------------------------------------------------------------------- loading
PLANS_PACKAGE = "ipobs.plan.plans"


def list_plans() -> list[str]:
    """Names of the plans shipped with the package."""
    files = resources.files(PLANS_PACKAGE).iterdir()
    return sorted(f.name[:-5] for f in files if f.name.endswith(".yaml"))


def load_plan(name_or_path: str | Path = "binhai-2019", *, parameters: dict | None = None) -> Plan:
    """A shipped plan by name (``binhai-2019``) or a plan file by path, validated."""
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") or p.exists():
        if not p.exists():
            raise PlanError([Issue(str(p), None, "", "no such file")])
        return parse(p.read_text(encoding="utf-8"), p.name, parameters=parameters)
    name = str(name_or_path)
    if name not in list_plans():
        raise PlanError([Issue(name, None, "", f"no shipped plan of that name{_suggest(name, list_plans())}")])
    text = resources.files(PLANS_PACKAGE).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return parse(text, f"{name}.yaml", parameters=parameters)


def validate_file(path: str | Path) -> list[Issue]:
    """Every problem of a plan file (an empty list when it is valid)."""
    try:
        load_plan(Path(path))
    except PlanError as e:
        return e.issues
    return []
