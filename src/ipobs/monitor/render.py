"""Renderers of the monitor's results: terminal tables (CJK-aware), flat rows for CSV and XLSX.

Renderers only lay out numbers the monitor computed (formatting, never arithmetic on statistics).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path
from typing import Iterable, Sequence

from ipobs.monitor.settings import STATUS_LABELS
from ipobs.monitor.text import fmt_num, fmt_prob

SYNTHETIC_BANNER = "合成演示数据 SYNTHETIC DEMO DATA — not real statistics"
COLOURS = {"met": "green", "on_track": "cyan", "at_risk": "yellow", "off_track": "red", "no_data": "bright_black"}

# flat columns of a target status: (key, zh header, en header)
STATUS_COLUMNS = (
    ("id", "编号", "id"), ("zh", "目标", "target"), ("indicator", "指标", "indicator"),
    ("rule_text_zh", "规则", "rule"), ("value", "当前值", "value"), ("target", "目标值", "target value"),
    ("unit", "单位", "unit"), ("gap", "差距", "gap"), ("status", "状态代码", "status"),
    ("status_zh", "状态", "status (zh)"), ("probability", "达标概率", "probability"),
    ("growth_needed", "所需年均增速(%)", "growth needed (%/yr)"),
    ("growth_seen", "近年平均增速(%)", "growth seen (%/yr)"), ("model", "预测模型", "forecast model"),
    ("departments", "责任部门", "departments"), ("area", "目标领域", "goal area"), ("task", "任务", "task"),
    ("target_date", "目标期限", "deadline"), ("as_of", "统计日", "as of"), ("region", "区域", "region"),
    ("industry", "产业", "industry"), ("status_reason_zh", "判断依据", "reason (zh)"),
    ("status_reason_en", "判断依据(英文)", "reason (en)"), ("missing", "缺少的数据", "missing data"),
)


def width(text: str) -> int:
    """Terminal columns of ``text`` (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def clip(text: str, cols: int) -> str:
    """``text`` cut to ``cols`` terminal columns, an ellipsis marking the cut."""
    if width(text) <= cols:
        return text
    out, used = "", 0
    for c in text:
        w = 2 if unicodedata.east_asian_width(c) in "WF" else 1
        if used + w > cols - 1:
            break
        out += c
        used += w
    return out + "…"


def pad(text: str, cols: int, right: bool = False) -> str:
    text = clip(text, cols)
    fill = " " * (cols - width(text))
    return fill + text if right else text + fill


def grid(headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: Iterable[int] = (),
         max_width: dict[int, int] | None = None) -> list[str]:
    """Rows of text cells laid out in aligned columns."""
    right = set(right)
    max_width = max_width or {}
    cols = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    cols = [min(c, max_width.get(i, c)) for i, c in enumerate(cols)]
    lines = ["  ".join(pad(h, cols[i], i in right) for i, h in enumerate(headers)),
             "  ".join("─" * c for c in cols)]
    lines += ["  ".join(pad(cell, cols[i], i in right) for i, cell in enumerate(r)) for r in rows]
    return lines


def _dept_names(s: dict, lang: str = "zh") -> str:
    return "、".join(d["zh" if lang == "zh" else "en"] for d in s.get("department_names") or [])


def status_table(statuses: list[dict], *, synthetic: bool = False, colour=None) -> str:
    """The monitoring table for a terminal: one line per target, Chinese names; ``colour(text, status)``
    may colour the status cell."""
    if not statuses:
        return "no targets"
    s0 = statuses[0]
    head = [f"监测 {s0['as_of']}  区域 {s0['region']}" + (f"  产业 {s0['industry']}" if s0.get("industry") else "")]
    if synthetic:
        head.insert(0, SYNTHETIC_BANNER)
    headers = ["目标", "当前值", "目标值", "状态", "概率", "需/实增速", "责任部门"]
    rows = []
    for s in statuses:
        need = "—" if s["growth_needed"] is None else f"{s['growth_needed']:.1f}%"
        seen = "—" if s["growth_seen"] is None else f"{s['growth_seen']:.1f}%"
        rows.append([s["zh"], fmt_num(s["value"], s["unit"]), fmt_num(s["target"], s["unit"]), s["status_zh"],
                     fmt_prob(s["probability"]), f"{need}/{seen}", _dept_names(s)])
    lines = grid(headers, rows, right={1, 2, 4, 5}, max_width={0: 34, 6: 28})
    if colour is not None:
        body = lines[2:]
        lines = lines[:2] + [line.replace(s["status_zh"], colour(s["status_zh"], s["status"]), 1)
                             for line, s in zip(body, statuses)]
    counts = {k: sum(1 for s in statuses if s["status"] == k) for k in STATUS_LABELS}
    summary = "  ".join(f"{STATUS_LABELS[k][0]} {n}" for k, n in counts.items())
    return "\n".join(head + lines + ["", f"共 {len(statuses)} 项目标：{summary}",
                                     "判断依据见 --format json 的 status_reason_zh / status_reason_en。"])


def status_rows(statuses: list[dict], lang: str = "zh") -> list[dict]:
    """Flat rows (one per target) for CSV and XLSX, headed in ``lang``."""
    out = []
    for s in statuses:
        row = {}
        for key, zh, en in STATUS_COLUMNS:
            v = s.get(key)
            if key == "departments":
                v = _dept_names(s, lang)
            row[zh if lang == "zh" else en] = v
        out.append(row)
    return out


def to_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    if rows:
        w = csv.DictWriter(buf, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return buf.getvalue()


def write_xlsx(rows: list[dict], path: Path, *, title: str, synthetic: bool = False) -> Path:
    """One sheet, one row per record, the header frozen; a banner row first for synthetic data."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    if synthetic:
        ws.append([SYNTHETIC_BANNER])
        ws.cell(row=1, column=1).font = Font(bold=True, color="C00000")
    headers = list(rows[0]) if rows else []
    ws.append(headers)
    header_row = ws.max_row
    for c in range(1, len(headers) + 1):
        cell = ws.cell(row=header_row, column=c)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for r in rows:
        ws.append([v if not isinstance(v, (list, dict)) else str(v) for v in r.values()])
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    for i, h in enumerate(headers, start=1):
        ws.column_dimensions[ws.cell(row=header_row, column=i).column_letter].width = min(60, max(10, width(h) + 2))
    path = Path(path)
    wb.save(path)
    return path


def forecast_table(f: dict) -> str:
    """An indicator's series and forecast for a terminal."""
    lines = [f"{f['zh']} {f['en']}  区域 {f['region']}" + (f"  产业 {f['industry']}" if f.get("industry") else "")
             + f"  截至 {f['as_of']}"]
    if f.get("synthetic"):
        lines.insert(0, SYNTHETIC_BANNER)
    rows = [[str(r["year"]), fmt_num(r["value"], f["unit"]), "实际", r["missing"] or ""] for r in f["series"]]
    rows += [[str(r["year"]), fmt_num(r["mean"], f["unit"]), "预测",
              f"80% {fmt_num(r['lo80'], '')}–{fmt_num(r['hi80'], '')}  95% {fmt_num(r['lo95'], '')}–"
              f"{fmt_num(r['hi95'], '')}"] for r in f["forecast"]]
    lines += grid(["年份", "数值", "", "区间 / 说明"], rows, right={1}, max_width={3: 70})
    if f["model"]:
        lines.append(f"模型：{f['model_zh']}（{f['model']}），区间校准系数 {f['calibration']:.2f}")
    if f.get("missing"):
        lines.append(f["missing"])
    return "\n".join(lines)


def backtest_table(summary: list[dict]) -> str:
    """Mean absolute percentage errors per series and horizon: model against the naive baselines."""
    if not summary:
        return "no series long enough to backtest"
    rows = [[r["indicator"], r["region"], str(r["horizon"]), str(r["n"]), _p(r["model_mape"]),
             _p(r["naive_last_mape"]), _p(r["naive_growth_mape"]),
             "—" if r["coverage80"] is None else f"{r['coverage80']:.0%}"] for r in summary]
    return "\n".join(grid(["series", "region", "h", "n", "model MAPE", "last value", "last growth", "80% cover"],
                          rows, right={2, 3, 4, 5, 6, 7}))


def _p(x) -> str:
    return "—" if x is None else f"{x:.1f}%"
