"""What a streaming source hands the importer: the mapping it chose and chunks of records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Iterator

import pandas as pd

from ipobs.records.batch import RecordBatch, Reject


@dataclass
class Context:
    """What a source may ask of the store while it maps rows (no writing)."""

    observed_on: dt.date
    lookup_publication: Callable[[list[str]], dict[str, str]] | None = None


@dataclass
class Chunk:
    batch: RecordBatch
    merged: dict[str, int] = field(default_factory=lambda: {"duplicate": 0, "updated": 0})
    unmatched: pd.Series | None = None  # address → number of rows whose address matched no region
    unknown_statuses: pd.Series | None = None  # status text → rows


@dataclass
class Reading:
    """An opened source file: kind, how its columns map, and its chunks."""

    kind: str
    format: str
    describe: str
    mapping: dict[str, str] = field(default_factory=dict)  # column → field
    unmapped: list[str] = field(default_factory=list)  # columns unknown to the synonym table
    ignored: list[str] = field(default_factory=list)  # known vendor columns not imported
    warnings: list[str] = field(default_factory=list)
    encoding: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    header: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # field → column it was read from
    chunks: Callable[[Context], Iterator[Chunk]] | None = None
    reader_rejects: Callable[[], list[Reject]] = lambda: []
    data_rows: Callable[[], int] = lambda: 0
    blank_rows: Callable[[], int] = lambda: 0

    def label_of(self, f) -> str:
        """The source column a schema field came from (for reject messages)."""
        name = getattr(f, "name", f)
        return self.labels.get(name, name)
