"""Shared fixtures. One session-wide demo store (small scale) feeds the integration tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI replays the same examples every run (a red main must mean a change broke something);
# runs elsewhere explore new ones, and what they find is kept as an @example.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DEMO_SCALE = 0.02  # ≈ 8,000 applications: enough for every indicator, fast to build
DEMO_SEED = 7


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``. Missing data fails under CI=true (tests must run there) and skips locally."""
    if not SHARED_DATA.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SHARED_DATA} is missing: CI must have ../shared beside the clone")
        pytest.skip("../shared/data not present")
    return SHARED_DATA


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """Path of a small synthetic demo database, built once per test session."""
    from ipobs.demo.build import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(path, scale=DEMO_SCALE, seed=DEMO_SEED)
    return path


@pytest.fixture(scope="session")
def demo_store(demo_db):
    """A read-only store over the session's demo database."""
    from ipobs.store import open_store

    store = open_store(demo_db, read_only=True)
    yield store
    store.close()


@pytest.fixture()
def store(tmp_path):
    """An empty store in a temporary folder."""
    from ipobs.store import open_store

    s = open_store(tmp_path / "t.duckdb")
    yield s
    s.close()
