"""Technology clusters over titles and abstracts: rjieba tokens, TF-IDF, NMF; each cluster labelled
by its top terms, with a trend per cluster.

NMF is fitted on at most ``fit_docs`` documents (a seeded random sample) and then assigns every
document of the set, so each count is of real patents. Patents without an abstract are
clustered on their title (the section says how many).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ipobs.analytics.scope import Scope, Section, msg, records

MIN_DOCS = 20
FIT_DOCS = 20_000
TEXT_CHARS = 240  # title + the head of the abstract; the claim-like tail adds little for topics
TOP_TERMS = 8
STOPWORDS = frozenset("""
本发明 本实用新型 本外观设计 公开 一种 涉及 包括 所述 其中 以及 用于 通过 具有 设置 一个 多个 至少 能够 可以 提供
实现 进行 采用 相应 之间 连接 方法 装置 系统 设备 结构 组件 部件 单元 模块 技术 领域 有效 提高 简单 方便 使用 得到
根据 第一 第二 第三 所述的 上述 该 其 及其 的 和 与 或 在 为 是 将 对 由 从 等 中 上 下 内 外 本 一 二 三 产品 设计
基于 外观设计 设计要点 要点 用途 简要说明 存储介质 可读 电子设备 计算机程序 处理器 存储器 固定 相连 安装 位于
""".split())
_KEEP = re.compile(r"[\u4e00-\u9fff]{2,}|[A-Za-z][A-Za-z0-9\-]{2,}")


_KEPT: dict[str, str | None] = {}  # segment → the word kept (lower-cased) or None; segments repeat a lot


def _keep(w: str) -> str | None:
    got = _KEPT.get(w, 0)
    if got == 0:
        got = w.lower() if _KEEP.fullmatch(w) and w not in STOPWORDS else None
        if len(_KEPT) < 500_000:
            _KEPT[w] = got
    return got


def tokenize(text: str) -> list[str]:
    """Words of a Chinese/English text for TF-IDF: rjieba segments, ≥2 Han chars or ≥3 Latin, no stopwords."""
    import rjieba

    return [k for k in map(_keep, rjieba.cut(text or "")) if k]


_CLAUSE = re.compile(r"[。，；、,;：:！？!?\s]+")


def _identity(tokens):
    return tokens


class ClauseTokens:
    """Tokens per text, memoized per clause (patent texts repeat clauses: boilerplate, shared phrasing)."""

    def __init__(self, limit: int = 1_000_000):
        self.cache: dict[str, list[str]] = {}
        self.limit = limit

    def _clause(self, c: str) -> list[str]:
        got = self.cache.get(c)
        if got is None:
            got = tokenize(c)
            if len(self.cache) < self.limit:
                self.cache[c] = got
        return got

    def tokens(self, text: str) -> list[str]:
        out: list[str] = []
        for c in _CLAUSE.split(text or ""):
            if c:
                out += self._clause(c)
        return out

    def tfidf(self, texts: list[str], vec):
        """The fitted vectorizer's TF-IDF matrix of ``texts`` (same as ``vec.transform``), without re-counting
        every token in Python (see :meth:`matrix`)."""
        from scipy import sparse

        index: dict[str, int] = {}
        codes: list[int] = []
        per_doc = np.zeros(len(texts), dtype=np.int64)
        for i, text in enumerate(texts):
            before = len(codes)
            for c in _CLAUSE.split(text or ""):
                if c:
                    k = index.get(c)
                    if k is None:
                        k = index[c] = len(index)
                    codes.append(k)
            per_doc[i] = len(codes) - before
        doc_clauses = sparse.csr_matrix((np.ones(len(codes)), np.asarray(codes, dtype=np.int64),
                                         np.concatenate([[0], np.cumsum(per_doc)])), shape=(len(texts), len(index)))
        return self.matrix(doc_clauses, list(index), vec)

    def doc_tokens(self, doc_clauses, clauses: list[str], rows) -> list[list[str]]:
        """Token lists of some documents (rows of a documents × clauses count matrix), for fitting."""
        out = []
        for r in rows:
            lo, hi = doc_clauses.indptr[r], doc_clauses.indptr[r + 1]
            toks: list[str] = []
            for k, m in zip(doc_clauses.indices[lo:hi], doc_clauses.data[lo:hi]):
                toks += self._clause(clauses[k]) * int(m)
            out.append(toks)
        return out

    def matrix(self, doc_clauses, clauses: list[str], vec):
        """TF-IDF of documents given as a (documents × distinct clauses) count matrix: term counts =
        ``doc_clauses @ (clauses × terms)``, so each distinct clause is segmented and looked up once."""
        from scipy import sparse
        from sklearn.preprocessing import normalize

        vocab = vec.vocabulary_
        n, v = doc_clauses.shape[0], len(vocab)
        if not clauses:
            return sparse.csr_matrix((n, v))
        term_ids = [[vocab[t] for t in self._clause(c) if t in vocab] for c in clauses]
        lengths = np.fromiter((len(t) for t in term_ids), dtype=np.int64, count=len(term_ids))
        flat = np.fromiter((t for ts in term_ids for t in ts), dtype=np.int64, count=int(lengths.sum()))
        clause_terms = sparse.csr_matrix((np.ones(len(flat)), flat, np.concatenate([[0], np.cumsum(lengths)])),
                                         shape=(len(clauses), v))
        x = (doc_clauses @ clause_terms).tocsr()
        x.eliminate_zeros()
        x.sum_duplicates()
        if vec.sublinear_tf:
            x.data = 1 + np.log(x.data)
        x = x @ sparse.diags(vec.idf_)
        return normalize(x, norm=vec.norm)


# _CLAUSE for DuckDB (RE2): the same separators, with Python's \s spelled out (RE2's \s is ASCII only)
CLAUSE_RE2 = (r"[。，；、,;：:！？!?\t\n\x{0b}\x{0c}\r\x{1c}-\x{1f} \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}"
              r"\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]+")


def sql_clauses(con, docs_table: str):
    """(documents × distinct clauses count matrix, the clauses) of ``docs_table(i, text)`` (i = 0…n-1), split
    in DuckDB exactly as ``_CLAUSE.split`` does (empty pieces dropped); clauses are numbered in sorted order."""
    from scipy import sparse

    n = int(con.execute(f"SELECT count(*) FROM {docs_table}").fetchone()[0])
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _cpairs AS
        SELECT i, clause FROM (SELECT i, unnest(regexp_split_to_array(coalesce(text, ''), '{CLAUSE_RE2}')) AS clause
                               FROM {docs_table}) WHERE clause <> ''""")
    try:
        con.execute("""CREATE OR REPLACE TEMP TABLE _cuniq AS
            SELECT clause, (row_number() OVER (ORDER BY clause) - 1)::BIGINT AS k FROM (SELECT DISTINCT clause FROM _cpairs)""")
        clauses = [r[0] for r in con.execute("SELECT clause FROM _cuniq ORDER BY k").fetchall()]
        got = con.execute("SELECT p.i::BIGINT AS i, u.k FROM _cpairs p JOIN _cuniq u USING (clause)").fetchnumpy()
    finally:
        con.execute("DROP TABLE IF EXISTS temp._cpairs")
        con.execute("DROP TABLE IF EXISTS temp._cuniq")
    i, k = np.asarray(got["i"], dtype=np.int64), np.asarray(got["k"], dtype=np.int64)
    m = sparse.coo_matrix((np.ones(len(i)), (i, k)), shape=(n, len(clauses))).tocsr()
    m.sum_duplicates()
    return m, clauses


def default_k(n: int) -> int:
    return int(min(10, max(2, round((n / 30) ** 0.5))))


def clusters(s: Scope, k: int | None = None, fit_docs: int = FIT_DOCS, seed: int = 7) -> Section:
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    sec = Section("clusters", "技术聚类", "Technology clusters")
    if s.size < MIN_DOCS:
        sec.missing.append(msg(f"集合只有 {s.size} 件专利，少于聚类所需的 {MIN_DOCS} 件。",
                               f"The set has {s.size} patents, fewer than the {MIN_DOCS} clustering needs."))
        return sec
    s.con.execute(f"""CREATE OR REPLACE TEMP TABLE _cdocs AS
        SELECT (row_number() OVER (ORDER BY p.patent_id) - 1)::BIGINT AS i, p.patent_id, year(p.filing_date) AS year,
               p.abstract IS NULL OR p.abstract = '' AS no_abstract,
               left(coalesce(p.title, '') || '。' || coalesce(p.abstract, ''), {TEXT_CHARS}) AS text
        FROM patent p SEMI JOIN pset USING (patent_id)""")  # a semi join reads the texts faster than a join
    try:
        docs = s.q("SELECT patent_id, year, no_abstract FROM _cdocs ORDER BY i")
        doc_clauses, clause_list = sql_clauses(s.con, "_cdocs")
    finally:
        s.con.execute("DROP TABLE IF EXISTS temp._cdocs")
    clauses = ClauseTokens()
    rng = np.random.default_rng(seed)
    fit_idx = np.arange(len(docs)) if len(docs) <= fit_docs else np.sort(rng.choice(len(docs), fit_docs, replace=False))
    vec = TfidfVectorizer(analyzer=_identity, min_df=2, max_df=0.5, max_features=20_000, sublinear_tf=True)
    try:
        x_fit = vec.fit_transform(clauses.doc_tokens(doc_clauses, clause_list, fit_idx))
    except ValueError:
        sec.missing.append(msg("标题和摘要中没有足够的共同词语，无法聚类。",
                               "Titles and abstracts share too few words to form clusters."))
        return sec
    k = k or default_k(len(docs))
    k = min(k, x_fit.shape[1], x_fit.shape[0])
    if k < 2:
        sec.missing.append(msg("词汇太少，无法形成两个以上的聚类。", "Too few distinct words for two or more clusters."))
        return sec
    nmf = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=300)
    nmf.fit(x_fit)
    w = nmf.transform(clauses.matrix(doc_clauses, clause_list, vec))
    assigned = np.where(w.max(axis=1) > 0, w.argmax(axis=1) + 1, 0)
    docs["cluster"] = assigned
    terms = np.array(vec.get_feature_names_out())
    order = np.argsort(-nmf.components_, axis=1)[:, :TOP_TERMS]
    sizes = docs[docs["cluster"] > 0].groupby("cluster").size()
    info = pd.DataFrame({"cluster": range(1, k + 1),
                         "label": [" / ".join(terms[order[c, :3]]) for c in range(k)],
                         "top_terms": ["、".join(terms[order[c]]) for c in range(k)]})
    info["patents"] = info["cluster"].map(sizes).fillna(0).astype(int)
    info["share"] = info["patents"] / len(docs)
    y1 = s.last_complete_year
    recent = docs[docs["year"].between(y1 - 2, y1)].groupby("cluster").size()
    earlier = docs[docs["year"].between(y1 - 5, y1 - 3)].groupby("cluster").size()
    info["recent"] = info["cluster"].map(recent).fillna(0).astype(int)
    info["earlier"] = info["cluster"].map(earlier).fillna(0).astype(int)
    info["growth"] = ((info["recent"] - info["earlier"]) / info["earlier"]).where(info["earlier"] > 0)
    trend = docs[docs["cluster"] > 0].groupby(["year", "cluster"]).size().unstack(fill_value=0)
    trend.columns = [f"c{c}" for c in trend.columns]
    sec.tables["clusters"] = records(info.sort_values(["patents", "cluster"], ascending=[False, True]))
    sec.tables["trend"] = records(trend.reset_index())
    sec.tables["members_sample"] = records(docs[docs["cluster"] > 0].groupby("cluster").head(3)[["cluster", "patent_id"]])
    no_abs = int(docs["no_abstract"].sum())
    sec.facts = {"k": int(k), "documents": int(len(docs)), "fitted_on": int(len(fit_idx)),
                 "unassigned": int((assigned == 0).sum()), "no_abstract": no_abs, "vocabulary": int(len(terms))}
    if no_abs:
        sec.missing.append(msg(f"{no_abs} 件专利没有摘要，只按标题聚类。", f"{no_abs} patents have no abstract: clustered on title only."))
    sec.notes.append(msg(
        f"方法：标题和摘要前 {TEXT_CHARS} 字经 rjieba 分词、去停用词后做 TF-IDF，用 NMF 分为 {k} 个主题"
        f"（在 {len(fit_idx)} 件上拟合），每件专利归入权重最大的主题；主题名取权重最高的词。",
        f"Method: title and the first {TEXT_CHARS} characters of the abstract, segmented by rjieba without "
        f"stopwords, TF-IDF, NMF with {k} topics (fitted on {len(fit_idx)} patents); each patent goes to its "
        "heaviest topic; topics are named by their top terms."))
    return sec
