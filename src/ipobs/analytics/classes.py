"""Technology structure: IPC distribution and treemap, blank spots, SEI and WIPO field mapping."""

from __future__ import annotations

import pandas as pd

from ipobs.analytics.reference import (in_sei_gap, ipc_title, sei_categories, sei_classifier, sei_industries,
                                       sei_rules, wipo_field, wipo_fields)
from ipobs.analytics.scope import Scope, Section, msg, records

TOP_SUBCLASSES = 30
TOP_GROUPS = 40
BLANK_MIN_SHARE = 0.01  # a code is a blank-spot candidate when it holds ≥1 % of the whole set
WEAK_RTA = 0.5  # the region's share of the code is below half the whole set's


def _codes(s: Scope) -> pd.DataFrame:
    """(patent_id, ipc, subclass, is_main, in_region) for every IPC code of the set (designs: Locarno); read once
    per scope (three sections use it), each caller gets its own copy."""
    key = ("ipc_codes", s.region_codes)
    if key not in s.memo:
        s.memo[key] = s.q(f"""SELECT i.patent_id, i.ipc, i.subclass, coalesce(i.is_main, FALSE) AS is_main,
                                     {s.region_in()} AS in_region
                              FROM {s.ipcs()} i JOIN {s.patents()} p USING (patent_id)""")
        # counted (nunique) many times: as a categorical each count works on integer codes, not strings
        s.memo[key]["patent_id"] = s.memo[key]["patent_id"].astype("category")
    return s.memo[key].copy()


def ipc_distribution(s: Scope) -> Section:
    sec = Section("ipc", "IPC分布", "IPC distribution")
    if s.size == 0:
        sec.missing.append(msg("集合为空，没有分类号。", "The set is empty: no classification codes."))
        return sec
    codes = _codes(s)
    codes = codes[~codes["subclass"].str.startswith("LOC")]
    if not len(codes):
        sec.missing.append(msg("集合中的专利没有IPC分类号（外观设计只有洛迦诺分类）。",
                               "No patent of the set has an IPC code (designs carry Locarno codes only)."))
        return sec
    codes["group"] = codes["ipc"].str.replace(r"/.*$", "/00", regex=True)
    lang = s.lang
    sub = (codes.groupby("subclass")["patent_id"].nunique().rename("patents").reset_index()
           .sort_values(["patents", "subclass"], ascending=[False, True]))
    sub["share"] = sub["patents"] / s.size
    sub["title"] = [ipc_title(c, lang) for c in sub["subclass"]]
    grp = (codes.groupby("group")["patent_id"].nunique().rename("patents").reset_index()
           .sort_values(["patents", "group"], ascending=[False, True]).head(TOP_GROUPS))
    grp["share"] = grp["patents"] / s.size
    grp["title"] = [ipc_title(c, lang) for c in grp["group"]]
    sec.tables["subclasses"] = records(sub.head(TOP_SUBCLASSES))
    sec.tables["groups"] = records(grp)
    sec.tables["treemap"] = treemap(sub)
    sec.facts = {"subclasses": int(len(sub)), "groups": int(codes["group"].nunique())}
    sec.notes.append(msg("按专利的全部IPC分类号统计（一件专利可计入多个小类），份额=含该分类号的专利数/集合专利数。",
                         "Counts every IPC code of a patent (one patent may fall in several subclasses); share = "
                         "patents with the code / patents in the set."))
    return sec


def treemap(sub: pd.DataFrame) -> list[dict]:
    """Section → class → subclass rows (name, parent, value) for a treemap; values are patent counts by subclass."""
    rows = []
    for level, key in (("section", 1), ("class", 3)):
        agg = sub.assign(code=sub["subclass"].str[:key]).groupby("code")["patents"].sum()
        rows += [{"code": c, "level": level, "parent": (c[:1] if level == "class" else ""), "value": int(v)}
                 for c, v in agg.items()]
    rows += [{"code": c, "level": "subclass", "parent": c[:3], "value": int(v)}
             for c, v in zip(sub["subclass"], sub["patents"])]
    return rows


def blank_spots(s: Scope, level: str = "subclass") -> Section:
    """IPC codes common in the whole set where the region is weak (RTA < 0.5) or absent."""
    sec = Section("blank_spots", "技术空白点", "Blank spots")
    if not s.region:
        sec.missing.append(msg("未指定区域，无法比较。", "No region given: nothing to compare."))
        return sec
    if s.size == 0:
        sec.missing.append(msg("集合为空。", "The set is empty."))
        return sec
    codes = _codes(s)
    codes = codes[~codes["subclass"].str.startswith("LOC")]
    if level == "group":
        codes["key"] = codes["ipc"].str.replace(r"/.*$", "/00", regex=True)
    else:
        codes["key"] = codes["subclass"]
    region_total = int(s.q(f"SELECT count(*) FROM {s.patents()} p WHERE {s.region_in()}").iloc[0, 0])
    sec.facts = {"region": s.region, "region_patents": region_total, "set_patents": s.size, "level": level,
                 "min_share": BLANK_MIN_SHARE, "weak_rta": WEAK_RTA}
    if region_total == 0:
        sec.missing.append(msg("区域在集合中没有专利：所有分类都是空白，逐项列出没有意义。",
                               "The region has no patent in the set: every code is blank, a list says nothing."))
        return sec
    if not len(codes):
        sec.missing.append(msg("集合中的专利没有IPC分类号。", "No patent of the set has an IPC code."))
        return sec
    all_n = codes.groupby("key")["patent_id"].nunique()
    reg_n = codes[codes["in_region"]].groupby("key")["patent_id"].nunique()
    df = pd.DataFrame({"set_patents": all_n, "region_patents": reg_n}).fillna(0).astype(int)
    df["set_share"] = df["set_patents"] / s.size
    df["region_share"] = df["region_patents"] / region_total
    df["rta"] = df["region_share"] / df["set_share"]
    cand = df[df["set_share"] >= BLANK_MIN_SHARE]
    spots = cand[cand["rta"] < WEAK_RTA].copy()
    spots["status"] = ["absent" if n == 0 else "weak" for n in spots["region_patents"]]
    spots = spots.reset_index(names="code").sort_values(["region_patents", "set_patents"], ascending=[True, False])
    spots["title"] = [ipc_title(c, s.lang) for c in spots["code"]]
    sec.tables["spots"] = records(spots)
    sec.facts |= {"candidates": int(len(cand)), "absent": int((spots["status"] == "absent").sum()),
                  "weak": int((spots["status"] == "weak").sum())}
    sec.notes.append(msg(
        f"空白点：在整个集合中占比≥{BLANK_MIN_SHARE:.0%} 的分类号里，区域专利占区域总量的比例不到集合比例的一半"
        f"（显示性技术优势 RTA<{WEAK_RTA}）为“薄弱”，区域没有专利为“空白”。",
        f"Blank spots: among codes holding ≥{BLANK_MIN_SHARE:.0%} of the whole set, the region is weak when its "
        f"share of the code is under half the set's (revealed technological advantage RTA < {WEAK_RTA}) and absent "
        "when it has none."))
    return sec


def industry_mapping(s: Scope, mode: str = "ipc") -> Section:
    """Strategic emerging industries (CNIPA 2021 concordance) and WIPO technology fields of the set."""
    sec = Section("industries", "产业与技术领域映射", "Industry and technology-field mapping")
    if s.size == 0:
        sec.missing.append(msg("集合为空。", "The set is empty."))
        return sec
    codes = _codes(s)
    codes = codes[~codes["subclass"].str.startswith("LOC")]
    if not len(codes):
        sec.missing.append(msg("集合中的专利没有IPC分类号。", "No patent of the set has an IPC code."))
        return sec
    pairs = sei_pairs(s, codes, mode)  # (patent_id, sei_code), one row per patent and category
    cats = sei_categories()
    inds = sei_industries()
    cat = pairs.groupby("sei_code")["patent_id"].nunique().rename("patents").reset_index()
    cat["name"] = cat["sei_code"].map(cats)
    cat["share"] = cat["patents"] / s.size
    cat = cat.sort_values(["patents", "sei_code"], ascending=[False, True])
    ind = (pairs.assign(industry=pairs["sei_code"].str.split(".").str[0]).groupby("industry")["patent_id"].nunique()
           .rename("patents").reset_index())
    ind["name"] = ind["industry"].map(lambda c: inds[c][0 if s.lang == "zh" else 1])
    ind["share"] = ind["patents"] / s.size
    matched_ids = set(pairs["patent_id"].unique())
    matched = len(matched_ids)
    gap_of = {c: in_sei_gap(c) for c in codes["ipc"].unique()}
    gap = set(codes.loc[codes["ipc"].map(gap_of), "patent_id"].unique())
    gap_unmatched = len(gap - matched_ids)
    mains = codes[codes["is_main"]].drop_duplicates("patent_id")
    field_of = {c: wipo_field(c) for c in mains["ipc"].unique()}
    mains = mains.assign(field=mains["ipc"].map(field_of))
    fields = wipo_fields()
    wf = mains.dropna(subset=["field"]).groupby("field")["patent_id"].nunique().rename("patents").reset_index()
    wf["field"] = wf["field"].astype(int)
    wf["name"] = wf["field"].map(lambda n: fields[n].zh if s.lang == "zh" else fields[n].en)
    wf["sector"] = wf["field"].map(lambda n: fields[n].sector_en)
    wf["share"] = wf["patents"] / s.size
    sec.tables["sei_categories"] = records(cat[["sei_code", "name", "patents", "share"]])
    sec.tables["sei_industries"] = records(ind.sort_values("industry"))
    sec.tables["wipo_fields"] = records(wf.sort_values(["patents", "field"], ascending=[False, True]))
    sec.facts = {"sei_patents": matched, "sei_share": matched / s.size, "sei_mode": mode,
                 "sei_gap_patents": int(len(gap)), "sei_gap_unmatched": gap_unmatched,
                 "no_main_ipc": int(s.size - len(mains))}
    sec.notes.append(msg(
        "战略性新兴产业按国家知识产权局《战略性新兴产业分类与国际专利分类参照关系表（2021）》，以专利的任一IPC分类号匹配"
        + ("（仅按分类号）。" if mode == "ipc" else "，并要求标题或摘要含该规则的关键词。")
        + " WIPO 35个技术领域按主分类号匹配（Schmoch 对照表）。",
        "Strategic emerging industries by CNIPA's 2021 IPC concordance, matched on any IPC code of a patent"
        + (" (IPC only)." if mode == "ipc" else ", requiring the rule's keywords in title or abstract.")
        + " WIPO's 35 technology fields by main IPC (Schmoch concordance)."))
    if len(gap):
        sec.missing.append(msg(
            f"对照表缺少 H01L 和 H10（半导体器件）：集合中 {len(gap)} 件专利带这些分类号，其中 {gap_unmatched} 件因此未能归入任何战新产业。",
            f"The concordance lacks H01L and H10 (semiconductor devices): {len(gap)} patents of the set carry such "
            f"codes and {gap_unmatched} of them match no strategic emerging industry because of it."))
    return sec


def sei_pairs(s: Scope, codes: pd.DataFrame, mode: str = "ipc") -> pd.DataFrame:
    """(patent_id, sei_code): the second-level SEI categories each patent matches (by any IPC code)."""
    clf = sei_classifier()
    rules = sei_rules()
    if mode not in ("ipc", "keywords"):
        raise ValueError(f"SEI matching mode must be 'ipc' or 'keywords', not {mode!r}")
    code_rules = pd.DataFrame([(c, r) for c in codes["ipc"].unique() for r in clf.rules_for_code(c)],
                              columns=["ipc", "rule_id"])
    pairs = codes[["patent_id", "ipc"]].merge(code_rules, on="ipc")
    if mode == "keywords" and len(pairs):
        text = s.q("SELECT p.patent_id, coalesce(p.title, '') || ' ' || coalesce(p.abstract, '') AS text "
                   "FROM pset JOIN patent p USING (patent_id)").set_index("patent_id")["text"]
        ok = [clf._text_ok(rules[r], text.get(pid, "")) for pid, r in zip(pairs["patent_id"], pairs["rule_id"])]
        pairs = pairs[ok]
    pairs = pairs.assign(sei_code=pairs["rule_id"].map({r: v.sei_code for r, v in rules.items()}))
    return pairs[["patent_id", "sei_code"]].drop_duplicates().reset_index(drop=True)
