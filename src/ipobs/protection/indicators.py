"""Protection indicators added to the registry (the on-time rate, average handling time, repeat
infringers, infringement cases and the finance growth indicators are defined once in
:mod:`ipobs.indicators.defs.cases` and :mod:`ipobs.indicators.defs.finance`; these reuse their
case selections): median handling time, the fast track's cycle time, cases received by kind
and right, and serial infringement."""

from __future__ import annotations

from ibis import _

from ipobs.indicators import common as C
from ipobs.indicators.base import define
from ipobs.indicators.defs.cases import CASE_COLUMNS, FORMULA, PLAN_PROTECT, cases, closed
from ipobs.records.schema import ENUMS

FAST_TRACK = ("preexam", "fast_confirm", "fast_enforce")
NO_CLOSED = "no cases closed in the period have been imported"


def _have_closed(t, q):
    return t.ip_case.filter(C.between(_.closed_date, q.year_start, q.as_of)).count()


def _median_finish(row, q):
    return row.get("value"), None if row.get("cases") else "no cases closed in the period"


define(
    id="median_handling_days", zh="结案周期中位数", en="median handling time", unit="天", unit_en="days",
    kind="ratio", group="cases",
    definition_zh="统计年度内（1月1日至统计日）结案案件（结案日 − 收案日）天数的中位数；与 avg_handling_days 同一案件集合。",
    definition_en="Median of (closed date − received date) in days over the cases closed from 1 January to the "
                  "date; the same cases as avg_handling_days.",
    source=FORMULA, example="ipobs indicator median_handling_days --as-of 2021-12-31",
    parts=lambda t, q: {"days": closed(t, q).aggregate(value=_.handling_days.median(), cases=_.count()),
                        "have_period": _have_closed(t, q)},
    finish=_median_finish,
    rows=lambda t, q: closed(t, q).select(*CASE_COLUMNS, "handling_days"), order_by=("closed_date", "case_id"),
    requires={"have_period": NO_CLOSED},
)


def _fast(t, q):
    c = closed(t, q)
    return c.filter(c.kind.isin(list(FAST_TRACK)))


define(
    id="fast_track_cycle_days", zh="快速通道平均周期", en="fast-track cycle time", unit="天", unit_en="days",
    kind="ratio", group="cases",
    definition_zh="统计年度内（1月1日至统计日）办结的保护中心快速通道事项（专利预审、快速确权、快速维权）自收案至办结的平均天数；"
                  "parts 另给中位数与各类事项数。",
    definition_en="Mean days from receipt to completion of the protection centre's fast-track requests (patent "
                  "pre-examination, fast rights confirmation, fast enforcement) completed from 1 January to the "
                  "date; parts give the median and the count per kind.",
    source="anchors.md §11 (快速预审、快速确权、快速维权一站式; national mean closure cycle under 2 weeks)",
    example="ipobs indicator fast_track_cycle_days --as-of 2021-12-31",
    parts=lambda t, q: {"days": _fast(t, q).aggregate(
        value=_.handling_days.mean(), median_days=_.handling_days.median(), cases=_.count(),
        **{k: (_.kind == k).cast("int64").sum().fill_null(0) for k in FAST_TRACK}),
        "have_period": _have_closed(t, q)},
    finish=lambda row, q: (row.get("value"), None if row.get("cases") else "no fast-track requests completed in "
                                                                            "the period"),
    rows=lambda t, q: _fast(t, q).select(*CASE_COLUMNS, "handling_days"), order_by=("closed_date", "case_id"),
    requires={"have_period": NO_CLOSED},
)


def received_all(t, q):
    c = cases(t, q)
    return c.filter(C.between(c.received_date, q.year_start, q.as_of))


define(
    id="cases_received", zh="收案数（按类型、权利）", en="cases received by kind and right", unit="件",
    unit_en="cases", kind="flow", group="cases",
    definition_zh="统计年度内（1月1日至统计日）收案的全部案件数，案件所在区域在区域内；parts 按案件类型（kind_*）与权利类型"
                  "（right_*）分列。",
    definition_en="Cases of every kind received from 1 January to the date, case in the region; parts split them by "
                  "case kind (kind_*) and IP right (right_*).",
    source=PLAN_PROTECT, example="ipobs indicator cases_received --as-of 2021-12-31",
    parts=lambda t, q: {"counts": received_all(t, q).aggregate(
        value=_.count(),
        **{f"kind_{k}": (_.kind == k).cast("int64").sum().fill_null(0) for k in ENUMS["case_kind"]},
        **{f"right_{r}": (_.ip_right == r).cast("int64").sum().fill_null(0) for r in ENUMS["ip_right"]}),
        "have_period": t.ip_case.filter(C.between(_.received_date, q.year_start, q.as_of)).count()},
    rows=lambda t, q: received_all(t, q).select(*CASE_COLUMNS), order_by=("received_date", "case_id"),
    requires={"have_period": "no cases received in the period have been imported"},
)


def serial_holders(t, q):
    """Right holders (complainants) who, over one right, brought cases against at least
    serial_min_respondents distinct respondents received within repeat_window_days before the date."""
    import datetime as dt

    s = q.settings
    start = q.as_of - dt.timedelta(days=int(s.repeat_window_days))
    c = cases(t, q)
    c = c.filter(c.right_no.notnull() & (c.received_date.cast("date") > C.lit(start))
                 & C.on_or_before(c.received_date, q.as_of))
    party = t.case_party.mutate(who=_.entity_id.fill_null(_.name))
    comp = party.filter(_.side == "complainant").select("case_id", holder=_.who, holder_name=_.name,
                                                        holder_is_person=_.is_person)
    resp = party.filter(_.side == "respondent").select("case_id", respondent=_.who)
    j = c.select("case_id", "right_no", "received_date").inner_join(comp, "case_id").inner_join(resp, "case_id")
    per = j.group_by(["holder", "right_no"]).aggregate(
        name=_.holder_name.min(), respondents=_.respondent.nunique(), cases=_.case_id.nunique(),
        first_received=_.received_date.min(), last_received=_.received_date.max(),
        is_person=_.holder_is_person.fill_null(False).any())
    return per.filter(_.respondents >= s.serial_min_respondents)


define(
    id="serial_infringement", zh="系列侵权（一权利多被诉人）", en="serial infringement (one right, many respondents)",
    unit="组", unit_en="holder-right pairs", kind="stock", group="cases",
    definition_zh="截至统计日，此前 repeat_window_days（默认730天）内收案、同一权利人（按主体ID，无则按名称）就同一涉案权利对"
                  "不少于 serial_min_respondents（默认3）个不同被请求人提起的案件，按（权利人, 权利号）计组数。",
    definition_en="(Right holder, right) pairs where one complainant (by entity id, else name) brought cases over "
                  "the same right against at least serial_min_respondents (3) distinct respondents, received "
                  "within repeat_window_days (730) before the date.",
    source=f"{FORMULA}; work plan task 14 (重复侵权、群体侵权)",
    example="ipobs indicator serial_infringement --as-of 2021-12-31",
    parts=lambda t, q: {"value": serial_holders(t, q).count(), "have_cases": t.ip_case.count()},
    rows=serial_holders, order_by=("holder", "right_no"),
    requires={"have_cases": "no cases have been imported"},
)
