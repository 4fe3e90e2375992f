"""The query language: tokens, precedence, fields, values, errors with positions, round trips."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipobs.search.query import (MAX_QUERY_CHARS, And, Not, Or, Phrase, QueryError, Range, Term, format_query,
                                parse)

D = dt.date


@pytest.mark.parametrize(
    ("query", "ast"),
    [
        ("锂电池", Term(None, "锂电池")),
        ("锂电池 隔膜", And((Term(None, "锂电池"), Term(None, "隔膜")))),
        ("a OR b c", Or((Term(None, "a"), And((Term(None, "b"), Term(None, "c")))))),
        ("a 或 b 与 c", Or((Term(None, "a"), And((Term(None, "b"), Term(None, "c")))))),
        ("a || b && c", Or((Term(None, "a"), And((Term(None, "b"), Term(None, "c")))))),
        ("NOT a", Not(Term(None, "a"))),
        ("非 a", Not(Term(None, "a"))),
        ("a -b", And((Term(None, "a"), Not(Term(None, "b"))))),
        ("a AND NOT b", And((Term(None, "a"), Not(Term(None, "b"))))),
        ("+a", Term(None, "a")),
        ("lithium-ion", Term(None, "lithium-ion")),
        ('"锂离子 电池"', Phrase(None, "锂离子 电池")),
        ("“锂离子电池”", Phrase(None, "锂离子电池")),
        ('"say \\"hi\\""', Phrase(None, 'say "hi"')),
        ("电池*", Term(None, "电池", prefix=True)),
        ("title:电池", Term("title", "电池")),
        ("名称：电池", Term("title", "电池")),
        ("TITLE:电池", Term("title", "电池")),
        ("标题:(锂 OR 钠)", Or((Term("title", "锂"), Term("title", "钠")))),
        ("（a 或 b） c", And((Or((Term(None, "a"), Term(None, "b"))), Term(None, "c")))),
        ("申请人:天津大学", Term("applicant", "天津大学")),
        ("发明人:张伟", Term("inventor", "张伟")),
        ("分类号:H01M", Term("ipc", "H01M")),
        ("ipc:h01m10/05*", Term("ipc", "h01m10/05", prefix=True)),
        ("类型:发明", Term("kind", "发明")),
        ("法律状态:有效", Term("status", "有效")),
        ("status:有效@2020-12-31", Term("status", "有效@2020-12-31")),
        ("区域:120116", Term("region", "120116")),
        ("申请号:CN2019*", Term("id", "CN2019", prefix=True)),
        ("filed:2019..2021", Range("filed", D(2019, 1, 1), D(2021, 12, 31))),
        ("申请日:2019..", Range("filed", D(2019, 1, 1), None)),
        ("filed:..2018", Range("filed", None, D(2018, 12, 31))),
        ("granted:2020", Range("granted", D(2020, 1, 1), D(2020, 12, 31))),
        ("授权日:2020-02", Range("granted", D(2020, 2, 1), D(2020, 2, 29))),
        ("filed:2019-03-05", Range("filed", D(2019, 3, 5), D(2019, 3, 5))),
        ("filed:>2019", Range("filed", D(2020, 1, 1), None)),
        ("filed:<2019", Range("filed", None, D(2018, 12, 31))),
        ("filed:>=2019.06", Range("filed", D(2019, 6, 1), None)),
        ("公开日:2021年6月..", Range("published", D(2021, 6, 1), None)),
        ("1:2", Term(None, "1:2")),
    ],
)
def test_parse_query_ast(query, ast):
    assert parse(query) == ast


@pytest.mark.parametrize(
    ("query", "position", "reason"),
    [
        ("", 1, "empty query"),
        ("   ", 1, "empty query"),
        ("(a OR b", 1, "unbalanced parenthesis: this '(' is never closed"),
        ("a OR (b AND (c)", 6, "unbalanced parenthesis: this '(' is never closed"),
        ("a)", 2, "unbalanced parenthesis: this ')' has no matching '('"),
        ("title:(锂电池 OR 钠电池", 7, "unbalanced parenthesis"),
        ("()", 1, "empty parentheses"),
        ("foo:bar", 1, "unknown field 'foo'"),
        ("a AND", 3, "'AND' needs a term on both sides"),
        ("OR a", 1, "'OR' needs a term on both sides"),
        ("a -", 3, "'-' has nothing to negate"),
        ("NOT", 1, "'NOT' has nothing to negate"),
        ("title:", 1, "field 'title:' needs a value"),
        ('"unclosed', 1, "unterminated quote"),
        ("filed:20x9", 7, "'20x9' is not a date"),
        ("filed:2021..2019", 7, "empty range"),
        ("filed:2019-02-30", 7, "not a calendar date"),
        ("kind:专利", 6, "unknown patent kind '专利'"),
        ("status:good", 8, "unknown legal status 'good'"),
        ("ipc:电池", 5, "is not an IPC code"),
        ("title:(abstract:x)", 8, "field 'abstract:' inside the group of field 'title:'"),
        ("'; DROP TABLE patent; --", 1, "nothing to search for in “';”"),
        ("a && ;;;", 6, "nothing to search for"),
        (".*[", 1, "nothing to search for"),
        ("(" * 40 + "a" + ")" * 40, 33, "nested too deeply"),
    ],
)
def test_parse_query_error_points_at_problem(query, position, reason):
    with pytest.raises(QueryError) as info:
        parse(query)
    assert info.value.position == position
    assert reason in info.value.reason
    assert info.value.message.startswith(f"查询语法错误 at position {position}: ")


def test_parse_query_too_long_is_refused_with_the_limit():
    with pytest.raises(QueryError) as info:
        parse("锂" * 10_000)
    assert "query too long: 10,000 characters" in info.value.reason
    assert info.value.position == MAX_QUERY_CHARS + 1


def test_parse_query_error_pointer_marks_the_column():
    with pytest.raises(QueryError) as info:
        parse("电池 AND (a")
    assert info.value.pointer() == "电池 AND (a\n         ^"


def test_parse_query_too_many_terms():
    with pytest.raises(QueryError, match="too many terms"):
        parse(" ".join(f"w{i}" for i in range(300)))


# ------------------------------------------------------------------------ property tests
@settings(max_examples=250, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab电池 ()（）"“”:：-+*&|.AORNDT非与或\\\'title名称@')), max_size=40)
       | st.text(max_size=60))
def test_parse_any_string_parses_or_points_inside(q):
    try:
        parse(q)
    except QueryError as e:
        assert 0 <= e.offset < max(len(q), 1)
        assert e.message.startswith("查询语法错误 at position ")


WORDS = st.text(alphabet=st.sampled_from(list("电池锂离子abcXYZ01")), min_size=1, max_size=6).filter(
    lambda w: w.lower() not in ("and", "or", "not"))
TEXT_FIELDS = st.sampled_from([None, "title", "abstract", "applicant", "inventor"])
DATES = st.dates(min_value=D(1985, 1, 1), max_value=D(2030, 12, 31))


@st.composite
def ranges(draw):
    lo, hi = draw(st.one_of(st.none(), DATES)), draw(st.one_of(st.none(), DATES))
    if lo is None and hi is None:
        lo = draw(DATES)
    if lo and hi and lo > hi:
        lo, hi = hi, lo
    return Range(draw(st.sampled_from(["filed", "granted", "published"])), lo, hi)


LEAVES = st.one_of(
    st.builds(Term, TEXT_FIELDS, WORDS, st.booleans()),
    st.builds(Phrase, TEXT_FIELDS, st.text(alphabet=st.sampled_from(list('电池 ab"\\1')), min_size=1, max_size=8)
              .filter(lambda t: any(c.isalnum() for c in t))),
    ranges(),
    st.builds(Term, st.just("ipc"), st.sampled_from(["H01M", "G06F17/30", "H", "LOC14-03"]), st.booleans()),
    st.builds(Term, st.just("kind"), st.sampled_from(["invention", "发明", "design"])),
)


def _trees(children):
    return st.one_of(
        st.builds(lambda xs: And(tuple(xs)), st.lists(children, min_size=2, max_size=3)),
        st.builds(lambda xs: Or(tuple(xs)), st.lists(children, min_size=2, max_size=3)),
        st.builds(Not, children),
    )


@settings(max_examples=200, deadline=None)
@given(st.recursive(LEAVES, _trees, max_leaves=8))
def test_parse_format_round_trip(ast):
    assert parse(format_query(ast)) == ast


def test_any_of_and_all_of_leave_a_single_query_as_it_is():
    from tantivy import Query

    from ipobs.search.compile import all_of, any_of

    q = Query.all_query()
    assert any_of([]) is None and any_of([None, None]) is None
    assert any_of([None, q]) is q and all_of([q]) is q
    assert "Should" in repr(any_of([q, q])) and "Must" in repr(all_of([q, q]))
