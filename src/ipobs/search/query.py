"""The query language: tokenizer, recursive-descent parser, AST and formatter.

Grammar (operators are case-insensitive; NOT binds tightest, then AND, then OR)::

    query   := or EOF
    or      := and (("OR" | "或" | "||") and)*
    and     := unary (["AND" | "与" | "&&"] unary)*        -- juxtaposition is AND
    unary   := ("NOT" | "非" | "-") unary | "+" unary | primary
    primary := "(" or ")" | FIELD ":" value | WORD | PHRASE
    value   := "(" or ")" | WORD | PHRASE                  -- a group applies the field inside

A WORD ending in ``*`` is a prefix. Phrases are quoted with ``"…"`` or ``“…”``. Parentheses may
be full-width. Every error is a :class:`QueryError` with the offset it points at.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ipobs.records.schema import ENUMS, enum_code
from ipobs.search import fields as F
from ipobs.search.analysis import has_word

MAX_QUERY_CHARS = 2000
MAX_DEPTH = 32
MAX_TERMS = 256


class QueryError(ValueError):
    """A query that cannot be read; ``offset`` is the 0-based character it points at."""

    def __init__(self, reason: str, offset: int, query: str = ""):
        self.reason = reason
        self.offset = max(0, min(offset, max(len(query) - 1, 0)))
        self.query = query
        super().__init__(self.message)

    @property
    def position(self) -> int:
        """1-based position, as shown to people."""
        return self.offset + 1

    @property
    def message(self) -> str:
        return f"查询语法错误 at position {self.position}: {self.reason}"

    def pointer(self, width: int = 60) -> str:
        """The query (or the part around the error) with a caret under the position."""
        start = max(0, self.offset - width // 2)
        part = self.query[start:start + width].replace("\n", " ").replace("\t", " ")
        lead = "…" if start else ""
        # East Asian characters take two columns in a terminal
        pad = sum(2 if ord(c) > 0x2E7F else 1 for c in self.query[start:self.offset]) + len(lead)
        return f"{lead}{part}\n{' ' * pad}^"

    def to_dict(self) -> dict:
        return {"code": "query-syntax", "position": self.position, "reason": self.reason, "message": self.message}


# ------------------------------------------------------------------------------------- AST
@dataclass(frozen=True)
class Term:
    field: str | None  # None: the default fields
    text: str
    prefix: bool = False
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Phrase:
    field: str | None
    text: str
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Range:
    field: str
    lo: dt.date | None
    hi: dt.date | None
    pos: int = field(default=0, compare=False)


@dataclass(frozen=True)
class And:
    items: tuple


@dataclass(frozen=True)
class Or:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: object


Node = Term | Phrase | Range | And | Or | Not


# ------------------------------------------------------------------------------- tokenizer
@dataclass(frozen=True)
class Tok:
    kind: str  # WORD PHRASE FIELD LPAREN RPAREN AND OR NOT PLUS
    text: str
    pos: int


_OPEN = "(（"
_CLOSE = ")）"
_QUOTES = {'"': '"', "“": "”", "”": "”"}
_STOP = set(_OPEN + _CLOSE) | set(_QUOTES)
_KEYWORDS = {"and": "AND", "与": "AND", "or": "OR", "或": "OR", "not": "NOT", "非": "NOT"}
_IDENT = re.compile(r"[A-Za-z_\u4e00-\u9fff][A-Za-z0-9_\u4e00-\u9fff]*$")
_SPACE = re.compile(r"\s+")


def tokenize(q: str) -> list[Tok]:
    out: list[Tok] = []
    i, n = 0, len(q)
    while i < n:
        c = q[i]
        if c.isspace():
            i = _SPACE.match(q, i).end()
        elif c in _OPEN:
            out.append(Tok("LPAREN", c, i))
            i += 1
        elif c in _CLOSE:
            out.append(Tok("RPAREN", c, i))
            i += 1
        elif c in _QUOTES:
            i = _phrase(q, i, out)
        elif q.startswith("&&", i) or q.startswith("||", i):
            out.append(Tok("AND" if c == "&" else "OR", q[i:i + 2], i))
            i += 2
        elif c in "-+" and _at_term_start(out, q, i):
            out.append(Tok("NOT" if c == "-" else "PLUS", c, i))
            i += 1
        else:
            i = _word(q, i, out)
    return out


def _at_term_start(out: list[Tok], q: str, i: int) -> bool:
    """'-' / '+' are operators at the start of a term, not inside a word (lithium-ion)."""
    return i == 0 or q[i - 1].isspace() or q[i - 1] in _OPEN or (out and out[-1].kind in ("FIELD", "NOT", "PLUS"))


def _phrase(q: str, i: int, out: list[Tok]) -> int:
    close = _QUOTES[q[i]]
    j, buf = i + 1, []
    while j < len(q):
        c = q[j]
        if c == "\\" and q[i] == '"' and j + 1 < len(q):
            buf.append(q[j + 1])
            j += 2
            continue
        if c == close or (c == '"' and q[i] != '"'):
            out.append(Tok("PHRASE", "".join(buf), i))
            return j + 1
        buf.append(c)
        j += 1
    raise QueryError("unterminated quote: this quote is never closed", i, q)


def _word(q: str, i: int, out: list[Tok]) -> int:
    j = i
    while j < len(q) and not q[j].isspace() and q[j] not in _STOP and not q.startswith(("&&", "||"), j):
        if q[j] in ":：" and _IDENT.match(q[i:j] or "-"):
            name = q[i:j]
            if F.lookup(name) is None:
                raise QueryError(f"unknown field '{name}'; known fields: {F.known_names()} "
                                 "(put text with a colon in quotes)", i, q)
            out.append(Tok("FIELD", F.lookup(name).name, i))
            return j + 1
        j += 1
    text = q[i:j]
    kw = _KEYWORDS.get(text.lower())
    out.append(Tok(kw, text, i) if kw else Tok("WORD", text, i))
    return j


# ---------------------------------------------------------------------------------- parser
def parse(q: str) -> Node:
    """Parse a query into an AST, or raise :class:`QueryError` pointing at the problem."""
    if q is None or not q.strip():
        raise QueryError("empty query: type words to search for, e.g. 锂电池 or title:电池", 0, q or "")
    if len(q) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long: {len(q):,} characters (the limit is {MAX_QUERY_CHARS:,}); "
                         "save long IPC lists as a saved search and combine them", MAX_QUERY_CHARS, q)
    return _Parser(q, tokenize(q)).parse()


class _Parser:
    def __init__(self, q: str, toks: list[Tok]):
        self.q, self.toks, self.i, self.depth, self.leaves = q, toks, 0, 0, 0

    def err(self, reason: str, pos: int) -> QueryError:
        return QueryError(reason, pos, self.q)

    def peek(self) -> Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> Tok:
        t = self.toks[self.i]
        self.i += 1
        return t

    def parse(self) -> Node:
        node = self.or_(None)
        t = self.peek()
        if t is not None:
            if t.kind == "RPAREN":
                raise self.err("unbalanced parenthesis: this ')' has no matching '('", t.pos)
            raise self.err(f"unexpected '{t.text}'", t.pos)
        return node

    def _enter(self, pos: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.err(f"query nested too deeply (more than {MAX_DEPTH} levels)", pos)

    def or_(self, fld: str | None) -> Node:
        items = [self.and_(fld)]
        while (t := self.peek()) is not None and t.kind == "OR":
            self.take()
            if not self._starts_unary(self.peek()):
                raise self.err(f"'{t.text}' needs a term on both sides", t.pos)
            items.append(self.and_(fld))
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_(self, fld: str | None) -> Node:
        items = [self.unary(fld)]
        while (t := self.peek()) is not None:
            if t.kind == "AND":
                self.take()
                if not self._starts_unary(self.peek()):
                    raise self.err(f"'{t.text}' needs a term on both sides", t.pos)
            elif not self._starts_unary(t):
                break
            items.append(self.unary(fld))
        return items[0] if len(items) == 1 else And(tuple(items))

    @staticmethod
    def _starts_unary(t: Tok | None) -> bool:
        return t is not None and t.kind in ("WORD", "PHRASE", "FIELD", "LPAREN", "NOT", "PLUS")

    def unary(self, fld: str | None) -> Node:
        t = self.peek()
        if t is None:
            raise self.err("the query ends where a term was expected", len(self.q) - 1)
        if t.kind in ("NOT", "PLUS"):
            self.take()
            self._enter(t.pos)
            if not self._starts_unary(self.peek()):
                what = "negate" if t.kind == "NOT" else "require"
                raise self.err(f"'{t.text}' has nothing to {what} after it", t.pos)
            item = self.unary(fld)
            self.depth -= 1
            return Not(item) if t.kind == "NOT" else item
        return self.primary(fld)

    def primary(self, fld: str | None) -> Node:
        t = self.take()
        if t.kind == "LPAREN":
            return self.group(t, fld)
        if t.kind == "RPAREN":
            raise self.err("unbalanced parenthesis: this ')' has no matching '('", t.pos)
        if t.kind in ("AND", "OR"):
            raise self.err(f"'{t.text}' needs a term on both sides", t.pos)
        if t.kind == "FIELD":
            if fld is not None:
                raise self.err(f"field '{t.text}:' inside the group of field '{fld}:'", t.pos)
            v = self.peek()
            if v is None or v.kind not in ("WORD", "PHRASE", "LPAREN"):
                raise self.err(f"field '{t.text}:' needs a value after it", t.pos)
            self.take()
            if v.kind == "LPAREN":
                return self.group(v, t.text)
            return self.leaf(v, t.text)
        return self.leaf(t, fld)

    def group(self, open_tok: Tok, fld: str | None) -> Node:
        self._enter(open_tok.pos)
        if (t := self.peek()) is not None and t.kind == "RPAREN":
            raise self.err("empty parentheses", open_tok.pos)
        if t is None:
            raise self.err("unbalanced parenthesis: this '(' is never closed", open_tok.pos)
        node = self.or_(fld)
        close = self.peek()
        if close is None or close.kind != "RPAREN":
            raise self.err("unbalanced parenthesis: this '(' is never closed", open_tok.pos)
        self.take()
        self.depth -= 1
        return node

    def leaf(self, t: Tok, fld: str | None) -> Node:
        self.leaves += 1
        if self.leaves > MAX_TERMS:
            raise self.err(f"too many terms (more than {MAX_TERMS}); save part of the query as a saved search", t.pos)
        return make_leaf(fld, t.text, t.kind == "PHRASE", t.pos, self.q)


# ------------------------------------------------------------------------- values by field
_DATE = re.compile(r"(\d{4})年?(?:[-./]?(\d{1,2})月?(?:[-./]?(\d{1,2})日?)?)?$")
_IPC = re.compile(r"([A-H](\d\d([A-Z](\d{1,4}(/\d{0,6})?)?)?)?|LOC\d{0,2}(-\d{0,2})?)$")
_NUMBER = re.compile(r"[A-Z0-9.\-/]+$")


def make_leaf(fld: str | None, text: str, quoted: bool, pos: int, q: str = "") -> Node:
    """A term, phrase or range for ``text`` in field ``fld``, checked against the field's kind."""
    kind = F.field(fld).kind if fld else "text"
    if kind == "date":
        return Range(fld, *date_range(text, pos, q), pos=pos)
    if not text.strip():
        raise QueryError("empty phrase" if quoted else "empty value", pos, q)
    if kind in ("text", "name"):
        if not has_word(text):
            raise QueryError(f"nothing to search for in “{text}” (only punctuation or symbols)", pos, q)
        if quoted:
            return Phrase(fld, text, pos=pos)
        if text.endswith("*") and len(text) > 1:
            return Term(fld, text[:-1], True, pos=pos)
        return Term(fld, text, pos=pos)
    if quoted and kind not in ("region", "saved", "code"):
        raise QueryError(f"field '{fld}:' takes a code, not a phrase", pos, q)
    prefix = text.endswith("*") and len(text) > 1 and kind in ("ipc", "number")
    value = text[:-1] if prefix else text
    check_value(fld, kind, value, pos, q)
    return Term(fld, value, prefix, pos=pos)


def check_value(fld: str, kind: str, value: str, pos: int, q: str) -> None:
    if kind == "ipc" and not _IPC.match(normalize_ipc(value)):
        raise QueryError(f"'{value}' is not an IPC code or prefix (e.g. H01M, H01M10/0525, LOC14-03)", pos, q)
    if kind == "kind" and enum_code("patent_kind", value) is None:
        raise QueryError(f"unknown patent kind '{value}'; use {_labels('patent_kind')}", pos, q)
    if kind == "status":
        status, _, at = value.partition("@")
        if enum_code("patent_status", status) is None:
            raise QueryError(f"unknown legal status '{status}'; use {_labels('patent_status')}", pos, q)
        if at:
            lo, hi = date_range(at, pos + len(status) + 1, q)
            if lo != hi:
                raise QueryError(f"'{at}' is not a single day: write status:有效@2020-12-31", pos, q)
    if kind == "number" and not _NUMBER.match(normalize_number(value)):
        raise QueryError(f"'{value}' is not an application or publication number", pos, q)
    if kind == "industry":
        from ipobs.records.industries import industries

        known = {i.id for i in industries().values()} | {i.zh for i in industries().values()}
        if value not in known:
            raise QueryError(f"unknown industry '{value}'; use one of {', '.join(sorted(known))}", pos, q)


def _labels(enum: str) -> str:
    return ", ".join(f"{zh}/{code}" for code, (zh, _) in ENUMS[enum].items())


def normalize_ipc(value: str) -> str:
    import unicodedata

    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value)).upper()


def normalize_number(value: str) -> str:
    import unicodedata

    return re.sub(r"[\s.]", "", unicodedata.normalize("NFKC", value)).upper()


def _period(text: str, pos: int, q: str) -> tuple[dt.date, dt.date]:
    m = _DATE.match(text.strip())
    if not m:
        raise QueryError(f"'{text}' is not a date: use 2019, 2019-03 or 2019-03-01", pos, q)
    y, mo, d = int(m[1]), m[2], m[3]
    try:
        if d:
            day = dt.date(y, int(mo), int(d))
            return day, day
        if mo:
            first = dt.date(y, int(mo), 1)
            nxt = dt.date(y + (first.month == 12), first.month % 12 + 1, 1)
            return first, nxt - dt.timedelta(days=1)
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    except ValueError:
        raise QueryError(f"'{text}' is not a calendar date", pos, q) from None


def date_range(text: str, pos: int, q: str = "") -> tuple[dt.date | None, dt.date | None]:
    """Inclusive (lo, hi) of ``2019``, ``2019..2021``, ``2019..``, ``..2018``, ``>=2019``, ``<2020-06``…"""
    t = text.strip()
    if not t:
        raise QueryError("empty date: use 2019, 2019..2021 or 2019-03-01", pos, q)
    for op in (">=", "<=", ">", "<"):
        if t.startswith(op):
            lo, hi = _period(t[len(op):], pos + len(op), q)
            if op == ">=":
                return lo, None
            if op == ">":
                return hi + dt.timedelta(days=1), None
            if op == "<=":
                return None, hi
            return None, lo - dt.timedelta(days=1)
    if ".." in t:
        a, _, b = t.partition("..")
        if not a and not b:
            raise QueryError("a range needs at least one end: 2019..2021, 2019.. or ..2021", pos, q)
        lo = _period(a, pos, q)[0] if a else None
        hi = _period(b, pos + len(a) + 2, q)[1] if b else None
        if lo and hi and lo > hi:
            raise QueryError(f"empty range: {a} is after {b}", pos, q)
        return lo, hi
    return _period(t, pos, q)


# ------------------------------------------------------------------------------- formatter
def format_query(node: Node) -> str:
    """The canonical text of an AST; ``parse(format_query(ast)) == ast``."""
    if isinstance(node, Term):
        return f"{node.field + ':' if node.field else ''}{node.text}{'*' if node.prefix else ''}"
    if isinstance(node, Phrase):
        text = node.text.replace("\\", "\\\\").replace('"', '\\"')
        return f'{node.field + ":" if node.field else ""}"{text}"'
    if isinstance(node, Range):
        lo = node.lo.isoformat() if node.lo else ""
        hi = node.hi.isoformat() if node.hi else ""
        if node.lo and node.lo == node.hi:
            return f"{node.field}:{lo}"
        return f"{node.field}:{lo}..{hi}"
    if isinstance(node, Not):
        inner = format_query(node.item)
        return f"NOT ({inner})" if isinstance(node.item, (And, Or)) else f"NOT {inner}"
    if isinstance(node, (And, Or)):
        op = " AND " if isinstance(node, And) else " OR "
        return op.join(f"({format_query(c)})" if isinstance(c, (And, Or)) else format_query(c) for c in node.items)
    raise TypeError(f"not a query node: {node!r}")


def leaves(node: Node, negated: bool = False):
    """(leaf, negated) for every term, phrase and range of the AST."""
    if isinstance(node, Not):
        yield from leaves(node.item, not negated)
    elif isinstance(node, (And, Or)):
        for c in node.items:
            yield from leaves(c, negated)
    else:
        yield node, negated
