"""Search results as a text table or an Excel workbook (presentation only: no counting here)."""

from __future__ import annotations

import re
from pathlib import Path

_TAG = re.compile(r"</?mark>")


def plain(html_text: str) -> str:
    """Snippet HTML back to text, matches in 【】 (for terminals and spreadsheets)."""
    import html

    return html.unescape(_TAG.sub(lambda m: "】" if m.group(0).startswith("</") else "【", html_text or ""))


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def table(result, width: int = 40) -> str:
    """A text rendering: header line, one line per hit, then the facets."""
    lines = []
    if result.synthetic:
        lines.append("合成演示数据 SYNTHETIC DEMO DATA")
    for w in result.warnings:
        lines.append(f"warning: {w}")
    first = (result.page - 1) * result.per_page + 1
    last = first + len(result.hits) - 1
    lines.append(f"{result.total:,} patents for {result.query}  (showing {first if result.hits else 0}–"
                 f"{last if result.hits else 0}, sorted by {result.sort}, {result.took_ms} ms)")
    for h in result.hits:
        score = "" if h.score is None else f"{h.score:8.3f}"
        lines.append(f"{h.id:16s} {h.filing_date or '':10s} {h.kind_label:4s} {h.status_label:6s} {score:>8s}  "
                     f"{_cut(plain(h.title_html), width)}  [{_cut('; '.join(h.applicants), 30)}]")
        if h.snippet:
            lines.append(f"{'':17s}{_cut(plain(h.snippet), 2 * width + 20)}")
    for name, facet in result.facets.items():
        buckets = ", ".join(f"{b['label']} {b['count']:,}" for b in facet["buckets"][:8])
        lines.append(f"{facet['zh']} {facet['en']}: {buckets}")
    return "\n".join(lines)


def similar_table(result) -> str:
    lines = [f"{'source ' + result.source if result.source else 'pasted text'}; terms: "
             + ", ".join(t["term"] for t in result.terms[:15])]
    lines += [f"warning: {w}" for w in result.warnings]
    for h in result.hits:
        lines.append(f"{h.id:16s} {h.score:9.3f}  {_cut(h.title, 40)}  ({', '.join(h.matched[:8])})")
    return "\n".join(lines)


def xlsx(result, path: str | Path) -> Path:
    """Hits, facets and the query itself on three sheets."""
    from openpyxl import Workbook

    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "检索结果 hits"
    cols = [("申请号 id", "id"), ("申请日 filed", "filing_date"), ("类型 kind", "kind_label"),
            ("法律状态 status", "status_label"), ("名称 title", None), ("申请人 applicants", None),
            ("IPC主分类 main IPC", "ipc_main"), ("公开号 publication", "publication_no"),
            ("授权日 granted", "grant_date"), ("区域 region", "region_code"), ("相关度 score", "score"),
            ("摘要片段 snippet", None)]
    ws.append([c for c, _ in cols])
    for h in result.hits:
        row = []
        for header, attr in cols:
            if header.startswith("名称"):
                row.append(h.title)
            elif header.startswith("申请人"):
                row.append("; ".join(h.applicants))
            elif header.startswith("摘要"):
                row.append(plain(h.snippet))
            else:
                row.append(getattr(h, attr))
        ws.append(row)
    fs = wb.create_sheet("分面 facets")
    fs.append(["分面 facet", "值 value", "名称 label", "专利数 patents", "检索式 query"])
    for name, facet in result.facets.items():
        for b in facet["buckets"]:
            fs.append([facet["zh"], b["key"], b["label"], b["count"], b["query"]])
    qs = wb.create_sheet("检索式 query")
    qs.append(["检索式 query", result.query])
    qs.append(["命中 total", result.total])
    qs.append(["页 page", result.page])
    qs.append(["每页 per page", result.per_page])
    qs.append(["排序 sort", result.sort])
    if result.synthetic:
        qs.append(["数据 data", "合成演示数据 SYNTHETIC"])
    for w in result.warnings:
        qs.append(["警告 warning", w])
    wb.save(path)
    return path
