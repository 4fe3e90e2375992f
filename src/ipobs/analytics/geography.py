"""Where the set's patents are: provinces, cities, districts, Binhai zones; legal status; the region's share."""

from __future__ import annotations

from ipobs.analytics.reference import region_name
from ipobs.analytics.scope import Scope, Section, msg, records
from ipobs.entities.regions import regions
from ipobs.records.schema import enum_label

TOP = 20


def zone_of(code: str | None) -> str | None:
    """The functional zone (``120116Z…``) a region code lies in, if any."""
    reg = regions()
    while code:
        r = reg.get(code)
        if r is None:
            return None
        if r.level == "zone":
            return r.code
        code = r.parent
    return None


def regional(s: Scope) -> Section:
    sec = Section("regions", "区域分布", "Regional distribution")
    if s.size == 0:
        sec.missing.append(msg("集合为空。", "The set is empty."))
        return sec
    df = s.q(f"""SELECT coalesce(p.country, 'CN') AS country, p.region_code, count(*) AS patents
                FROM {s.patents()} p GROUP BY ALL""")
    cn = df[df["country"] == "CN"]
    unknown = int(cn[cn["region_code"].isna()]["patents"].sum())
    known = cn.dropna(subset=["region_code"])
    lang = s.lang
    for level, width in (("province", 2), ("city", 4), ("district", 6)):
        t = known.assign(code=known["region_code"].str[:width]).groupby("code")["patents"].sum().reset_index()
        t = t[t["code"].str.len() == width]
        t["name"] = [region_name(c, lang) for c in t["code"]]
        t["share"] = t["patents"] / s.size
        sec.tables[level] = records(t.sort_values(["patents", "code"], ascending=[False, True]).head(TOP))
    if s.region:
        inside = known[known["region_code"].isin(s.region_codes)]
        z = inside.assign(zone=[zone_of(c) for c in inside["region_code"]])
        z = z.dropna(subset=["zone"]).groupby("zone")["patents"].sum().reset_index()
        z["name"] = [region_name(c, lang) for c in z["zone"]]
        z["share_of_region"] = z["patents"] / max(1, int(inside["patents"].sum()))
        sec.tables["zones"] = records(z.sort_values("zone"))
    foreign = df[df["country"] != "CN"].groupby("country")["patents"].sum().reset_index()
    sec.tables["offices"] = records(foreign.sort_values("patents", ascending=False))
    sec.facts = {"unknown_region": unknown, "foreign_office": int(foreign["patents"].sum())}
    if unknown:
        sec.missing.append(msg(f"{unknown} 件中国专利没有归属区域（地址无法匹配），不在区域表中。",
                               f"{unknown} Chinese patents have no region (address not matched) and are left out."))
    sec.notes.append(msg("区域按统计归属地址（2020年底前授权的按专利权人地址，其后按申请人地址）。",
                         "Regions by the address of attribution (owner's for grants up to 2020, applicant's after)."))
    return sec


def legal_status(s: Scope) -> Section:
    sec = Section("legal_status", "法律状态", "Legal status")
    if s.size == 0:
        sec.missing.append(msg("集合为空。", "The set is empty."))
        return sec
    df = s.q(f"""SELECT coalesce(st.status, 'no_event') AS status, p.kind, count(*) AS patents
                 FROM {s.patents()} p LEFT JOIN {s.status()} st USING (patent_id)
                 GROUP BY ALL""")
    w = df.pivot_table(index="status", columns="kind", values="patents", aggfunc="sum", fill_value=0)
    w = w.reindex(columns=["invention", "utility", "design"], fill_value=0)
    w["total"] = w.sum(axis=1)
    w = w.reset_index()
    w["label"] = [("无事件记录" if s.lang == "zh" else "no event recorded") if c == "no_event"
                  else enum_label("patent_status", c, s.lang) for c in w["status"]]
    w["share"] = w["total"] / s.size
    sec.tables["by_status"] = records(w.sort_values("total", ascending=False))
    sec.facts = {"as_of": s.as_of.isoformat(), "valid": int(w.loc[w["status"] == "granted", "total"].sum()),
                 "no_event": int(w.loc[w["status"] == "no_event", "total"].sum())}
    if sec.facts["no_event"]:
        sec.missing.append(msg(f"{sec.facts['no_event']} 件专利没有截至 {s.as_of} 的法律状态事件，状态未知。",
                               f"{sec.facts['no_event']} patents have no legal-status event up to {s.as_of}: status unknown."))
    sec.notes.append(msg(f"状态为截至 {s.as_of} 最近一次改变状态的事件之后的状态。",
                         f"Status after the latest status-changing event on or before {s.as_of}."))
    return sec


def region_share(s: Scope) -> Section:
    """The region's applications and grants against the whole set, by year."""
    sec = Section("region_share", "区域占比", "Region's share")
    if not s.region:
        sec.missing.append(msg("未指定区域。", "No region given."))
        return sec
    if s.size == 0:
        sec.missing.append(msg("集合为空。", "The set is empty."))
        return sec
    df = s.q(f"""SELECT year(p.filing_date) AS year, count(*) AS set_applications,
                        count(*) FILTER (WHERE {s.region_in()}) AS region_applications,
                        count(*) FILTER (WHERE p.kind = 'invention') AS set_inventions,
                        count(*) FILTER (WHERE p.kind = 'invention' AND {s.region_in()}) AS region_inventions
                 FROM {s.patents()} p GROUP BY 1 ORDER BY 1""")
    df["share"] = df["region_applications"] / df["set_applications"]
    df["invention_share"] = (df["region_inventions"] / df["set_inventions"]).where(df["set_inventions"] > 0)
    df["provisional"] = df["year"] > s.last_complete_year
    sec.tables["by_year"] = records(df)
    tot = df[["set_applications", "region_applications"]].sum()
    sec.facts = {"region": s.region, "region_name": region_name(s.region, s.lang),
                 "region_applications": int(tot["region_applications"]),
                 "share": float(tot["region_applications"] / tot["set_applications"])}
    if tot["region_applications"] == 0:
        sec.missing.append(msg("区域在集合中没有专利。", "The region has no patent in the set."))
    return sec


