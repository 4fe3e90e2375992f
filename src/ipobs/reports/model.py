"""What a report is before it is HTML, PDF or XLSX: sections of blocks (facts, tables, charts,
notes, what is missing, guidance). Builders fill it from analytics and monitoring results;
renderers only lay it out. Numbers are formatted here, never computed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

LABELS: dict[str, tuple[str, str]] = {
    "year": ("年份", "year"), "invention": ("发明", "invention"), "utility": ("实用新型", "utility model"),
    "design": ("外观设计", "design"), "total": ("合计", "total"), "provisional": ("不完整", "provisional"),
    "applications": ("申请量", "applications"), "inventions": ("发明申请", "inventions"),
    "utility_models": ("实用新型", "utility models"), "designs": ("外观设计", "designs"),
    "applicants": ("申请人数", "applicants"), "growth_v": ("v(增长率)", "v (growth)"),
    "maturity_alpha": ("α(成熟度)", "α (maturity)"), "ageing_beta": ("β(衰老度)", "β (ageing)"),
    "name": ("名称", "name"), "region": ("区域", "region"), "share": ("占比", "share"),
    "invention_ratio": ("发明占比", "invention ratio"), "valid": ("有效量", "in force"),
    "earlier": ("前三年", "earlier 3 yrs"), "recent": ("近三年", "recent 3 yrs"), "growth": ("增长", "growth"),
    "inventor": ("发明人", "inventor"), "patents": ("专利数", "patents"), "main_applicant": ("主要申请人", "main applicant"),
    "first_year": ("首年", "first year"), "last_year": ("末年", "last year"), "a": ("申请人A", "applicant A"),
    "b": ("申请人B", "applicant B"), "weight": ("合作次数", "co-applications"), "community": ("社区", "community"),
    "members": ("成员数", "members"), "largest": ("主要成员", "main members"), "subclass": ("IPC小类", "IPC subclass"),
    "group": ("IPC大组", "IPC main group"), "title": ("名称", "title"), "code": ("分类号", "code"),
    "set_patents": ("集合专利数", "set patents"), "region_patents": ("区域专利数", "region patents"),
    "set_share": ("集合占比", "set share"), "region_share": ("区域占比", "region share"), "rta": ("RTA", "RTA"),
    "status": ("状态", "status"), "sei_code": ("战新代码", "SEI code"), "industry": ("产业", "industry"),
    "field": ("领域号", "field no."), "sector": ("部门", "sector"), "label": ("标签", "label"),
    "top_terms": ("主题词", "top terms"), "cluster": ("聚类", "cluster"), "band": ("分数段", "score band"),
    "category": ("类别", "category"), "patent_id": ("申请号", "application no."), "kind": ("类型", "kind"),
    "filing_year": ("申请年", "filing year"), "cohort": ("比较组", "cohort"), "score": ("评分", "score"),
    "set_applications": ("集合申请量", "set applications"), "region_applications": ("区域申请量", "region applications"),
    "invention_share": ("发明占比", "invention share"), "zone": ("功能区", "zone"), "share_of_region": ("占区域比", "share of region"),
    "value": ("数值", "value"), "level": ("层级", "level"), "parent": ("上级", "parent"),
}


PLAIN_KEYS = frozenset({"year", "first_year", "last_year", "filing_year", "code", "cluster", "field", "community",
                        "patent_id", "sei_code", "zone", "subclass", "group", "target_year", "baseline_year"})


def label(key: str, lang: str) -> str:
    zh_en = LABELS.get(key)
    return key if zh_en is None else zh_en[0 if lang == "zh" else 1]


def fmt(v, kind: str = "auto", lang: str = "zh") -> str:
    """A number or value as text: int with separators, pct, one decimal; '—' for missing."""
    if v is None or (isinstance(v, float) and v != v):
        return "—"
    if isinstance(v, bool):
        return ("是" if v else "否") if lang == "zh" else ("yes" if v else "no")
    if kind == "plain":
        return str(v)
    if kind == "pct":
        return f"{float(v) * 100:.1f}%"
    if kind == "growth":
        return f"{float(v) * 100:+.1f}%"
    if kind == "f1":
        return f"{float(v):,.1f}"
    if kind == "f2":
        return f"{float(v):,.2f}"
    if kind == "f3":
        return f"{float(v):.3f}"
    if isinstance(v, int) or (isinstance(v, float) and kind == "int"):
        return f"{int(v):,}"
    if isinstance(v, float):
        return f"{v:,.2f}"
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()[:10]
    return str(v)


def _display_len(text: str) -> float:
    """Width of a text in units of about 4 pt at 8 pt: a Han character 2, anything else 1.25 (digits, %, letters)."""
    return sum(2.0 if ord(ch) >= 0x2E80 else 1.25 for ch in text)


@dataclass
class Column:
    key: str
    title: str
    kind: str = "auto"  # auto | int | pct | growth | f1 | f2 | text


@dataclass
class Block:
    type: str  # facts | table | chart | note | missing | guidance | text
    title: str = ""
    text: str = ""
    items: list[tuple[str, str]] = field(default_factory=list)  # facts: (label, formatted value)
    columns: list[Column] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    svg: str = ""
    sheet_rows: list[dict] | None = None  # the numbers behind a chart (for XLSX)

    def cells(self, lang: str) -> list[list[str]]:
        return [[fmt(r.get(c.key), c.kind, lang) for c in self.columns] for r in self.rows]

    def col_widths(self, lang: str, budget: int = 127) -> list[float]:
        """Column widths in % of the table, the way a browser's automatic table layout shares a line, from
        text lengths (a Han character counts as two units of about 4 pt, a Latin letter, digit or sign as 1.25): a short column
        (numbers, codes, labels: at most 16 units) never wraps; a long text column may wrap down to 12 units.
        When every column fits at its longest text it gets that; otherwise each gets its minimum and the
        rest is shared in proportion to what the long columns lack. ``budget``: units in a line of the table
        (A4 at 8 pt). The PDF lays tables out with these (``table-layout: fixed``) instead of letting
        WeasyPrint measure every cell's minimum and maximum width, which was most of its table time."""
        if not self.columns:
            return []
        longest = [max([min(_display_len(c.title), 8)] + [_display_len(fmt(r.get(c.key), c.kind, lang)) for r in self.rows])
                   for c in self.columns]
        widest = [n + 3.0 for n in longest]  # + the cell's padding
        narrowest = [w if n <= 16 else min(n, 12) + 3.0 for n, w in zip(longest, widest)]
        if sum(widest) <= budget or sum(narrowest) >= budget:
            units = widest if sum(widest) <= budget else narrowest
        else:
            lack = [w - m for w, m in zip(widest, narrowest)]
            spare = budget - sum(narrowest)
            units = [m + spare * d / sum(lack) for m, d in zip(narrowest, lack)]
        total = sum(units)
        return [round(100 * u / total, 2) for u in units]

    def styled(self, lang: str) -> list[list[tuple[str, str]]]:
        """Cells with their CSS class: numbers right-aligned, status cells coloured."""
        out = []
        for r in self.rows:
            line = []
            for c in self.columns:
                text = fmt(r.get(c.key), c.kind, lang)
                css = "num" if c.kind not in ("text", "plain") and text[:1] in "0123456789+-—" else ""
                if c.key == "status_label":
                    css = f"status-{r.get('status', '')}"
                line.append((text, css))
            out.append(line)
        return out


@dataclass
class ReportSection:
    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, block: Block) -> Block:
        self.blocks.append(block)
        return block


@dataclass
class Report:
    kind: str  # navigation | monitoring
    title: str
    subtitle: str
    lang: str
    as_of: str
    synthetic: bool
    meta: list[tuple[str, str]] = field(default_factory=list)
    sections: list[ReportSection] = field(default_factory=list)
    generated: str = field(default_factory=lambda: dt.datetime.now().strftime("%Y-%m-%d %H:%M"))

    def section(self, sid: str, title: str) -> ReportSection:
        s = ReportSection(sid, title)
        self.sections.append(s)
        return s

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en


def table_block(title: str, rows: list[dict], cols: list[tuple[str, str]] | list[str], lang: str,
                limit: int | None = None) -> Block:
    """A table of analysis rows; ``cols`` are keys or (key, kind) pairs."""
    columns = []
    for c in cols:
        key, kind = (c, "auto") if isinstance(c, str) else c
        if kind == "auto" and key in PLAIN_KEYS:
            kind = "plain"
        columns.append(Column(key, label(key, lang), kind))
    return Block("table", title=title, columns=columns, rows=rows[:limit] if limit else rows)
