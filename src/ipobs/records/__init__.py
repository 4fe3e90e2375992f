"""Canonical record kinds: the ground floor. Imports nothing of ours."""

from ipobs.records.schema import KINDS, TABLES, Field, Kind, Table, kind, table

__all__ = ["KINDS", "TABLES", "Field", "Kind", "Table", "kind", "table"]
