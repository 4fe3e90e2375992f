"""Trademarks: registered marks in force, well-known marks, geographical indications, Madrid
registrations and their growth, new registrations against new enterprises."""

from __future__ import annotations

import ibis
from ibis import _

from ipobs.indicators import common as C
from ipobs.indicators.base import define
from ipobs.store import history

NOT_IN_FORCE = ("cancelled", "invalidated", "expired", "rejected", "pending")
MARK_COLUMNS = ("reg_no", "nice_class", "mark_name", "owner", "region_code", "application_date",
                "registration_date", "expiry_date", "madrid", "well_known", "geo_indication")


def in_force(t, q):
    """Marks of the region registered and in force at the date.

    The status is the latest trademark_event on or before the date when the mark has events;
    a mark without events is in force from its registration_date unless its status is one of
    ``history.MARK_ENDED`` (cancelled, invalidated, rejected). Either way the exclusive right ends
    after expiry_date.
    """
    tm = C.in_region(t.trademark, q)
    st = history.trademark_status_as_of(t.trademark_event, q.as_of).rename(status_as_of="status")
    seen = t.trademark_event.select("reg_no", "nice_class").distinct().mutate(has_events=ibis.literal(True))
    j = (tm.left_join(st, ["reg_no", "nice_class"]).drop("reg_no_right").drop("nice_class_right")
         .left_join(seen, ["reg_no", "nice_class"]).drop("reg_no_right").drop("nice_class_right"))
    by_events = j.has_events.fill_null(False) & (j.status_as_of == "registered")
    by_dates = (~j.has_events.fill_null(False) & j.registration_date.notnull()
                & C.on_or_before(j.registration_date, q.as_of)
                & ~j.status.fill_null("registered").isin(list(history.MARK_ENDED)))
    live = j.expiry_date.isnull() | (j.expiry_date.cast("date") >= C.lit(q.as_of))
    return j.filter((by_events | by_dates) & live)


def _have_marks(t, q):
    return t.trademark.filter(C.on_or_before(_.application_date, q.as_of)).count()


NO_MARKS = "no trademark records filed on or before the date have been imported"
SOURCE_TM = ("CNIPA trademark statistics (有效注册商标量, registrant address in the region); WIPO class-count practice "
             "— anchors.md 'Indicator formulas'")


def _stock(ind_id, zh, en, flag, dzh, den, example):
    def sel(t, q):
        m = in_force(t, q)
        return m.filter(m[flag].fill_null(False)) if flag else m

    define(id=ind_id, zh=zh, en=en, unit="件", unit_en="marks", kind="stock", group="trademarks",
           definition_zh=dzh, definition_en=den, source=SOURCE_TM, example=example,
           parts=lambda t, q: {"counts": sel(t, q).aggregate(value=_.reg_no.nunique(), classes=_.count()),
                               "have_marks": _have_marks(t, q)},
           rows=lambda t, q: sel(t, q).select(*MARK_COLUMNS, "status_as_of"),
           requires={"have_marks": NO_MARKS}, order_by=("reg_no", "nice_class"))


_stock("registered_trademarks", "国内有效注册商标量", "registered trademarks in force", None,
       "截至统计日已注册且专用权有效（未期满、未撤销、未无效）的商标数，注册人地址位于区域内；一标多类按注册号计一件，parts.classes 另给类别数。",
       "Marks registered and in force at the date (not expired, cancelled or invalidated) whose registrant is in "
       "the region; a registration number counts once however many classes (parts.classes gives the class count).",
       "ipobs indicator registered_trademarks --as-of 2022-12-31 (plan target: 70,000)")
_stock("well_known_marks", "驰名商标数", "well-known marks", "well_known",
       "截至统计日有效且被认定为驰名商标的商标数（按注册号），注册人位于区域内。",
       "Marks in force at the date recognised as well-known (驰名商标), by registration number, registrant in the region.",
       "ipobs indicator well_known_marks --as-of 2022-12-31")
_stock("geographical_indications", "地理标志商标数", "geographical-indication marks", "geo_indication",
       "截至统计日有效的地理标志（证明商标/集体商标）数，注册人位于区域内。",
       "Geographical-indication marks (certification / collective marks) in force at the date, registrant in the region.",
       "ipobs indicator geographical_indications --as-of 2022-12-31")


def _madrid(t, q):
    tm = C.in_region(t.trademark, q)
    return tm.filter(tm.madrid.fill_null(False) & C.between(tm.application_date, q.year_start, q.as_of))


def _have_period(t, q, col="application_date"):
    return t.trademark.filter(C.between(t.trademark[col], q.year_start, q.as_of)).count()


define(
    id="madrid_registrations", zh="马德里商标国际注册申请量", en="Madrid international registrations",
    unit="件", unit_en="applications", kind="flow", group="trademarks",
    definition_zh="统计年度内（1月1日至统计日）按申请日计的马德里商标国际注册申请数（按注册号），申请人位于区域内。",
    definition_en="Madrid international registration applications filed from 1 January to the date (by application "
                  "date, distinct registration numbers) whose applicant is in the region.",
    source="Work plan task 5; counting by application date and applicant origin — anchors.md 'Indicator formulas'",
    example="ipobs indicator madrid_registrations --as-of 2021-12-31",
    parts=lambda t, q: {"value": _madrid(t, q).reg_no.nunique(), "have_period": _have_period(t, q)},
    rows=lambda t, q: _madrid(t, q).select(*MARK_COLUMNS), order_by=("application_date", "reg_no"),
    requires={"have_period": "no trademark records with an application_date in the period have been imported"},
)

define(
    id="madrid_growth", zh="马德里商标国际注册量增幅", en="growth of Madrid registrations", unit="%", unit_en="%",
    kind="growth", group="trademarks", base="madrid_registrations",
    definition_zh="g = (M_t − M_{t−1}) / M_{t−1} × 100%，M 为 madrid_registrations 的年度流量（年内至统计日与上年同期比较）。"
                  "计划期年均增幅用 CAGR：(M_T/M_0)^{1/T} − 1。",
    definition_en="g = (M_t − M_{t−1}) / M_{t−1} × 100 over the yearly flow madrid_registrations (year to date "
                  "against the same period a year earlier). The plan-period average is the CAGR of that flow.",
    source="growth formula, anchors.md §13.3; work plan task 5 (年均增幅不低于20%)",
    example="ipobs indicator madrid_growth --as-of 2021-12-31",
    parts=lambda t, q: {"current": _madrid(t, q).reg_no.nunique(), "previous": _madrid(t, q.shifted(1)).reg_no.nunique(),
                        "have_current": _have_period(t, q), "have_previous": _have_period(t, q.shifted(1))},
    finish=C.finish_growth(),
    rows=C.both_periods(lambda t, q: _madrid(t, q).select(*MARK_COLUMNS)), order_by=("period", "application_date", "reg_no"),
    requires={"have_current": "no trademark records with an application_date in the period have been imported",
              "have_previous": "no trademark records with an application_date in the same period of the "
                               "previous year have been imported"},
)


def _new_regs(t, q):
    tm = C.in_region(t.trademark, q)
    return tm.filter(C.between(tm.registration_date, q.year_start, q.as_of))


define(
    id="new_trademark_registrations", zh="国内注册商标增加量", en="new trademark registrations",
    unit="件", unit_en="marks", kind="flow", group="trademarks",
    definition_zh="统计年度内（1月1日至统计日）按注册日计的新注册商标数（按注册号），注册人位于区域内。",
    definition_en="Marks registered (registration date) from 1 January to the date, distinct registration numbers, "
                  "registrant in the region.",
    source="Work plan task 5 (国内注册商标增加量)",
    example="ipobs indicator new_trademark_registrations --as-of 2021-12-31",
    parts=lambda t, q: {"value": _new_regs(t, q).reg_no.nunique(),
                        "have_period": _have_period(t, q, "registration_date")},
    rows=lambda t, q: _new_regs(t, q).select(*MARK_COLUMNS), order_by=("registration_date", "reg_no"),
    requires={"have_period": "no trademark records with a registration_date in the period have been imported"},
)


def _share_parts(t, q):
    out = {"new_registrations": _new_regs(t, q).reg_no.nunique(),
           "have_period": _have_period(t, q, "registration_date")}
    out.update(C.fact_parts(t, q, "new_enterprises", q.year, "new_enterprises"))
    return out


def _share_finish(row, q):
    miss = C.fact_missing(row, "new_enterprises", "new_enterprises", q.year, q)
    vint = C.vintage_of(row, "new_enterprises", "new_enterprises", q.year)
    if miss:
        return None, miss, vint
    return row["new_registrations"] * 100.0 / row["new_enterprises"], None, vint


define(
    id="trademarks_to_new_enterprises", zh="国内注册商标增加量占新增企业总数的比例",
    en="new trademark registrations per new enterprise", unit="%", unit_en="%", kind="ratio", group="trademarks",
    definition_zh="当年新注册商标数（new_trademark_registrations）÷ 当年新增企业数（region_fact new_enterprises）× 100%。"
                  "新增企业数缺失或为零时不计算。",
    definition_en="new_trademark_registrations of the year ÷ new enterprises registered that year (region_fact "
                  "'new_enterprises') × 100. Missing or zero new enterprises gives no value.",
    source="Work plan task 5 (国内注册商标增加量达到新增企业总数的40%)",
    example="ipobs indicator trademarks_to_new_enterprises --as-of 2021-12-31 (plan target: 40%)",
    parts=_share_parts, finish=_share_finish,
    rows=lambda t, q: _new_regs(t, q).select(*MARK_COLUMNS), order_by=("registration_date", "reg_no"),
    requires={"have_period": "no trademark records with a registration_date in the period have been imported"},
)
