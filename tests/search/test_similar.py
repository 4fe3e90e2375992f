"""Similar patents: top TF-IDF terms of the source, the terms shown, the source left out."""

from __future__ import annotations

import pytest

from ipobs.search import NotFound, SearchError, similar


def test_similar_to_a_patent_ranks_the_closest_first(corpus):
    r = similar(corpus, "CN201920000002")  # 锂电池隔膜 (ceramic-coated separator)
    assert r.source == "CN201920000002"
    assert "CN201920000002" not in [h.id for h in r.hits]
    assert {t["term"] for t in r.terms} >= {"隔膜", "陶瓷", "涂层"}
    assert r.hits[0].id in {"CN201910000001", "CN202110000013", "CN201710000011"}
    for h in r.hits:
        assert h.matched and set(h.matched) <= {t["term"] for t in r.terms}
    assert [h.score for h in r.hits] == sorted((h.score for h in r.hits), reverse=True)


def test_similar_to_pasted_text(corpus):
    r = similar(corpus, text="一种用于无人机的飞行控制器和避障传感器")
    assert r.source is None and r.hits[0].id == "CN201810000005"
    assert {"无人机", "避障"} <= set(r.hits[0].matched)


def test_similar_terms_are_weighted_by_rarity(corpus):
    terms = similar(corpus, text="电池 电池 电池 无人机").terms
    weights = {t["term"]: t for t in terms}
    assert weights["无人机"]["df"] < weights["电池"]["df"]
    assert weights["无人机"]["weight"] / 1 > weights["电池"]["weight"] / 3


def test_similar_lowercase_id_and_unknown_id(corpus):
    assert similar(corpus, "cn201920000002").source == "CN201920000002"
    with pytest.raises(NotFound, match="no patent 'CN000'"):
        similar(corpus, "CN000")


@pytest.mark.parametrize("kw", [{}, {"patent_id": "CN201920000002", "text": "x"}, {"text": "  "}])
def test_similar_needs_exactly_one_source(corpus, kw):
    with pytest.raises(SearchError, match="give a patent id or a text"):
        similar(corpus, **kw)


def test_similar_text_sharing_nothing_says_so(corpus):
    r = similar(corpus, text="量子纠缠的退相干")
    assert r.hits == [] and "no distinctive terms" in r.warnings[0]
