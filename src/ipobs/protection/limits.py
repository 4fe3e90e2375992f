"""Statutory time limits per case kind: data in ``limits.yaml``, overridable by a YAML file.

>>> load_limits()["civil"].unit
'months'
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from ipobs.records.schema import ENUMS

LIMITS_FILE = Path(__file__).with_name("limits.yaml")
OVERRIDE_ENV = "IPOBS_CASE_LIMITS"
UNITS = ("days", "months")
BASES = ("calendar", "working")
RUNS_FROM = ("received", "accepted")


class LimitsError(ValueError):
    """A limits file that cannot be used (names the file, kind and key)."""


@dataclass(frozen=True)
class Limit:
    kind: str
    limit: int
    unit: str
    basis: str
    runs_from: str
    max_extension_days: int
    source: str
    certain: bool

    def to_dict(self) -> dict:
        return asdict(self)

    def text_en(self) -> str:
        basis = " working" if self.basis == "working" else ""
        return f"{self.limit}{basis} {self.unit} from {self.runs_from}, extension ≤ {self.max_extension_days} days"


def _parse(path: Path, kind: str, entry) -> Limit:
    where = f"{path}: kind {kind!r}"
    if kind not in ENUMS["case_kind"]:
        raise LimitsError(f"{where}: unknown case kind; known: {', '.join(ENUMS['case_kind'])}")
    if not isinstance(entry, dict):
        raise LimitsError(f"{where}: expected a mapping of limit, unit, basis, runs_from, …")
    need = ("limit", "unit", "basis", "runs_from", "source")
    missing = [k for k in need if k not in entry]
    if missing:
        raise LimitsError(f"{where}: missing {', '.join(missing)}")
    for key, allowed in (("unit", UNITS), ("basis", BASES), ("runs_from", RUNS_FROM)):
        if entry[key] not in allowed:
            raise LimitsError(f"{where}: {key} {entry[key]!r} not one of {', '.join(allowed)}")
    for key in ("limit", "max_extension_days"):
        v = entry.get(key, 0)
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            raise LimitsError(f"{where}: {key} must be a whole number ≥ 0, got {v!r}")
    if entry["unit"] == "months" and entry["basis"] == "working":
        raise LimitsError(f"{where}: a limit in months cannot count working days")
    return Limit(kind, entry["limit"], entry["unit"], entry["basis"], entry["runs_from"],
                 entry.get("max_extension_days", 0), str(entry["source"]), bool(entry.get("certain", False)))


def _read(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise LimitsError(f"{path}: cannot read the limits file: {e}") from None
    if not isinstance(data, dict):
        raise LimitsError(f"{path}: expected a mapping of case kind → limit")
    return {k: _parse(path, k, v) for k, v in data.items()}


def load_limits(override: str | os.PathLike | None = None) -> dict[str, Limit]:
    """The shipped limits, with the kinds of ``override`` (or ``$IPOBS_CASE_LIMITS``) replaced."""
    limits = _read(LIMITS_FILE)
    path = override or os.environ.get(OVERRIDE_ENV)
    if path:
        limits.update(_read(Path(path)))
    return limits
