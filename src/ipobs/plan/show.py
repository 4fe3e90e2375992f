"""Text renderings of a plan (for ``ipobs plan show``): an outline table or JSON."""

from __future__ import annotations

import json

from ipobs.plan.model import Plan, Rule

RULE_ZH = {"at_least": "≥", "at_most": "≤", "share_at_least": "占比≥", "growth_at_least": "增幅≥",
           "rising": "上升", "falling": "下降", "growth_above": "增速高于", "milestone": "里程碑"}


def rule_text(rule: Rule, unit: str = "") -> str:
    """A short statement of a rule, e.g. '≥ 85,000 (strictly)' or 'rising each year'."""
    p = rule.params
    if rule.type in ("rising", "falling"):
        return rule.type + (" each year" if p.get("each_year") else " against the baseline")
    if rule.type == "milestone":
        return "milestone reached"
    if rule.type == "growth_above":
        return f"growth above {p.get('other')}" + (" each year" if p.get("each_year") else "")
    v = f"{rule.value:,.0f}" if rule.value is not None and float(rule.value).is_integer() else f"{rule.value}"
    text = f"{RULE_ZH[rule.type]} {v}"
    if rule.type in ("share_at_least", "growth_at_least"):
        text += "%"
    if p.get("upto") is not None:
        text += f"–{p['upto']:,}"
    if p.get("strict"):
        text += " (strictly more)"
    if p.get("average") == "cagr":
        text += " (average a year, CAGR)"
    elif p.get("each_year"):
        text += " each year"
    return text


def plan_text(plan: Plan, fmt: str = "table") -> str:
    if fmt == "json":
        return json.dumps(plan.to_dict(), ensure_ascii=False, indent=1)
    lines = [f"{plan.zh}  {plan.doc_no}  issued {plan.issued.isoformat()}", plan.en,
             f"period {plan.period_start} – {plan.period_end}, baseline {plan.baseline_year}, region {plan.region}", ""]
    lines.append("Goal areas")
    for a in plan.areas:
        lines.append(f"  {a.number}{a.zh} — {a.en}")
        for t in plan.targets_of(area=a.id):
            lines.append(f"      {t.id:32s} {t.indicator:36s} {rule_text(t.rule):26s} by {t.target_date}  "
                         f"[{', '.join(t.departments)}]")
    lines.append("")
    lines.append("Tasks")
    for g in plan.groups:
        lines.append(f"  {g.number}{g.zh} — {g.en}")
        for t in (t for t in plan.tasks if t.group == g.id):
            targets = f"  targets: {', '.join(t.targets)}" if t.targets else ""
            lines.append(f"    {t.id} {t.zh} ({t.en})  责任部门：{t.departments_text}{targets}")
    lines.append("")
    lines.append("Safeguard measures")
    for m in plan.measures:
        lines.append(f"  {m.number}{m.zh} — {m.en}")
    lines.append("")
    lines.append(f"Departments ({len(plan.departments)})")
    for d in plan.departments.values():
        lines.append(f"  {d.id:15s} {d.zh} — {d.en} ({d.kind})")
    lines.append("")
    lines.append(f"{len(plan.tasks)} tasks, {len(plan.targets)} targets")
    return "\n".join(lines)
