"""Record lookups for pages (rows as plain dicts: None for NULL, dates as ``datetime.date``)."""

from __future__ import annotations


def rows(store, sql: str, params: list | tuple | None = None) -> list[dict]:
    cur = store.con.execute(sql, list(params or []))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def one(store, sql: str, params: list | tuple | None = None) -> dict | None:
    found = rows(store, sql, params)
    return found[0] if found else None
