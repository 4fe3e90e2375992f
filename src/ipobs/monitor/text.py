"""Number formatting and unit names for the monitor's sentences (zh and en).

>>> fmt_num(83214.7, "件"), fmt_num(58.26, "件/万人"), fmt_num(23.456, "%"), fmt_pct(0.0812)
('83,215件', '58.3件/万人', '23.5%', '8.1%')
>>> fmt_num(83214.7, "件", "en"), fmt_num(58.26, "件/万人", "en"), fmt_num(22082199, "元")
('83,215', '58.3 per 10k people', '2,208万元')
"""

from __future__ import annotations

import math

# Chinese unit → English rendering ("" = a bare count).
UNIT_EN = {
    "件": "", "个": "", "家": "", "项": "", "次": "", "人": " people", "人次": " participants", "所": "",
    "%": "%", "件/万人": " per 10k people", "件/万人口": " per 10k people", "元": " yuan", "万元": " 10k yuan",
    "亿元": " 100m yuan", "天": " days", "年": " years",
}


def _digits(v: float) -> int:
    a = abs(v)
    if a >= 1000 or (a >= 100 and float(v).is_integer()):
        return 0
    if a >= 10 or float(v).is_integer():
        return 1 if not float(v).is_integer() else 0
    return 2


def fmt_num(v: float | None, unit: str = "", lang: str = "zh") -> str:
    """A value with thousands separators, sensible decimals and its unit (``—`` for None)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    if abs(v) < 0.005:
        v = 0.0
    if unit == "元" and abs(v) >= 1e4:  # money reads in 万元 / 亿元
        v, unit = (v / 1e8, "亿元") if abs(v) >= 1e8 else (v / 1e4, "万元")
    text = f"{v:,.{_digits(v)}f}"
    if lang == "en":
        return text + UNIT_EN.get(unit, f" {unit}" if unit else "")
    return text + unit


def fmt_pct(g: float | None, signed: bool = False) -> str:
    """A growth rate given as a fraction, as a percentage: ``0.081`` → ``8.1%``."""
    if g is None or (isinstance(g, float) and math.isnan(g)):
        return "—"
    return f"{g:+.1%}" if signed else f"{g:.1%}"


def fmt_prob(p: float | None) -> str:
    return "—" if p is None else f"{p:.0%}"


def year_span(first: int, last: int, lang: str = "zh") -> str:
    if first == last:
        return f"{first}年" if lang == "zh" else str(first)
    return f"{first}–{last}年" if lang == "zh" else f"{first}–{last}"
