"""Cases: infringement and counterfeiting cases received, cases closed, the on-time closure
rate, average handling time and repeat infringers."""

from __future__ import annotations

import datetime as dt

import ibis
from ibis import _

from ipobs.indicators import common as C
from ipobs.indicators.base import define

# internal_note is never listed: it is not public.
CASE_COLUMNS = ("case_id", "kind", "ip_right", "department", "right_no", "received_date", "accepted_date",
                "deadline_date", "closed_date", "outcome", "region_code")
PLAN_PROTECT = "Work plan goal (三) (侵权、假冒等知识产权违法行为明显减少、案件按期结案率保持高位水平)"
FORMULA = "anchors.md 'Indicator formulas' (按时结案率, 平均结案周期, 重复侵权) and §11"


def cases(t, q):
    return C.in_region_ledger(t.ip_case, q)


def _have_received(t, q):
    return t.ip_case.filter(C.between(_.received_date, q.year_start, q.as_of)).count()


def _have_closed(t, q):
    return t.ip_case.filter(C.between(_.closed_date, q.year_start, q.as_of)).count()


def _by_right(c):
    """One aggregate: the count, and the count per IP right (parts.patent, parts.trademark…)."""
    rights = ("patent", "trademark", "copyright")
    return c.aggregate(value=c.count(), **{r: (c.ip_right == r).cast("int64").sum().fill_null(0) for r in rights},
                       other=(~c.ip_right.isin(list(rights))).cast("int64").sum().fill_null(0))


def received(t, q, kinds):
    c = cases(t, q)
    return c.filter(c.kind.isin(list(kinds)) & C.between(c.received_date, q.year_start, q.as_of))


define(
    id="infringement_cases", zh="侵权假冒案件数", en="infringement and counterfeiting cases", unit="件",
    unit_en="cases", kind="flow", group="cases",
    definition_zh="统计年度内（1月1日至统计日）收案的侵权、假冒类案件数（案件类型见设置 infringement_case_kinds：专利侵权纠纷"
                  "行政裁决、商标违法、假冒专利、版权行政执法、民事、刑事、快速维权），案件所在区域在区域内。",
    definition_en="Infringement and counterfeiting cases received from 1 January to the date, of the kinds in "
                  "settings.infringement_case_kinds (patent-dispute adjudication, trademark and copyright "
                  "enforcement, patent counterfeiting, civil, criminal, fast enforcement), case in the region; "
                  "parts give the count per IP right.",
    source=PLAN_PROTECT, example="ipobs indicator infringement_cases --as-of 2021-12-31",
    parts=lambda t, q: {"counts": _by_right(received(t, q, q.settings.infringement_case_kinds)),
                        "have_period": _have_received(t, q)},
    rows=lambda t, q: received(t, q, q.settings.infringement_case_kinds).select(*CASE_COLUMNS),
    order_by=("received_date", "case_id"),
    requires={"have_period": "no cases received in the period have been imported"},
)

define(
    id="counterfeit_patent_cases", zh="假冒专利案件数", en="patent counterfeiting cases", unit="件", unit_en="cases",
    kind="flow", group="cases",
    definition_zh="统计年度内（1月1日至统计日）收案的假冒专利行政案件数，案件所在区域在区域内。",
    definition_en="Administrative patent-counterfeiting cases received from 1 January to the date, case in the region.",
    source=PLAN_PROTECT, example="ipobs indicator counterfeit_patent_cases --as-of 2021-12-31",
    parts=lambda t, q: {"value": received(t, q, ("admin_counterfeit_patent",)).count(),
                        "have_period": _have_received(t, q)},
    rows=lambda t, q: received(t, q, ("admin_counterfeit_patent",)).select(*CASE_COLUMNS),
    order_by=("received_date", "case_id"),
    requires={"have_period": "no cases received in the period have been imported"},
)


def closed(t, q):
    """Cases closed in the year up to the date, with extension/suspension days and timeliness."""
    c = cases(t, q)
    c = c.filter(C.between(c.closed_date, q.year_start, q.as_of))
    # a case's extension days depend on the case alone: summed over every closed case, so the sum does not
    # depend on the date or region asked for (a batch of dates and regions computes it once)
    ev = t.case_event.filter(_.status.isin(["extended", "suspended"]))
    ext = t.ip_case.filter(_.closed_date.notnull()).select("case_id", "closed_date").inner_join(ev, "case_id").filter(
        _.event_date.cast("date") <= _.closed_date.cast("date")).group_by("case_id").aggregate(
        extension_days=_.days.fill_null(0).sum())
    c = c.left_join(ext, "case_id").drop("case_id_right").mutate(extension_days=_.extension_days.fill_null(0))
    c = c.mutate(
        handling_days=_.closed_date.cast("date").delta(_.received_date.cast("date"), unit="day"),
        days_late=_.closed_date.cast("date").delta(_.deadline_date.cast("date"), unit="day") - _.extension_days,
    )
    return c.mutate(on_time=ibis.ifelse(_.deadline_date.isnull(), ibis.null("boolean"), _.days_late <= 0))


define(
    id="cases_closed", zh="结案数", en="cases closed", unit="件", unit_en="cases", kind="flow", group="cases",
    definition_zh="统计年度内（1月1日至统计日）结案的案件数（全部类型），案件所在区域在区域内。",
    definition_en="Cases of every kind closed from 1 January to the date, case in the region.",
    source=FORMULA, example="ipobs indicator cases_closed --as-of 2021-12-31",
    parts=lambda t, q: {"value": closed(t, q).count(), "have_period": _have_closed(t, q)},
    rows=lambda t, q: closed(t, q).select(*CASE_COLUMNS, "extension_days", "handling_days", "on_time"),
    order_by=("closed_date", "case_id"), requires={"have_period": "no cases closed in the period have been imported"},
)


def _on_time_parts(t, q):
    c = closed(t, q)
    agg = c.aggregate(on_time=c.on_time.fill_null(False).cast("int64").sum().fill_null(0),
                      closed_with_deadline=c.on_time.notnull().cast("int64").sum().fill_null(0),
                      closed_without_deadline=c.on_time.isnull().cast("int64").sum().fill_null(0))
    return {"counts": agg, "have_period": _have_closed(t, q)}


define(
    id="on_time_closure_rate", zh="案件按期结案率", en="on-time case closure rate", unit="%", unit_en="%",
    kind="ratio", group="cases",
    definition_zh="统计年度内结案且结案日不晚于法定期限（ip_case.deadline_date 加上 case_event 中延期、中止天数之和）的案件数 ÷ "
                  "统计年度内结案且有法定期限的案件数 × 100%。无法定期限的结案案件另列于 parts.closed_without_deadline。",
    definition_en="Cases closed in the year (to the date) on or before their deadline (ip_case.deadline_date plus "
                  "the days of 'extended' and 'suspended' case_event rows) ÷ cases closed in the year that have a "
                  "deadline × 100. Closed cases without a deadline are counted in parts.closed_without_deadline.",
    source=f"{FORMULA}; {PLAN_PROTECT}",
    example="ipobs indicator on_time_closure_rate --as-of 2021-12-31 (plan: kept high, threshold 95%)",
    parts=_on_time_parts, finish=C.finish_ratio("on_time", "closed_with_deadline", 100.0,
                                                "the number of closed cases with a deadline"),
    rows=lambda t, q: closed(t, q).select(*CASE_COLUMNS, "extension_days", "days_late", "on_time"),
    order_by=("closed_date", "case_id"), requires={"have_period": "no cases closed in the period have been imported"},
)

define(
    id="avg_handling_days", zh="平均结案周期", en="average handling time", unit="天", unit_en="days",
    kind="ratio", group="cases",
    definition_zh="统计年度内（1月1日至统计日）结案案件的（结案日 − 收案日）天数平均值；parts 另给最长天数与案件数。",
    definition_en="Mean of (closed date − received date) in days over cases closed from 1 January to the date; "
                  "parts also give the maximum and the number of cases.",
    source=FORMULA, example="ipobs indicator avg_handling_days --as-of 2021-12-31",
    parts=lambda t, q: {"days": closed(t, q).aggregate(value=_.handling_days.mean(), max_days=_.handling_days.max(),
                                                        cases=_.count()),
                        "have_period": _have_closed(t, q)},
    finish=lambda row, q: (row.get("value"), None if row.get("cases") else "no cases closed in the period"),
    rows=lambda t, q: closed(t, q).select(*CASE_COLUMNS, "handling_days"), order_by=("closed_date", "case_id"),
    requires={"have_period": "no cases closed in the period have been imported"},
)


def repeat_infringers(t, q):
    """Respondents with at least repeat_min_findings findings closed within the window before the date."""
    s = q.settings
    start = q.as_of - dt.timedelta(days=int(s.repeat_window_days))
    c = cases(t, q)
    c = c.filter(c.outcome.isin(list(s.infringement_findings)) & c.closed_date.notnull()
                 & (c.closed_date.cast("date") > C.lit(start)) & C.on_or_before(c.closed_date, q.as_of))
    resp = t.case_party.filter(_.side == "respondent").mutate(respondent=_.entity_id.fill_null(_.name))
    j = c.select("case_id", "closed_date").inner_join(resp.select("case_id", "respondent", "name", "is_person"),
                                                      "case_id")
    per = j.group_by("respondent").aggregate(
        name=_.name.min(), findings=_.case_id.nunique(), last_finding=_.closed_date.max(),
        is_person=_.is_person.fill_null(False).any())
    return per.filter(_.findings >= s.repeat_min_findings)


define(
    id="repeat_infringers", zh="重复侵权主体数", en="repeat infringers", unit="个", unit_en="respondents",
    kind="stock", group="cases",
    definition_zh="截至统计日，在此前设置 repeat_window_days（默认730天）内有不少于 repeat_min_findings（默认2）起认定侵权/处罚/"
                  "定罪结案（设置 infringement_findings）的被请求人（按主体ID，无则按名称）个数。自然人为个人信息，仅内部可见。",
    definition_en="Respondents (by entity id, else name) with at least repeat_min_findings (2) cases closed with a "
                  "finding (settings.infringement_findings) within repeat_window_days (730) before the date. "
                  "Natural persons are personal data.",
    source=f"{FORMULA}; work plan task 14 (重复侵权)", example="ipobs indicator repeat_infringers --as-of 2021-12-31",
    parts=lambda t, q: {"value": repeat_infringers(t, q).count(), "have_cases": t.ip_case.count()},
    rows=repeat_infringers, order_by=("respondent",),
    requires={"have_cases": "no cases have been imported"},
)
