"""Compiled SQL templates kept on disk, so a new process does not compile the indicators' Ibis expressions
again (compiling costs far more than running a template on a district's data).

A template depends only on the indicator definitions, the settings, the database's table schemas and the
Ibis/sqlglot versions, never on the data. Its file name is a hash of all of these: the request (indicator,
home or not, industry or not, settings, the home region's codes), the source of the packages an indicator
definition can read (``ipobs.indicators``, ``ipobs.records``, ``ipobs.entities`` and the batch module that
binds the templates), the versions, and the store's column list. Any edit to a definition or the schema
gives new names, so a stale template is never read; old files are simply no longer used.

The folder is ``$IPOBS_CACHE_DIR/sql`` (default ``~/.cache/ipobs/sql``); ``IPOBS_CACHE_DIR=off`` turns the
cache off. A folder that cannot be written is the same as no cache.

>>> key = template_key(("valid_patents", True, False), "fingerprint")
>>> len(key)
64
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

ENV = "IPOBS_CACHE_DIR"
SOURCE_PACKAGES = ("indicators", "records", "entities")
SOURCE_SUFFIXES = (".py", ".yaml", ".yml", ".csv", ".json")


def cache_dir() -> Path | None:
    """The template folder, or None when the cache is off."""
    root = os.environ.get(ENV)
    if root is not None and root.strip().lower() in ("", "off", "0", "none"):
        return None
    return Path(root or Path.home() / ".cache" / "ipobs") / "sql"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of the source an indicator's SQL can depend on, plus the Ibis and sqlglot versions."""
    import ibis
    import sqlglot

    import ipobs

    root = Path(ipobs.__file__).parent
    h = hashlib.sha256(f"ibis {ibis.__version__} sqlglot {sqlglot.__version__}".encode())
    files = [root / "monitor" / "batch.py", root / "monitor" / "sqlcache.py"]
    for pkg in SOURCE_PACKAGES:
        files += sorted(p for p in (root / pkg).rglob("*") if p.suffix in SOURCE_SUFFIXES and p.is_file())
    for p in files:
        h.update(str(p.relative_to(root)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def schema_fingerprint(con) -> str:
    """Hash of the store's tables and columns (names and types): templates are compiled from them. Only the
    store's own catalog: databases attached beside it (status spans, an analysis's tables) are not its schema."""
    rows = con.execute("SELECT table_name, column_name, data_type FROM information_schema.columns "
                       "WHERE table_schema = 'main' AND table_catalog = current_database() "
                       "ORDER BY table_name, ordinal_position").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def template_key(request: tuple, fingerprint: str) -> str:
    return hashlib.sha256(repr((request, fingerprint)).encode()).hexdigest()


def load(key: str):
    """The JSON document stored under ``key``, or None (missing, unreadable or cache off)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def save(key: str, doc) -> bool:
    """Store a JSON document under ``key`` (atomically); False when it cannot be written."""
    folder = cache_dir()
    if folder is None:
        return False
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{key}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, folder / f"{key}.json")
        return True
    except (OSError, TypeError, ValueError):
        return False
