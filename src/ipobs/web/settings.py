"""Web settings: one frozen object, read from arguments and ``IPOBS_WEB_*`` environment variables.

Every setting has a default and a one-line help (``SETTINGS``), which docs/web.md lists.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

from ipobs.store.db import resolve_db_path

# name -> help; the defaults are the dataclass defaults below.
SETTINGS: dict[str, str] = {
    "db": "DuckDB store file (--db, else $IPOBS_DB, else ./ipobs.duckdb).",
    "accounts": "SQLite file with accounts, sessions, audit log and task reports (default: <db>.accounts.sqlite).",
    "read_only": "Open the store read-only: every page works, imports and ledger edits are refused.",
    "max_upload_mb": "Largest file an import may upload, in MB.",
    "session_hours": "A session expires this many hours after login.",
    "secure_cookies": "Send cookies with the Secure flag (set when served over HTTPS).",
    "login_max_failures": "Failed logins per account and address before login is refused for a while.",
    "login_window_minutes": "The window (minutes) in which failed logins are counted.",
    "default_lang": "Language for visitors who have not chosen one: zh or en.",
    "warm_cache": "Evaluate the dashboard in the background at start-up so the first visitor does not wait.",
    "first_year": "First year shown in indicator series and sparklines.",
}


@dataclass(frozen=True)
class WebSettings:
    db: Path = Path("ipobs.duckdb")
    accounts: Path | None = None
    read_only: bool = False
    max_upload_mb: float = 50.0
    session_hours: float = 12.0
    secure_cookies: bool = False
    login_max_failures: int = 5
    login_window_minutes: int = 15
    default_lang: str = "zh"
    warm_cache: bool = True
    first_year: int = 2015

    @property
    def accounts_path(self) -> Path:
        """Accounts live next to the store so that rebuilding the store keeps them."""
        if self.accounts is not None:
            return Path(self.accounts)
        db = Path(self.db)
        return db.with_name(db.stem + ".accounts.sqlite")

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @classmethod
    def load(cls, db=None, **overrides) -> WebSettings:
        """Defaults ← ``IPOBS_WEB_<NAME>`` environment variables ← keyword arguments."""
        values: dict = {}
        for f in fields(cls):
            raw = os.environ.get(f"IPOBS_WEB_{f.name.upper()}")
            if raw is not None:
                values[f.name] = _parse(f.type, raw)
        values["db"] = resolve_db_path(db)
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"unknown web setting(s): {', '.join(sorted(unknown))}; known: {', '.join(SETTINGS)}")
        s = cls(**values)
        if s.default_lang not in ("zh", "en"):
            raise ValueError(f"default_lang must be zh or en, not {s.default_lang!r}")
        return s

    def with_(self, **changes) -> WebSettings:
        return replace(self, **changes)


def _parse(type_name, raw: str):
    t = str(type_name)
    if "bool" in t:
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if "int" in t:
        return int(raw)
    if "float" in t:
        return float(raw)
    if "Path" in t:
        return Path(raw)
    return raw
