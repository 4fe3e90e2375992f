"""Server-side charts as inline SVG (WeasyPrint renders it; no plotting library needed).

Charts only draw numbers they are given; every chart's numbers also go to the report's
tables and the XLSX sheet of its section.
"""

from __future__ import annotations

import math
from html import escape

FONT = "'Noto Sans CJK SC', 'Noto Sans', sans-serif"
PALETTE = ["#2f6db5", "#e07b39", "#3a9a5b", "#c0392b", "#8e6bbf", "#8c6d46", "#d16ba5", "#7f8c8d", "#b5a42f", "#2fa5b5"]


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(v))
    for m in (1, 2, 2.5, 5, 10):
        if v <= m * exp:
            return m * exp
    return 10 * exp


def _fmt_tick(v: float) -> str:
    if abs(v) >= 10_000:
        return f"{v / 10_000:g}万"
    return f"{v:g}"


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'font-family="{FONT}" font-size="10" role="img" aria-label="{escape(title)}">'
            f'<rect width="{width}" height="{height}" fill="white"/>' + "".join(body) + "</svg>")


def _legend(names: list[str], x: float, y: float) -> list[str]:
    out, cx = [], x
    for i, n in enumerate(names):
        out.append(f'<rect x="{cx:.1f}" y="{y - 8:.1f}" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>')
        out.append(f'<text x="{cx + 14:.1f}" y="{y:.1f}">{escape(str(n))}</text>')
        cx += 24 + 9 * len(str(n))
    return out


def bar_chart(categories: list, series: dict[str, list[float]], title: str = "", stacked: bool = False,
              width: int = 640, height: int = 260) -> str:
    """Vertical bars (grouped or stacked) over categories (years, codes…)."""
    cats = [str(c) for c in categories]
    if not cats or not series:
        return ""
    left, right, top, bottom = 48, 12, 26, 44
    pw, ph = width - left - right, height - top - bottom
    vals = {k: [float(v or 0) for v in vs] for k, vs in series.items()}
    peak = max((sum(v[i] for v in vals.values()) if stacked else max(v[i] for v in vals.values()))
               for i in range(len(cats)))
    ymax = _nice_max(peak)
    body = [f'<text x="{left}" y="14" font-size="12" font-weight="bold">{escape(title)}</text>']
    for k in range(5):
        v = ymax * k / 4
        y = top + ph - ph * v / ymax
        body.append(f'<line x1="{left}" x2="{left + pw}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        body.append(f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end">{_fmt_tick(v)}</text>')
    n, m = len(cats), len(vals)
    slot = pw / n
    bw = slot * 0.8 / (1 if stacked else m)
    step = max(1, math.ceil(n / 16))
    for i, c in enumerate(cats):
        x0 = left + slot * i + slot * 0.1
        base = 0.0
        for j, (name, vs) in enumerate(vals.items()):
            v = vs[i]
            h = ph * v / ymax
            if stacked:
                y = top + ph - ph * (base + v) / ymax
                x = x0
                base += v
            else:
                y = top + ph - h
                x = x0 + j * bw
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bw:.1f}" height="{h:.1f}" '
                        f'fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(name)} {escape(c)}: {v:g}</title></rect>')
        if i % step == 0:
            body.append(f'<text x="{x0 + slot * 0.4:.1f}" y="{top + ph + 14}" text-anchor="middle">{escape(c)}</text>')
    body.append(f'<line x1="{left}" x2="{left + pw}" y1="{top + ph}" y2="{top + ph}" stroke="#333"/>')
    if m > 1:
        body += _legend(list(vals), left, height - 8)
    return _svg(width, height, body, title)


def hbar_chart(labels: list[str], values: list[float], title: str = "", width: int = 640, max_label: int = 18) -> str:
    """Horizontal bars, largest first as given (rankings)."""
    if not labels:
        return ""
    row = 18
    left, right, top = 8 + 7 * min(max_label, max(len(str(x)) for x in labels)) * 1.4, 50, 26
    height = int(top + row * len(labels) + 10)
    pw = width - left - right
    vmax = _nice_max(max(float(v or 0) for v in values))
    body = [f'<text x="8" y="14" font-size="12" font-weight="bold">{escape(title)}</text>']
    for i, (lab, v) in enumerate(zip(labels, values)):
        y = top + i * row
        w = pw * float(v or 0) / vmax
        short = str(lab) if len(str(lab)) <= max_label else str(lab)[: max_label - 1] + "…"
        body.append(f'<text x="{left - 4:.1f}" y="{y + 12}" text-anchor="end">{escape(short)}</text>')
        body.append(f'<rect x="{left:.1f}" y="{y + 2}" width="{w:.1f}" height="{row - 5}" fill="{PALETTE[0]}"/>')
        body.append(f'<text x="{left + w + 3:.1f}" y="{y + 12}">{float(v or 0):g}</text>')
    return _svg(width, height, body, title)


def line_chart(x: list, series: dict[str, list[float | None]], title: str = "", band: tuple | None = None,
               target: float | None = None, width: int = 640, height: int = 240, y_label: str = "") -> str:
    """Lines over x (years); optional shaded band ``(x_values, lo, hi)`` and a dashed target line."""
    xs = [str(v) for v in x]
    if not xs or not series:
        return ""
    left, right, top, bottom = 54, 12, 26, 40
    pw, ph = width - left - right, height - top - bottom
    allv = [float(v) for vs in series.values() for v in vs if v is not None]
    if band:
        allv += [float(v) for v in band[1] + band[2] if v is not None]
    if target is not None:
        allv.append(float(target))
    if not allv:
        return ""
    lo_v, hi_v = min(0.0, min(allv)), _nice_max(max(allv)) if max(allv) > 0 else 1.0
    span = hi_v - lo_v or 1.0
    pos = {v: i for i, v in enumerate(xs)}
    sx = (lambda i: left + (pw * i / (len(xs) - 1) if len(xs) > 1 else pw / 2))
    sy = (lambda v: top + ph - ph * (float(v) - lo_v) / span)
    body = [f'<text x="{left}" y="14" font-size="12" font-weight="bold">{escape(title)}</text>']
    for k in range(5):
        v = lo_v + span * k / 4
        body.append(f'<line x1="{left}" x2="{left + pw}" y1="{sy(v):.1f}" y2="{sy(v):.1f}" stroke="#ddd"/>')
        body.append(f'<text x="{left - 4}" y="{sy(v) + 3:.1f}" text-anchor="end">{_fmt_tick(round(v, 6))}</text>')
    if band:
        bx, blo, bhi = band
        pts = [(pos[str(a)], lo, hi) for a, lo, hi in zip(bx, blo, bhi) if str(a) in pos and lo is not None and hi is not None]
        if pts:
            poly = [f"{sx(i):.1f},{sy(hi):.1f}" for i, _, hi in pts] + [f"{sx(i):.1f},{sy(lo):.1f}" for i, lo, _ in reversed(pts)]
            body.append(f'<polygon points="{" ".join(poly)}" fill="{PALETTE[0]}" fill-opacity="0.15" stroke="none"/>')
    if target is not None:
        body.append(f'<line x1="{left}" x2="{left + pw}" y1="{sy(target):.1f}" y2="{sy(target):.1f}" stroke="#c0392b" '
                    f'stroke-dasharray="5,3"/>')
    for j, (name, vs) in enumerate(series.items()):
        color = PALETTE[j % len(PALETTE)]
        seg: list[str] = []
        for i, v in enumerate(vs):
            if v is None:
                if len(seg) > 1:
                    body.append(f'<polyline points="{" ".join(seg)}" fill="none" stroke="{color}" stroke-width="1.8"/>')
                seg = []
                continue
            seg.append(f"{sx(i):.1f},{sy(v):.1f}")
            body.append(f'<circle cx="{sx(i):.1f}" cy="{sy(v):.1f}" r="2" fill="{color}"/>')
        if len(seg) > 1:
            dash = ' stroke-dasharray="4,3"' if "预测" in name or "forecast" in name.lower() else ""
            body.append(f'<polyline points="{" ".join(seg)}" fill="none" stroke="{color}" stroke-width="1.8"{dash}/>')
    step = max(1, math.ceil(len(xs) / 14))
    for i, v in enumerate(xs):
        if i % step == 0:
            body.append(f'<text x="{sx(i):.1f}" y="{top + ph + 14}" text-anchor="middle">{escape(v)}</text>')
    if y_label:
        body.append(f'<text x="4" y="{top - 6}">{escape(y_label)}</text>')
    if len(series) > 1:
        body += _legend(list(series), left, height - 6)
    return _svg(width, height, body, title)


def scatter_path(points: list[tuple[float, float, str]], title: str = "", x_label: str = "", y_label: str = "",
                 width: int = 640, height: int = 260) -> str:
    """A connected scatter (life-cycle chart: applicants on x, applications on y, labelled by year)."""
    if not points:
        return ""
    left, right, top, bottom = 54, 20, 26, 40
    pw, ph = width - left - right, height - top - bottom
    xmax = _nice_max(max(p[0] for p in points))
    ymax = _nice_max(max(p[1] for p in points))
    sx = (lambda v: left + pw * v / xmax)
    sy = (lambda v: top + ph - ph * v / ymax)
    body = [f'<text x="{left}" y="14" font-size="12" font-weight="bold">{escape(title)}</text>',
            f'<line x1="{left}" x2="{left + pw}" y1="{top + ph}" y2="{top + ph}" stroke="#333"/>',
            f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + ph}" stroke="#333"/>',
            f'<text x="{left + pw}" y="{height - 6}" text-anchor="end">{escape(x_label)}</text>',
            f'<text x="4" y="{top - 6}">{escape(y_label)}</text>']
    for k in range(1, 5):
        body.append(f'<text x="{left - 4}" y="{sy(ymax * k / 4) + 3:.1f}" text-anchor="end">{_fmt_tick(ymax * k / 4)}</text>')
        body.append(f'<text x="{sx(xmax * k / 4):.1f}" y="{top + ph + 14}" text-anchor="middle">{_fmt_tick(xmax * k / 4)}</text>')
    pts = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y, _ in points)
    body.append(f'<polyline points="{pts}" fill="none" stroke="{PALETTE[0]}" stroke-width="1.5"/>')
    for x, y, lab in points:
        body.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="2.5" fill="{PALETTE[1]}"/>')
        body.append(f'<text x="{sx(x) + 4:.1f}" y="{sy(y) - 3:.1f}" font-size="8">{escape(lab)}</text>')
    return _svg(width, height, body, title)
