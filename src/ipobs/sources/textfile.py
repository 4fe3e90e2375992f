"""Opening delimited text files whose encoding nobody wrote down.

:func:`sniff_encoding` tries UTF-8 (with or without BOM), then GB18030 (which covers GBK and
GB2312, the usual encodings of Chinese exports), then Latin-1 (never fails) on the first
megabyte, and says what it chose so the batch can report it. :func:`read_rows` reads a
CSV/TSV into header + rows with row numbers as a spreadsheet shows them (header = row 1),
and keeps rows that cannot be split (a stray quote) as rejects instead of failing.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

SNIFF_BYTES = 1 << 20
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # huge cells are data, not errors


def sniff_encoding(path: Path, encoding: str | None = None) -> str:
    """The encoding to read ``path`` with: the one given, else the first that decodes the head."""
    if encoding:
        return encoding
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    return _sniff_bytes(head)


def _sniff_bytes(head: bytes) -> str:
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if len(head) >= 4 and head.count(b"\x00") > len(head) // 4:  # UTF-16 without a byte-order mark
        return "utf-16-le" if head[1::2].count(b"\x00") > head[0::2].count(b"\x00") else "utf-16-be"
    for enc in ("utf-8", "gb18030"):
        try:
            head.decode(enc)
            return enc
        except UnicodeDecodeError as e:
            if enc == "utf-8" and e.start > len(head) - 4:  # a character cut by the sniff window
                return enc
    return "latin-1"


def read_rows(data: bytes | Path, delimiter: str, encoding: str | None = None):
    """``(header, [(row_number, cells)], encoding, problems)`` of a delimited file.

    ``problems`` lists ``(row_number, message)`` for rows that could not be read (they are
    not in the rows). Rows shorter than the header are padded with empty cells; longer rows
    keep their extra cells (the caller reports them).
    """
    if isinstance(data, Path):
        enc = sniff_encoding(data, encoding)
        text = data.read_bytes().decode(enc, errors="replace")
    else:
        enc = encoding or _sniff_bytes(data[:SNIFF_BYTES])
        text = data.decode(enc, errors="replace")
    text = text.replace("\x00", "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    problems: list[tuple[int, str]] = []
    no = 0
    while True:
        no += 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            problems.append((no, f"row cannot be split into cells ({e})"))
            continue
        if not header:
            if not any(c.strip() for c in cells):
                continue
            header = [c.strip().lstrip("\ufeff") for c in cells]
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < len(header):
            cells = cells + [""] * (len(header) - len(cells))
        rows.append((no, cells))
    return header, rows, enc, problems
