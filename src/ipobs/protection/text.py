"""Plain-text and JSON views of the docket, the limits and credit checks (no computing here)."""

from __future__ import annotations

import json

import pandas as pd

from ipobs.records.schema import enum_label

DOCKET_SHOWN = ("case_id", "kind", "department", "received_date", "deadline", "deadline_source", "extension_days",
                "suspension_days", "closed_date", "days_left", "days_late", "state")


def _frame_text(df: pd.DataFrame, columns) -> str:
    cols = [c for c in columns if c in df.columns]
    return df[cols].to_string(index=False) if len(df) else "(none)"


def _json_rows(df: pd.DataFrame) -> list[dict]:
    return json.loads(df.to_json(orient="records", date_format="iso", force_ascii=False))


def docket_text(df: pd.DataFrame, total: int, fmt: str = "table", synthetic: bool = False) -> str:
    if fmt == "json":
        return json.dumps({"total": total, "synthetic": synthetic, "cases": _json_rows(df)}, ensure_ascii=False,
                          indent=1)
    head = ("合成演示数据 / SYNTHETIC\n" if synthetic else "") + f"{total} case(s); showing {len(df)}\n"
    return head + _frame_text(df, DOCKET_SHOWN)


def limits_text(limits: dict, fmt: str = "table") -> str:
    if fmt == "json":
        return json.dumps({k: v.to_dict() for k, v in limits.items()}, ensure_ascii=False, indent=1)
    lines = []
    for k, x in limits.items():
        mark = "" if x.certain else "  [source unverified]"
        lines.append(f"{k} ({enum_label('case_kind', k)}): {x.text_en()}{mark}\n    {x.source}")
    lines.append("Working days skip Saturdays and Sundays; Chinese public holidays are not modelled.")
    return "\n".join(lines)


def credit_text(result, fmt: str = "table") -> str:
    if fmt == "json":
        return json.dumps(result.to_dict(), ensure_ascii=False, indent=1, default=str)
    verdict = "LISTED" if result.listed else "clear"
    out = [f"{result.query}: {verdict} for {result.purpose} at {result.as_of} (entity {result.entity_id or '-'})"]
    if len(result.entries):
        out.append(_frame_text(result.entries, ("entry_id", "name", "reason", "decision_no", "start_date", "end_date",
                                                "source_department", "joint_punishment")))
    if len(result.other_entries):
        out.append("Other entries for this name (expired, not yet in force, or not barring this purpose):")
        out.append(_frame_text(result.other_entries, ("entry_id", "name", "reason", "start_date", "end_date")))
    return "\n".join(out)


def entries_text(df: pd.DataFrame, fmt: str = "table") -> str:
    if fmt == "json":
        return json.dumps(_json_rows(df), ensure_ascii=False, indent=1)
    return _frame_text(df, df.columns)
