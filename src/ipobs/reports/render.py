"""Renderers: one :class:`~ipobs.reports.model.Report` → HTML (Jinja2), PDF (WeasyPrint), XLSX (openpyxl)."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from ipobs.reports.model import Report, fmt

FORMATS = ("html", "pdf", "xlsx")


def _env() -> Environment:
    env = Environment(loader=PackageLoader("ipobs.reports", "templates"), autoescape=select_autoescape(["html"]))
    env.filters["svg_img"] = svg_img
    return env


_SIZE = re.compile(r'<svg[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"')


def svg_img(svg: str) -> Markup:
    """An inline SVG chart as an ``<img>`` with a data URI: WeasyPrint then reads it with its XML parser
    instead of parsing and styling every SVG node as part of the HTML (the same drawing, text included)."""
    m = _SIZE.match(svg)
    size = f' width="{m.group(1)}" height="{m.group(2)}"' if m else ""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return Markup(f'<img src="data:image/svg+xml;base64,{data}"{size} alt="">')


def synthetic_label(lang: str) -> str:
    return "合成演示数据 — 非真实统计" if lang == "zh" else "SYNTHETIC DEMO DATA — not real statistics"


def to_html(report: Report, svg_as_img: bool = False) -> str:
    return _env().get_template("report.html").render(
        report=report, synthetic_label=synthetic_label(report.lang),
        generated_label="生成时间" if report.lang == "zh" else "generated", svg_as_img=svg_as_img)


def to_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    return HTML(string=to_html(report, svg_as_img=True)).write_pdf()


def _sheet_name(title: str, used: set) -> str:
    name = re.sub(r"[\[\]\*\?/\\:]", " ", title)[:28].strip() or "sheet"
    base, n = name, 2
    while name in used:
        name = f"{base[:25]}({n})"
        n += 1
    used.add(name)
    return name


def to_xlsx(report: Report) -> bytes:
    """One sheet per section: every table and the numbers behind every chart, as raw values."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    info = wb.active
    info.title = "说明" if report.lang == "zh" else "about"
    info.append([report.title])
    info.append([report.subtitle])
    if report.synthetic:
        info.append([synthetic_label(report.lang)])
    for k, v in report.meta:
        info.append([k, v])
    info.append(["生成时间" if report.lang == "zh" else "generated", report.generated])
    info["A1"].font = Font(bold=True, size=14)
    used = {info.title}
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="EEF2F8")
    for sec in report.sections:
        ws = wb.create_sheet(_sheet_name(sec.title, used))
        ws.append([sec.title])
        ws["A1"].font = Font(bold=True, size=12)
        for b in sec.blocks:
            if b.type in ("table", "sheet_only"):
                ws.append([])
                ws.append([b.title])
                ws.cell(ws.max_row, 1).font = bold
                ws.append([c.title for c in b.columns])
                for cell in ws[ws.max_row]:
                    cell.font, cell.fill = bold, fill
                for row in b.rows:
                    ws.append([_raw(row.get(c.key)) for c in b.columns])
            elif b.type == "facts":
                ws.append([])
                if b.title:
                    ws.append([b.title])
                    ws.cell(ws.max_row, 1).font = bold
                for k, v in b.items:
                    ws.append([k, v])
            elif b.type == "chart" and b.sheet_rows:
                ws.append([])
                keys = list(b.sheet_rows[0])
                ws.append(keys)
                for cell in ws[ws.max_row]:
                    cell.font, cell.fill = bold, fill
                for row in b.sheet_rows:
                    ws.append([_raw(row.get(k)) for k in keys])
            elif b.type in ("note", "missing", "guidance", "text"):
                ws.append([b.text])
        ws.column_dimensions["A"].width = 24
        for col in "BCDEFGHIJ":
            ws.column_dimensions[col].width = 14
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _raw(v):
    if isinstance(v, (list, dict)):
        return fmt(v)
    return v


def render(report: Report, fmt_: str) -> bytes:
    if fmt_ == "html":
        return to_html(report).encode("utf-8")
    if fmt_ == "pdf":
        return to_pdf(report)
    if fmt_ == "xlsx":
        return to_xlsx(report)
    raise ValueError(f"unknown report format {fmt_!r}; use one of {', '.join(FORMATS)}")


def format_of(path: str | Path) -> str:
    ext = Path(path).suffix.lower().lstrip(".")
    if ext not in FORMATS:
        raise ValueError(f"{path}: the file name must end in .pdf, .html or .xlsx")
    return ext


def write(report: Report, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render(report, format_of(path)))
    return path
