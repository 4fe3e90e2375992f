"""The patent-navigation report (GB/T 39551-2020 structure) built from one analytics result.

Sections: 1 scope, 2 data and method, 3 industry landscape, 4 the region's position, 5 key
players, 6 technology clusters, 7 patent value, 8 blank spots, 9 recommendations — the last
left empty with guidance: the analyst writes it.
"""

from __future__ import annotations

from ipobs.analytics.navigation import analyze, section
from ipobs.analytics.reference import region_name
from ipobs.reports import charts
from ipobs.reports.model import Block, Report, fmt, label, table_block

GUIDANCE_ZH = (
    "本节由分析人员撰写，系统不生成文字。可参照 GB/T 39551.3《专利导航指南 第3部分：产业规划》的发展路径导航，"
    "结合前文数据从以下方面提出建议：(1) 产业布局优化——依据技术空白点与区域占比，明确重点发展和补链的技术方向；"
    "(2) 企业培育与引进——依据重点创新主体排名与合作网络，提出培育、引进或合作对象；(3) 人才引进与培养——依据发明人分析；"
    "(4) 技术创新引进——依据技术聚类及其趋势；(5) 专利协同运营——依据专利价值与高价值专利情况，提出组合培育、许可转让、质押融资等运营路径。"
    "每条建议请注明所依据的章节与数据。")
GUIDANCE_EN = (
    "Written by the analyst; the system generates no text here. Following the development-path part of GB/T 39551.3 "
    "(industrial planning), recommend on: (1) industrial layout — directions to strengthen or fill, from the blank "
    "spots and the region's share; (2) enterprises to grow, attract or partner with, from the key players and the "
    "co-applicant network; (3) talent, from the inventor analysis; (4) technology to bring in, from the clusters and "
    "their trends; (5) coordinated patent operation — portfolios, licensing, assignment, pledge financing — from the "
    "value analysis. Cite the section and numbers each recommendation rests on.")


def _texts(sec: dict, lang: str, key: str) -> list[str]:
    return [m[lang] for m in sec.get(key, [])]


def _notes_and_missing(rs, sec: dict, lang: str) -> None:
    for t in _texts(sec, lang, "missing"):
        rs.add(Block("missing", text=t))
    for t in _texts(sec, lang, "notes"):
        rs.add(Block("note", text=t))


def build_navigation_report(store, pset, as_of=None, region: str | None = "120116", lang: str = "zh",
                            title: str | None = None) -> tuple[Report, dict]:
    """(report, the analysis it was built from)."""
    a = analyze(store, pset, as_of=as_of, region=region, lang=lang)
    zh = lang == "zh"
    rname = region_name(region, lang) if region else ("—")
    r = Report("navigation", title or ("专利导航分析报告" if zh else "Patent navigation report"),
               a["set"]["description_zh" if zh else "description_en"], lang, a["as_of"], a["synthetic"])
    t = r.t
    r.meta = [(t("检索范围", "Set"), a["set"]["set"]), (t("专利数量", "Patents"), fmt(a["set"]["size"])),
              (t("数据截至", "Data as of"), a["as_of"]), (t("对比区域", "Region"), rname)]

    ov = section(a, "overview")
    s1 = r.section("scope", t("一、导航范围", "1. Scope"))
    s1.add(Block("text", text=t(f"本报告分析的专利集合定义为：{a['set']['description_zh']}。分析日期为 {a['as_of']}，对比区域为{rname}。",
                                f"The patent set analysed: {a['set']['description_en']}. As of {a['as_of']}, compared "
                                f"with the region {rname}.")))
    if ov["facts"].get("patents"):
        f = ov["facts"]
        s1.add(Block("facts", title=t("概况", "Overview"), items=[
            (t("专利总量", "patents"), fmt(f["patents"])), (t("发明", "inventions"), fmt(f["inventions"])),
            (t("实用新型", "utility models"), fmt(f["utility_models"])), (t("外观设计", "designs"), fmt(f["designs"])),
            (t("发明占比", "invention share"), fmt(f["invention_share"], "pct")),
            (t("已授权", "granted"), fmt(f["granted"])), (t("有效专利", "in force"), fmt(f["valid"])),
            (t("有效发明", "valid inventions"), fmt(f["valid_inventions"])), (t("PCT申请", "PCT applications"), fmt(f["pct"])),
            (t("申请年份", "filing years"), f"{f['first_year']}–{f['last_year']}"),
            (t("区域专利", "in the region"), fmt(f["in_region"])), (t("区域占比", "region share"), fmt(f["region_share"], "pct")),
        ]))
    _notes_and_missing(s1, ov, lang)
    for w in a["set"].get("warnings", []):
        s1.add(Block("missing", text=w))

    s2 = r.section("method", t("二、数据与方法", "2. Data and method"))
    counts = {name: store.count(name) for name in ("patent", "patent_citation", "patent_event")}
    batches = store.batches()
    s2.add(Block("facts", title=t("数据来源", "Data"), items=[
        (t("库内专利", "patents in store"), fmt(counts["patent"])),
        (t("引用记录", "citations"), fmt(counts["patent_citation"])),
        (t("法律状态事件", "legal events"), fmt(counts["patent_event"])),
        (t("导入批次", "import batches"), fmt(int((batches["status"] == "committed").sum()) if len(batches) else 0)),
        (t("合成演示数据", "synthetic demo data"), fmt(a["synthetic"], lang=lang)),
    ]))
    s2.add(Block("text", text=t(
        "方法：申请按申请日计年，授权按授权公告日计年；法律状态取截至分析日的法律状态事件；申请人按归并后的创新主体统计；"
        "区域按统计归属地址；战略性新兴产业按国家知识产权局2021年参照关系表；技术领域按WIPO 35个技术领域；各部分方法另见各节说明。",
        "Method: applications by filing year, grants by grant year; legal status from legal-status events up to the "
        "date; applicants as resolved entities; regions by the address of attribution; strategic emerging industries "
        "by CNIPA's 2021 concordance; technology fields by WIPO's 35 fields; each section states its own method.")))

    s3 = r.section("landscape", t("三、产业发展现状", "3. Industry landscape"))
    tr = section(a, "trends")
    filings = tr["tables"].get("filings", [])
    if filings:
        s3.add(Block("chart", svg=charts.bar_chart([x["year"] for x in filings],
                                                   {label(k, lang): [x[k] for x in filings] for k in ("invention", "utility", "design")},
                                                   t("年度申请量（按类型）", "Applications by year and kind"), stacked=True)))
        s3.add(table_block(t("年度申请量", "Applications by year"), filings,
                           ["year", "invention", "utility", "design", "total", "provisional"], lang))
    grants = tr["tables"].get("grants", [])
    if grants:
        s3.add(table_block(t("年度授权量", "Grants by year"), grants, ["year", "invention", "utility", "design", "total"], lang))
    _notes_and_missing(s3, tr, lang)
    lc = section(a, "lifecycle")
    by_year = lc["tables"].get("by_year", [])
    if by_year:
        s3.add(Block("chart", svg=charts.scatter_path([(x["applicants"], x["applications"], str(x["year"])) for x in by_year],
                                                      t("技术生命周期：申请人数—申请量", "Life cycle: applicants against applications"),
                                                      label("applicants", lang), label("applications", lang))))
        s3.add(table_block(t("生命周期数据", "Life-cycle data"), by_year,
                           ["year", "applications", "applicants", ("growth_v", "f3"), ("maturity_alpha", "f3"),
                            ("ageing_beta", "f3"), "provisional"], lang))
    if lc["facts"].get("phase"):
        s3.add(Block("facts", items=[(t("提示阶段", "suggested phase"), lc["facts"]["phase_zh" if lang == "zh" else "phase_en"])]))
    _notes_and_missing(s3, lc, lang)
    ind = section(a, "industries")
    if ind["tables"].get("sei_categories"):
        rows = ind["tables"]["sei_categories"]
        s3.add(Block("chart", svg=charts.hbar_chart([f"{x['sei_code']} {x['name']}" for x in rows[:15]],
                                                    [x["patents"] for x in rows[:15]],
                                                    t("战略性新兴产业分布", "Strategic emerging industries"))))
        s3.add(table_block(t("战略性新兴产业（二级）", "Strategic emerging industries (level 2)"), rows,
                           ["sei_code", "name", "patents", ("share", "pct")], lang))
        s3.add(table_block(t("WIPO技术领域（主分类号）", "WIPO technology fields (main IPC)"), ind["tables"]["wipo_fields"],
                           ["field", "name", "sector", "patents", ("share", "pct")], lang))
    _notes_and_missing(s3, ind, lang)
    ipc = section(a, "ipc")
    if ipc["tables"].get("subclasses"):
        subs = ipc["tables"]["subclasses"]
        s3.add(Block("chart", svg=charts.hbar_chart([f"{x['subclass']} {x['title'] or ''}" for x in subs[:15]],
                                                    [x["patents"] for x in subs[:15]], t("IPC小类分布", "IPC subclasses"), max_label=30)))
        s3.add(table_block(t("IPC小类", "IPC subclasses"), subs, ["subclass", "title", "patents", ("share", "pct")], lang))
        s3.add(table_block(t("IPC大组", "IPC main groups"), ipc["tables"]["groups"], ["group", "title", "patents", ("share", "pct")],
                           lang, limit=20))
        r_tm = table_block(t("树图数据（部—大类—小类）", "Treemap data (section – class – subclass)"),
                           ipc["tables"]["treemap"], ["code", "level", "parent", "value"], lang)
        r_tm.type = "sheet_only"
        s3.add(r_tm)
    _notes_and_missing(s3, ipc, lang)

    s4 = r.section("region", t("四、区域产业定位", "4. The region's position"))
    rs_ = section(a, "region_share")
    if rs_["tables"].get("by_year"):
        rows = rs_["tables"]["by_year"]
        s4.add(Block("facts", items=[(t("区域申请量", "region applications"), fmt(rs_["facts"]["region_applications"])),
                                     (t("区域占比", "region share"), fmt(rs_["facts"]["share"], "pct"))]))
        s4.add(Block("chart", svg=charts.line_chart([x["year"] for x in rows], {t("区域占比(%)", "region share (%)"):
                                                    [None if x["share"] is None else round(100 * x["share"], 2) for x in rows]},
                                                    t(f"{rname}占集合申请量的比例", f"{rname}'s share of the set's applications"))))
        s4.add(table_block(t("区域占比（按年）", "Region's share by year"), rows,
                           ["year", "set_applications", "region_applications", ("share", "pct"), ("invention_share", "pct")], lang))
    _notes_and_missing(s4, rs_, lang)
    geo = section(a, "regions")
    for key, ttl in (("province", t("省级分布", "Provinces")), ("city", t("地市分布", "Cities")),
                     ("district", t("区县分布", "Districts"))):
        if geo["tables"].get(key):
            s4.add(table_block(ttl, geo["tables"][key], ["code", "name", "patents", ("share", "pct")], lang, limit=10))
    if geo["tables"].get("zones"):
        s4.add(table_block(t("功能区分布", "Functional zones"), geo["tables"]["zones"],
                           ["zone", "name", "patents", ("share_of_region", "pct")], lang))
    _notes_and_missing(s4, geo, lang)
    ls = section(a, "legal_status")
    if ls["tables"].get("by_status"):
        s4.add(table_block(t(f"法律状态（截至 {a['as_of']}）", f"Legal status (as of {a['as_of']})"), ls["tables"]["by_status"],
                           ["label", "invention", "utility", "design", "total", ("share", "pct")], lang))
    _notes_and_missing(s4, ls, lang)

    s5 = r.section("players", t("五、重点创新主体", "5. Key players"))
    ap = section(a, "applicants")
    if ap["tables"].get("top"):
        top = ap["tables"]["top"]
        f = ap["facts"]
        s5.add(Block("facts", items=[(t("申请人数", "applicants"), fmt(f["applicants"])), ("CR4", fmt(f["cr4"], "pct")),
                                     ("CR8", fmt(f["cr8"], "pct")), ("HHI", fmt(f["hhi"], "f3"))]))
        s5.add(Block("chart", svg=charts.hbar_chart([x["name"] for x in top[:12]], [x["applications"] for x in top[:12]],
                                                    t("申请人排名", "Top applicants"), max_label=20)))
        s5.add(table_block(t("申请人排名", "Applicant ranking"), top,
                           ["name", "region", "applications", ("share", "pct"), ("invention_ratio", "pct"), "valid",
                            "earlier", "recent", ("growth", "growth")], lang))
    _notes_and_missing(s5, ap, lang)
    inv = section(a, "inventors")
    if inv["tables"].get("top"):
        s5.add(table_block(t("主要发明人", "Top inventors"), inv["tables"]["top"],
                           ["inventor", "patents", "main_applicant", "first_year", "last_year"], lang, limit=15))
    _notes_and_missing(s5, inv, lang)
    net = section(a, "network")
    if net["tables"].get("top_pairs"):
        f = net["facts"]
        s5.add(Block("facts", title=t("合作申请网络", "Co-applicant network"), items=[
            (t("合作申请专利", "co-applied patents"), fmt(f["co_applied_patents"])), (t("节点", "nodes"), fmt(f["nodes"])),
            (t("连线", "links"), fmt(f["edges"])), (t("社区", "communities"), fmt(f["communities"]))]))
        s5.add(table_block(t("主要合作关系", "Main collaborations"), net["tables"]["top_pairs"], ["a", "b", "weight"], lang))
        s5.add(table_block(t("合作社区", "Communities"), net["tables"]["communities"], ["community", "members", "largest"], lang,
                           limit=10))
    _notes_and_missing(s5, net, lang)

    s6 = r.section("clusters", t("六、技术聚类", "6. Technology clusters"))
    cl = section(a, "clusters")
    if cl["tables"].get("clusters"):
        rows = cl["tables"]["clusters"]
        s6.add(table_block(t("技术主题", "Technology topics"), rows,
                           ["cluster", "label", "top_terms", "patents", ("share", "pct"), "earlier", "recent",
                            ("growth", "growth")], lang))
        trend = cl["tables"]["trend"]
        keys = [k for k in trend[0] if k != "year"] if trend else []
        names = {f"c{x['cluster']}": f"{x['cluster']} {x['label'].split(' / ')[0]}" for x in rows}
        s6.add(Block("chart", svg=charts.line_chart([x["year"] for x in trend], {names.get(k, k): [x[k] for x in trend] for k in keys},
                                                    t("各主题年度申请量", "Applications per topic and year")),
                     sheet_rows=trend))
    _notes_and_missing(s6, cl, lang)

    s7 = r.section("value", t("七、专利价值", "7. Patent value"))
    va = section(a, "value")
    if va["tables"].get("score_distribution"):
        f = va["facts"]
        s7.add(Block("facts", items=[(t("有效发明专利", "valid inventions"), fmt(f["valid_inventions"])),
                                     (t("高价值发明专利", "high-value inventions"), fmt(f["high_value"])),
                                     (t("评分专利数", "patents scored"), fmt(f["scored"])),
                                     (t("评分中位数", "median score"), fmt(f["median_score"], "f1"))]))
        dist = va["tables"]["score_distribution"]
        s7.add(Block("chart", svg=charts.bar_chart([x["band"] for x in dist], {t("专利数", "patents"): [x["patents"] for x in dist]},
                                                   t("质量评分分布", "Quality score distribution")), sheet_rows=dist))
        hv_names = {"sei": t("战略性新兴产业", "strategic emerging industry"), "foreign_family": t("海外同族授权", "granted abroad"),
                    "maintained": t("维持超过10年", "maintained > 10 years"), "pledge": t("较高质押融资", "large pledge"),
                    "award": t("中国专利奖/国家科技奖", "patent / S&T award")}
        hv_rows = [{"category": hv_names.get(x["category"], x["category"]), "patents": x["patents"]} for x in va["tables"]["high_value"]]
        s7.add(table_block(t("高价值发明专利（按情形，可重叠）", "High-value inventions by category (overlapping)"), hv_rows,
                           ["category", "patents"], lang))
        s7.add(table_block(t("评分最高的专利", "Highest-scoring patents"), va["tables"]["top"],
                           ["patent_id", "title", "kind", "filing_year", ("score", "f1")], lang, limit=10))
    _notes_and_missing(s7, va, lang)

    s8 = r.section("blank_spots", t("八、技术空白点", "8. Blank spots"))
    bs = section(a, "blank_spots")
    if bs["tables"].get("spots"):
        s8.add(table_block(t(f"{rname}的薄弱与空白分类", f"Weak and absent codes of {rname}"), bs["tables"]["spots"],
                           ["code", "title", "set_patents", "region_patents", ("set_share", "pct"), ("region_share", "pct"),
                            ("rta", "f2"), "status"], lang))
    elif not bs["missing"]:
        s8.add(Block("text", text=t("没有符合条件的空白点：区域在集合的各主要分类中都有一定比例的专利。",
                                    "No blank spot: the region holds a fair share of every main code of the set.")))
    _notes_and_missing(s8, bs, lang)

    s9 = r.section("recommendations", t("九、发展路径建议（由分析人员撰写）", "9. Recommendations (written by the analyst)"))
    s9.add(Block("guidance", text=t(GUIDANCE_ZH, GUIDANCE_EN)))
    return r, a
