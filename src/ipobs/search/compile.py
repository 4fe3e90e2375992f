"""AST → tantivy ``Query`` objects, built with the Query API (no query strings are pasted).

Free-text words are cut like the indexed text; each word must occur (AND) and may occur in any
of its field's index fields (OR, with boosts). A word in a synonym group finds every variant.
A coarse word the index has never seen falls back to its dictionary sub-words ("as jieba
allows"). The compiler also collects the terms to highlight in results.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

import tantivy
from tantivy import Occur, Query

from ipobs.records.schema import enum_code
from ipobs.search import analysis as A
from ipobs.search import fields as F
from ipobs.search.query import (And, Not, Or, Phrase, QueryError, Range, Term, normalize_ipc, normalize_number,
                                parse)

HIGHLIGHTED = ("title", "abstract", "title_en")
_REGEX_META = set("\\.+*?()|[]{}^$#&-~\"")
_IPC_LEVEL = __import__("re").compile(r"([A-H](\d\d([A-Z](\d{1,4})?)?)?|LOC(\d{1,2}(-\d{1,2})?)?)$")


def any_of(queries: list[Query | None]) -> Query | None:
    """One query matching any of ``queries`` (the query itself when there is one; None for none). A None
    among them (a synonym or field that gave no term) is left out."""
    queries = [q for q in queries if q is not None]
    if not queries:
        return None
    return queries[0] if len(queries) == 1 else Query.boolean_query([(Occur.Should, q) for q in queries])


def all_of(queries: list[Query]) -> Query:
    """One query matching all of ``queries`` (the query itself when there is one)."""
    return queries[0] if len(queries) == 1 else Query.boolean_query([(Occur.Must, q) for q in queries])


@lru_cache(maxsize=4096)
def _cached_regex(field: str, pattern: str, schema_key: str) -> Query:
    from ipobs.search.index import build_schema

    return Query.regex_query(build_schema(), field, pattern)


def _regex_query(schema: tantivy.Schema, field: str, pattern: str) -> Query:
    """A regex query, built once per (field, pattern): building one compiles its automaton
    (about half a millisecond), and every index has the schema of ``index.build_schema``."""
    from ipobs.search.index import INDEX_FORMAT

    return _cached_regex(field, pattern, str(INDEX_FORMAT))


def regex_escape(text: str) -> str:
    return "".join("\\" + c if c in _REGEX_META else c for c in text)


@dataclass
class Highlight:
    """Terms a result's text is marked for, per highlighted field."""

    terms: dict[str, set[str]] = field(default_factory=lambda: {f: set() for f in HIGHLIGHTED})
    prefixes: dict[str, set[str]] = field(default_factory=lambda: {f: set() for f in HIGHLIGHTED})
    substrings: dict[str, set[str]] = field(default_factory=lambda: {f: set() for f in HIGHLIGHTED})

    def add(self, index_field: str, terms, prefix: bool = False) -> None:
        base = index_field.removesuffix("_fine").removesuffix("_cjk")
        if base in self.terms:
            (self.prefixes if prefix else self.terms)[base].update(terms)

    def add_substring(self, index_field: str, text: str) -> None:
        base = index_field.removesuffix("_cjk")
        if base in self.substrings:
            self.substrings[base].add("".join(c for c in A.normalize(text) if c.isalnum()).lower())

    def merge(self, other: Highlight) -> None:
        for f in HIGHLIGHTED:
            self.terms[f] |= other.terms[f]
            self.prefixes[f] |= other.prefixes[f]
            self.substrings[f] |= other.substrings[f]


class Compiler:
    def __init__(self, schema: tantivy.Schema, searcher: tantivy.Searcher, store=None, q: str = "",
                 _saved_stack: tuple[str, ...] = ()):
        self.schema, self.searcher, self.store, self.q = schema, searcher, store, q
        self.highlight = Highlight()
        self._saved_stack = _saved_stack

    def err(self, reason: str, pos: int) -> QueryError:
        return QueryError(reason, pos, self.q)

    # -- structure ---------------------------------------------------------------------------
    def compile(self, node, negated: bool = False) -> Query:
        if isinstance(node, Not):
            inner = self.compile(node.item, not negated)
            return Query.boolean_query([(Occur.Must, Query.all_query()), (Occur.MustNot, inner)])
        if isinstance(node, And):
            clauses = []
            for item in node.items:
                if isinstance(item, Not):
                    clauses.append((Occur.MustNot, self.compile(item.item, not negated)))
                else:
                    clauses.append((Occur.Must, self.compile(item, negated)))
            if all(o == Occur.MustNot for o, _ in clauses):
                clauses.insert(0, (Occur.Must, Query.all_query()))
            return Query.boolean_query(clauses)
        if isinstance(node, Or):
            return Query.boolean_query([(Occur.Should, self.compile(i, negated)) for i in node.items])
        if isinstance(node, Range):
            return self.range(node)
        kind = F.field(node.field).kind if node.field else "text"
        if kind in ("text", "name"):
            return self.text(node, negated)
        return getattr(self, f"kind_{kind}")(node)

    # -- text ------------------------------------------------------------------------------
    def _targets(self, node) -> tuple[F.Target, ...]:
        return F.field(node.field).targets if node.field else F.DEFAULT_TARGETS

    def term(self, index_field: str, text: str) -> Query:
        return Query.term_query(self.schema, index_field, text)

    def text(self, node, negated: bool) -> Query:
        targets = self._targets(node)
        if isinstance(node, Phrase):
            q = self.phrase(targets, node.text, negated)
        elif node.prefix:
            q = self.prefix(targets, node.text, negated)
        else:
            variants = A.synonyms(node.text)
            parts = []
            for v in variants:
                if v == node.text or len(A.terms(v)) <= 1:
                    parts.append(self.word(targets, v, negated))
                else:  # a synonym of several words is a phrase
                    parts.append(self.phrase(targets, v, negated))
            q = any_of(parts)
        if q is None:
            raise self.err(f"nothing to search for in “{node.text}”", node.pos)
        return q

    def _known(self, targets, term: str) -> bool:
        return any(self.searcher.doc_freq(t.field, term) for t in targets if t.analyzer == A.ZH)

    def word(self, targets, text: str, negated: bool) -> Query | None:
        """All coarse words of ``text`` (each in any ZH field), or the EN / exact-name forms."""
        alternatives = []
        zh = [t for t in targets if t.analyzer == A.ZH]
        if zh:
            musts = []
            for tok in A.terms(text, A.ZH):
                if not self._known(zh, tok):
                    fallback = self._unknown_word(zh, tok, negated)
                    if fallback is not None:
                        musts.append(fallback)
                        continue
                musts.append(self._any_field(zh, tok, negated))
            if musts:
                alternatives.append(all_of(musts))
        latin = any(c.isascii() and c.isalnum() for c in text)
        for t in targets:
            if t.analyzer == A.ZH or (t.analyzer == A.EN and not latin):
                continue
            toks = A.terms(text, t.analyzer)
            if not toks:
                continue
            qs = [self.term(t.field, x) for x in toks]
            q = all_of(qs)
            alternatives.append(Query.boost_query(q, t.boost))
            if not negated:
                self.highlight.add(t.field, toks)
        return any_of(alternatives)

    def _unknown_word(self, targets, tok: str, negated: bool) -> Query | None:
        """A word no text was cut into: its sub-words when all are known, else the exact
        Chinese string wherever it occurs (character-pair phrase)."""
        fine = [f for f in A.fine_terms(tok) if f != tok]
        if fine and all(self._known(targets, f) for f in fine):
            return Query.boolean_query([(Occur.Must, self._any_field(targets, f, negated)) for f in fine])
        if A.is_cjk(tok):
            subs = [q for t in targets if t.cjk for q in [self._substring(t, tok, negated)] if q is not None]
            if subs:
                return any_of(subs)
        return None

    def _substring(self, t: F.Target, text: str, negated: bool) -> Query | None:
        chars = "".join(A.normalize(text).split())  # spaces separate words only
        pairs = A.analyze(A.ZH, A.cjk_bigrams(chars))
        if not pairs:
            return None
        if len(chars) == 1:  # one character: any pair holding it, or the character alone
            c = regex_escape(chars.lower())
            q = _regex_query(self.schema, t.cjk, f"{c}.?|.{c}")
        elif len(pairs) == 1:
            q = self.term(t.cjk, pairs[0])
        else:
            q = Query.phrase_query(self.schema, t.cjk, pairs)
        if not negated:
            self.highlight.add_substring(t.cjk, text)
        return Query.boost_query(q, t.boost)

    def _any_field(self, targets, term: str, negated: bool) -> Query:
        qs = []
        for t in targets:
            qs.append(Query.boost_query(self.term(t.field, term), t.boost))
            if not negated:
                self.highlight.add(t.field, [term])
        return any_of(qs)

    def phrase(self, targets, text: str, negated: bool) -> Query | None:
        """Words in order in a field; an all-Chinese phrase also as an exact substring."""
        alternatives = []
        if A.is_cjk(text):
            alternatives += [q for t in targets if t.cjk for q in [self._substring(t, text, negated)] if q is not None]
        for t in targets:
            if not t.positions and t.analyzer != A.NAME:
                continue
            toks = A.terms(text, t.analyzer)
            if not toks:
                continue
            if len(toks) == 1:
                q = self.term(t.field, toks[0])
            else:
                q = Query.phrase_query(self.schema, t.field, toks)
            alternatives.append(Query.boost_query(q, t.boost))
            if not negated:
                self.highlight.add(t.field, toks)
        return any_of(alternatives)

    def prefix(self, targets, text: str, negated: bool) -> Query | None:
        """Words before the last must match; the last is a prefix of an indexed word."""
        alternatives = []
        for t in targets:
            if t.analyzer == A.ZH and not t.field.endswith("_fine") and any(
                    x.field == f"{t.field}_fine" for x in targets):
                continue  # the fine field holds every word of its coarse twin
            if t.analyzer == A.ZH:
                words = A.segmenter().cut(A.normalize(text))
                words = [w for w in words if A.has_word(w)]
                head, last = words[:-1], words[-1] if words else ""
                head_terms = A.analyze(A.ZH, " ".join(head)) if head else []
                last = A.normalize(last).lower()
            else:
                head_terms, last = [], A.normalize(text).strip().lower()
            if not last:
                continue
            musts = [self.term(t.field, h) for h in head_terms]
            musts.append(_regex_query(self.schema, t.field, regex_escape(last) + ".*"))
            q = all_of(musts)
            alternatives.append(Query.boost_query(q, t.boost))
            if not negated:
                self.highlight.add(t.field, head_terms)
                self.highlight.add(t.field, [last], prefix=True)
        return any_of(alternatives)

    # -- coded fields -------------------------------------------------------------------------
    def _index_field(self, node) -> str:
        return F.field(node.field).index_field

    def kind_ipc(self, node) -> Query:
        code = normalize_ipc(node.text)
        fld = self._index_field(node)
        if not node.prefix and _IPC_LEVEL.match(code):
            return self.term(fld, code)
        return _regex_query(self.schema, fld, regex_escape(code) + ".*")

    def kind_kind(self, node) -> Query:
        return self.term("kind", enum_code("patent_kind", node.text))

    def kind_status(self, node) -> Query:
        status, _, at = node.text.partition("@")
        code = enum_code("patent_status", status)
        if not at:
            return self.term("status", code)
        from ipobs.search.query import date_range

        day = date_range(at, node.pos, self.q)[0]
        return Query.term_set_query(self.schema, "id", self._status_ids(code, day))

    def _status_ids(self, code: str, day: dt.date) -> list[str]:
        if self.store is None:
            raise self.err("status at a date (@) needs the store's legal-status events", 0)
        from ibis import _

        from ipobs.store.history import patent_status_as_of

        expr = patent_status_as_of(self.store.table("patent_event"), day).filter(_.status == code)
        return [str(x) for x in expr.select("patent_id").execute()["patent_id"]]

    def kind_region(self, node) -> Query:
        from ipobs.entities.regions import regions

        value = node.text.strip()
        known = regions()
        if value.upper() in known or value in known:
            return self.term("region", value.upper() if value.upper() in known else value)
        if value.isdigit():
            return self.term("region", value)
        for r in known.values():
            if value in (r.name, *r.aliases) or value.lower() == r.name_en.lower():
                return self.term("region", r.code)
        toks = A.fine_terms(value)
        if not toks:
            raise self.err(f"unknown region “{value}”", node.pos)
        return Query.boolean_query([(Occur.Must, self.term("region_name", t)) for t in toks])

    def kind_number(self, node) -> Query:
        value = normalize_number(node.text)
        if node.prefix:
            return _regex_query(self.schema, "nos", regex_escape(value) + ".*")
        return self.term("nos", value)

    def kind_code(self, node) -> Query:
        fld = self._index_field(node)
        value = node.text.strip()
        return self.term(fld, value.upper() if fld == "country" else value)

    def kind_industry(self, node) -> Query:
        from ipobs.records.industries import industries

        for ind in industries().values():
            if node.text in (ind.id, ind.zh):
                return self.term("industry", ind.id)
        raise self.err(f"unknown industry '{node.text}'", node.pos)

    def kind_saved(self, node) -> Query:
        from ipobs.search.saved import saved_query

        name = node.text.strip()
        if name in self._saved_stack:
            raise self.err(f"saved search “{name}” refers to itself", node.pos)
        text = saved_query(self.store, name) if self.store is not None else None
        if text is None:
            raise self.err(f"no saved search named “{name}”", node.pos)
        try:
            inner_ast = parse(text)
            inner = Compiler(self.schema, self.searcher, self.store, text, self._saved_stack + (name,))
            q = inner.compile(inner_ast)
        except QueryError as e:
            raise self.err(f"saved search “{name}” does not parse: {e.reason}", node.pos) from None
        self.highlight.merge(inner.highlight)
        return q

    # -- dates -------------------------------------------------------------------------------
    def range(self, node: Range) -> Query:
        lo = node.lo.year * 10000 + node.lo.month * 100 + node.lo.day if node.lo else None
        hi = node.hi.year * 10000 + node.hi.month * 100 + node.hi.day if node.hi else None
        return Query.range_query(self.schema, self._index_field(node), tantivy.FieldType.Integer, lo, hi)


def compile_query(ast, schema, searcher, store=None, q: str = "") -> tuple[Query, Highlight]:
    c = Compiler(schema, searcher, store, q)
    return c.compile(ast), c.highlight
