"""The plan's industries as data (``industries.yaml``) and the classifier that uses it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Industry:
    id: str
    zh: str
    en: str
    ipc: tuple[str, ...]
    locarno: tuple[str, ...]


@lru_cache(maxsize=1)
def industries() -> dict[str, Industry]:
    raw = yaml.safe_load(resources.files("ipobs.records").joinpath("industries.yaml").read_text(encoding="utf-8"))
    return {d["id"]: Industry(d["id"], d["zh"], d["en"], tuple(d["ipc"]), tuple(d.get("locarno", []))) for d in raw}


def industry_of(main_code: str | None) -> str | None:
    """The industry of a normalized main IPC (``G06F17/30``) or Locarno code (``LOC14-03``)."""
    if not main_code:
        return None
    code = main_code.upper()
    for ind in industries().values():
        if code.startswith("LOC"):
            if code[3:5] in ind.locarno:
                return ind.id
        elif any(code.startswith(p) for p in ind.ipc):
            return ind.id
    return None
