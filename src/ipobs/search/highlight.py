"""Highlighted snippets: the original (unsegmented) text, HTML-escaped, matches in ``<mark>``.

The text is cut with the same segmenter and analyzer as the index, so a word is marked exactly
when its term is one the query searched for; offsets are those of the original string.
"""

from __future__ import annotations

import html
import re

from ipobs.search import analysis as A

_ESCAPED = re.compile("[&<>\"']")  # what html.escape replaces
SNIPPET_CHARS = 160
LEAD_CHARS = 24  # context kept before the first match of a window


def substring_spans(text: str, needles: set[str], mapped=None) -> list[tuple[int, int]]:
    """Where each needle occurs in ``text`` ignoring case, spaces and punctuation."""
    if not needles:
        return []
    norm, back = mapped or A._back_map(text)
    low = norm.lower()
    out = []
    for needle in needles:
        if not needle:
            continue
        pattern = r"[\W_]*".join(re.escape(c) for c in needle)
        for m in re.finditer(pattern, low):
            s, e = m.start(), m.end()
            out.append((s, e) if back is None else (back[s], back[e]))
    return out


def matches(text: str, terms: set[str], prefixes: set[str], english: bool = False,
            substrings: set[str] | None = None) -> list[tuple[int, int]]:
    """Merged (start, end) character ranges of ``text`` whose terms the query searched for."""
    if not text or not (terms or prefixes or substrings):
        return []
    mapped = None
    if english:
        spans = A.en_spans(text)
    else:
        mapped = A._back_map(text)  # NFKC once for the checks, the cutting and the substrings
        if _cannot_match(mapped[0], terms, prefixes, substrings):
            return []
        wanted = terms | prefixes  # Chinese terms: cut only the pieces of text that hold one of them
        spans = [] if not wanted else A.spans(text, wanted if A.all_chinese(wanted) else None, mapped,
                                              None if prefixes else terms)
    if prefixes:
        spans = [(s, e) for s, e, t in spans if t in terms or any(t.startswith(p) for p in prefixes)]
    else:
        spans = [(s, e) for s, e, t in spans if t in terms]
    hits = sorted(spans + substring_spans(text, substrings or set(), mapped))
    merged: list[list[int]] = []
    for s, e in hits:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def _cannot_match(norm: str, terms: set[str], prefixes: set[str], substrings: set[str] | None) -> bool:
    """A quick no: Chinese terms (unstemmed) none of which occurs in the (NFKC) text at all."""
    wanted = terms | prefixes
    if substrings or any(not A.is_cjk(t) for t in wanted):
        return False
    low = norm.lower()
    return not any(t in low for t in wanted)


def render(text: str, ranges: list[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    """``text[start:end]`` escaped, with the ranges inside it wrapped in ``<mark>``."""
    end = len(text) if end is None else end
    esc = html.escape if _ESCAPED.search(text) else str  # most texts have nothing to escape
    out, pos = [], start
    for s, e in ranges:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        out.append(esc(text[pos:s]))
        out.append(f"<mark>{esc(text[s:e])}</mark>")
        pos = e
    out.append(esc(text[pos:end]))
    return ("…" if start > 0 else "") + "".join(out) + ("…" if end < len(text) else "")


def best_window(ranges: list[tuple[int, int]], length: int, width: int) -> tuple[int, int]:
    """The window of ``width`` characters holding the most matches (earliest on ties)."""
    if len(ranges) == 0 or length <= width:
        return 0, min(length, width)
    best, best_n = 0, -1
    for i, (s, _) in enumerate(ranges):
        n = sum(1 for s2, _ in ranges[i:] if s2 < s + width - LEAD_CHARS)
        if n > best_n:
            best, best_n = i, n
    start = max(0, ranges[best][0] - LEAD_CHARS)
    start = min(start, max(0, length - width))
    return start, min(length, start + width)


def highlight_full(text: str, terms: set[str], prefixes: set[str], english: bool = False,
                   substrings: set[str] | None = None) -> str:
    return render(text or "", matches(text or "", terms, prefixes, english, substrings))


def snippet(text: str, terms: set[str], prefixes: set[str], width: int = SNIPPET_CHARS,
            substrings: set[str] | None = None) -> str:
    """The best ``width``-character window of ``text`` with its matches marked."""
    text = text or ""
    ranges = matches(text, terms, prefixes, substrings=substrings)
    start, end = best_window(ranges, len(text), width)
    return render(text, ranges, start, end)
