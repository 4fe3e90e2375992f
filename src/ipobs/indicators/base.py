"""What an indicator is, what a computed value is, and the one registry they live in.

An :class:`Indicator` is declarative: names, unit, the official definition in words with its
source, and three engine-neutral functions over Ibis tables:

- ``parts(t, q)`` → named scalar Ibis expressions (numerator, denominator, coverage counts…);
  they are executed together as one one-row query on whatever engine holds the tables;
- ``finish(row, q)`` → ``(value, missing)`` from the executed parts, in plain Python (the
  division, the growth rate, the sentence when data is missing);
- ``rows(t, q)`` → an Ibis table of the records behind the value (drill-through).

Built-in indicators register through :func:`register` exactly as a plugin would
(``ipobs.indicators`` entry points are loaded the same way).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any, Callable

from ipobs.indicators.settings import Settings

KINDS = ("stock", "flow", "ratio", "growth", "count")
DIMS = ("region", "industry")

# Names of the missing-data checks a part may carry: a part named ``have_<x>`` that comes back
# 0 or empty makes the value missing with the sentence the indicator gives for it.
HAVE = "have_"


@dataclass(frozen=True)
class Query:
    """One question: which date, which region (and its codes), which industry, which settings."""

    as_of: dt.date
    region: str
    codes: tuple[str, ...]
    industry: str | None
    settings: Settings

    @property
    def year(self) -> int:
        return self.as_of.year

    @property
    def year_start(self) -> dt.date:
        return dt.date(self.as_of.year, 1, 1)

    def shifted(self, years: int) -> Query:
        """The same question ``years`` earlier (year-to-date windows compare like with like)."""
        y = self.as_of.year - years
        day = min(self.as_of.day, 28) if self.as_of.month == 2 else self.as_of.day
        return Query(self.as_of.replace(year=y, day=day), self.region, self.codes, self.industry, self.settings)


@dataclass(frozen=True)
class Indicator:
    id: str
    zh: str
    en: str
    unit: str
    unit_en: str
    kind: str
    group: str
    definition_zh: str
    definition_en: str
    source: str
    example: str
    parts: Callable[..., dict]
    finish: Callable[..., tuple] | None = None
    rows: Callable[..., Any] | None = None
    dims: tuple[str, ...] = ("region",)
    requires: dict = field(default_factory=dict)  # have_<x> part -> sentence when it is 0
    base: str | None = None  # growth indicators: the flow they are the growth of
    order_by: tuple[str, ...] = ()  # drill-through order
    notes: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"indicator {self.id}: kind {self.kind!r} not in {KINDS}")
        bad = [d for d in self.dims if d not in DIMS]
        if bad:
            raise ValueError(f"indicator {self.id}: unknown dims {bad}")
        for name in ("zh", "en", "unit", "definition_zh", "definition_en", "source", "example"):
            if not getattr(self, name):
                raise ValueError(f"indicator {self.id}: {name} is empty")

    def to_dict(self) -> dict:
        return {
            "id": self.id, "zh": self.zh, "en": self.en, "unit": self.unit, "unit_en": self.unit_en,
            "kind": self.kind, "group": self.group, "dims": list(self.dims), "base": self.base,
            "definition_zh": self.definition_zh, "definition_en": self.definition_en,
            "source": self.source, "example": self.example, "notes": self.notes,
            "drill_through": self.rows is not None,
        }


@dataclass
class IndicatorValue:
    indicator: str
    as_of: dt.date
    region: str
    industry: str | None
    value: float | None
    unit: str
    missing: str | None = None
    parts: dict = field(default_factory=dict)
    vintage: dict = field(default_factory=dict)
    synthetic: bool = False

    def to_dict(self) -> dict:
        return {
            "indicator": self.indicator, "as_of": self.as_of.isoformat(), "region": self.region,
            "industry": self.industry, "value": self.value, "unit": self.unit, "missing": self.missing,
            "parts": self.parts, "vintage": self.vintage, "synthetic": self.synthetic,
        }


_REGISTRY: dict[str, Indicator] = {}
_LOADED = False

# The built-in definitions, loaded exactly like plugins (each module calls register()).
BUILTIN_MODULES = (
    "ipobs.indicators.defs.patents",
    "ipobs.indicators.defs.high_value",
    "ipobs.indicators.defs.trademarks",
    "ipobs.indicators.defs.copyrights",
    "ipobs.indicators.defs.entities",
    "ipobs.indicators.defs.programs",
    "ipobs.indicators.defs.finance",
    "ipobs.indicators.defs.cases",
    "ipobs.indicators.defs.milestones",
    "ipobs.protection.indicators",
)


def register(indicator: Indicator) -> Indicator:
    """Add an indicator to the registry (ids are unique)."""
    if indicator.id in _REGISTRY and _REGISTRY[indicator.id] is not indicator:
        raise ValueError(f"indicator {indicator.id!r} is registered twice")
    _REGISTRY[indicator.id] = indicator
    return indicator


def _load() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    import importlib
    from importlib.metadata import entry_points

    for mod in BUILTIN_MODULES:
        importlib.import_module(mod)
    for ep in entry_points(group="ipobs.indicators"):
        ep.load()


def registry() -> dict[str, Indicator]:
    """Every indicator by id (built-ins and plugins)."""
    _load()
    return dict(_REGISTRY)


def get(indicator_id: str) -> Indicator:
    reg = registry()
    try:
        return reg[indicator_id]
    except KeyError:
        raise KeyError(f"unknown indicator {indicator_id!r}; known: {', '.join(sorted(reg))}") from None


def plain(v: Any) -> Any:
    """A JSON-friendly Python value from whatever an engine returned."""
    if v is None:
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "to_pydatetime"):
        v = v.to_pydatetime()
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def define(**kw) -> Indicator:
    """Build an :class:`Indicator` and register it (what every definition module calls)."""
    return register(Indicator(**kw))
