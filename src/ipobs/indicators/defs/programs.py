"""The plan's ledgers (台账, ``program_item``): navigation projects, platforms, alliances, service
institutions, trainings, high-value portfolios, killer products, financial institutions…

Three ways a ledger item counts at date D (each indicator says which):

- *established*: started on or before D and not cancelled (platforms, alliances, institutions);
- *completed*: status accepted / completed, completion date (or start when none) on or before D
  (navigation projects: 验收通过);
- *yearly*: started within the calendar year up to D (trainings).

"New" counts (新增, 引进) only take items started on or after settings.period_start.
"""

from __future__ import annotations

import ibis
from ibis import _

from ipobs.indicators import common as C
from ipobs.indicators.base import define
from ipobs.records.schema import ENUMS

ITEM_COLUMNS = ("item_id", "program", "name", "entity_id", "department", "status", "start_date", "end_date",
                "quantity", "region_code", "note")


def items(t, q, program: str, mode: str, *, new: bool = False):
    p = C.in_region_ledger(t.program_item, q)
    p = p.filter((p.program == program) & (p.status != "cancelled"))
    if mode == "established":
        p = p.filter(C.on_or_before(p.start_date, q.as_of))
    elif mode == "completed":
        p = p.filter(p.status.isin(list(C.DONE)) & C.on_or_before(p.end_date.fill_null(p.start_date), q.as_of))
    elif mode == "yearly":
        p = p.filter(C.between(p.start_date, q.year_start, q.as_of))
    else:
        raise ValueError(f"unknown ledger mode {mode!r}")
    if new:
        p = p.filter(p.start_date.cast("date") >= C.lit(C.period_start(q)))
    return p


def have_program(t, program: str):
    return t.program_item.filter(_.program == program).count()


def no_ledger(program: str) -> str:
    zh, en = ENUMS["program"][program]
    return f"no ledger rows of program '{program}' ({zh} / {en}) have been imported"


MODE_ZH = {"established": "截至统计日已设立（开始日期不晚于统计日且未终止）的",
           "completed": "截至统计日已验收通过或已完成的",
           "yearly": "统计年度内（1月1日至统计日）举办的"}
MODE_EN = {"established": "established on or before the date and not cancelled",
           "completed": "accepted or completed on or before the date",
           "yearly": "started from 1 January to the date"}


def ledger(ind_id, program, mode, zh, en, unit, unit_en, source, example, *, new=False, kind=None, select=None,
           extra_zh="", extra_en=""):
    """Register a count of ledger items (``select(table, q)`` narrows the items further)."""

    def sel(t, q):
        p = items(t, q, program, mode, new=new)
        return select(p, q) if select else p

    def parts(t, q):
        p = sel(t, q)
        agg = p.aggregate(value=_.count(), quantity=_.quantity.sum()) if mode == "yearly" else p.count()
        return {"value": agg, f"have_{program}": have_program(t, program)}

    pzh, pen = ENUMS["program"][program]
    since_zh = "（计划期开始 period_start 以来新增）" if new else ""
    since_en = " (new since settings.period_start)" if new else ""
    define(
        id=ind_id, zh=zh, en=en, unit=unit, unit_en=unit_en,
        kind=kind or ("flow" if mode == "yearly" else "count"), group="programmes",
        definition_zh=f"台账 program_item（{pzh}）中{MODE_ZH[mode]}条目数{since_zh}，按条目所在区域计（未填区域的计入全区）。{extra_zh}",
        definition_en=f"Ledger items of '{program}' ({pen}) {MODE_EN[mode]}{since_en}, by the item's region (items "
                      f"without a region count for the whole home region). {extra_en}".strip(),
        source=source, example=example, parts=parts,
        rows=lambda t, q: sel(t, q).select(*ITEM_COLUMNS), order_by=("start_date", "item_id"),
        requires={f"have_{program}": no_ledger(program)},
    )


PLAN = "Work plan 津滨政发〔2019〕26号"

ledger("navigation_industry_projects", "navigation_industry", "completed", "产业规划类专利导航项目数（验收通过）",
       "industry patent-navigation projects (accepted)", "个", "projects",
       f"{PLAN}, goal (二) and task 9 (30); states 立项 → 中期 → 验收, GB/T 39551 — anchors.md 'Indicator formulas'",
       "ipobs indicator navigation_industry_projects --as-of 2022-12-31 (plan target: 30)")
ledger("navigation_enterprise_projects", "navigation_enterprise", "completed", "企业运营类专利导航项目数（验收通过）",
       "enterprise patent-navigation projects (accepted)", "个", "projects", f"{PLAN}, task 9 (100)",
       "ipobs indicator navigation_enterprise_projects --as-of 2022-12-31 (plan target: 100)")
ledger("operation_platforms", "operation_platform", "established", "专业化知识产权运营服务平台数",
       "IP operation service platforms", "家", "platforms", f"{PLAN}, goal (二) and task 10 (10)",
       "ipobs indicator operation_platforms --as-of 2022-12-31")
ledger("service_alliances", "alliance", "established", "知识产权服务创新联盟数", "IP service innovation alliances",
       "家", "alliances", f"{PLAN}, goal (四) (5)", "ipobs indicator service_alliances --as-of 2022-12-31")
ledger("service_institutions", "service_institution", "established", "知识产权服务机构数",
       "IP service institutions", "家", "institutions", f"{PLAN}, goal (四) (200); anchors.md 'Indicator formulas'",
       "ipobs indicator service_institutions --as-of 2022-12-31")


def _large(p, q):
    words = [w for w in q.settings.large_institution_words if w]
    cond = ibis.literal(False)
    for w in words:
        cond = cond | p.note.fill_null("").contains(w)
    return p.filter(cond)


def _specialised(p, q):
    words = [w for w in q.settings.large_institution_words if w]
    cond = ibis.literal(True)
    for w in words:
        cond = cond & ~p.note.fill_null("").contains(w)
    return p.filter(cond)


ledger("large_institutions_introduced", "service_institution", "established", "引进的大型知识产权服务机构数",
       "large IP service institutions introduced", "家", "institutions", f"{PLAN}, task 22 (5-10)",
       "ipobs indicator large_institutions_introduced --as-of 2022-12-31", new=True, select=_large,
       extra_zh="大型机构指备注含设置 large_institution_words 中任一词（默认“大型”“全链条”）的条目。",
       extra_en="Large means the item's note contains one of settings.large_institution_words.")
ledger("specialised_institutions_introduced", "service_institution", "established", "引进的中小型专业知识产权服务机构数",
       "specialised IP service institutions introduced", "家", "institutions", f"{PLAN}, task 22 (50)",
       "ipobs indicator specialised_institutions_introduced --as-of 2022-12-31", new=True, select=_specialised,
       extra_zh="即备注不含 large_institution_words 中任何词的引进机构。",
       extra_en="Institutions introduced whose note contains none of settings.large_institution_words.")
ledger("trainings", "training", "yearly", "知识产权培训/研修活动场次", "IP training events", "场", "events",
       f"{PLAN}, task 24 (每年组织10场以上)", "ipobs indicator trainings --as-of 2021-12-31",
       extra_zh="parts.quantity 为参训人数合计（台账数量字段）。", extra_en="parts.quantity sums the participants.")
ledger("killer_products", "killer_product", "established", "新增“杀手锏”产品数", "'killer' products (new)", "项",
       "products", f"{PLAN}, task 4 (50)", "ipobs indicator killer_products --as-of 2022-12-31", new=True)
ledger("financial_institutions_introduced", "financial_institution", "established", "引进的知识产权金融机构数",
       "financial institutions introduced", "家", "institutions", f"{PLAN}, task 11 (5-10)",
       "ipobs indicator financial_institutions_introduced --as-of 2022-12-31", new=True)
ledger("enterprises_upgraded", "enterprise_upgrade", "established", "新增实现转型升级发展的企业数",
       "enterprises upgraded (new)", "家", "enterprises", f"{PLAN}, task 2 (500)",
       "ipobs indicator enterprises_upgraded --as-of 2022-12-31", new=True)
ledger("hv_portfolios", "hv_portfolio", "established", "高价值专利组合数（全部）", "high-value patent portfolios (all)",
       "个", "portfolios", f"{PLAN}, task 8", "ipobs indicator hv_portfolios --as-of 2022-12-31")
ledger("hv_centers", "hv_center", "established", "高价值专利培育示范中心数", "high-value patent cultivation centres",
       "家", "centres", f"{PLAN}, task 8", "ipobs indicator hv_centers --as-of 2022-12-31")


# ------------------------------------------------------- qualified portfolios
def portfolios(t, q):
    """Every established portfolio with its valid inventions and PCT applications among its members."""
    p = items(t, q, "hv_portfolio", "established").filter(_.members.notnull())
    m = p.select("item_id", member=_.members.split(";").unnest()).mutate(patent_id=_.member.strip())
    m = m.filter(_.patent_id != "").distinct()
    valid = C.patent_status(t, q.as_of).filter(_.status == "granted").select("patent_id", valid=ibis.literal(True))
    pat = t.patent.select("patent_id", "kind", "pct")
    j = (m.left_join(pat, "patent_id").drop("patent_id_right")
         .left_join(valid, "patent_id").drop("patent_id_right"))
    j = j.mutate(
        is_valid_invention=((_.kind == "invention") & _.valid.fill_null(False)).fill_null(False),
        is_pct=(_.pct.fill_null(False) | _.patent_id.startswith("PCT") | _.patent_id.startswith("WO")),
    )
    per = j.group_by("item_id").aggregate(
        members=_.count(), valid_inventions=_.is_valid_invention.cast("int64").sum(),
        pct_applications=_.is_pct.cast("int64").sum())
    s = q.settings
    out = p.select("item_id", "name", "entity_id", "department", "status", "start_date", "region_code").inner_join(
        per, "item_id")
    return out.mutate(meets=(_.valid_inventions >= s.portfolio_min_inventions)
                      & (_.pct_applications >= s.portfolio_min_pct))


define(
    id="hv_portfolios_qualified", zh="达标高价值专利组合数", en="high-value portfolios meeting the rule",
    unit="个", unit_en="portfolios", kind="count", group="programmes",
    definition_zh="台账中已设立的高价值专利组合（program hv_portfolio）里，成员（members，以分号分隔的专利号）中截至统计日有效的"
                  "发明专利不少于设置 portfolio_min_inventions（50）件、且PCT专利申请不少于 portfolio_min_pct（10）件的组合数。",
    definition_en="Established high-value portfolios (program 'hv_portfolio') whose members (';'-separated patent "
                  "ids) include at least portfolio_min_inventions (50) invention patents valid at the date and at "
                  "least portfolio_min_pct (10) PCT applications.",
    source=f"{PLAN}, goal (二) and task 8 (50 portfolios, 发明专利不低于50件、PCT专利申请不低于10件)",
    example="ipobs indicator hv_portfolios_qualified --as-of 2022-12-31 --records",
    parts=lambda t, q: {"counts": portfolios(t, q).aggregate(value=_.meets.cast("int64").sum().fill_null(0),
                                                             portfolios=_.count()),
                        "have_hv_portfolio": have_program(t, "hv_portfolio")},
    rows=portfolios, order_by=("item_id",), requires={"have_hv_portfolio": no_ledger("hv_portfolio")},
)
