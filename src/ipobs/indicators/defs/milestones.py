"""Milestones as indicators, defined as data (``data/milestones.yaml``): counts of the ledger items
that show a milestone was reached. The plan's ``milestone`` rule is met when the count is ≥ 1."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import ibis
import yaml

from ipobs.indicators.base import define
from ipobs.indicators.defs.programs import ITEM_COLUMNS, items
from ipobs.records.schema import ENUMS

MODES = {"completed": ("已完成或验收", "completed"), "established": ("已设立", "established")}


@lru_cache(maxsize=1)
def milestones() -> list[dict]:
    text = resources.files("ipobs.indicators.data").joinpath("milestones.yaml").read_text(encoding="utf-8")
    out = yaml.safe_load(text)
    for m in out:
        for c in m["match"]:
            if c["program"] not in ENUMS["program"]:
                raise ValueError(f"milestones.yaml {m['id']}: unknown program {c['program']!r}")
            if c["mode"] not in MODES:
                raise ValueError(f"milestones.yaml {m['id']}: mode must be one of {', '.join(MODES)}")
    return out


def _clause(c: dict):
    words = [w.lower() for w in c.get("keywords") or []]

    def sel(t, q):
        p = items(t, q, c["program"], c["mode"])
        if not words:
            return p
        text = (p.name.fill_null("") + " " + p.note.fill_null("")).lower()
        cond = ibis.literal(False)
        for w in words:
            cond = cond | text.contains(w)
        return p.filter(cond)

    return sel


def _select(m: dict):
    clauses = [_clause(c) for c in m["match"]]

    def sel(t, q):
        parts = [c(t, q).select(*ITEM_COLUMNS) for c in clauses]
        return parts[0] if len(parts) == 1 else ibis.union(*parts, distinct=True)

    return sel


def _have(m: dict):
    programs = sorted({c["program"] for c in m["match"]})

    def have(t, q):
        return t.program_item.filter(t.program_item.program.isin(programs)).count()

    return have, programs


def _words(m: dict, lang: str) -> str:
    out = []
    for c in m["match"]:
        zh, en = ENUMS["program"][c["program"]]
        kw = c.get("keywords") or []
        if lang == "zh":
            out.append(f"台账 program_item（{zh}）中{MODES[c['mode']][0]}、" +
                       (f"名称或备注含关键词（{'、'.join(kw)}）的条目" if kw else "的全部条目"))
        else:
            out.append(f"ledger items of '{c['program']}' ({en}) {MODES[c['mode']][1]} on or before the date" +
                       (f" whose name or note contains one of: {', '.join(kw)}" if kw else ""))
    return ("；或" if lang == "zh" else "; or ").join(out)


for _m in milestones():
    _sel = _select(_m)
    _have_fn, _programs = _have(_m)
    _missing = (f"no ledger rows of program {' / '.join(repr(p) for p in _programs)} "
                f"({' / '.join(ENUMS['program'][p][0] for p in _programs)}) have been imported")
    define(
        id=_m["id"], zh=_m["zh"], en=_m["en"], unit="项", unit_en="items", kind="count", group="milestones",
        definition_zh=f"里程碑：{_words(_m, 'zh')}的条目数；不少于1即视为达成。",
        definition_en=f"Milestone: the number of {_words(_m, 'en')}; reached when the count is at least 1.",
        source=f"Work plan 津滨政发〔2019〕26号{', task ' + _m['task'][1:].lstrip('0') if _m.get('task') else ''}; "
               "milestone definitions in src/ipobs/indicators/data/milestones.yaml",
        example=f"ipobs indicator {_m['id']} --as-of 2022-12-31 --records",
        parts=(lambda sel, have: lambda t, q: {"value": sel(t, q).count(), "have_ledger": have(t, q)})(_sel, _have_fn),
        rows=_sel, order_by=("start_date", "item_id"), requires={"have_ledger": _missing},
    )
