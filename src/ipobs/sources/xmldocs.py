"""Reading files that hold one or many XML documents, safely and one document at a time.

USPTO bulk files concatenate thousands of complete XML documents (each with its own
``<?xml …?>`` declaration and ``<!DOCTYPE …>``); :func:`iter_documents` streams them out with
the line each starts on, so a broken document is reported at its line and the others are
still read. :func:`parse` parses one document with the standard library's expat (external
DTDs and entities are never fetched; entity expansion is capped by expat), after turning
the HTML/ISO character entities USPTO documents use (``&mdash;``, ``&lsquo;``) into numeric
references; entities nobody defines are kept as literal text instead of failing the document.
"""

from __future__ import annotations

import html.entities
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Iterator

_XML_PREDEFINED = {b"amp", b"lt", b"gt", b"quot", b"apos"}
_ENTITY_REF = re.compile(rb"&([A-Za-z][A-Za-z0-9._-]{0,40});")
_DECLARED = re.compile(rb"<!ENTITY\s+%?\s*([A-Za-z][A-Za-z0-9._-]*)")
_CODEPOINTS = {k.encode(): v for k, v in html.entities.name2codepoint.items()}
_HTML5 = {k[:-1].encode(): v for k, v in html.entities.html5.items() if k.endswith(";")}


class XmlDocError(Exception):
    """A document that is not well-formed XML; ``line`` is its line in the file."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


_START = re.compile(rb"<\?xml[ \t\r\n?]|<!DOCTYPE")
_ELEMENT = re.compile(rb"<[A-Za-z_]")
BLOCK = 8 << 20


def iter_documents(path: Path, max_doc_bytes: int = 256 * 1024 * 1024) -> Iterator[tuple[int, bytes]]:
    """Yield ``(first line, bytes)`` for each document of a file of concatenated XML documents.

    A document starts at an XML declaration (even in the middle of a line, after a truncated
    document), or at a ``<!DOCTYPE`` when the document being collected already has an element.
    The file is scanned in blocks, so a 1 GB weekly file is never in memory at once. A
    document larger than ``max_doc_bytes`` is yielded when it passes the limit (its parse then
    fails and is reported; the rest continues).
    """
    line = 1
    data = b""
    scanned = 1  # offsets below this were searched already (a match at 0 is the document's own start)
    with open(path, "rb") as fh:
        while True:
            block = fh.read(BLOCK)
            data += block
            pos = scanned
            while True:
                m = _START.search(data, pos)
                if m is None:
                    break
                p = m.start()
                if p == 0 or (m.group(0).startswith(b"<!") and not _ELEMENT.search(data, 0, p)):
                    pos = m.end()
                    continue
                doc = data[:p]
                if doc.strip():
                    yield line, doc
                line += doc.count(b"\n")
                data = data[p:]
                pos = 1
            if len(data) > max_doc_bytes:
                yield line, data
                line += data.count(b"\n")
                data = b""
            scanned = max(1, len(data) - 16)  # a start token may straddle the next block
            if not block:
                break
    if data.strip():
        yield line, data


def _fix_entities(data: bytes) -> bytes:
    declared = set(_DECLARED.findall(data)) if b"<!ENTITY" in data else set()

    def sub(m: re.Match) -> bytes:
        name = m.group(1)
        if name in _XML_PREDEFINED or name in declared:
            return m.group(0)
        cp = _CODEPOINTS.get(name)
        if cp is not None:
            return b"&#%d;" % cp
        chars = _HTML5.get(name)
        if chars:
            return b"".join(b"&#%d;" % ord(c) for c in chars)
        return b"&amp;" + name + b";"

    return _ENTITY_REF.sub(sub, data)


def parse(data: bytes, first_line: int = 1) -> ET.Element:
    """Parse one document; raise :class:`XmlDocError` with the file line of the problem."""
    if not data.strip():
        raise XmlDocError("empty document", first_line)
    parser = ET.XMLParser()
    try:
        parser.feed(_fix_entities(data))
        return parser.close()
    except ET.ParseError as e:
        line = e.position[0] + first_line - 1 if getattr(e, "position", None) else first_line
        msg = str(e).split(":")[0]
        raise XmlDocError(f"not well-formed XML ({msg}) at line {line}", line) from None
    except (ValueError, RecursionError, MemoryError) as e:
        raise XmlDocError(f"unreadable XML ({type(e).__name__}: {str(e)[:100]})", first_line) from None


def local(tag: str) -> str:
    """A tag without its ``{namespace}``."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def text_of(el: ET.Element | None) -> str | None:
    """All text inside an element, whitespace collapsed; None when empty."""
    if el is None:
        return None
    t = " ".join("".join(el.itertext()).split())
    return t or None


def find_text(el: ET.Element | None, *paths: str) -> str | None:
    """The text of the first path that has some."""
    if el is None:
        return None
    for p in paths:
        t = text_of(el.find(p))
        if t:
            return t
    return None
