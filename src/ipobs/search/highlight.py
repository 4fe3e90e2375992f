"""Highlighted snippets: the original (unsegmented) text, HTML-escaped, matches in ``<mark>``.

The text is cut with the same segmenter and analyzer as the index, so a word is marked exactly
when its term is one the query searched for; offsets are those of the original string.
"""

from __future__ import annotations

import html

from ipobs.search import analysis as A

SNIPPET_CHARS = 160
LEAD_CHARS = 24  # context kept before the first match of a window


def matches(text: str, terms: set[str], prefixes: set[str], english: bool = False) -> list[tuple[int, int]]:
    """Merged (start, end) character ranges of ``text`` whose terms the query searched for."""
    if not text or not (terms or prefixes):
        return []
    spans = A.en_spans(text) if english else A.spans(text)
    hits = sorted((s, e) for s, e, t in spans if t in terms or any(t.startswith(p) for p in prefixes))
    merged: list[list[int]] = []
    for s, e in hits:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def render(text: str, ranges: list[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    """``text[start:end]`` escaped, with the ranges inside it wrapped in ``<mark>``."""
    end = len(text) if end is None else end
    out, pos = [], start
    for s, e in ranges:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        out.append(html.escape(text[pos:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        pos = e
    out.append(html.escape(text[pos:end]))
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


def highlight_full(text: str, terms: set[str], prefixes: set[str], english: bool = False) -> str:
    return render(text or "", matches(text or "", terms, prefixes, english))


def snippet(text: str, terms: set[str], prefixes: set[str], width: int = SNIPPET_CHARS) -> str:
    """The best ``width``-character window of ``text`` with its matches marked."""
    text = text or ""
    ranges = matches(text, terms, prefixes)
    start, end = best_window(ranges, len(text), width)
    return render(text, ranges, start, end)
