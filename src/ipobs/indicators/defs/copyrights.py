"""Copyright registrations (software, works) and the region facts GDP, copyright-industry value
added, population and new enterprises, with the growth rates the plan compares."""

from __future__ import annotations

from ibis import _

from ipobs.indicators import common as C
from ipobs.indicators.base import define

CR_COLUMNS = ("reg_no", "kind", "title", "category", "owner", "region_code", "completion_date", "registration_date")


def _regs(t, q, kind):
    c = C.in_region(t.copyright, q)
    if kind:
        c = c.filter(c.kind == kind)
    return c.filter(C.between(c.registration_date, q.year_start, q.as_of))


def _have(t, q):
    return t.copyright.filter(C.between(_.registration_date, q.year_start, q.as_of)).count()


for _kind, _id, _zh, _en in ((None, "copyright_registrations", "著作权登记量", "copyright registrations"),
                             ("software", "software_copyrights", "计算机软件著作权登记量", "software copyright registrations"),
                             ("works", "works_copyrights", "作品著作权登记量", "works copyright registrations")):
    define(
        id=_id, zh=_zh, en=_en, unit="件", unit_en="registrations", kind="flow", group="copyrights",
        definition_zh=f"统计年度内（1月1日至统计日）按登记日期计的{_zh[:-3]}数，著作权人位于区域内。",
        definition_en=f"{_en.capitalize()} with a registration date from 1 January to the date, owner in the region.",
        source="National Copyright Administration / CPCC registration records; work plan goal (一) "
               "(以计算机软件、创意设计等为代表的著作权登记量逐年增长)",
        example=f"ipobs indicator {_id} --as-of 2021-12-31",
        parts=(lambda k: lambda t, q: {"value": _regs(t, q, k).count(), "have_period": _have(t, q)})(_kind),
        rows=(lambda k: lambda t, q: _regs(t, q, k).select(*CR_COLUMNS))(_kind),
        order_by=("registration_date", "reg_no"),
        requires={"have_period": "no copyright registrations with a registration_date in the period have been "
                                 "imported"},
    )


# ---------------------------------------------------------------- region facts
FACTS = {
    "population": ("常住人口", "resident population", "人", "people", "stock"),
    "gdp": ("地区生产总值", "GDP", "元", "yuan", "flow"),
    "copyright_industry_va": ("版权产业增加值", "copyright-industry value added", "元", "yuan", "flow"),
    "new_enterprises": ("新增企业数", "new enterprises registered", "家", "enterprises", "flow"),
}


def _fact_rows(fact):
    def rows(t, q):
        return t.region_fact.filter((_.region_code == q.region) & (_.fact == fact)
                                    & (_.year >= q.year - 1) & (_.year <= q.year)).select(
            "region_code", "year", "fact", "value", "unit", "source", "vintage", "batch_id")

    return rows


def _fact_level(fact):
    def parts(t, q):
        return C.fact_parts(t, q, fact, q.year, "value")

    def finish(row, q):
        miss = C.fact_missing(row, "value", fact, q.year, q)
        return (None if miss else row["value"]), miss, C.vintage_of(row, "value", fact, q.year)

    return parts, finish


def _fact_growth(fact):
    def parts(t, q):
        out = C.fact_parts(t, q, fact, q.year, "current")
        out.update(C.fact_parts(t, q, fact, q.year - 1, "previous"))
        return out

    def finish(row, q):
        vint = {"current": C.vintage_of(row, "current", fact, q.year).get(fact),
                "previous": C.vintage_of(row, "previous", fact, q.year - 1).get(fact)}
        miss = C.fact_missing(row, "current", fact, q.year, q) or C.fact_missing(row, "previous", fact, q.year - 1, q)
        if miss:
            return None, miss, vint
        return (row["current"] - row["previous"]) * 100.0 / row["previous"], None, vint

    return parts, finish


_FACT_SOURCE = "region_fact rows (statistics bureau / copyright administration), each with its source and vintage"

for _fact, (_zh, _en, _unit, _unit_en, _kind) in FACTS.items():
    _p, _f = _fact_level(_fact)
    define(
        id=_fact, zh=_zh, en=_en, unit=_unit, unit_en=_unit_en, kind=_kind, group="region facts",
        definition_zh=f"区域 {_zh}（region_fact '{_fact}'）当年数值；默认用该年可得的最新口径，可在设置 vintages 中指定。",
        definition_en=f"The region's {_en} for the year (region_fact '{_fact}'), the latest vintage available "
                      "unless settings.vintages names one.",
        source=_FACT_SOURCE, example=f"ipobs indicator {_fact} --as-of 2021-12-31",
        parts=_p, finish=_f, rows=_fact_rows(_fact), order_by=("year", "vintage"),
    )

for _fact, _id in (("gdp", "gdp_growth"), ("copyright_industry_va", "copyright_industry_va_growth")):
    _zh, _en = FACTS[_fact][:2]
    _p, _f = _fact_growth(_fact)
    define(
        id=_id, zh=f"{_zh}增长速度", en=f"growth of {_en}", unit="%", unit_en="%", kind="growth",
        group="region facts", base=_fact,
        definition_zh=f"({_zh}_t − {_zh}_{{t−1}}) / {_zh}_{{t−1}} × 100%，按 region_fact 年度数值（名义值；统计部门公布的"
                      "可比价增速如需使用，应作为单独的 region_fact 导入）。",
        definition_en=f"({_en}_t − {_en}_t−1) / {_en}_t−1 × 100 from the yearly region_fact values (nominal; an "
                      "official real growth rate must be imported as its own fact).",
        source=_FACT_SOURCE + "; work plan goal (一) (版权产业增长速度超过全区GDP增长速度)",
        example=f"ipobs indicator {_id} --as-of 2021-12-31",
        parts=_p, finish=_f, rows=_fact_rows(_fact), order_by=("year", "vintage"),
    )
