from __future__ import annotations

import pytest

from minidata import build


@pytest.fixture(scope="session")
def mini_db(tmp_path_factory):
    """A small hand-shaped store (see minidata.py); path, built once."""
    from ipobs.store import open_store

    path = tmp_path_factory.mktemp("mini") / "mini.duckdb"
    with open_store(path) as s:
        info = build(s)
    return path, info


@pytest.fixture(scope="session")
def mini(mini_db):
    from ipobs.store import open_store

    s = open_store(mini_db[0], read_only=True)
    yield s
    s.close()


@pytest.fixture(scope="session")
def mini_info(mini_db):
    return mini_db[1]
