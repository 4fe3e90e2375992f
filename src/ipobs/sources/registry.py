"""The registry of source formats: how a file is recognised and read.

A source declares the record kinds it yields, a ``sniff(path, head)`` that scores how sure it
is the file is its format (0 = not mine, 1 = certain), and a ``read(path, kind)`` that
returns a :class:`~ipobs.records.batch.RecordBatch`. ``detect`` picks the best-scoring source;
built-in formats register through the same call as any extension would.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ipobs.records.batch import RecordBatch

HEAD_BYTES = 64 * 1024


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    kinds: tuple[str, ...]
    sniff: Callable[[Path, bytes], float]
    read: Callable[..., RecordBatch]
    # Optional streaming reader for large files: ``open(path, kind=None, encoding=None)`` returns
    # an object with ``kind``, ``chunks()`` (RecordBatch chunks) and a description of the mapping
    # (see ipobs.sources.importer.Reading); the importer prefers it to ``read``.
    open: Callable[..., object] | None = None


_SOURCES: dict[str, Source] = {}

# Modules whose import registers the built-in formats.
BUILTIN_MODULES: list[str] = [
    "ipobs.sources.uspto_xml",
    "ipobs.sources.uspto_legacy",
    "ipobs.sources.patentsview",
    "ipobs.sources.uspto_assignment",
    "ipobs.sources.epo_ops",
    "ipobs.sources.lens",
    "ipobs.sources.ledger",
    "ipobs.sources.cn_export",
    "ipobs.sources.qichacha",
]


def register(source: Source) -> Source:
    _SOURCES[source.name] = source
    return source


def sources() -> dict[str, Source]:
    for mod in BUILTIN_MODULES:
        importlib.import_module(mod)
    return dict(_SOURCES)


class UnknownFormat(Exception):
    """No registered source recognises the file."""


def detect(path: Path, kind: str | None = None) -> tuple[Source, float]:
    """The source most sure it can read ``path`` (optionally yielding ``kind``)."""
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    scored = []
    for src in sources().values():
        if kind and kind not in src.kinds:
            continue
        score = src.sniff(path, head)
        if score > 0:
            scored.append((score, src.name, src))
    if not scored:
        what = f" as {kind}" if kind else ""
        raise UnknownFormat(f"{path.name}: no importer recognises this file{what}")
    scored.sort(key=lambda x: (-x[0], x[1]))
    return scored[0][2], scored[0][0]
