"""Helpers for the source tests: read a file, import it, check that every document is accounted for."""

from __future__ import annotations

import pandas as pd
import pytest


def flatten(rejects, cols=("row", "column", "code")) -> list[list]:
    """Rejects as a table, the way the style guide's importer tests read."""
    return [[getattr(r, c) for c in cols] for r in rejects]


def frame(batch, table: str) -> pd.DataFrame:
    return batch.frames.get(table, pd.DataFrame())


@pytest.fixture()
def imported(store):
    """``imported(batch)`` → (BatchResult, store): the batch imported into an empty store."""

    def run(batch, **kw):
        return store.import_batch(batch, **kw), store

    return run
