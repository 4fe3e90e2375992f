"""Patent stocks and flows, invention share, invention patents per 10,000 people, PCT
applications, the task-1 industries and SMEs' first patents."""

from __future__ import annotations

import ibis
from ibis import _

from ipobs.indicators import common as C
from ipobs.indicators.base import define
from ipobs.records.industries import industries

CNIPA_STOCK = ("CNIPA, 专利统计年报 note to 专受表1 (有效量: 报告期末处于专利权维持状态的案卷数量); address basis "
               "per CNIPA monthly table note (owner's address for grants announced up to 2020-12-31, "
               "applicant's address after) — anchors.md §13.1 and 'Indicator formulas'")
CNIPA_FLOW = ("CNIPA statistical tables (申请量 by filing date, 授权量 by grant announcement date) — anchors.md "
              "§13.3 and 'Indicator formulas'")
KIND_ZH = {None: "", "invention": "发明", "utility": "实用新型", "design": "外观设计"}
KIND_EN = {None: "", "invention": "invention ", "utility": "utility-model ", "design": "design "}

NO_EVENTS = "no patent legal-status events (patent_event) on or before the date have been imported"


def _have_events(t, q):
    return t.patent_event.filter(C.on_or_before(_.event_date, q.as_of)).count()


def _have_filings(t, q, col="filing_date"):
    return t.patent.filter(C.between(t.patent[col], q.year_start, q.as_of)).count()


# --------------------------------------------------------------------- stocks
def _valid_stock(ind_id: str, kind: str | None, example: str):
    kzh, ken = KIND_ZH[kind], KIND_EN[kind]

    def parts(t, q):
        v = C.valid_patents(t, q, kind=kind)
        return {"value": v.count(), "have_events": _have_events(t, q)}

    def rows(t, q):
        v = C.with_owner(t, C.valid_patents(t, q, kind=kind))
        return v.select(*C.PATENT_COLUMNS, "owner", "status", "status_date")

    define(
        id=ind_id, zh=f"有效{kzh}专利量", en=f"valid {ken}patents".replace("  ", " "), unit="件", unit_en="patents",
        kind="stock", group="patents", dims=("region", "industry"),
        definition_zh=f"截至统计日处于专利权维持状态（已授权且未终止、未届满、未无效、未放弃）的{kzh or '发明、实用新型和外观设计'}专利数量，"
                      "按每件专利记录的统计归属区域（region_code 与 attribution_basis：2020年12月31日及以前授权的按专利权人地址，"
                      "之后按申请人地址）计入区域。存量指标。",
        definition_en=f"{ken.strip().capitalize() or 'Invention, utility-model and design'} patents granted and in force "
                      "at the date (latest status-changing event on or before it is a grant or restoration), attributed "
                      "to the region by each patent's recorded region_code/attribution_basis. A stock.",
        source=CNIPA_STOCK, example=example, parts=parts, rows=rows, requires={"have_events": NO_EVENTS},
        order_by=("patent_id",),
    )


_valid_stock("valid_patents", None, "ipobs indicator valid_patents --as-of 2022-12-31 (plan target: > 85,000)")
_valid_stock("valid_inventions", "invention", "ipobs indicator valid_inventions --as-of 2022-12-31 --region 120116Z6")
_valid_stock("valid_utility_models", "utility", "ipobs indicator valid_utility_models --as-of 2021-12-31")
_valid_stock("valid_designs", "design", "ipobs indicator valid_designs --as-of 2021-12-31 --industry culture_creative")


# ---------------------------------------------------------------------- flows
def _flow(ind_id, zh, en, date_col, kind, definition_zh, definition_en, example):
    def sel(t, q):
        p = C.patents(t, q, kind=kind)
        return p.filter(C.between(p[date_col], q.year_start, q.as_of))

    def parts(t, q):  # one scan of the period: the region's count and the store's (coverage)
        p = t.patent.filter(C.between(t.patent[date_col], q.year_start, q.as_of))
        mine = p.region_code.isin(list(q.codes))
        if q.industry:
            mine &= p.industry == q.industry
        if kind:
            mine &= p.kind == kind
        return {"counts": p.aggregate(value=p.count(where=mine), have_period=p.count())}

    def rows(t, q):
        return C.with_owner(t, sel(t, q)).select(*C.PATENT_COLUMNS, "owner")

    define(id=ind_id, zh=zh, en=en, unit="件", unit_en="patents", kind="flow", group="patents",
           dims=("region", "industry"), definition_zh=definition_zh, definition_en=definition_en,
           source=CNIPA_FLOW, example=example, parts=parts, rows=rows,
           requires={"have_period": f"no patent records with a {date_col} in the period have been imported"},
           order_by=(date_col, "patent_id"))


for _kind, _id in ((None, "patent_applications"), ("invention", "invention_applications"),
                   ("utility", "utility_applications"), ("design", "design_applications")):
    _flow(_id, f"{KIND_ZH[_kind]}专利申请量", f"{KIND_EN[_kind]}patent applications".strip(), "filing_date", _kind,
          f"统计年度内（1月1日至统计日）按申请日计的{KIND_ZH[_kind] or '三种'}专利申请量，按统计归属区域计入。流量指标；"
          "发明专利申请公开有约18个月滞后，最近期间的数字偏低。",
          f"{(KIND_EN[_kind] or '').strip().capitalize() or 'All'} patent applications filed from 1 January to the date "
          "(by filing date), attributed by region_code. A flow; inventions publish about 18 months after filing, so "
          "the latest periods are incomplete.",
          f"ipobs indicator {_id} --as-of 2021-12-31")

for _kind, _id in ((None, "patent_grants"), ("invention", "invention_grants")):
    _flow(_id, f"{KIND_ZH[_kind]}专利授权量", f"{KIND_EN[_kind]}patent grants".strip(), "grant_date", _kind,
          f"统计年度内（1月1日至统计日）按授权公告日计的{KIND_ZH[_kind] or '三种'}专利授权量，按统计归属区域计入。流量指标。",
          f"{(KIND_EN[_kind] or '').strip().capitalize() or 'All'} patents granted (grant announcement date) from "
          "1 January to the date, attributed by region_code. A flow.",
          f"ipobs indicator {_id} --as-of 2021-12-31")


# ------------------------------------------------------------------- ratios
def _share_parts(t, q):
    p = t.patent.filter(C.between(t.patent.filing_date, q.year_start, q.as_of))
    mine = p.region_code.isin(list(q.codes))
    if q.industry:
        mine &= p.industry == q.industry
    return {"counts": p.aggregate(inventions=p.count(where=mine & (p.kind == "invention")),
                                  applications=p.count(where=mine), have_period=p.count())}


define(
    id="invention_share", zh="发明专利申请量占专利申请量的比重", en="invention share of patent applications",
    unit="%", unit_en="%", kind="ratio", group="patents", dims=("region", "industry"),
    definition_zh="发明专利申请量 ÷（发明＋实用新型＋外观设计申请量）× 100%，同一统计年度（1月1日至统计日）按申请日计（申请量口径，"
                  "非受理量），按统计归属区域计入。",
    definition_en="Invention applications ÷ all applications (invention + utility model + design) × 100, same "
                  "calendar year to date, by filing date (applications, not 受理量), attributed by region_code.",
    source="CNIPA statistical tables (构成 % by type); anchors.md §13.3 and 'Indicator formulas'",
    example="ipobs indicator invention_share --as-of 2022-12-31 (plan target: 25%)",
    parts=_share_parts, finish=C.finish_ratio("inventions", "applications", 100.0, "the number of applications"),
    rows=lambda t, q: C.with_owner(t, C.patents(t, q).filter(
        C.between(_.filing_date, q.year_start, q.as_of))).select(*C.PATENT_COLUMNS, "owner"),
    requires={"have_period": "no patent records with a filing_date in the period have been imported"},
    order_by=("filing_date", "patent_id"),
)


def per_10k_parts(numerator_fn):
    """Parts of a per-10,000-people indicator: a count and the population of the as-of year."""

    def parts(t, q):
        out = {"numerator": numerator_fn(t, q).count(), "have_events": _have_events(t, q)}
        out.update(C.fact_parts(t, q, "population", q.year, "population"))
        return out

    return parts


def per_10k_finish(row, q):
    miss = C.fact_missing(row, "population", "population", q.year, q)
    vint = C.vintage_of(row, "population", "population", q.year)
    if miss:
        return None, miss, vint
    return row["numerator"] * 10000.0 / row["population"], None, vint


define(
    id="inventions_per_10k", zh="每万人口发明专利拥有量", en="invention patents per 10,000 people",
    unit="件/万人", unit_en="per 10,000 people", kind="ratio", group="patents", dims=("region",),
    definition_zh="期末国内（不含港澳台）有效发明专利量 ÷ 当年常住人口（万人）。分子按统计归属区域计入；人口取 region_fact 的 "
                  "population（常住人口），默认用该年可得的最新口径（vintage），可在设置 vintages 中指定。人口缺失或为零时不计算。",
    definition_en="Valid invention patents of domestic (not HK/MO/TW/foreign) owners attributed to the region at the "
                  "date ÷ resident population of that year × 10,000. Population is region_fact 'population' for the "
                  "region and year, the latest vintage available unless settings.vintages names one.",
    source="年末发明专利拥有量/年末总人口 (zscq.366861, [V3]); resident population 常住人口 from the statistics "
           "bureau — anchors.md §13.3 and 'Indicator formulas'",
    example="ipobs indicator inventions_per_10k --as-of 2022-12-31 (plan target: 60)",
    parts=per_10k_parts(lambda t, q: C.valid_patents(t, q, kind="invention", domestic=True)),
    finish=per_10k_finish,
    rows=lambda t, q: C.with_owner(t, C.valid_patents(t, q, kind="invention", domestic=True)).select(
        *C.PATENT_COLUMNS, "owner", "status", "status_date"),
    requires={"have_events": NO_EVENTS}, order_by=("patent_id",),
)


# ---------------------------------------------------------------------- PCT
def _pct(t, q):
    p = C.patents(t, q)
    p = p.filter(p.pct.fill_null(False)).mutate(pct_key=_.pct_application_no.fill_null(_.patent_id),
                                                 pct_filed=_.pct_date.fill_null(_.filing_date))
    return p.filter(C.between(p.pct_filed, q.year_start, q.as_of))


define(
    id="pct_applications", zh="PCT国际专利申请量", en="PCT international applications",
    unit="件", unit_en="applications", kind="flow", group="patents", dims=("region", "industry"),
    definition_zh="国际申请日在统计年度内（1月1日至统计日）的PCT国际专利申请数（按PCT申请号去重），申请人位于区域内"
                  "（按统计归属区域）。最近3个月的数据不完整，应视为临时数。",
    definition_en="PCT international applications (distinct PCT application numbers) with an international filing "
                  "date from 1 January to the date, whose applicant is attributed to the region. WIPO counts origin "
                  "by the first-named applicant's residence; the last 3 months are provisional.",
    source="WIPO IP statistics help (origin = residence of the first-named applicant) — anchors.md §13.3",
    example="ipobs indicator pct_applications --as-of 2021-12-31",
    parts=lambda t, q: {"value": _pct(t, q).pct_key.nunique(), "have_period": _have_filings(t, q)},
    rows=lambda t, q: C.with_owner(t, _pct(t, q)).select(
        "pct_key", "pct_filed", *C.PATENT_COLUMNS, "owner"),
    requires={"have_period": "no patent records with a filing_date in the period have been imported"},
    order_by=("pct_filed", "patent_id"),
)


def _pct_growth_parts(t, q):
    prev = q.shifted(1)
    return {"current": _pct(t, q).pct_key.nunique(), "previous": _pct(t, prev).pct_key.nunique(),
            "have_current": _have_filings(t, q), "have_previous": _have_filings(t, prev)}


define(
    id="pct_growth", zh="PCT国际专利申请量增长率", en="growth of PCT applications", unit="%", unit_en="%",
    kind="growth", group="patents", dims=("region", "industry"), base="pct_applications",
    definition_zh="g = (X_t − X_{t−1}) / X_{t−1} × 100%，X 为 pct_applications 的年度流量（年内至统计日，与上年同期比较）。",
    definition_en="g = (X_t − X_{t−1}) / X_{t−1} × 100 over the yearly flow pct_applications (year to date compared "
                  "with the same period of the previous year).",
    source="growth formula, anchors.md §13.3", example="ipobs indicator pct_growth --as-of 2021-12-31",
    parts=_pct_growth_parts, finish=C.finish_growth(),
    rows=C.both_periods(lambda t, q: C.with_owner(t, _pct(t, q)).select("pct_key", "pct_filed", *C.PATENT_COLUMNS,
                                                                        "owner")),
    order_by=("period", "pct_filed", "patent_id"),
    requires={"have_current": "no patent records with a filing_date in the period have been imported",
              "have_previous": "no patent records with a filing_date in the same period of the previous year "
                               "have been imported"},
)


# --------------------------------------------------------------- industries
def _industry_table(t, q):
    p = C.patents(t, q)
    apps = p.filter(C.between(p.filing_date, q.year_start, q.as_of)).group_by("industry").aggregate(
        applications=_.count())
    grants = p.filter(C.between(p.grant_date, q.year_start, q.as_of)).group_by("industry").aggregate(
        grants=_.count())
    ind = ibis.memtable({"industry": list(industries()),
                         "industry_zh": [i.zh for i in industries().values()]})
    s = q.settings
    out = (ind.left_join(apps, "industry").drop("industry_right")
           .left_join(grants, "industry").drop("industry_right")
           .mutate(applications=_.applications.fill_null(0), grants=_.grants.fill_null(0)))
    return out.mutate(meets=(_.applications >= s.industry_min_applications) & (_.grants >= s.industry_min_grants))


define(
    id="industries_meeting_volume", zh="年专利申请和授权均在2000件以上的产业数",
    en="industries with ≥2,000 applications and ≥2,000 grants a year", unit="个", unit_en="industries",
    kind="count", group="patents", dims=("region",),
    definition_zh="规划七个产业（ipobs.records.industries，按主分类号归类）中，统计年度内（1月1日至统计日）专利申请量和授权量"
                  "均达到阈值（设置 industry_min_applications、industry_min_grants，默认各2000件）的产业个数。",
    definition_en="Of the plan's seven industries (ipobs.records.industries, by main classification), how many had "
                  "at least industry_min_applications applications and industry_min_grants grants (default 2,000 "
                  "each) in the calendar year to date.",
    source="Work plan task 1 (培育5个年专利申请和授权均在2000件以上的产业)",
    example="ipobs indicator industries_meeting_volume --as-of 2022-12-31 --records",
    parts=lambda t, q: {"value": _industry_table(t, q).meets.cast("int64").sum().fill_null(0), "have_period": _have_filings(t, q)},
    finish=lambda row, q: (row.get("value") or 0, None),
    rows=_industry_table, requires={"have_period": "no patent records with a filing_date in the period have been imported"},
    order_by=("industry",),
)


# -------------------------------------------------------------- SME firsts
SME_FLAGS = ("sme", "sme_tech", "specialized")


def _sme_firsts(t, q):
    start = C.period_start(q)
    smes = t.entity_flag.filter(_.flag.isin(list(SME_FLAGS)) & C.on_or_before(_.valid_from, q.as_of)).select(
        "entity_id").distinct()
    ent = C.in_region(t.entity, q).select("entity_id", "name", "region_code")
    party = t.patent_party.filter((_.role == "applicant") & _.entity_id.notnull()).select("patent_id", "entity_id")
    pats = party.inner_join(t.patent.select("patent_id", "kind", "filing_date", "grant_date"), "patent_id")
    firsts = pats.group_by("entity_id").aggregate(
        first_filing=_.filing_date.min(),
        first_invention_grant=_.grant_date.min(where=_.kind == "invention"),
    )
    j = ent.inner_join(smes, "entity_id").inner_join(firsts, "entity_id")
    j = j.mutate(
        first_application_new=C.between(_.first_filing, start, q.as_of).fill_null(False),
        first_invention_grant_new=C.between(_.first_invention_grant, start, q.as_of).fill_null(False),
    )
    return j.filter(_.first_application_new | _.first_invention_grant_new)


define(
    id="sme_first_patents", zh="新增专利首次申请或发明专利授权消零的中小企业数",
    en="SMEs with a first patent application or first invention grant", unit="家", unit_en="enterprises",
    kind="count", group="patents", dims=("region",),
    definition_zh="计划期开始（设置 period_start）至统计日，首次提出专利申请或首次获得发明专利授权的中小企业（主体资质 sme、sme_tech "
                  "或专精特新）家数，按申请人主体及其所在区域计，每家只计一次。",
    definition_en="Enterprises holding an SME flag (sme, sme_tech or specialized) whose first patent application as "
                  "applicant, or first invention grant, falls between settings.period_start and the date; each "
                  "enterprise once, by the enterprise's region.",
    source="Work plan task 2 (新增3000家中小企业专利首次申请和发明专利授权消零)",
    example="ipobs indicator sme_first_patents --as-of 2022-12-31",
    parts=lambda t, q: {"counts": _sme_firsts(t, q).aggregate(
                            value=_.count(),
                            first_application=_.first_application_new.cast("int64").sum().fill_null(0),
                            first_invention_grant=_.first_invention_grant_new.cast("int64").sum().fill_null(0)),
                        "have_entities": t.entity_flag.filter(_.flag.isin(list(SME_FLAGS))).count()},
    rows=_sme_firsts, order_by=("entity_id",),
    requires={"have_entities": "no SME flags (entity_flag sme / sme_tech / specialized) have been imported"},
)
