"""Plans as data: goals, task groups, the tasks with their responsible departments, safeguard
measures, and targets that point at indicator ids with a rule.

    load_plan(name_or_path="binhai-2019") -> Plan
    list_plans() -> list[str]

Target status evaluation and forecasting are not here: see ``ipobs.monitor``.
"""

from ipobs.plan.loader import Issue, PlanError, list_plans, load_plan, parse, validate_file
from ipobs.plan.model import (RULE_PARAMS, RULE_TYPES, Area, Department, Group, Measure, Plan, Rule, Target,
                              Task)

__all__ = [
    "RULE_PARAMS", "RULE_TYPES", "Area", "Department", "Group", "Issue", "Measure", "Plan", "PlanError", "Rule",
    "Target", "Task", "list_plans", "load_plan", "parse", "validate_file",
]
