"""What a source hands to the store: records of one kind, plus the rows it rejected.

A reject is ``{code, sheet, row, column, value, note}``; rows are numbered as a spreadsheet
shows them (the header is row 1). Codes come from the closed set ``REJECT_CODES``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

# code -> (title, description)
REJECT_CODES: dict[str, tuple[str, str]] = {
    "missing-cell": ("Missing value", "A required field is empty."),
    "type-error": ("Wrong type", "The value cannot be read as the field's type (a date, a number…)."),
    "enum-error": ("Unknown code", "The value is not one of the field's allowed codes or labels."),
    "date-order": ("Impossible dates", "Two dates are in an impossible order (e.g. grant before filing)."),
    "duplicate-key": ("Duplicate key in file", "Another row of the same file has the same key."),
    "parent-rejected": ("Parent rejected", "The record this row belongs to was rejected."),
    "unknown-column": ("Unknown column", "A column the importer does not know (reported, not fatal)."),
    "unknown-region": ("Unknown region", "The address could not be matched to a region."),
    "bad-format": ("Unreadable row", "The row could not be parsed at all."),
    "bad-value": ("Invalid value", "The value breaks a rule of the record kind."),
    "not-valid-right": ("Right not valid", "The right referred to is not in force at the date."),
}


@dataclass
class Reject:
    code: str
    note: str
    row: int | None = None
    column: str | None = None
    value: Any = None
    sheet: str | None = None
    table: str | None = None
    raw: dict | None = None

    def __post_init__(self) -> None:
        if self.code not in REJECT_CODES:
            raise ValueError(f"unknown reject code {self.code!r}")

    @property
    def message(self) -> str:
        where = []
        if self.sheet:
            where.append(f"sheet {self.sheet}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        loc = ", ".join(where)
        return f"{loc}: {self.note}" if loc else self.note


@dataclass
class RecordBatch:
    """Records of one kind read from one source.

    ``frames`` maps table name to rows; an optional ``_row`` (and ``_sheet``) column
    carries the source row number so the store can point at it when it rejects a row.
    """

    kind: str
    frames: dict[str, pd.DataFrame]
    rejects: list[Reject] = field(default_factory=list)
    source: Path | None = None
    format: str = ""
    warnings: list[str] = field(default_factory=list)
    synthetic: bool = False
    label: str | None = None  # a name for batches without a file (demo chunks)
    # a SHA-256 the producer vouches identifies the content, used instead of hashing the frames:
    # a deterministic generator's parameters (the demo) cost nothing, hashing its text ~3 ns/byte
    digest: str | None = None
