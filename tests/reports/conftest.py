from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "analytics"))

from minidata import build  # noqa: E402


@pytest.fixture(scope="session")
def report_db(tmp_path_factory):
    """The small hand-shaped store of tests/analytics/minidata.py."""
    from ipobs.store import open_store

    path = tmp_path_factory.mktemp("reports") / "mini.duckdb"
    with open_store(path) as s:
        info = build(s)
    return path, info


@pytest.fixture(scope="session")
def rstore(report_db):
    from ipobs.store import open_store

    s = open_store(report_db[0], read_only=True)
    yield s
    s.close()
