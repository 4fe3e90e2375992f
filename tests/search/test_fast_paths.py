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
    """clean() (chunks, then lowercasing and stemming in Python) and the ZH analyzer (whitespace,
    long-token limit) give the terms and positions of recipe 4's regex tokenizer and filters."""
    assert _positions(A.analyzers()[A.ZH], A.clean(text)) == _positions(_OLD, text)
    assert A.analyze(A.ZH, text) == _OLD.analyze(text)


_FILTERS = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.stemmer("english")).build())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("0123456789电池锂离子无人机控制〇\u3400\u4dbf\u4e00\u9fff\uf900\ufaff")),
                min_size=1, max_size=12).map("".join))
def test_lowercasing_and_stemming_leave_chinese_and_digits_alone(chunk):
    """What clean() leaves unfolded, tantivy's lowercase and English stemmer filters would too."""
    assert _FILTERS.analyze(chunk) == [chunk]


def test_folding_english_words():
    assert A.analyze(A.ZH, "Batteries LEDs 锂电池 5G ＬＥＤ的 running") == [
        "batteri", "led", "锂电池", "5g", "ｌｅｄ的", "run"]
    long_word = "x" * 58 + "ing"  # 61 bytes: dropped before stemming, as the filters did
    assert A.analyze(A.ZH, f"电池 {long_word} 电池") == ["电池", "电池"]
    assert _positions(A.analyzers()[A.ZH], A.clean(f"电池 {long_word} 电池")) == [("电池", 0), ("电池", 2)]


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


# ---- documents: SQL writes most fields, Python the segmented ones; the obvious per-row code
def _levels(code):
    if code.startswith("LOC"):
        return list(dict.fromkeys(["LOC", code.partition("-")[0], code]))
    out = [code[:1], code[:3], code[:4]]
    group = code.split("/", 1)[0]
    if len(group) > 4:
        out.append(group)
    return list(dict.fromkeys(c for c in out + [code] if c))


def _number(v):
    return None if not v else "".join(str(v).split()).replace(".", "").upper()


def _pidnum(pid):
    if len(pid) < 3 or not ("A" <= pid[0] <= "Z" and "A" <= pid[1] <= "Z") or not pid[2:].isascii() \
            or not pid[2:].isdigit() or len(pid) - 2 > 15:
        return 0
    return ((((ord(pid[0]) - 65) * 26 + ord(pid[1]) - 65) * 16 + len(pid) - 2) << 50) | int(pid[2:])


def _day(d):
    return d.year * 10000 + d.month * 100 + d.day if d else None


def _expected_document(row):
    """One patent's index fields, written field by field from its row (the pre-SQL definition)."""
    from ipobs.search import documents as D

    pid, apps = row["patent_id"], row["applicants"] or []
    d = {"id": pid, "pidnum": _pidnum(pid)}
    d["nos"] = list(dict.fromkeys(filter(None, (pid, pid[2:] if pid[:2].isalpha() else None,
                                                *map(_number, (row["application_no"], row["publication_no"],
                                                               row["grant_no"]))))))
    for name in ("title", "abstract"):
        if row[name]:
            text = A.normalize(row[name])
            d[name], d[f"{name}_fine"], d[f"{name}_cjk"] = A.coarse(text), A.fine(text), A.cjk_bigrams(text)
    if row["title_en"]:
        d["title_en"] = row["title_en"]
    names = list(dict.fromkeys(n for p in apps for n in (p["name"], p["entity_name"]) if n))
    if names:
        joined = " ; ".join(names)
        d["applicant"], d["applicant_fine"] = A.coarse(joined), A.fine(joined)
        d["applicant_name"] = list(dict.fromkeys(A.normalize(n).strip() for n in names))
    d["applicant_key"] = list(dict.fromkeys(
        f"{p['entity']}\t{p['entity_name'] or p['name']}" if p["entity"] else f"~\t{p['norm'] or p['name']}"
        for p in apps))
    d["entity"] = list(dict.fromkeys(p["entity"] for p in apps if p["entity"]))
    inventors = [n for n in row["inventors"] or [] if n]
    if inventors:
        d["inventor"] = A.fine(" ; ".join(inventors))
        d["inventor_name"] = list(dict.fromkeys(A.normalize(n).strip() for n in inventors))
    codes, main = list(row["ipcs"] or []), row["ipc_main"]
    if main and main not in codes:
        codes.insert(0, main)
    d["ipc"] = list(dict.fromkeys(lv for c in codes for lv in _levels(c)))
    d["ipc_main"] = _levels(main) if main else []
    d["ipc_sub"] = sorted(set(row["subclasses"] or ([main[:4]] if main else [])))  # list(DISTINCT): no order
    d["kind"], d["status"] = row["kind"] or "none", row["status"] or "none"
    if row["country"]:
        d["country"] = row["country"].upper()
    if row["industry"]:
        d["industry"] = row["industry"]
    if row["region_code"]:
        d["region"] = list(D.region_chain(row["region_code"]))
        if D._region_name_words(row["region_code"]):
            d["region_name"] = D._region_name_words(row["region_code"])
    d["zone"] = D.region_zone(row["region_code"])
    for field, col in (("filed", "filing_date"), ("granted", "grant_date"), ("published", "publication_date")):
        if row[col]:
            d[field] = _day(row[col])
    d["filed_year"] = row["filing_date"].year if row["filing_date"] else 0
    iso = {c: row[c].isoformat() if row[c] else None for c in ("filing_date", "publication_date", "grant_date")}
    d["payload"] = {
        "id": pid, "application_no": row["application_no"], "publication_no": row["publication_no"],
        "grant_no": row["grant_no"], "kind": row["kind"], **iso, "title": row["title"] or "",
        "title_en": row["title_en"] or "", "abstract": row["abstract"] or "", "applicants": [p["name"] for p in apps],
        "inventors": list(row["inventors"] or []), "ipc_main": main, "ipcs": list(row["ipcs"] or [])[:20],
        "region_code": row["region_code"], "status": row["status"], "country": row["country"],
        "industry": row["industry"], "synthetic": bool(row["synthetic"])}
    return {k: v for k, v in d.items() if v != []}


def _documents(con):
    import base64
    import json

    from ipobs.search import documents as D

    out = {}
    for batch in D.read_batches(con, batch_rows=7):
        for doc in D.docs_json(batch):
            d = json.loads(doc)
            d["payload"] = json.loads(base64.b64decode(d["payload"]))
            d["ipc_sub"] = sorted(d.get("ipc_sub", []))
            out[d["id"]] = d
    return out


_ODD_ROWS = [  # (patent_id, application_no, publication_no, kind, status, ipc_main, region_code, title)
    ("US1234567B2", "16/123.456", " us 2019 0001 a1 ", "", None, "LOC(15)-01", None, "ＬＥＤ灯 and 灯"),
    ("CN-X", None, "CN\u3000101.0\t42", "外观设计", "", None, "", ""),
    ("CN202110009999", "2021 1000 9999.9", None, "发明", "有效", "H01M10/0525", "120116", "锂 电池"),
    ("ep1", "", "", "utility", "lapsed", "A01B", "120104", "，"),
]


def test_documents_equal_the_field_by_field_definition(corpus_store):
    """The SQL-made fields (numbers, IPC levels, facet keys, dates, payload) and the Python-made
    ones (segmented text, names, regions) give each patent what writing it field by field gives,
    on the corpus and on rows with odd ids, numbers, Locarno and missing values."""
    from ipobs.search import documents as D

    con = corpus_store.con.cursor()
    for pid, app, pub, kind, status, main, region, title in _ODD_ROWS:
        con.execute("INSERT INTO patent (patent_id, application_no, publication_no, kind, status, ipc_main, "
                    "region_code, title, filing_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [pid, app, pub, kind, status, main, region, title, "2021-03-04"])
    con.execute("INSERT INTO patent_ipc (patent_id, ipc, subclass, seq, is_main) VALUES "
                "('CN202110009999', 'G06N3/08', 'G06N', 1, false), ('CN202110009999', 'G06N3/04', 'G06N', 2, false)")
    con.execute("INSERT INTO patent_party (patent_id, role, seq, name, name_norm) VALUES "
                "('US1234567B2', 'applicant', 1, '甲公司', ''), ('US1234567B2', 'owner', 1, '甲公司', '甲公司'), "
                "('US1234567B2', 'applicant', 2, 'ABC公司', NULL), ('US1234567B2', 'owner', 2, 'ＡＢＣ公司', NULL), "
                "('CN-X', 'inventor', 1, '', NULL)")
    rows = {r["patent_id"]: r for r in D.read_patents(con)}
    docs = _documents(con)
    assert docs.keys() == rows.keys() and len(rows) == corpus_store.count("patent") > len(_ODD_ROWS)
    for pid, row in rows.items():
        assert {k: v for k, v in docs[pid].items() if v != []} == _expected_document(row), pid
    assert D.decode_pid(docs["CN202110009999"]["pidnum"]) == "CN202110009999"
    assert docs["US1234567B2"]["pidnum"] == docs["CN-X"]["pidnum"] == 0
    assert docs["US1234567B2"]["applicant_name"] == ["甲公司", "ABC公司"]  # ＡＢＣ公司 is ABC公司 after NFKC


def test_pairs_of_many_texts_equal_those_of_each():
    texts = ["动力电池", "", "a电b", "ＬＥＤ灯，锂离子电池组", "\x00电池", "电\ud800池", "〇一二", "x"]
    assert A.cjk_bigrams_many(texts) == [A.cjk_bigrams(t) for t in texts]
    assert A.cjk_bigrams_many([]) == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_CJK_CHARS + ["\x00", "\u3400", "\u9fa5", "\ufa6e"]), max_size=12)
                .map("".join), max_size=6))
def test_pairs_of_many_texts_equal_those_of_each_generated(texts):
    assert A.cjk_bigrams_many(texts) == [A.cjk_bigrams(t) for t in texts]


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
    monkeypatch.setattr(I, "AHEAD", 1)  # a window smaller than the batches: the workers wait for the writer
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
