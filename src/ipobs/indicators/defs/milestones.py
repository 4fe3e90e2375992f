"""Milestones as indicators, defined as data (``data/milestones.yaml``): counts of the ledger items
that show a milestone was reached. The plan's ``milestone`` rule is met when the count is ≥ 1."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import ibis
import yaml

from ipobs.indicators.base import define
from ipobs.indicators.defs.programs import ITEM_COLUMNS, have_program, items, no_ledger
from ipobs.records.schema import ENUMS

MODES = ("completed", "established")


@lru_cache(maxsize=1)
def milestones() -> list[dict]:
    text = resources.files("ipobs.indicators.data").joinpath("milestones.yaml").read_text(encoding="utf-8")
    out = yaml.safe_load(text)
    for m in out:
        if m["program"] not in ENUMS["program"]:
            raise ValueError(f"milestones.yaml {m['id']}: unknown program {m['program']!r}")
        if m["mode"] not in MODES:
            raise ValueError(f"milestones.yaml {m['id']}: mode must be one of {MODES}")
    return out


def _select(m: dict):
    words = [w.lower() for w in m.get("keywords") or []]

    def sel(t, q):
        p = items(t, q, m["program"], m["mode"])
        if not words:
            return p
        text = (p.name.fill_null("") + " " + p.note.fill_null("")).lower()
        cond = ibis.literal(False)
        for w in words:
            cond = cond | text.contains(w)
        return p.filter(cond)

    return sel


for _m in milestones():
    _sel = _select(_m)
    _pzh, _pen = ENUMS["program"][_m["program"]]
    _kw = "、".join(_m.get("keywords") or []) or "（全部条目）"
    define(
        id=_m["id"], zh=_m["zh"], en=_m["en"], unit="项", unit_en="items", kind="count", group="milestones",
        definition_zh=f"里程碑：台账 program_item（{_pzh}）中{'已完成或验收' if _m['mode'] == 'completed' else '已设立'}、"
                      f"名称或备注含关键词（{_kw}）的条目数；不少于1即视为达成。",
        definition_en=f"Milestone: ledger items of '{_m['program']}' ({_pen}) "
                      f"{'completed' if _m['mode'] == 'completed' else 'established'} on or before the date whose name "
                      f"or note contains one of the keywords ({', '.join(_m.get('keywords') or []) or 'any item'}); "
                      "reached when the count is at least 1.",
        source=f"Work plan 津滨政发〔2019〕26号{', task ' + _m['task'][1:].lstrip('0') if _m.get('task') else ''}; "
               "milestone definitions in src/ipobs/indicators/data/milestones.yaml",
        example=f"ipobs indicator {_m['id']} --as-of 2022-12-31 --records",
        parts=(lambda sel, prog: lambda t, q: {"value": sel(t, q).count(),
                                               f"have_{prog}": have_program(t, prog)})(_sel, _m["program"]),
        rows=(lambda sel: lambda t, q: sel(t, q).select(*ITEM_COLUMNS))(_sel),
        order_by=("start_date", "item_id"), requires={f"have_{_m['program']}": no_ledger(_m["program"])},
    )
