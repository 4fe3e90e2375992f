"""Key players: applicants ranked on resolved entities, inventors, the co-applicant network."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from ipobs.analytics.reference import region_name
from ipobs.analytics.scope import Scope, Section, msg, records

TOP = 20
NETWORK_NODES = 150  # the network keeps the most active co-applicants


def _who() -> str:
    """Applicant key: the resolved entity, else the normalized name (said in a note)."""
    return "coalesce(pp.entity_id, 'name:' || coalesce(pp.name_norm, pp.name))"


def applicants(s: Scope, top: int = TOP) -> Section:
    sec = Section("applicants", "申请人排名", "Applicant ranking")
    if s.size == 0:
        sec.missing.append(msg("集合为空，没有申请人。", "The set is empty: no applicants."))
        return sec
    y1 = s.last_complete_year
    df = s.q(f"""
        WITH a AS (
            SELECT DISTINCT {_who()} AS who, pp.entity_id, p.patent_id, p.kind, year(p.filing_date) AS year,
                   p.grant_date
            FROM {s.patents()} p JOIN {s.parties()} pp USING (patent_id)
            WHERE pp.role = 'applicant')
        SELECT a.who, any_value(a.entity_id) AS entity_id, count(*) AS applications,
               count(*) FILTER (WHERE a.kind = 'invention') AS inventions,
               count(*) FILTER (WHERE st.status = 'granted') AS valid,
               count(*) FILTER (WHERE a.year BETWEEN ? AND ?) AS recent,
               count(*) FILTER (WHERE a.year BETWEEN ? AND ?) AS earlier
        FROM a LEFT JOIN {s.status()} st USING (patent_id)
        GROUP BY a.who ORDER BY applications DESC, a.who LIMIT {int(top)}""", [y1 - 2, y1, y1 - 5, y1 - 3])
    total_who = s.q(f"""SELECT count(DISTINCT {_who()}) AS n,
                               count(DISTINCT pp.patent_id) FILTER (WHERE pp.entity_id IS NULL) AS unresolved
                        FROM {s.parties()} pp WHERE pp.role = 'applicant'""").iloc[0]
    if not len(df):
        sec.missing.append(msg("集合中的专利没有申请人记录。", "No applicant is recorded for the patents of the set."))
        return sec
    names = _names(s, df)
    df["name"] = df["who"].map(names)
    df["share"] = df["applications"] / s.size
    df["invention_ratio"] = df["inventions"] / df["applications"]
    df["growth"] = ((df["recent"] - df["earlier"]) / df["earlier"]).where(df["earlier"] > 0)
    shares = _all_shares(s)
    sec.facts = {
        "applicants": int(total_who["n"]),
        "cr4": float(shares.head(4).sum()), "cr8": float(shares.head(8).sum()), "hhi": float((shares**2).sum()),
        "growth_window": [y1 - 5, y1 - 3, y1 - 2, y1],
    }
    sec.tables["top"] = records(df[["who", "entity_id", "name", "region", "applications", "share", "inventions",
                                    "invention_ratio", "valid", "earlier", "recent", "growth"]])
    sec.notes.append(msg(
        f"申请人按归并后的主体(entity_id)计；未归并的按规范名称计。份额=该申请人的申请量/集合申请量（共同申请各计一次）；"
        f"增长={y1 - 2}–{y1} 对比 {y1 - 5}–{y1 - 3} 的申请量变化；CR4/CR8/HHI 按申请人份额计算。",
        f"Applicants are resolved entities (entity_id); unresolved ones count by normalized name. Share = the "
        f"applicant's applications / the set's (co-applications count for each); growth = {y1 - 2}–{y1} against "
        f"{y1 - 5}–{y1 - 3}; CR4/CR8/HHI over applicant shares."))
    if int(total_who["unresolved"]):
        sec.notes.append(msg(f"{int(total_who['unresolved'])} 件专利有未归并到主体的申请人。",
                             f"{int(total_who['unresolved'])} patents have applicants not resolved to an entity."))
    return sec


def _names(s: Scope, df: pd.DataFrame) -> dict:
    """Display names (entity name, else the most frequent written name) and regions of ranked applicants."""
    ents = [e for e in df["entity_id"].dropna().unique()]
    out = {w: w.removeprefix("name:") for w in df["who"]}
    regions = {}
    if ents:
        cur = s.con
        cur.register("_ents", pd.DataFrame({"entity_id": ents}))
        try:
            for eid, name, region in cur.execute(
                    "SELECT e.entity_id, e.name, e.region_code FROM entity e JOIN _ents USING (entity_id)").fetchall():
                out[eid] = name
                regions[eid] = region
            missing = [e for e in ents if e not in regions]
            if missing:
                for eid, name in cur.execute(
                        "SELECT entity_id, mode(coalesce(name_norm, name)) FROM patent_party JOIN _ents USING (entity_id) "
                        "GROUP BY entity_id").fetchall():
                    if eid in missing:
                        out[eid] = name
        finally:
            cur.unregister("_ents")
    df["region"] = [region_name(regions.get(e), s.lang) if isinstance(e, str) and e in regions else None
                    for e in df["entity_id"]]
    return out


def _all_shares(s: Scope) -> pd.Series:
    df = s.q(f"""SELECT {_who()} AS who, count(DISTINCT pp.patent_id) AS n
                 FROM {s.parties()} pp WHERE pp.role = 'applicant'
                 GROUP BY 1 ORDER BY n DESC""")
    total = df["n"].sum()
    return df["n"] / total if total else df["n"].astype(float)


def inventors(s: Scope, top: int = TOP) -> Section:
    sec = Section("inventors", "发明人", "Inventors")
    if s.size == 0:
        sec.missing.append(msg("集合为空，没有发明人。", "The set is empty: no inventors."))
        return sec
    df = s.q(f"""
        WITH inv AS (SELECT DISTINCT coalesce(pp.name_norm, pp.name) AS inventor, pp.patent_id
                     FROM {s.parties()} pp WHERE pp.role = 'inventor'),
        appl AS (SELECT pp.patent_id, coalesce(pp.entity_id, coalesce(pp.name_norm, pp.name)) AS who,
                        coalesce(pp.name_norm, pp.name) AS who_name
                 FROM {s.parties()} pp WHERE pp.role = 'applicant' AND pp.seq = 1),
        ranked AS (
            SELECT inv.inventor, count(*) AS patents,
                   min(year(p.filing_date)) AS first_year, max(year(p.filing_date)) AS last_year
            FROM inv JOIN {s.patents()} p USING (patent_id) LEFT JOIN appl USING (patent_id)
            GROUP BY inv.inventor ORDER BY patents DESC, inv.inventor LIMIT {int(top)}),
        main AS (  -- the most frequent first applicant; a tie goes to the first name in order
            SELECT inventor, first(who_name ORDER BY n DESC, who_name) AS main_applicant
            FROM (SELECT inv.inventor, appl.who_name, count(*) AS n
                  FROM inv SEMI JOIN ranked USING (inventor) JOIN appl USING (patent_id)
                  WHERE appl.who_name IS NOT NULL GROUP BY ALL)
            GROUP BY inventor)
        SELECT r.inventor, r.patents, main.main_applicant, r.first_year, r.last_year
        FROM ranked r LEFT JOIN main USING (inventor) ORDER BY r.patents DESC, r.inventor""")
    if not len(df):
        sec.missing.append(msg("集合中的专利没有发明人记录。", "No inventor is recorded for the patents of the set."))
        return sec
    n = s.q(f"SELECT count(DISTINCT coalesce(pp.name_norm, pp.name)) FROM {s.parties()} pp "
            "WHERE pp.role = 'inventor'").iloc[0, 0]
    sec.facts = {"inventors": int(n)}
    sec.tables["top"] = records(df)
    sec.notes.append(msg("发明人按规范姓名计，未做同名消歧。", "Inventors count by normalized name; namesakes are not told apart."))
    return sec


def network(s: Scope, nodes: int = NETWORK_NODES, seed: int = 7) -> Section:
    """Co-applicant network: applicants joined when they file together; greedy-modularity communities."""
    sec = Section("network", "合作申请网络", "Co-applicant network")
    if s.size == 0:
        sec.missing.append(msg("集合为空，没有合作申请。", "The set is empty: no co-applications."))
        return sec
    edges = s.q(f"""
        WITH a AS (SELECT DISTINCT pp.patent_id, {_who()} AS who
                   FROM {s.parties()} pp WHERE pp.role = 'applicant')
        SELECT x.who AS a, y.who AS b, count(*) AS weight
        FROM a x JOIN a y ON x.patent_id = y.patent_id AND x.who < y.who GROUP BY ALL ORDER BY a, b""")
    if not len(edges):
        sec.missing.append(msg("集合中没有两个及以上申请人共同申请的专利，无法构建合作网络。",
                               "No patent of the set has two or more applicants: no co-applicant network."))
        return sec
    g = nx.Graph()
    for a, b, w in edges.itertuples(index=False):
        g.add_edge(a, b, weight=int(w))
    if g.number_of_nodes() > nodes:
        keep = sorted(g.degree(weight="weight"), key=lambda kv: (-kv[1], kv[0]))[:nodes]
        g = g.subgraph([k for k, _ in keep]).copy()
    communities = sorted(nx.community.greedy_modularity_communities(g, weight="weight"), key=lambda c: (-len(c), min(c)))
    comm_of = {n: i + 1 for i, c in enumerate(communities) for n in c}
    label = _labels(s, list(g.nodes))
    node_rows = pd.DataFrame([{"who": n, "name": label.get(n, n), "degree": g.degree(n),
                               "co_applications": g.degree(n, weight="weight"), "community": comm_of[n]}
                              for n in g.nodes]).sort_values(["co_applications", "who"], ascending=[False, True])
    pairs = [(min(a, b), max(a, b), d["weight"]) for a, b, d in g.edges(data=True)]  # a_id < b_id, as in the SQL
    edge_rows = pd.DataFrame([{"a": label.get(a, a), "b": label.get(b, b), "weight": w, "a_id": a, "b_id": b}
                              for a, b, w in pairs]).sort_values(["weight", "a", "b"], ascending=[False, True, True])
    sec.facts = {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "communities": len(communities),
                 "co_applied_patents": int(s.q(f"""SELECT count(*) FROM (SELECT pp.patent_id FROM {s.parties()} pp
                        WHERE pp.role = 'applicant' GROUP BY 1 HAVING count(DISTINCT {_who()}) > 1)""").iloc[0, 0])}
    sec.tables["nodes"] = records(node_rows)
    sec.tables["top_pairs"] = records(edge_rows.head(TOP))
    sec.tables["communities"] = records(pd.DataFrame([
        {"community": i + 1, "members": len(c),
         "largest": "、".join(label.get(n, n) for n in sorted(c, key=lambda n: (-g.degree(n, weight="weight"), n))[:5])}
        for i, c in enumerate(communities)]))
    sec.notes.append(msg("社区用贪心模块度算法(networkx greedy_modularity_communities)按合作次数加权划分。",
                         "Communities by greedy modularity (networkx), weighted by co-applications."))
    return sec


def _labels(s: Scope, whos: list[str]) -> dict:
    df = pd.DataFrame({"who": whos, "entity_id": [None if w.startswith("name:") else w for w in whos]})
    return _names(s, df)
