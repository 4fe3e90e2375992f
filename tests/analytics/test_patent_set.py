"""Patent sets: the text form, and resolving each kind of definition to patent ids."""

from __future__ import annotations

import pytest

from ipobs.analytics.patent_set import PatentSet, PatentSetError, resolve


def test_patent_set_parse_round_trip():
    s = PatentSet.parse("ipc:G06N, g06f;region:120116;years:2015-2020")
    assert s.ipc == ("G06N", "G06F") and s.region == "120116" and s.years == (2015, 2020)
    assert PatentSet.parse(s.to_text()) == s


def test_patent_set_text_without_key_is_a_query():
    assert PatentSet.parse("锂电池 隔膜").query == "锂电池 隔膜"


@pytest.mark.parametrize("text, message", [("", "empty patent set"), ("ipc:", "has no value"),
                                           ("years:abc", "years must look like")])
def test_patent_set_parse_errors(text, message):
    with pytest.raises(PatentSetError, match=message):
        PatentSet.parse(text)


def test_patent_set_resolve_ipc_counts_any_code(mini):
    ids = resolve(mini, "ipc:G06N").ids
    expected = mini.query("SELECT DISTINCT patent_id FROM patent_ipc WHERE ipc LIKE 'G06N%' ORDER BY 1")
    assert ids == expected["patent_id"].tolist() and ids


def test_patent_set_resolve_region_covers_descendants(mini):
    ids = resolve(mini, "region:120116").ids
    assert len(ids) == int(mini.scalar("SELECT count(*) FROM patent WHERE region_code LIKE '120116%'"))


def test_patent_set_resolve_combines_with_and(mini):
    both = set(resolve(mini, "industry:nev;region:120116").ids)
    assert both == set(resolve(mini, "industry:nev").ids) & set(resolve(mini, "region:120116").ids)


def test_patent_set_resolve_entity_and_portfolio(mini, mini_info):
    e = resolve(mini, "entity:E000")
    assert e.ids and "E000" in e.description_en
    assert resolve(mini, "portfolio:HV1").ids == sorted(mini_info["ids"][:120])


def test_patent_set_resolve_hand_list_warns_about_unknown_ids(mini, mini_info):
    r = resolve(mini, f"ids:{mini_info['ids'][0]},CN000000000000")
    assert r.ids == [mini_info["ids"][0]] and r.warnings == ["1 listed ids are not in the store"]


@pytest.mark.parametrize("text, message", [("industry:bogus", "unknown industry 'bogus'"),
                                           ("region:999999", "unknown region '999999'"),
                                           ("portfolio:NOPE", "no high-value portfolio 'NOPE'")])
def test_patent_set_resolve_errors(mini, text, message):
    with pytest.raises(PatentSetError, match=message):
        resolve(mini, text)
