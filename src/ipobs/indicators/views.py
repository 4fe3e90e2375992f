"""Text renderings of indicator values and the registry (for the CLI): tables, JSON, CSV.

Rendering only formats what ``compute``/``records`` returned; it never computes a statistic.
"""

from __future__ import annotations

import json

import pandas as pd

from ipobs.indicators.base import IndicatorValue, registry

FORMATS = ("table", "json", "csv")
SYNTHETIC_LABEL = "合成演示数据 SYNTHETIC DEMO DATA — not real statistics"


def parse_settings(pairs: list[str] | None) -> dict:
    """``["hv_maintained_years=8", "vintages.population=2020 census"]`` → a settings dict."""
    out: dict = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise ValueError(f"--setting {pair!r}: use NAME=VALUE")
        name, raw = (s.strip() for s in pair.split("=", 1))
        if name.startswith("vintages."):
            out.setdefault("vintages", {})[name.split(".", 1)[1]] = raw
            continue
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        out[name] = value
    return out


def list_text(fmt: str = "table") -> str:
    rows = [ind.to_dict() for ind in sorted(registry().values(), key=lambda i: (i.group, i.id))]
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1)
    df = pd.DataFrame(rows)[["id", "group", "kind", "unit", "zh", "en", "dims"]]
    df["dims"] = df["dims"].map(",".join)
    if fmt == "csv":
        return df.to_csv(index=False)
    return df.to_string(index=False)


def _number(v: float | None, unit: str) -> str:
    if v is None:
        return "—"
    if unit in ("%", "件/万人"):
        return f"{v:,.2f}"
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"


def value_text(v: IndicatorValue, fmt: str = "table") -> str:
    if fmt == "json":
        return json.dumps(v.to_dict(), ensure_ascii=False, indent=1)
    ind = registry()[v.indicator]
    if fmt == "csv":
        d = v.to_dict()
        return pd.DataFrame([{k: d[k] for k in ("indicator", "as_of", "region", "industry", "value", "unit",
                                                 "missing")}]).to_csv(index=False)
    lines = []
    if v.synthetic:
        lines.append(SYNTHETIC_LABEL)
    scope = f"region {v.region}" + (f", industry {v.industry}" if v.industry else "")
    lines.append(f"{ind.zh} / {ind.en} — as of {v.as_of.isoformat()}, {scope}")
    if v.missing:
        lines.append(f"value: missing — {v.missing}")
    else:
        lines.append(f"value: {_number(v.value, v.unit)} {v.unit}")
    for k, x in v.parts.items():
        lines.append(f"  {k}: {x}")
    for fact, info in (v.vintage or {}).items():
        if info:
            lines.append(f"  {fact} vintage: {info}")
    return "\n".join(lines)


def records_text(df: pd.DataFrame, total: int, fmt: str = "table", *, offset: int = 0,
                 synthetic: bool = False) -> str:
    if fmt == "json":
        return json.dumps({"total": total, "offset": offset, "synthetic": synthetic,
                           "rows": json.loads(df.to_json(orient="records", date_format="iso", force_ascii=False))},
                          ensure_ascii=False, indent=1)
    if fmt == "csv":
        return df.to_csv(index=False)
    head = [SYNTHETIC_LABEL] if synthetic else []
    shown = f"rows {offset + 1}–{offset + len(df)} of {total}" if len(df) else f"no rows (total {total})"
    return "\n".join(head + [shown, df.to_string(index=False) if len(df) else ""]).rstrip()
