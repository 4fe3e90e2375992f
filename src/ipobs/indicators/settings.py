"""Settings of the indicator definitions: the open parameters of official formulas.

Every threshold an official definition leaves open (CNIPA's "较高质押融资金额", the start of
"维持年限", the case kinds that count as infringement…) is a named setting with a default and
a sentence of help, never a constant buried in an expression. Plans fix some of them
(``settings:`` in a plan file); callers may override any of them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field, fields

from ipobs.entities.regions import HOME


def _help(text: str, default, **kw):
    if isinstance(default, (dict, list, tuple)):
        value = default
        return field(default_factory=lambda: type(value)(value), metadata={"help": text}, **kw)
    return field(default=default, metadata={"help": text}, **kw)


@dataclass(frozen=True)
class Settings:
    home_region: str = _help("Region code an indicator covers when no region is asked for.", HOME)
    vintages: dict = _help(
        "Vintage to use per region fact, e.g. {'population': '2020 census revision'}; "
        "by default the latest vintage available for the year (the one naming the latest year).", {})
    period_start: str = _help(
        "First day of the plan period: cumulative 'new since' counts (新增) start here.", "2019-01-01")
    hv_pledge_threshold_yuan: float = _help(
        "High-value category 4: a pledge contract of at least this amount (yuan) makes its "
        "invention patents high-value (CNIPA leaves 较高质押融资金额 open).", 10_000_000.0)
    hv_maintained_years: int = _help(
        "High-value category 3: maintained more than this many years, counted from the filing date.", 10)
    industry_min_applications: int = _help(
        "Task 1: yearly applications an industry needs to count as a 2,000-level industry.", 2000)
    industry_min_grants: int = _help(
        "Task 1: yearly grants an industry needs to count as a 2,000-level industry.", 2000)
    portfolio_min_inventions: int = _help(
        "Task 8: valid invention patents a high-value portfolio needs among its members.", 50)
    portfolio_min_pct: int = _help(
        "Task 8: PCT applications a high-value portfolio needs among its members.", 10)
    infringement_case_kinds: tuple = _help(
        "Case kinds counted as infringement or counterfeiting cases (侵权、假冒).",
        ("admin_patent_dispute", "admin_trademark", "admin_counterfeit_patent", "admin_copyright",
         "civil", "criminal", "fast_enforce"))
    infringement_findings: tuple = _help(
        "Case outcomes that count as a finding against the respondent (for repeat infringers).",
        ("infringement_found", "penalty", "convicted"))
    repeat_window_days: int = _help(
        "A respondent with enough findings within this many days before the date is a repeat infringer.", 730)
    repeat_min_findings: int = _help("Findings within the window that make a repeat infringer.", 2)
    serial_min_respondents: int = _help(
        "A right holder suing this many distinct respondents over one right within repeat_window_days "
        "is serial infringement (系列侵权).", 3)
    large_institution_words: tuple = _help(
        "Words in a service-institution ledger item's note that mark it as a large, full-chain "
        "institution (task 22); others count as specialised.", ("大型", "large", "全链条"))

    @classmethod
    def of(cls, value: Settings | dict | None = None, **overrides) -> Settings:
        """Settings from ``None`` (defaults), a dict or a Settings, plus overrides.

        >>> Settings.of({"hv_maintained_years": 8}).hv_maintained_years
        8
        """
        if isinstance(value, cls) and not overrides:
            return value  # frozen: the same settings
        base = value if isinstance(value, Settings) else cls()
        changes = dict(value) if isinstance(value, dict) else {}
        changes.update(overrides)
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(changes) - set(known))
        if unknown:
            raise ValueError(f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(known)}")
        clean = {}
        for name, v in changes.items():
            default = getattr(cls(), name)
            if isinstance(default, tuple) and isinstance(v, (list, tuple)):
                v = tuple(v)
            elif isinstance(default, float) and isinstance(v, (int, float)) and not isinstance(v, bool):
                v = float(v)
            elif isinstance(default, str) and isinstance(v, dt.date):
                v = v.isoformat()
            elif type(default) is not type(v):
                raise ValueError(f"setting {name}: expected {type(default).__name__}, got {v!r}")
            clean[name] = v
        return dataclasses.replace(base, **clean)

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def describe() -> list[dict]:
    """Every setting with its default and help (for docs and ``--help``)."""
    d = Settings()
    return [{"name": f.name, "default": getattr(d, f.name), "help": f.metadata["help"]} for f in fields(Settings)]
