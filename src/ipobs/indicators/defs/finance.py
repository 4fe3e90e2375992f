"""Pledge financing (per contract, by registration year; patent / trademark / mixed) and IP
insurance, with their yearly growth."""

from __future__ import annotations

from ibis import _

from ipobs.indicators import common as C
from ipobs.indicators.base import define

PLEDGE_COLUMNS = ("pledge_id", "pledgor", "pledgee", "right_kind", "amount_yuan", "registration_date",
                  "release_date", "region_code")
POLICY_COLUMNS = ("policy_id", "insured", "insurer", "product", "amount_yuan", "premium_yuan", "start_date",
                  "end_date", "region_code")
PLAN_FINANCE = "Work plan task 11 (专利和商标质押融资金额、知识产权保险金额年均增幅20%以上)"
PLEDGE_RULE = ("F_t = Σ registered amounts of contracts registered in t whose pledgor is in the district, per "
               "contract not per right — anchors.md 'Indicator formulas'")
KINDS = {None: ("patent", "trademark", "mixed"), "patent": ("patent",), "trademark": ("trademark",),
         "mixed": ("mixed",)}


def pledges(t, q, kinds):
    p = C.in_region_ledger(t.pledge, q)
    return p.filter(p.right_kind.isin(list(kinds)) & C.between(p.registration_date, q.year_start, q.as_of))


def _have_pledges(t, q):
    return t.pledge.filter(C.between(_.registration_date, q.year_start, q.as_of)).count()


NO_PLEDGES = "no pledge contracts registered in the period have been imported"
NO_PLEDGES_PREV = "no pledge contracts registered in the same period of the previous year have been imported"

for _k, (_id, _zh, _en) in {
    None: ("pledge_amount", "专利和商标质押融资金额", "patent and trademark pledge financing"),
    "patent": ("pledge_amount_patent", "专利质押融资金额", "patent pledge financing"),
    "trademark": ("pledge_amount_trademark", "商标质押融资金额", "trademark pledge financing"),
    "mixed": ("pledge_amount_mixed", "专利商标混合质押融资金额", "mixed patent-trademark pledge financing"),
}.items():
    _kinds = KINDS[_k]
    define(
        id=_id, zh=_zh, en=_en, unit="元", unit_en="yuan", kind="flow", group="finance",
        definition_zh=f"统计年度内（1月1日至统计日）登记的{_zh[:-6]}质押合同融资金额之和（按合同计，不按权利拆分；权利类型 "
                      f"{'/'.join(_kinds)}），出质人位于区域内。",
        definition_en=f"Sum of the amounts of pledge contracts (rights: {', '.join(_kinds)}) registered from 1 January "
                      "to the date whose pledgor is in the region; per contract, not per right.",
        source=f"{PLEDGE_RULE}; {PLAN_FINANCE}", example=f"ipobs indicator {_id} --as-of 2021-12-31",
        parts=(lambda ks: lambda t, q: {"sums": pledges(t, q, ks).aggregate(
                                            value=_.amount_yuan.sum().fill_null(0), contracts=_.count()),
                                        "have_period": _have_pledges(t, q)})(_kinds),
        rows=(lambda ks: lambda t, q: pledges(t, q, ks).select(*PLEDGE_COLUMNS))(_kinds),
        order_by=("registration_date", "pledge_id"), requires={"have_period": NO_PLEDGES},
    )


def _growth_parts(t, q):
    k = KINDS[None]
    prev = q.shifted(1)
    return {"current": pledges(t, q, k).amount_yuan.sum().fill_null(0),
            "previous": pledges(t, prev, k).amount_yuan.sum().fill_null(0),
            "have_current": _have_pledges(t, q), "have_previous": _have_pledges(t, prev)}


define(
    id="pledge_amount_growth", zh="专利和商标质押融资金额增幅", en="growth of pledge financing", unit="%", unit_en="%",
    kind="growth", group="finance", base="pledge_amount",
    definition_zh="g = (F_t − F_{t−1}) / F_{t−1} × 100%，F 为 pledge_amount（专利、商标及混合质押合同金额之和）的年度流量，"
                  "年内至统计日与上年同期比较。",
    definition_en="g = (F_t − F_{t−1}) / F_{t−1} × 100 over the yearly flow pledge_amount (patent, trademark and mixed "
                  "contracts), year to date against the same period a year earlier.",
    source=f"{PLEDGE_RULE}; growth formula anchors.md §13.3; {PLAN_FINANCE}",
    example="ipobs indicator pledge_amount_growth --as-of 2021-12-31 (plan target: ≥ 20% a year)",
    parts=_growth_parts, finish=C.finish_growth(),
    rows=C.both_periods(lambda t, q: pledges(t, q, KINDS[None]).select(*PLEDGE_COLUMNS)),
    order_by=("period", "registration_date", "pledge_id"),
    requires={"have_current": NO_PLEDGES, "have_previous": NO_PLEDGES_PREV},
)


def _mixed_since(t, q):
    p = C.in_region_ledger(t.pledge, q)
    return p.filter((p.right_kind == "mixed") & C.between(p.registration_date, C.period_start(q), q.as_of))


define(
    id="mixed_pledges", zh="专利商标混合质押合同数（计划期以来）", en="mixed patent-trademark pledges since the plan start",
    unit="笔", unit_en="contracts", kind="count", group="finance",
    definition_zh="计划期开始（设置 period_start）至统计日登记的专利、商标混合质押合同笔数，出质人位于区域内。",
    definition_en="Mixed patent-and-trademark pledge contracts registered between settings.period_start and the "
                  "date, pledgor in the region.",
    source="Work plan task 11 (创新专利、商标混合质押新模式)",
    example="ipobs indicator mixed_pledges --as-of 2022-12-31",
    parts=lambda t, q: {"value": _mixed_since(t, q).count(), "have_pledges": t.pledge.count()},
    rows=lambda t, q: _mixed_since(t, q).select(*PLEDGE_COLUMNS), order_by=("registration_date", "pledge_id"),
    requires={"have_pledges": "no pledge contracts have been imported"},
)


# ------------------------------------------------------------------ insurance
def policies(t, q):
    p = C.in_region_ledger(t.insurance, q)
    return p.filter(C.between(p.start_date, q.year_start, q.as_of))


def _have_policies(t, q):
    return t.insurance.filter(C.between(_.start_date, q.year_start, q.as_of)).count()


define(
    id="insurance_amount", zh="知识产权保险金额", en="IP insurance sum insured", unit="元", unit_en="yuan",
    kind="flow", group="finance",
    definition_zh="统计年度内（1月1日至统计日）起保的知识产权保险保单保险金额之和，投保人位于区域内。",
    definition_en="Sum insured of IP insurance policies starting from 1 January to the date, insured in the region.",
    source=PLAN_FINANCE, example="ipobs indicator insurance_amount --as-of 2021-12-31",
    parts=lambda t, q: {"sums": policies(t, q).aggregate(value=_.amount_yuan.sum().fill_null(0), policies=_.count(),
                                                          premium_yuan=_.premium_yuan.sum()),
                        "have_period": _have_policies(t, q)},
    rows=lambda t, q: policies(t, q).select(*POLICY_COLUMNS), order_by=("start_date", "policy_id"),
    requires={"have_period": "no insurance policies starting in the period have been imported"},
)

define(
    id="insurance_amount_growth", zh="知识产权保险金额增幅", en="growth of IP insurance", unit="%", unit_en="%",
    kind="growth", group="finance", base="insurance_amount",
    definition_zh="g = (I_t − I_{t−1}) / I_{t−1} × 100%，I 为 insurance_amount 的年度流量，年内至统计日与上年同期比较。",
    definition_en="g = (I_t − I_{t−1}) / I_{t−1} × 100 over the yearly flow insurance_amount, year to date against "
                  "the same period a year earlier.",
    source=f"growth formula anchors.md §13.3; {PLAN_FINANCE}",
    example="ipobs indicator insurance_amount_growth --as-of 2021-12-31 (plan target: ≥ 20% a year)",
    parts=lambda t, q: {"current": policies(t, q).amount_yuan.sum().fill_null(0),
                        "previous": policies(t, q.shifted(1)).amount_yuan.sum().fill_null(0),
                        "have_current": _have_policies(t, q), "have_previous": _have_policies(t, q.shifted(1))},
    finish=C.finish_growth(),
    rows=C.both_periods(lambda t, q: policies(t, q).select(*POLICY_COLUMNS)),
    order_by=("period", "start_date", "policy_id"),
    requires={"have_current": "no insurance policies starting in the period have been imported",
              "have_previous": "no insurance policies starting in the same period of the previous year have "
                               "been imported"},
)
