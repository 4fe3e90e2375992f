"""The build's and the query's fast paths give what the slower, obvious code gives."""

from __future__ import annotations

import pytest
import tantivy
from hypothesis import given, settings
from hypothesis import strategies as st

from ipobs.search import analysis as A

# recipe 4's analyzer: tantivy's regex tokenizer keeps every space-separated chunk holding a letter or digit
_OLD = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(r"\S*[\p{L}\p{N}]\S*"))
        .filter(tantivy.Filter.remove_long(A.MAX_TERM_CHARS)).filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.stemmer("english")).build())
_OLD_TOKENS = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(r"\S*[\p{L}\p{N}]\S*")).build()
_NEW_TOKENS = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()

_CHARS = list("电池锂离子无人机控制abcXYZ019_-.,，。；、（）!?#&%+ \t\n\x0b\x0c\r\x85\xa0\u3000\u2003\u202f"
              "\x1c\u0301ＡＢ１½Ⅷ〇")
texts = st.lists(st.sampled_from(_CHARS), max_size=40).map("".join)
plain_texts = st.lists(st.sampled_from([c for c in _CHARS if c == " " or not c.isspace() and c != "\x1c"]),
                       max_size=40).map("".join)  # spaces only: clean()'s quick path


def _positions(analyzer, text):
    return [(t.text, t.position) for t in analyzer.pre_tokenize(text).tokens]


@settings(max_examples=400, deadline=None)
@given(st.one_of(texts, plain_texts))
def test_clean_then_whitespace_equals_the_regex_tokenizer(text):
    assert _positions(_NEW_TOKENS, A.clean(text)) == _positions(_OLD_TOKENS, text)
    assert A.analyze(A.ZH, text) == _OLD.analyze(text)


def test_clean_on_segmented_text():
    for text in ["本发明涉及锂电池，公开了一种无人机控制系统。", "LED（发光二极管）_ 5G；  深度 学习!!", ""]:
        seg = " ".join(A.segmenter().cut(A.normalize(text)))
        assert A.analyze(A.ZH, A.coarse(text)) == _OLD.analyze(seg)
        fine = " ".join(A.segmenter().cut_for_search(A.normalize(text)))
        assert A.analyze(A.ZH, A.fine(text)) == _OLD.analyze(fine)


_CJK_CHARS = list("电池锂离子无人机控制〇\u3400\u4dbf\u4e00\u9fff\uf900\ufa0e\ufaff") + list("aB1 ，。\t")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_CJK_CHARS), max_size=30).map("".join))
def test_pair_fields_analyzer_equals_the_zh_analyzer_on_pairs(text):
    """The pair fields skip the ZH filters (lowercase, stemmer, long-token limit): same terms and
    positions for what cjk_bigrams makes, so pair phrases find what they found."""
    pairs = A.cjk_bigrams(A.normalize(text))  # what documents.doc_fields sends to the pair fields
    zh, cjk = A.analyzers()[A.ZH], A.analyzers()[A.CJK]
    assert _positions(cjk, pairs) == _positions(zh, pairs)
    assert cjk.analyze(pairs) == zh.analyze(pairs)


def test_documents_from_arrow_batches_equal_those_from_dicts(corpus):
    from ipobs.search import documents as D

    con = corpus.con.cursor()
    batches = list(D.read_batches(con, batch_rows=7))
    rows = [r for b in batches for r in b.to_pylist()]
    assert len(rows) == corpus.count("patent") > 7
    assert [d for b in batches for d in D.docs_json(b)] == D.docs_json(rows)
    # applicant words are cached per list of names: the same as segmenting the joined names
    for r in rows:
        names = list(dict.fromkeys(n for p in r["applicants"] or [] for n in (p["name"], p.get("entity_name")) if n))
        if names:
            f = D.doc_fields(r)
            joined = A.normalize(" ; ".join(names))
            assert (f["applicant"], f["applicant_fine"]) == (A.coarse(joined), A.fine(joined))


def test_parallel_build_equals_serial_build(corpus_store, monkeypatch, tmp_path):
    import json

    from ipobs.search import index as I

    def dump(path):
        index, _ = I.open_index(path)
        s = index.searcher()
        res = s.search(tantivy.Query.all_query(), limit=10_000)
        docs = sorted(json.dumps(s.doc(a).to_dict(), sort_keys=True, default=str) for _, a in res.hits)
        terms = {f: [s.doc_freq(f, t) for t in ("电池", "锂电池", "控制", "无人机", "H01M", "g06n")]
                 for f in ("title", "title_fine", "abstract", "abstract_cjk", "applicant", "ipc")}
        return docs, terms

    serial = I.build(corpus_store, tmp_path / "serial.search")
    monkeypatch.setattr(I, "PARALLEL_MIN", 1)
    monkeypatch.setattr(I, "CHUNK", 3)
    parallel = I.build(corpus_store, tmp_path / "parallel.search")
    assert serial.docs == parallel.docs > 0
    assert dump(tmp_path / "serial.search") == dump(tmp_path / "parallel.search")


class _Segments:
    """A searcher that says it has several segments (so facets take the general path)."""

    def __init__(self, searcher):
        self._s = searcher
        self.num_segments = 2

    def __getattr__(self, name):
        return getattr(self._s, name)


def test_single_segment_facets_equal_the_general_path(corpus, monkeypatch):
    import dataclasses

    from ipobs.search import facets as FACETS
    from ipobs.search.compile import compile_query
    from ipobs.search.index import index_dir, open_index
    from ipobs.search.query import parse

    index, _ = open_index(index_dir(corpus))
    searcher = index.searcher()
    assert searcher.num_segments == 1
    for size in (20, 2, 1):  # small sizes cut the applicant list, with ties at the cut
        defs = tuple(dataclasses.replace(f, size=size) if f.name in FACETS.LARGE else f for f in FACETS.FACETS)
        monkeypatch.setattr(FACETS, "FACETS", defs)
        for q in ["电池", "NOT kind:发明", "控制 OR 检测", "applicant:天津", "kind:utility", "无人机"]:
            tq, _ = compile_query(parse(q), index.schema, searcher, corpus, q)
            total = searcher.search(tq, limit=1, count=True).count
            fast = FACETS.compute(searcher, tq, index.schema, total)
            general = FACETS.compute(_Segments(searcher), tq, index.schema, total)
            for name in fast:
                assert fast[name]["buckets"] == general[name]["buckets"], (q, size, name)
                if general[name]["other"] is not None:
                    assert fast[name]["other"] == general[name]["other"], (q, size, name)


@pytest.mark.parametrize("tie_room", [0, 1, 2])
def test_single_segment_facets_equal_every_term_sorted_by_count_then_key(corpus, monkeypatch, tie_room):
    """The rule, checked against all terms of the matches: count descending, then key ascending.
    ``tie_room=0`` asks for one bucket first, so the re-asks run whenever the cut ties."""
    import dataclasses

    from ipobs.search import facets as FACETS
    from ipobs.search.compile import compile_query
    from ipobs.search.index import index_dir, open_index
    from ipobs.search.query import parse

    index, _ = open_index(index_dir(corpus))
    searcher = index.searcher()
    assert searcher.num_segments == 1
    monkeypatch.setattr(FACETS, "TIE_ROOM", tie_room)
    asks = []
    real = FACETS._whole_ties

    def counted(*args):
        asks.append(1)
        return real(*args)

    monkeypatch.setattr(FACETS, "_whole_ties", counted)
    ties = 0
    for size in (20, 3, 2, 1):
        defs = tuple(dataclasses.replace(f, size=size) if f.order == "count" else f for f in FACETS.FACETS)
        monkeypatch.setattr(FACETS, "FACETS", defs)
        for q in ["电池", "NOT kind:发明", "控制 OR 检测", "applicant:天津", "kind:utility", "无人机", "锂电池"]:
            tq, _ = compile_query(parse(q), index.schema, searcher, corpus, q)
            total = searcher.search(tq, limit=1, count=True).count
            facets = FACETS.compute(searcher, tq, index.schema, total)
            for f in defs:
                if f.order != "count":
                    continue
                every = searcher.aggregate(tq, {"a": {"terms": {"field": f.field, "size": 65_000,
                                                                "segment_size": 65_000}}})["a"]["buckets"]
                truth = sorted(((b["key"], int(b["doc_count"])) for b in every), key=lambda kv: (-kv[1], kv[0]))
                got = facets[f.name]
                assert [(b["key"], b["count"]) for b in got["buckets"]] == truth[:size], (q, size, f.name)
                assert got["other"] == sum(n for _, n in truth[size:]), (q, size, f.name)
                ties += len(truth) > size and truth[size][1] == truth[size - 1][1]
    assert ties and asks  # the corpus has ties at the cut, and the one-segment path ran


def _matches_reference(text, terms, prefixes, substrings):
    """Highlight ranges as recipe 4 computed them: every word of the whole text cut and compared."""
    from ipobs.search import highlight as H

    if not text or not (terms or prefixes or substrings):
        return []
    hits = sorted([(s, e) for s, e, t in A.spans(text) if t in terms or any(t.startswith(p) for p in prefixes)]
                  + H.substring_spans(text, substrings))
    merged = []
    for s, e in hits:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


_SENTENCE_CHARS = list("本发明涉及锂电池无人机控制系统图像识别方法装置检测传感器数据处理，。；：、（）,;:() ｆＡ5GLED½㎡")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SENTENCE_CHARS), min_size=1, max_size=60).map("".join), st.data())
def test_highlight_cuts_only_pieces_with_a_term_yet_marks_the_same(text, data):
    from ipobs.search import highlight as H

    words = sorted({t for _, _, t in A.spans(text)} | {"电池", "无人机", "控制系统", "检测"})
    terms = set(data.draw(st.lists(st.sampled_from(words), max_size=4)))
    prefixes = set(data.draw(st.lists(st.sampled_from(["电", "无人", "控制", "5g"]), max_size=2)))
    subs = set(data.draw(st.lists(st.sampled_from(["电池", "识别方法"]), max_size=1)))
    assert H.matches(text, terms, prefixes, substrings=subs) == _matches_reference(text, terms, prefixes, subs)


def test_highlight_on_the_corpus_equals_the_reference(corpus):
    from ipobs.search import highlight as H

    rows = corpus.query("SELECT title, abstract FROM patent")
    for text in list(rows["title"].fillna("")) + list(rows["abstract"].fillna("")):
        words = {t for _, _, t in A.spans(text)}
        for terms in ({w for w in words if A.all_chinese([w])}, {"电池"}, {"led", "电池"}, set(list(words)[:2])):
            assert H.matches(text, terms, set()) == _matches_reference(text, terms, set(), set())


def test_cached_regex_queries_find_what_fresh_ones_find(corpus):
    from ipobs.search import compile as C
    from ipobs.search.index import index_dir, open_index

    index, _ = open_index(index_dir(corpus))
    searcher = index.searcher()
    for field, pattern in (("title_fine", "电.*"), ("ipc", "H01M.*"), ("nos", "CN2019.*"), ("title_cjk", "电.?|.电")):
        fresh = tantivy.Query.regex_query(index.schema, field, pattern)
        want = sorted(a.doc for _, a in searcher.search(fresh, limit=1000).hits)
        for _ in range(2):  # the second one comes from the cache
            cached = C._regex_query(index.schema, field, pattern)
            assert sorted(a.doc for _, a in searcher.search(cached, limit=1000).hits) == want


def test_document_lists_keep_the_published_order(corpus_store):
    """``read_batches`` orders parties and IPC codes with ``list_sort`` on a key struct; it gives
    what the plain ``list(… ORDER BY …)`` definition gives, also for rows stored out of order,
    owners beside applicants and IPC rows without a sequence or a main flag."""
    from ipobs.search import documents as D

    con = corpus_store.con.cursor()
    pid = "CN202110000013"
    con.execute("DELETE FROM patent_party WHERE patent_id = ?", [pid])
    con.execute("DELETE FROM patent_ipc WHERE patent_id = ?", [pid])
    for role, seq, name in [("owner", 2, "乙公司"), ("inventor", 3, "丙"), ("applicant", 2, "甲二"),
                            ("inventor", 1, "甲"), ("owner", 1, "乙一"), ("applicant", 1, "甲一"),
                            ("agent", 1, "代理"), ("inventor", 2, "乙")]:
        con.execute("INSERT INTO patent_party (patent_id, role, seq, name) VALUES (?, ?, ?, ?)", [pid, role, seq, name])
    for ipc, seq, main in [("H01M10/54", None, None), ("C22B7/00", 2, False), ("H01M4/00", None, False),
                           ("A01B1/00", 3, None), ("B01D1/00", 1, True), ("A01B3/00", None, None)]:
        con.execute("INSERT INTO patent_ipc (patent_id, ipc, subclass, seq, is_main) VALUES (?, ?, ?, ?, ?)",
                    [pid, ipc, ipc[:4], seq, main])
    row = next(r for r in D.read_patents(con) if r["patent_id"] == pid)
    assert [p["name"] for p in row["applicants"]] == ["甲一", "甲二", "乙一", "乙公司"]
    assert row["inventors"] == ["甲", "乙", "丙"]
    assert row["ipcs"] == ["B01D1/00", "C22B7/00", "H01M4/00", "A01B1/00", "A01B3/00", "H01M10/54"]
    expected = con.execute("""
        SELECT x.patent_id,
            list(x.name ORDER BY role, seq) FILTER (WHERE role IN ('applicant', 'owner')),
            list(x.name ORDER BY seq) FILTER (WHERE role = 'inventor')
        FROM patent_party x GROUP BY x.patent_id""").fetchall()
    ipcs = dict(con.execute("SELECT patent_id, list(ipc ORDER BY is_main DESC NULLS LAST, seq NULLS LAST, ipc) "
                            "FROM patent_ipc GROUP BY patent_id").fetchall())
    rows = {r["patent_id"]: r for r in D.read_patents(con)}
    for p, apps, invs in expected:
        assert [a["name"] for a in rows[p]["applicants"] or []] == (apps or []), p
        assert (rows[p]["inventors"] or []) == (invs or []), p
    assert {p: r["ipcs"] for p, r in rows.items() if r["ipcs"]} == ipcs
