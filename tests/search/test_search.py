"""Searching the hand-written corpus: fields, segmentation, phrases, boolean, ranges, facets, paging."""

from __future__ import annotations

import pytest

from ipobs.search import QueryError, SearchError, search


def ids(store, q, **kw) -> set[str]:
    r = search(store, q, per_page=100, **kw)
    assert r.total == len(r.hits)
    return {h.id for h in r.hits}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Chinese segmentation: a word finds texts where jieba cut it out, sub-words included
        ("无人机", {"CN201810000005"}),
        ("图像识别", {"CN202010000006"}),
        ("深度学习图像识别", {"CN202010000006"}),  # every word, anywhere in the text
        ("隔膜", {"CN201920000002"}),
        # synonyms: 锂电池 also finds 锂离子电池 and "lithium-ion battery"
        ("锂电池", {"CN201910000001", "CN201920000002", "CN202110000013", "CN201710000011", "US16123456"}),
        # English is stemmed: battery finds batteries
        ("battery", {"US16123456", "CN201910000001", "CN202010000003", "CN201910000007"}),
        ("title:separator", {"US16123456"}),
        # phrases: quoted text is exact, no synonyms
        ('"锂离子电池"', {"CN201910000001", "CN201710000011"}),
        ('"电池 管理系统"', {"CN201910000007"}),
        ('"管理系统 电池"', set()),
        # fields
        ("title:电池 abstract:回收", {"CN202110000013"}),
        ("摘要:陶瓷", {"CN201920000002"}),
        ("申请人:天津大学", {"CN202010000003", "CN202110000004", "CN201710000011", "CN202010000006",
                         "CN202110000013"}),
        ("applicant:力神", {"CN201910000001", "CN201920000002", "CN202110000013"}),
        ('applicant:"天津滨海水务有限公司"', {"CN201820000008", "CN202020000009", "CN201610000014"}),
        ("发明人:张伟", {"CN201910000001", "CN202110000013"}),
        ("inventor:smith", {"US16123456"}),
        ("分类号:H01M10", {"CN201910000001", "CN202010000003", "CN201910000007", "US16123456", "CN202110000013"}),
        ("ipc:H01M10/05", {"CN201910000001", "CN202010000003", "US16123456"}),
        ("主分类号:C02F", {"CN201820000008"}),
        ("ipc:LOC12", {"CN202130000010"}),
        ("类型:外观设计", {"CN202130000010"}),
        ("kind:utility", {"CN201920000002", "CN201820000008", "CN202020000009"}),
        ("法律状态:驳回", {"CN201610000014"}),
        ("status:lapsed", {"CN201910000007"}),
        # as-of status comes from the dated events
        ("status:有效@2022-01-01", {"CN201910000007"}),
        ("status:有效@2024-01-01", set()),
        ("区域:高新区", {"CN201910000001", "CN201920000002", "CN202110000013"}),
        ("region:120116Z4", {"CN202010000006", "CN201910000007", "CN202130000010"}),
        ("申请号:CN2019*", {"CN201910000001", "CN201920000002", "CN201910000007"}),
        ("申请号:201910000001", {"CN201910000001"}),
        ("id:us16123456", {"US16123456"}),
        ("country:us", {"US16123456"}),
        ("entity:E003", {"CN201810000005"}),
        ("锂*", {"CN201910000001", "CN201920000002", "CN202110000013", "CN201710000011"}),
    ],
)
def test_search_finds(corpus, query, expected):
    assert ids(corpus, query) == expected


def test_search_region_covers_streets_below(corpus):
    from ipobs.entities.regions import descendants

    binhai = corpus.query(
        "SELECT patent_id FROM patent WHERE region_code IN (SELECT unnest(?))", [list(descendants("120116"))]
    )["patent_id"]
    assert ids(corpus, "region:120116") == set(binhai) and len(binhai) == 9
    assert ids(corpus, "区域:滨海新区") == set(binhai)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("电池 NOT 锂电池", {"CN202010000003", "CN202110000004", "CN201910000007", "CN201610000014"}),
        ("电池 AND NOT 锂电池", {"CN202010000003", "CN202110000004", "CN201910000007", "CN201610000014"}),
        ("电池 -锂电池 -title:钠", {"CN202010000003", "CN201910000007", "CN201610000014"}),
        ("无人机 OR 图像识别", {"CN201810000005", "CN202010000006"}),
        ("(无人机 或 图像识别) 与 filed:2020", {"CN202010000006"}),
        ("kind:design || kind:utility && 机器人", {"CN202130000010", "CN202020000009"}),
    ],
)
def test_search_boolean(corpus, query, expected):
    assert ids(corpus, query) == expected


def test_search_not_alone_is_everything_else(corpus):
    everything = corpus.count("patent")
    assert search(corpus, "NOT kind:invention").total == everything - search(corpus, "kind:invention").total


@pytest.mark.parametrize(
    ("query", "sql"),
    [
        ("filed:2019..2020", "filing_date BETWEEN '2019-01-01' AND '2020-12-31'"),
        ("filed:2019..", "filing_date >= '2019-01-01'"),
        ("申请日:..2017", "filing_date <= '2017-12-31'"),
        ("granted:2020", "grant_date BETWEEN '2020-01-01' AND '2020-12-31'"),
        ("授权日:2021-05", "grant_date BETWEEN '2021-05-01' AND '2021-05-31'"),
        ("filed:>2019-06-01", "filing_date > '2019-06-01'"),
    ],
)
def test_search_date_ranges_match_sql(corpus, query, sql):
    expected = set(corpus.query(f"SELECT patent_id FROM patent WHERE {sql}")["patent_id"])
    assert ids(corpus, query) == expected and expected


def test_search_total_is_exact_and_pages_partition_results(corpus):
    full = search(corpus, "电池", per_page=100)
    pages = [search(corpus, "电池", page=p, per_page=3, facets=False) for p in (1, 2, 3, 4)]
    assert all(p.total == full.total for p in pages)
    assert [h.id for p in pages for h in p.hits] == [h.id for h in full.hits]
    assert full.total == 8  # 7 with 电池 in the text, 1 with 电池 only in its applicant's name


def test_search_sort_by_date(corpus):
    newest = search(corpus, "电池", sort="date", per_page=100)
    dates = [h.filing_date for h in newest.hits]
    assert dates == sorted(dates, reverse=True) and newest.hits[0].score is None
    oldest = search(corpus, "电池", sort="date_asc", per_page=100)
    assert [h.filing_date for h in oldest.hits] == sorted(dates)


def test_search_relevance_prefers_title_matches(corpus):
    hits = search(corpus, "隔膜 OR 陶瓷").hits
    assert hits[0].id == "CN201920000002"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_search_snippet_marks_original_text_and_escapes_html(corpus):
    hit = search(corpus, "石墨烯 script").hits[0]
    assert hit.id == "CN201710000011"
    assert hit.title_html == "<mark>石墨烯</mark>复合材料及其应用"
    assert "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt; &amp; 测试" in hit.snippet
    assert "<script>" not in hit.snippet and " " not in hit.title_html


def test_search_snippet_marks_synonyms_and_english(corpus):
    us = next(h for h in search(corpus, "锂电池").hits if h.id == "US16123456")
    assert us.snippet.startswith("A <mark>lithium-ion</mark> <mark>battery</mark> comprising")
    cn = next(h for h in search(corpus, "锂电池").hits if h.id == "CN201910000001")
    assert cn.title_html == "一种<mark>锂离子电池</mark>正极材料及其制备方法"


def test_search_snippet_is_a_window_around_matches():
    from ipobs.search.highlight import snippet

    text = "前" * 300 + "锂电池" + "后" * 300
    s = snippet(text, {"锂电池"}, set(), width=100)
    assert s.startswith("…") and s.endswith("…") and "<mark>锂电池</mark>" in s
    assert len(s.replace("<mark>", "").replace("</mark>", "")) == 102


def test_search_negated_terms_are_not_highlighted(corpus):
    hit = search(corpus, "电池 -锂电池").hits[0]
    assert "锂电池</mark>" not in hit.title_html and "<mark>锂" not in hit.snippet


@pytest.mark.parametrize("bad", ["title:(电池", "foo:bar", "", "'; DROP TABLE patent; --", "x" * 10_000, ".*[",
                                 "filed:2020..2019", "ipc:H01M.*", "检索式:没有这个"])
def test_search_bad_query_raises_query_error_never_crashes(corpus, bad):
    with pytest.raises(QueryError) as info:
        search(corpus, bad)
    assert 0 <= info.value.offset < max(len(bad), 1)


def test_search_regex_characters_are_literal(corpus):
    assert search(corpus, "电池.*").total == search(corpus, "电池").total
    assert search(corpus, "a|b.+").total == 0
    assert ids(corpus, "锂[电]池") == ids(corpus, "锂 电 池")  # brackets separate characters


def test_search_single_character_matches_as_substring(corpus):
    assert ids(corpus, "钠") == {"CN202110000004"}
    assert ids(corpus, "title:钴") == set() and ids(corpus, "钴") == {"CN202110000013"}


@pytest.mark.parametrize(("kw", "message"), [({"page": 0}, "page must be 1 or more"),
                                             ({"per_page": 5000}, "per_page must be between"),
                                             ({"sort": "title"}, "unknown sort 'title'")])
def test_search_bad_options(corpus, kw, message):
    with pytest.raises(SearchError, match=message):
        search(corpus, "电池", **kw)


def test_search_page_past_the_end_is_empty_with_exact_total(corpus):
    r = search(corpus, "电池", page=50, per_page=10)
    assert r.hits == [] and r.total == 8


# ---------------------------------------------------------------------------------- facets
FACET_SQL = {
    "year": "SELECT CAST(year(filing_date) AS VARCHAR) k, count(*) n FROM patent WHERE patent_id IN ({ids}) GROUP BY 1",
    "kind": "SELECT kind k, count(*) n FROM patent WHERE patent_id IN ({ids}) GROUP BY 1",
    "status": "SELECT status k, count(*) n FROM patent WHERE patent_id IN ({ids}) GROUP BY 1",
    "ipc": "SELECT subclass k, count(DISTINCT patent_id) n FROM patent_ipc WHERE patent_id IN ({ids}) GROUP BY 1",
    "applicant": "SELECT entity_id || chr(9) || e.name k, count(DISTINCT patent_id) n FROM patent_party "
                 "JOIN entity e USING (entity_id) WHERE role IN ('applicant', 'owner') AND patent_id IN ({ids}) "
                 "GROUP BY 1 UNION ALL SELECT '~' || chr(9) || name, count(DISTINCT patent_id) FROM patent_party "
                 "WHERE entity_id IS NULL AND role IN ('applicant', 'owner') AND patent_id IN ({ids}) GROUP BY name",
}


@pytest.mark.parametrize("query", ["电池", "kind:invention", "NOT 电池", "region:120116 OR 天津大学"])
def test_search_facets_exact_counts_match_duckdb(corpus, query):
    r = search(corpus, query, per_page=100)
    id_list = ", ".join(f"'{h.id}'" for h in r.hits)
    for name, sql in FACET_SQL.items():
        expected = dict(corpus.con.execute(sql.format(ids=id_list)).fetchall())
        got = {b["key"]: b["count"] for b in r.facets[name]["buckets"]}
        assert got == {str(k): v for k, v in expected.items()}, name
        assert r.facets[name]["exact"]


def test_search_facet_region_is_zone_level_and_buckets_drill_down(corpus):
    r = search(corpus, "region:120116")
    buckets = {b["key"]: b for b in r.facets["region"]["buckets"]}
    assert set(buckets) == {"120116Z1", "120116Z4", "120116Z6"}
    assert buckets["120116Z6"]["label"] == "滨海高新区"
    for b in buckets.values():
        assert search(corpus, f"region:120116 {b['query']}").total == b["count"]


def test_search_facet_recounts_when_aggregation_is_approximate(corpus, monkeypatch):
    from ipobs.search import facets

    monkeypatch.setattr(facets, "SEGMENT_TERMS", 1)
    monkeypatch.setattr(facets, "FACETS", tuple(
        f if f.name != "applicant" else facets.FacetDef(f.name, f.field, f.zh, f.en, 1, f.label, f.drill)
        for f in facets.FACETS))
    r = search(corpus, "电池")
    (top,) = r.facets["applicant"]["buckets"]
    assert top["count"] == search(corpus, f"电池 {top['query']}").total


def test_search_result_json_shape(corpus):
    d = search(corpus, "锂电池", per_page=2).to_dict()
    assert set(d) >= {"total", "hits", "facets", "query", "page", "per_page", "sort", "warnings", "stale"}
    assert set(d["hits"][0]) >= {"id", "title", "score", "snippet"}
    assert d["query"] == "锂电池"
