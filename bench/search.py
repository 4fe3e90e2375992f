"""Patent search benchmark: index build and query latency against bare tantivy and DuckDB FTS.

    .venv/bin/python bench/search.py --from-demo bench/demo-scale10.duckdb --patents 1000000 \
        --db var/h5/m1/bench.duckdb --runs 5 --no-duckdb [--reuse] [--build-only]
    .venv/bin/python bench/search.py [--scale 2.5]          # synthetic patents instead

1. The patents: with ``--from-demo`` the first N patents (table order) of a demo database, opened
   read-only, are copied with their parties, IPC codes, entities and regions into a new store;
   otherwise synthetic patents (scale 1 ≈ 400,000) are generated from the demo's vocabulary.
   ``--reuse`` keeps an existing database, index and FTS database (and their earlier figures).
2. ``ipobs.search.build`` indexes them: wall time, CPU time of the process and its workers,
   patents/s wall and patents per CPU-second (× 2 = what two idle cores give), size, segments,
   load average at start and end.
3. 30 fixed queries (free text, fielded, boolean, ranges) run ``--runs`` times, the sides
   interleaved so that load spikes hit them alike (see :func:`bench_queries` for exactly what
   each side does):
   - ``ipobs``: ``search(store, q)``: parse, compile, count + top 20, highlighted titles and
     snippets, six facets;
   - ``tantivy``: the same compiled query (compiling not timed): count + top 20, the 20 stored
     documents fetched, tantivy's own terms aggregations for the same six facets;
   - ``ipobs_nofacets`` / ``tantivy_nofacets``: both without facets;
   - ``duckdb_fts``: DuckDB's FTS (``match_bm25``) over the same pre-segmented title and
     abstract, plus SQL conditions for the fields, count + top 20 (the 18 queries it can express;
     ``--no-duckdb`` skips it: at a million patents its segmentation and index take a quarter
     of an hour, and it is no goal).
   p50/p95 of wall time per side, CPU time per query per side, ratios, load average.
   Both tantivy sides get the facet spec ``facets.compute`` sends (on one segment: top
   ``2 × shown + 1`` buckets of each count-ordered facet); ``ipobs`` also asks again when that
   list ends on a tie with the last shown bucket (see ``ipobs.search.facets``).
4. Relevance on the real USPTO grant excerpts (../shared/data/uspto-bulk-grant-xml): for each grant
   citing other grants of the set, recall@100 of those citations when searching with its title
   and abstract (``similar(text=…)``, an OR query of its top terms).

Writes bench/results/search.json (after every phase) and prints a summary with ratios.
Measured figures: docs/search.md, "Benchmark". Latest (2026-11-29 16:10–16:58, quiet machine, 1,000,000
patents): builds of 322, 302 and 283 s (3,105, 3,309 and 3,531 patents/s: goal 3,000 met); with facets p50
11.0–13.0 / p95 34.6–43.8 ms against tantivy's 9.1–10.8 / 49.8–63.1 ms (p95 goal 50 ms and ratio goal 1.5×
met; CPU 1.37–1.52×); DuckDB FTS p50 778–954 ms on the 17 queries it can express, 75–99× ours.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
SHARED = ROOT.parent / "shared" / "data"

# (our query, DuckDB FTS text or None, conjunctive, SQL condition on table p or None)
QUERIES = [
    ("锂电池", "锂电池", False, None),
    ("图像识别", "图像识别", False, None),
    ("深度学习 图像识别", "深度学习 图像识别", True, None),
    ("无人机", "无人机", False, None),
    ("污水处理", "污水处理", False, None),
    ("机器人 控制", "机器人 控制", True, None),
    ("电池 管理 系统", "电池 管理 系统", True, None),
    ("区块链 数据共享", "区块链 数据共享", True, None),
    ("传感器", "传感器", False, None),
    ("deep learning", "deep learning", True, None),
    ('"动力电池"', "动力电池", False, None),
    ('"卷积神经网络"', "卷积神经网络", False, None),
    ("title:电池", None, False, None),
    ("摘要:检测", None, False, None),
    ("ipc:H01M", None, False, "p.patent_id IN (SELECT patent_id FROM patent_ipc WHERE subclass = 'H01M')"),
    ("分类号:G06N kind:发明", None, False, "p.kind = 'invention' AND p.patent_id IN "
                                          "(SELECT patent_id FROM patent_ipc WHERE subclass = 'G06N')"),
    ("kind:实用新型 filed:2019", None, False, "p.kind = 'utility' AND year(p.filing_date) = 2019"),
    ("申请日:2015..2018 电池", "电池", False, "p.filing_date BETWEEN '2015-01-01' AND '2018-12-31'"),
    ("filed:2022.. 人工智能", "人工智能", False, "p.filing_date >= '2022-01-01'"),
    ("status:有效 无人机", "无人机", False, "p.status = 'granted'"),
    ("region:120116Z4 电池", None, False, None),  # regions are not in the FTS table
    ("区域:高新区", None, False, None),
    ("电池 -锂电池", None, False, None),
    ("(无人机 OR 机器人) AND 控制", None, False, None),
    ("芯片 OR 封装 OR 散热", "芯片 封装 散热", False, None),
    ("检测 AND NOT 图像", None, False, None),
    ("applicant:科技", None, False, None),
    ("电池*", None, False, None),
    ("新能源 汽车 充电", "新能源 汽车 充电", True, None),
    ("NOT kind:发明", None, False, "p.kind <> 'invention'"),
]


# ------------------------------------------------------------------------------ generation
def generate(n: int, seed: int = 2019) -> dict[str, pd.DataFrame]:
    """n synthetic patents from the demo vocabulary (titles, abstracts and IPC of one topic agree)."""
    from ipobs.demo.config import names, vocab
    from ipobs.entities.regions import regions

    rng = np.random.default_rng(seed)
    voc, nm = vocab(), names()
    topics = [(ind, t) for ind, ts in voc["industries"].items() for t in ts]
    surnames = list(nm["surnames"])
    sw = np.array([float(v) for v in nm["surnames"].values()])
    given = nm["given_chars"]
    t1, t2 = list(nm["trade_first"]), list(nm["trade_second"])
    words = {k: [w[0] for w in v] for k, v in nm["firm_words"].items()}
    streets = [r.code for r in regions().values() if r.level == "street"]
    others = [r.code for r in regions().values() if r.level == "district" and r.code != "120116"]
    n_firms = max(200, n // 25)
    firm_topic = rng.integers(0, len(topics), n_firms)
    firm_names = []
    for i in range(n_firms):
        ind = topics[firm_topic[i]][0]
        w = words.get(ind, words["other"])
        firm_names.append(f"天津{t1[i % len(t1)]}{t2[(i // len(t1)) % len(t2)]}{w[i % len(w)]}有限公司"
                          + (f"第{i // (len(t1) * len(t2) * len(w)) + 1}分公司" if i >= len(t1) * len(t2) * len(w) else ""))
    zipf = 1.0 / np.arange(1, n_firms + 1) ** 0.9
    zipf /= zipf.sum()
    firm_of = rng.choice(n_firms, size=n, p=zipf)
    kinds = rng.choice(["invention", "utility", "design"], size=n, p=[0.55, 0.4, 0.05])
    days = rng.integers(0, 15 * 365, size=n)
    start = np.datetime64("2010-01-01")
    patent, party, ipc = [], [], []

    def pick(xs):
        return xs[rng.integers(len(xs))]

    for i in range(n):
        ind, t = topics[firm_topic[firm_of[i]]] if rng.random() < 0.7 else topics[rng.integers(len(topics))]
        kind = kinds[i]
        filed = (start + np.timedelta64(int(days[i]), "D")).astype(object)
        year_code = filed.year
        pid = f"CN{year_code}{ {'invention': 1, 'utility': 2, 'design': 3}[kind] }{i:07d}"
        tech, method, device, eff = pick(t["tech"]), pick(t["methods"]), pick(t["devices"]), pick(t["effects"])
        if kind == "invention":
            title = pick([f"一种基于{tech}的{method}方法", f"{method}方法及系统", f"一种{device}及其控制方法"])
            steps = [pick(t["steps"]) for _ in range(3)]
            abstract = (f"本发明涉及{t['field']}技术领域，公开了一种基于{tech}的{method}方法，包括：{steps[0]}；"
                        f"{steps[1]}；{steps[2]}。本发明提高了{eff}。")
            codes = list(dict.fromkeys([pick(t["ipc"]), pick(t["ipc"])]))
        elif kind == "utility":
            parts = [pick(t["parts"]) for _ in range(3)]
            title = f"一种{device}"
            abstract = (f"本实用新型公开了一种{device}，包括{parts[0]}、{parts[1]}和{parts[2]}，所述{parts[0]}与"
                        f"{parts[1]}连接。本实用新型结构简单，提高了{eff}。")
            codes = [pick(t["ipc"])]
        else:
            cls = pick(list(voc["locarno_products"]))
            prod = voc["locarno_products"][cls]
            title = f"{pick(prod['products'])}（{pick(voc['design_variants'])}）"
            abstract = f"本外观设计产品{pick(voc['design_uses'])}，设计要点在于{pick(voc['design_points'])}。"
            codes = [f"LOC{cls}-{pick(prod['sub'])}"]
        granted = rng.random() < (0.6 if kind == "invention" else 0.9)
        grant = (filed + pd.Timedelta(days=int(rng.integers(200, 1400)))) if granted else None
        region = pick(streets) if rng.random() < 0.8 else pick(others)
        patent.append({"patent_id": pid, "application_no": f"{pid[2:]}.{i % 10}", "kind": kind, "filing_date": filed,
                       "grant_date": grant, "title": title, "abstract": abstract, "ipc_main": codes[0],
                       "region_code": region, "status": "granted" if granted else "pending", "country": "CN",
                       "title_en": " ".join(t["en"][:2]) if rng.random() < 0.05 else None, "synthetic": True})
        party.append({"patent_id": pid, "role": "applicant", "seq": 1, "name": firm_names[firm_of[i]]})
        for s in range(1, 1 + int(rng.integers(1, 4))):
            name = surnames[int(rng.choice(len(surnames), p=sw / sw.sum()))] + "".join(
                given[int(rng.integers(len(given)))] for _ in range(int(rng.integers(1, 3))))
            party.append({"patent_id": pid, "role": "inventor", "seq": s, "name": name})
        for s, c in enumerate(codes, 1):
            ipc.append({"patent_id": pid, "ipc": c, "subclass": c.split("-")[0] if c.startswith("LOC") else c[:4],
                        "seq": s, "is_main": s == 1})
    return {"patent": pd.DataFrame(patent), "patent_party": pd.DataFrame(party), "patent_ipc": pd.DataFrame(ipc)}


def store_from_demo(demo: Path, path: Path, n: int) -> float:
    """A store holding the first ``n`` patents (in table order) of a demo database, opened
    read-only, with their parties and IPC codes, every entity and region, and the import batches."""
    from ipobs.store import open_store

    t0 = time.perf_counter()
    with open_store(path) as store:
        c = store.con
        c.execute("SET threads=2")
        c.execute(f"ATTACH '{demo}' AS demo (READ_ONLY)")
        c.execute(f"CREATE TEMP TABLE _ids AS SELECT patent_id FROM demo.patent ORDER BY rowid LIMIT {int(n)}")
        c.execute("INSERT INTO import_batch BY NAME SELECT * FROM demo.import_batch "
                  "WHERE kind IN ('patents', 'entities', 'regions')")
        c.execute("INSERT INTO store_meta BY NAME SELECT * FROM demo.store_meta "
                  "WHERE key NOT IN (SELECT key FROM store_meta)")
        for t in ("region", "entity"):
            c.execute(f"INSERT INTO {t} BY NAME SELECT * FROM demo.{t}")
        for t in ("patent", "patent_party", "patent_ipc"):
            c.execute(f"INSERT INTO {t} BY NAME SELECT * FROM demo.{t} WHERE patent_id IN (SELECT patent_id FROM _ids)")
        c.execute("DETACH demo")
    return time.perf_counter() - t0


def make_store(path: Path, n: int, chunk: int = 100_000, validated: bool = False) -> float:
    """Generate ``n`` patents into a new store.

    ``validated=True`` imports each chunk through ``store.import_batch`` (validation, anti-joins);
    the default appends the generated rows straight to the tables and logs one committed batch per
    chunk, which is what the index's freshness check reads. The rows are machine-made and valid by
    construction; the shortcut saves the benchmark most of an hour on a shared machine.
    """
    from ipobs.records.batch import RecordBatch
    from ipobs.records.schema import TABLES
    from ipobs.store import open_store

    t0 = time.perf_counter()
    with open_store(path) as store:
        store.set_meta("synthetic", "true")
        for k, lo in enumerate(range(0, n, chunk)):
            frames = generate(min(chunk, n - lo), seed=2019 + k)
            for f in frames.values():  # unique ids across chunks
                f["patent_id"] = f["patent_id"].str.slice(0, 7) + f"{k:02d}" + f["patent_id"].str.slice(9)
            if validated:
                r = store.import_batch(RecordBatch("patents", frames, synthetic=True, label=f"bench chunk {k}"))
                print(f"  chunk {k}: {r.message}", flush=True)
                continue
            bid = store.con.execute("SELECT nextval('import_batch_seq')").fetchone()[0]
            for name, df in frames.items():
                cols = [c for c in TABLES[name].columns if c in df.columns]
                df = df[cols].assign(batch_id=bid)
                store.con.register("_bench", df)
                quoted = ", ".join(f'"{c}"' for c in df.columns)
                store.con.execute(f'INSERT INTO "{name}" ({quoted}) SELECT {quoted} FROM _bench')
                store.con.unregister("_bench")
            store.con.execute(
                "INSERT INTO import_batch (batch_id, kind, file_name, sha256, status, accepted, synthetic) "
                "VALUES (?, 'patents', ?, ?, 'committed', ?, true)", [bid, f"bench chunk {k}", f"bench-{k}", len(frames["patent"])])
            print(f"  chunk {k}: {len(frames['patent']):,} patents ({time.perf_counter() - t0:.0f} s)", flush=True)
    return time.perf_counter() - t0


def _segments(store) -> int:
    from ipobs.search.index import index_dir, open_index

    index, _ = open_index(index_dir(store))
    return index.searcher().num_segments


# ------------------------------------------------------------------------------ baselines
def duckdb_fts(store, work: Path, reuse: bool = False):
    """A DuckDB database with pre-segmented title/abstract and an FTS index; returns (con, seconds).
    The patents are read through the open store (a second connection to its file with another
    configuration is refused)."""
    import duckdb
    import duckdb_extension_fts

    from ipobs.search import analysis as A

    path = work / "fts.duckdb"
    ext = Path(duckdb_extension_fts.__file__).parent / "extensions" / f"v{duckdb.__version__}" / "fts.duckdb_extension"
    if reuse and path.exists():
        con = duckdb.connect(str(path))
        con.execute("SET autoinstall_known_extensions=false; SET autoload_known_extensions=false; SET threads=2")
        con.execute(f"LOAD '{ext}'")
        try:
            if con.execute("SELECT count(*) FROM p").fetchone()[0] == store.count("patent"):
                return con, None
        except duckdb.CatalogException:  # an earlier build stopped before making the table
            pass
        con.close()
    for f in (path, path.with_name(path.name + ".wal")):
        if f.exists():
            f.unlink()
    con = duckdb.connect(str(path))
    con.execute("SET autoinstall_known_extensions=false; SET autoload_known_extensions=false; SET threads=2")
    con.execute(f"LOAD '{ext}'")
    src = store.con.cursor()
    t0 = time.perf_counter()
    seg = src.execute("SELECT patent_id, title, abstract, kind, filing_date, status FROM patent").df()
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1, initializer=A.segmenter) as pool:
        seg["title_seg"] = pool.map(_fine, seg.pop("title").fillna("").tolist(), chunksize=5000)
        seg["abstract_seg"] = pool.map(_fine, seg.pop("abstract").fillna("").tolist(), chunksize=5000)
    t_seg = time.perf_counter() - t0
    con.register("seg", seg)
    con.execute("CREATE TABLE p AS SELECT * FROM seg")
    con.unregister("seg")
    ipc = src.execute("SELECT patent_id, subclass FROM patent_ipc").df()
    con.register("ipc", ipc)
    con.execute("CREATE TABLE patent_ipc AS SELECT * FROM ipc")
    src.close()
    t1 = time.perf_counter()
    con.execute("PRAGMA create_fts_index('p', 'patent_id', 'title_seg', 'abstract_seg', stemmer='none', "
                "stopwords='none', ignore='(\\.|[^a-z0-9\\p{Han}])+', overwrite=1)")
    return con, {"segment_s": round(t_seg, 1), "fts_index_s": round(time.perf_counter() - t1, 1)}


def _fine(text: str) -> str:
    from ipobs.search import analysis as A

    return A.fine(text)


def fts_sql(text: str, conjunctive: bool, where: str | None) -> str:
    from ipobs.search import analysis as A

    terms = " ".join(A.segmenter().cut(A.normalize(text))).replace("'", "")
    cond = f" AND {where}" if where else ""
    return (f"SELECT patent_id, score, count(*) OVER () AS total FROM (SELECT *, fts_main_p.match_bm25(patent_id, "
            f"'{terms}', conjunctive := {int(conjunctive)}) AS score FROM p) p WHERE score IS NOT NULL{cond} "
            f"ORDER BY score DESC LIMIT 20")


# ------------------------------------------------------------------------------ timing
def _cpu() -> float:
    """CPU seconds of this process and its finished children (the shared machine's load aside)."""
    import resource

    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def pct(xs, q):
    return float(np.percentile(np.array(xs) * 1000, q))


def bench_queries(store, runs: int, fts_con) -> dict:
    """Every query ``runs`` times, the sides interleaved (so load spikes hit them alike).

    - ``ipobs``: ``search(store, q)``: parse, compile, search, 20 hits with highlighted title and
      snippet, six facets (wall time of the call);
    - ``tantivy``: the compiled query (compiling not timed) searched for the count and the top 20,
      the 20 stored documents fetched, and tantivy's own terms aggregations for the same six
      facets (the spec ``facets.compute`` sends);
    - ``ipobs_nofacets`` / ``tantivy_nofacets``: the same without the facets;
    - ``duckdb_fts``: the query's text through ``match_bm25`` with SQL conditions, count + top 20.
    Each side's CPU time is summed too (``time.process_time``), load not included.
    """
    from ipobs.search import facets as FACETS
    from ipobs.search import search
    from ipobs.search.compile import compile_query
    from ipobs.search.index import index_dir, open_index
    from ipobs.search.query import parse

    index, _ = open_index(index_dir(store))
    sides = ("ipobs", "tantivy", "ipobs_nofacets", "tantivy_nofacets")
    wall = {k: {} for k in sides}
    cpu = {k: 0.0 for k in sides}
    duck: dict = {}
    totals: dict = {}
    for q, *_ in QUERIES:  # warm up: dictionary, caches
        search(store, q, update_index=False)

    def timed(side, q, fn):
        c0, t0 = time.process_time(), time.perf_counter()
        r = fn()
        wall[side].setdefault(q, []).append(time.perf_counter() - t0)
        cpu[side] += time.process_time() - c0
        return r

    def bare(q, facets: bool):
        searcher = index.searcher()
        tq, _ = compile_query(parse(q), index.schema, searcher, store, q)
        spec = FACETS._agg_spec(searcher.num_segments == 1)

        def run():
            res = searcher.search(tq, limit=20, count=True)
            docs = [searcher.doc(addr) for _, addr in res.hits]
            aggs = searcher.aggregate(tq, spec) if facets and res.count else None
            return res, docs, aggs
        return run

    for r in range(runs):
        for q, text, conj, where in QUERIES:
            res = timed("ipobs", q, lambda: search(store, q, update_index=False))
            b, _, _ = timed("tantivy", q, bare(q, True))
            timed("ipobs_nofacets", q, lambda: search(store, q, facets=False, update_index=False))
            timed("tantivy_nofacets", q, bare(q, False))
            totals.setdefault(q, {}).update({"ipobs": res.total, "tantivy": b.count})
            if fts_con is not None and text is not None and r < 3:
                sql = fts_sql(text, conj, where)
                t0 = time.perf_counter()
                rows = fts_con.execute(sql).fetchall()
                duck.setdefault(q, []).append(time.perf_counter() - t0)
                totals[q]["duckdb_fts"] = int(rows[0][2]) if rows else 0
    out = {"per_query": {}}
    for q in wall["ipobs"]:
        out["per_query"][q] = {f"{k}_p50_ms": round(pct(wall[k][q], 50), 2) for k in sides}
        out["per_query"][q]["duckdb_fts_p50_ms"] = round(pct(duck[q], 50), 1) if q in duck else None
        out["per_query"][q]["hits"] = totals[q]
    flat = {k: [x for v in wall[k].values() for x in v] for k in sides}
    n = len(flat["ipobs"])
    summary = {}
    for k in sides:
        summary[f"{k}_p50_ms"] = round(pct(flat[k], 50), 2)
        summary[f"{k}_p95_ms"] = round(pct(flat[k], 95), 2)
        summary[f"{k}_cpu_ms_per_query"] = round(cpu[k] * 1000 / n, 2)
    for a, b in (("ipobs", "tantivy"), ("ipobs_nofacets", "tantivy_nofacets")):
        for p in (50, 95):
            summary[f"ratio_p{p}_{a}_over_{b}"] = round(pct(flat[a], p) / pct(flat[b], p), 2)
        summary[f"ratio_cpu_{a}_over_{b}"] = round(cpu[a] / cpu[b], 2)
    all_duck = [x for v in duck.values() for x in v]
    same_ours = [x for q in duck for x in wall["ipobs"][q][:3]]
    if all_duck:
        summary.update({
            "duckdb_fts_queries": len(duck),
            "duckdb_fts_p50_ms": round(pct(all_duck, 50), 1), "duckdb_fts_p95_ms": round(pct(all_duck, 95), 1),
            "ipobs_same_queries_p50_ms": round(pct(same_ours, 50), 2),
            "ratio_p50_duckdb_over_ipobs": round(pct(all_duck, 50) / pct(same_ours, 50), 1),
        })
    summary["load_average_end"] = os.getloadavg()
    out["summary"] = summary
    return out


# ------------------------------------------------------------------------------ relevance
def _grant_core(no: str | None) -> str | None:
    m = re.match(r"US0*(RE|D|PP|H|T)?0*(\d+)", no or "")
    return f"US{m.group(1) or ''}{m.group(2)}" if m else None


def uspto_relevance(work: Path) -> dict:
    """Relevance on the real USPTO grant excerpts.

    - recall@100 of in-set citations: for each grant citing other grants of the set, the share of
      them among the top 100 answers of ``similar(text=title + abstract)`` (an OR query of its top
      terms);
    - as the excerpt weeks rarely cite each other, also: the share of each grant's top-10 similar
      patents that share its main IPC subclass, against the share expected at random.
    """
    from ipobs.search import build, similar
    from ipobs.sources.uspto_xml import read
    from ipobs.store import open_store

    files = sorted((SHARED / "uspto-bulk-grant-xml" / "ipgxml-weekly-excerpts").glob("*.xml"))
    files += [SHARED / "uspto-bulk-grant-xml" / "xml-single-docs" / "ipg120327.196.xml"]
    path = work / "uspto.duckdb"
    for p in (path, path.with_name(path.name + ".wal")):
        if p.exists():
            p.unlink()
    with open_store(path) as store:
        for f in files:
            if f.exists():
                store.import_batch(read(f))
        build(store)
        pats = store.query("SELECT patent_id, grant_no, title, abstract, ipc_main FROM patent WHERE title IS NOT NULL")
        core_to_id = {_grant_core(g): pid for pid, g in zip(pats["patent_id"], pats["grant_no"]) if g}
        cites = store.query("SELECT citing_id, cited_no FROM patent_citation")
        cites["cited_id"] = [core_to_id.get(_grant_core(c)) for c in cites["cited_no"]]
        inset = cites.dropna(subset=["cited_id"])
        inset = inset[inset["cited_id"] != inset["citing_id"]]
        texts = dict(zip(pats["patent_id"], (pats["title"].fillna("") + "。" + pats["abstract"].fillna(""))))
        recalls, pairs = [], 0
        for citing, g in inset.groupby("citing_id"):
            if citing not in texts:
                continue
            hits = {h.id for h in similar(store, text=texts[citing], limit=100).hits if h.id != citing}
            wanted = set(g["cited_id"])
            pairs += len(wanted)
            recalls.append(len(wanted & hits) / len(wanted))
        sub = {pid: m[:4] for pid, m in zip(pats["patent_id"], pats["ipc_main"]) if isinstance(m, str) and m}
        counts = pd.Series(list(sub.values())).value_counts()
        agree, base = [], []
        for pid in pats["patent_id"]:
            if not sub.get(pid):
                continue
            top = [h.id for h in similar(store, patent_id=pid, limit=10).hits]
            if top:
                agree.append(sum(sub.get(t) == sub[pid] for t in top) / len(top))
                base.append((counts[sub[pid]] - 1) / (len(sub) - 1))
        return {"grants": len(pats), "citations": len(cites), "in_set_citations": pairs,
                "citing_patents": len(recalls),
                "recall_at_100": round(statistics.mean(recalls), 3) if recalls else None,
                "top10_same_subclass": round(statistics.mean(agree), 3) if agree else None,
                "random_same_subclass": round(statistics.mean(base), 3) if base else None,
                "note": "the excerpt weeks (2005-2013) almost never cite each other, so recall@100 of cited "
                        "patents has few or no cases; the IPC agreement of similar patents is reported beside it"}


# ------------------------------------------------------------------------------ main
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", type=float, default=2.5, help="1 ≈ 400,000 patents")
    ap.add_argument("--db", type=Path, default=ROOT / "var" / "bench-search" / "bench.duckdb")
    ap.add_argument("--reuse", action="store_true", help="keep an existing database and index")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--no-duckdb", action="store_true")
    ap.add_argument("--from-demo", type=Path, default=None,
                    help="take the first patents of this demo database (opened read-only) instead of generating")
    ap.add_argument("--patents", type=int, default=None, help="how many patents (default: scale × 400,000)")
    ap.add_argument("--build-only", action="store_true", help="stop after the index build")
    args = ap.parse_args()

    sys.path.insert(0, str(ROOT / "src"))
    from ipobs.search import build
    from ipobs.search.index import dir_bytes, index_dir, read_manifest
    from ipobs.store import open_store

    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "search.json"

    def save() -> None:  # after every phase, so a run cut short still leaves its figures
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str), encoding="utf-8")

    n = args.patents or int(args.scale * 400_000)
    args.db.parent.mkdir(parents=True, exist_ok=True)
    result: dict = {"scale": args.scale, "patents": n, "cpus": os.cpu_count(), "runs": args.runs,
                    "source": str(args.from_demo) if args.from_demo else "generated", "started": time.ctime(),
                    "load_average_start": os.getloadavg()}
    if args.reuse and out.exists():  # keep the figures of phases this run does not repeat
        old = json.loads(out.read_text(encoding="utf-8"))
        if old.get("patents") == n:
            result.update({k: old[k] for k in ("import_s", "build", "duckdb_fts_build", "source") if k in old})
    if not (args.reuse and args.db.exists()):
        for p in args.db.parent.glob(f"{args.db.stem}*"):
            if p.is_file():
                p.unlink()
        if args.from_demo:
            print(f"copying the first {n:,} patents of {args.from_demo}…", flush=True)
            result["import_s"] = round(store_from_demo(args.from_demo, args.db, n), 1)
        else:
            print(f"generating and importing {n:,} patents…", flush=True)
            result["import_s"] = round(make_store(args.db, n), 1)
        save()
    with open_store(args.db, read_only=True) as store:
        n = store.count("patent")
        result["patents"] = n
        if not (args.reuse and read_manifest(index_dir(store))):
            print("building the index…", flush=True)
            load0, cpu0 = os.getloadavg(), _cpu()
            info = build(store, echo=print)
            cpu = _cpu() - cpu0
            result["build"] = {"seconds": round(info.seconds, 1), "patents_per_s": round(info.per_second),
                               "bytes": info.bytes, "mb": round(info.bytes / 1e6, 1),
                               "cpu_seconds": round(cpu, 1), "patents_per_cpu_s": round(n / cpu) if cpu else None,
                               "patents_per_s_2_idle_cores": round(2 * n / cpu) if cpu else None,
                               "load_average_start": load0, "load_average_end": os.getloadavg(),
                               "segments": _segments(store)}
        elif "build" not in result:
            result["build"] = {"reused": True, "mb": round(dir_bytes(index_dir(store)) / 1e6, 1),
                               "seconds": read_manifest(index_dir(store)).build_seconds}
        print(f"  {result['build']}", flush=True)
        save()
        if args.build_only:
            return
        fts = None
        if not args.no_duckdb:
            print("building DuckDB FTS over the same pre-segmented text…", flush=True)
            fts, built = duckdb_fts(store, args.db.parent, args.reuse)
            if built or "duckdb_fts_build" not in result:
                result["duckdb_fts_build"] = built or {"reused": True}
            print(f"  {result['duckdb_fts_build']}", flush=True)
            save()
        print(f"timing {len(QUERIES)} queries × {args.runs} runs…", flush=True)
        result["queries"] = bench_queries(store, args.runs, fts)
        save()
    print("USPTO relevance…", flush=True)
    try:
        result["uspto"] = uspto_relevance(args.db.parent)
    except FileNotFoundError as exc:
        result["uspto"] = {"skipped": str(exc)}
    save()
    s = result["queries"]["summary"]
    print(json.dumps({"build": result["build"], "summary": s, "uspto": result["uspto"]}, ensure_ascii=False, indent=1))
    print(f"goals: p95 with facets {s['ipobs_p95_ms']} ms (< 50); ipobs / bare tantivy with facets: "
          f"p50 {s['ratio_p50_ipobs_over_tantivy']}×, p95 {s['ratio_p95_ipobs_over_tantivy']}×, CPU "
          f"{s['ratio_cpu_ipobs_over_tantivy']}× (≤ 1.5); build {result['build'].get('patents_per_s', '-')}/s wall, "
          f"{result['build'].get('patents_per_s_2_idle_cores', '-')}/s on two idle cores by CPU time (≥ 3000)")
    print(f"written {out}")


if __name__ == "__main__":
    main()
