"""The monitoring report the IP bureau sends upward: every plan target as of a date, by goal area
and by department, with its series, forecast and the sentence that decided its status.

Everything shown comes from ``ipobs.monitor.evaluate`` (values from ``ipobs.indicators``);
this module only arranges and formats it.
"""

from __future__ import annotations

from ipobs.analytics.reference import region_name
from ipobs.reports import charts
from ipobs.reports.model import Block, Column, Report, fmt

STATUS_ORDER = ("met", "on_track", "at_risk", "off_track", "no_data")


def value_text(v, unit: str = "") -> str:
    """A target figure as printed: whole numbers with separators, others with two decimals."""
    if v is None:
        return "—"
    v = float(v)
    text = f"{v:,.0f}" if abs(v) >= 100 or v == int(v) else f"{v:,.2f}"
    return f"{text}{unit if unit in ('%',) else ''}"


def _status_counts(rows: list[dict]) -> dict:
    return {s: sum(1 for r in rows if r["status"] == s) for s in STATUS_ORDER}


def _target_rows(rows: list[dict], lang: str) -> list[dict]:
    zh = lang == "zh"
    out = []
    for r in rows:
        out.append({
            "id": r["id"], "name": r["zh"] if zh else r["en"], "rule_text": r["rule_text_zh"] if zh else r["rule_text_en"],
            "value_text": value_text(r["value"], r["unit"]), "target_text": value_text(r["target"], r["unit"]),
            "unit": r["unit"], "gap_text": value_text(r["gap"], r["unit"]),
            "status": r["status"], "status_label": r["status_zh"] if zh else r["status_en"],
            "probability": r["probability"],
            "reason": r["status_reason_zh"] if zh else r["status_reason_en"],
            "departments": "、".join(d["zh"] if zh else d["en"] for d in r["department_names"]),
            "value": r["value"], "target": r["target"], "gap": r["gap"], "indicator": r["indicator"],
        })
    return out


def _target_table(title: str, rows: list[dict], lang: str) -> Block:
    zh = lang == "zh"
    cols = [Column("name", "目标" if zh else "target", "text"), Column("rule_text", "规则" if zh else "rule", "text"),
            Column("value_text", "现值" if zh else "value", "text"), Column("target_text", "目标值" if zh else "target value", "text"),
            Column("status_label", "状态" if zh else "status", "text"),
            Column("probability", "达标概率" if zh else "chance", "pct")]
    return Block("table", title=title, columns=cols, rows=rows)


def _chart(r: dict, lang: str) -> Block | None:
    series = [p for p in r.get("series") or [] if p.get("value") is not None]
    if len(series) < 2:
        return None
    zh = lang == "zh"
    fc = r.get("forecast") or []
    years = [p["year"] for p in series] + [f["year"] for f in fc if f["year"] not in {p["year"] for p in series}]
    obs = {p["year"]: p["value"] for p in series}
    mean = {f["year"]: f["mean"] for f in fc}
    lines = {("实际值" if zh else "observed"): [obs.get(y) for y in years]}
    if fc:
        last = series[-1]["year"]
        lines["预测" if zh else "forecast"] = [obs[y] if y == last else mean.get(y) for y in years]
    band = ([f["year"] for f in fc], [f.get("lo80") for f in fc], [f.get("hi80") for f in fc]) if fc else None
    target = r["target"] if r["rule"] in ("at_least", "at_most") else None
    title = (r["zh"] if zh else r["en"])[:40]
    svg = charts.line_chart(years, lines, title, band=band, target=target, height=200,
                            y_label=r.get("unit") or "")
    sheet = [{"target": r["id"], "year": y, "observed": obs.get(y), "forecast": mean.get(y),
              "lo80": next((f.get("lo80") for f in fc if f["year"] == y), None),
              "hi80": next((f.get("hi80") for f in fc if f["year"] == y), None)} for y in years]
    return Block("chart", svg=svg, sheet_rows=sheet)


def build_monitoring_report(store, as_of, region: str | None = None, lang: str = "zh", plan="binhai-2019",
                            charts_for: str = "all", settings=None, statuses: list[dict] | None = None
                            ) -> tuple[Report, list[dict]]:
    """(report, the TargetStatus dicts it shows). ``statuses``: already evaluated ``TargetStatus.to_dict()``
    rows for this plan, date and region (skips the evaluation)."""
    from ipobs.monitor import evaluate
    from ipobs.plan import load_plan

    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be zh or en, not {lang!r}")
    p = load_plan(plan) if isinstance(plan, str) else plan
    if statuses is None:
        statuses = [s.to_dict() for s in evaluate(store, p, as_of, region=region, settings=settings)]
    zh = lang == "zh"
    region_code = statuses[0]["region"] if statuses else (region or p.region)
    rname = region_name(region_code, lang)
    as_of_s = statuses[0]["as_of"] if statuses else str(as_of)
    r = Report("monitoring", (p.zh if zh else p.en) + (" 监测报告" if zh else " — monitoring report"),
               (f"{rname} · 截至 {as_of_s}" if zh else f"{rname} · as of {as_of_s}"), lang, as_of_s, bool(store.synthetic))
    t = r.t
    r.meta = [(t("规划", "Plan"), f"{p.zh if zh else p.en}（{p.doc_no}）" if p.doc_no else (p.zh if zh else p.en)),
              (t("区域", "Region"), rname), (t("统计日", "As of"), as_of_s), (t("目标数", "Targets"), fmt(len(statuses)))]

    counts = _status_counts(statuses)
    from ipobs.monitor.settings import STATUS_LABELS

    labels = {k: v[0 if zh else 1] for k, v in STATUS_LABELS.items()}
    s0 = r.section("summary", t("一、总体情况", "1. Summary"))
    s0.add(Block("facts", items=[(labels.get(k, k), fmt(v)) for k, v in counts.items()]))
    area_rows = []
    for a in p.areas:
        rows = [s for s in statuses if s["area"] == a.id]
        c = _status_counts(rows)
        area_rows.append({"area": a.zh if zh else a.en, "targets": len(rows), **c})
    cols = [Column("area", t("目标领域", "goal area"), "text"), Column("targets", t("目标数", "targets"), "int")] + [
        Column(k, labels.get(k, k), "int") for k in STATUS_ORDER]
    s0.add(Block("table", title=t("按目标领域", "By goal area"), columns=cols, rows=area_rows))
    s0.add(Block("chart", svg=charts.bar_chart([x["area"] for x in area_rows],
                                               {labels.get(k, k): [x[k] for x in area_rows] for k in STATUS_ORDER},
                                               t("各领域目标状态", "Target status by goal area"), stacked=True, height=240),
                 sheet_rows=area_rows))
    s0.add(Block("note", text=t(
        "状态：已达标＝规则已满足；进展顺利／有风险／偏离目标按预测达标概率和所需增速判断；无数据＝所需记录未导入（不以零代替）。"
        "数值均由指标引擎按统计日计算，预测区间为80%。",
        "Status: met = the rule holds; on track / at risk / off track from the forecast chance and the growth needed; "
        "no data = the records it needs are not imported (never shown as zero). Values come from the indicator "
        "engine as of the date; forecast bands are 80 %.")))

    for i, a in enumerate(p.areas, start=2):
        rows = [s for s in statuses if s["area"] == a.id]
        if not rows:
            continue
        sec = r.section(f"area-{a.id}", f"{_num(i, lang)}{a.zh if zh else a.en}")
        sec.add(_target_table("", _target_rows(rows, lang), lang))
        for s in rows:
            block = _chart(s, lang) if charts_for == "all" else None
            if block is not None:
                sec.add(block)
            reason = s["status_reason_zh"] if zh else s["status_reason_en"]
            sec.add(Block("note", text=f"{s['zh'] if zh else s['en']}：{reason}" if zh else f"{s['en']}: {reason}"))
            if s.get("missing"):
                sec.add(Block("missing", text=f"{s['zh'] if zh else s['en']}: {s['missing']}"))

    n = len(p.areas) + 2
    sd = r.section("departments", f"{_num(n, lang)}{t('按责任部门', 'By department')}")
    dep_rows = []
    for dep_id, dep in p.departments.items():
        rows = [s for s in statuses if dep_id in s["departments"]]
        if not rows:
            continue
        c = _status_counts(rows)
        open_ids = [s["zh"] if zh else s["en"] for s in rows if s["status"] in ("at_risk", "off_track")]
        dep_rows.append({"department": dep.zh if zh else dep.en, "targets": len(rows), **c,
                         "attention": "；".join(open_ids) if zh else "; ".join(open_ids)})
    cols = [Column("department", t("责任部门", "department"), "text"), Column("targets", t("目标数", "targets"), "int")] + [
        Column(k, labels.get(k, k), "int") for k in STATUS_ORDER] + [Column("attention", t("需关注", "needs attention"), "text")]
    sd.add(Block("table", columns=cols, rows=dep_rows))

    sn = r.section("no_data", f"{_num(n + 1, lang)}{t('数据缺口', 'Data gaps')}")
    gaps = [{"name": s["zh"] if zh else s["en"], "indicator": s["indicator"], "missing": s.get("missing") or
             (s["status_reason_zh"] if zh else s["status_reason_en"])} for s in statuses if s["status"] == "no_data"]
    if gaps:
        sn.add(Block("table", columns=[Column("name", t("目标", "target"), "text"), Column("indicator", t("指标", "indicator"), "text"),
                                       Column("missing", t("缺少的数据", "what is missing"), "text")], rows=gaps))
    else:
        sn.add(Block("text", text=t("所有目标都有数据。", "Every target has data.")))
    return r, statuses


def _num(i: int, lang: str) -> str:
    cn = "一二三四五六七八九十"
    return f"{cn[i - 1]}、" if lang == "zh" and i <= 10 else f"{i}. "
