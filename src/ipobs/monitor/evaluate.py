"""Evaluate a plan's targets as of a date: value, target, gap, status and the sentence that decided it.

>>> # evaluate(store, load_plan("binhai-2019"), "2021-12-31")  -> [TargetStatus, ...]

One :class:`Monitor` per store keeps the indicator values it computed (:class:`ValueSource`) and the
forecasts it made, so evaluating several dates or regions shares them; :func:`evaluate` is the one-call
form. Presentation (CLI, web, reports) renders :meth:`TargetStatus.to_dict` and computes nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Iterable, Mapping

from ipobs.jsonable import jsonable
from ipobs.monitor.fetch import ValueSource, year_end
from ipobs.monitor.forecast import Forecast, forecast_series
from ipobs.monitor.rules import LEVEL_RULES, Judgement, RuleSpec, _no_data, fmt_date, judge
from ipobs.monitor.settings import STATUS_LABELS, MonitorSettings, monitor_settings
from ipobs.monitor.text import fmt_num, fmt_pct
from ipobs.records.dates import as_date

ADDITIVE_KINDS = ("stock", "flow", "count")  # kinds whose values add up over sub-regions
FORECAST_CACHE_SIZE = 512  # forecasts kept per process (each holds its simulated paths, ~50 kB)
_FORECASTS: OrderedDict = OrderedDict()


@dataclass
class TargetStatus:
    """One target's state at the as-of date (see docs/monitoring.md for every field)."""

    id: str
    zh: str
    en: str
    indicator: str
    indicator_zh: str
    indicator_en: str
    rule: str
    rule_text_zh: str
    rule_text_en: str
    target: float | None
    value: float | None
    unit: str
    gap: float | None
    status: str
    status_zh: str
    status_en: str
    status_reason: str
    status_reason_zh: str
    status_reason_en: str
    growth_needed: float | None
    growth_seen: float | None
    departments: list[str]
    department_names: list[dict]
    area: str | None
    task: str | None
    target_date: str
    as_of: str
    region: str
    industry: str | None
    series: list[dict] = field(default_factory=list)
    forecast: list[dict] = field(default_factory=list)
    probability: float | None = None
    model: str | None = None
    model_zh: str | None = None
    missing: str | None = None
    details: dict = field(default_factory=dict)
    synthetic: bool = False

    def to_dict(self) -> dict:
        return jsonable(asdict(self))


def last_complete_year(as_of: dt.date) -> int:
    return as_of.year if (as_of.month, as_of.day) == (12, 31) else as_of.year - 1


def rule_text(target, rule: RuleSpec, unit: str, ind_zh: str, ind_en: str, other_zh: str = "",
              other_en: str = "") -> tuple[str, str]:
    """The rule in words: ``到2022年末 有效专利量 >85,000件``."""
    d_zh, d_en = fmt_date(rule.target_date), fmt_date(rule.target_date, "en")
    t, B, T = rule.type, rule.baseline_year, rule.target_year
    since_zh = f"{B}年以来" if B else ""
    since_en = f" since {B}" if B else ""
    if t in LEVEL_RULES:
        if t == "at_most":
            op = "<" if rule.strict else "≤"
        else:
            op = ">" if rule.strict else "≥"
        upto = rule.params.get("upto")
        fig_zh = fmt_num(rule.value, unit) + (f"（至{fmt_num(upto, unit)}）" if upto else "")
        fig_en = fmt_num(rule.value, unit, "en") + (f" (up to {fmt_num(upto, unit, 'en')})" if upto else "")
        if rule.each_year:
            return (f"{(B or T - 1) + 1}–{T}年{ind_zh}每年{op}{fig_zh}",
                    f"{ind_en} {op}{fig_en} every year {(B or T - 1) + 1}–{T}")
        return f"到{d_zh}{ind_zh}{op}{fig_zh}", f"{ind_en} {op}{fig_en} by {d_en}"
    if t == "growth_at_least":
        if rule.each_year:
            return (f"{since_zh}至{T}年{ind_zh}每年增长≥{fmt_pct(rule.value)}",
                    f"{ind_en} grows ≥{fmt_pct(rule.value)} every year{since_en} to {T}")
        return (f"{since_zh}至{T}年{ind_zh}年均增长≥{fmt_pct(rule.value)}",
                f"{ind_en} grows ≥{fmt_pct(rule.value)} a year on average (CAGR){since_en} to {T}")
    if t in ("rising", "falling"):
        up = t == "rising"
        if rule.each_year:
            zh, en = ("逐年增长", "rises every year") if up else ("逐年下降", "falls every year")
            return f"{since_zh}至{T}年{ind_zh}{zh}", f"{ind_en} {en}{since_en} to {T}"
        zh, en = ("高于", "above") if up else ("低于", "below")
        return f"{T}年{ind_zh}{zh}{B}年基期水平", f"{ind_en} {en} its {B} baseline in {T}"
    if t == "growth_above":
        return (f"{since_zh}至{T}年{ind_zh}增速{'每年' if rule.each_year else '平均'}高于{other_zh}",
                f"{ind_en} grows faster than {other_en} {'every year' if rule.each_year else 'on average'}"
                f"{since_en} to {T}")
    return f"{d_zh}前完成：{target.zh}", f"done by {d_en}: {target.en}"


class Monitor:
    """Evaluates plans on one store, reusing indicator values and forecasts across calls."""

    def __init__(self, store, settings: Mapping | MonitorSettings | None = None):
        raw = dict(settings) if isinstance(settings, Mapping) else {}
        self.settings = monitor_settings(settings)
        self.values = ValueSource(store, raw.get("indicators"))
        self.store = store
        self._forecasts: dict[tuple, Forecast] = {}
        self.forecast_seconds = 0.0  # time spent forecasting (for benchmarks)
        self._records: dict[tuple, dict | None] = {}  # first drill-through record of milestone values
        self.synthetic = bool(getattr(store, "synthetic", False))

    # -- forecasts, memoized by the series itself --------------------------------------------------
    def forecaster(self, periods, values, horizon, **kw) -> Forecast:
        """``forecast_series``, memoized by the series itself (in this monitor and, bounded, in the process:
        the same data and settings always give the same forecast)."""
        key = (tuple(periods), tuple(values), horizon, kw.get("upper"), self.settings.key())
        if key not in self._forecasts:
            if key in _FORECASTS:
                _FORECASTS.move_to_end(key)
                self._forecasts[key] = _FORECASTS[key]
            else:
                t0 = time.perf_counter()
                try:
                    self._forecasts[key] = forecast_series(periods, values, horizon, **kw)
                finally:
                    self.forecast_seconds += time.perf_counter() - t0
                _FORECASTS[key] = self._forecasts[key]
                while len(_FORECASTS) > FORECAST_CACHE_SIZE:
                    _FORECASTS.popitem(last=False)
        return self._forecasts[key]

    # -- one target ---------------------------------------------------------------------------------
    def _years(self, target, as_of: dt.date) -> list[int]:
        last = last_complete_year(as_of)
        first = last - self.settings.fit_years + 1
        if target.baseline_year is not None:
            first = min(first, int(target.baseline_year))
        return list(range(first, last + 1))

    def requests(self, plan, as_of, region=None, industry=None) -> list[tuple]:
        """Every (indicator, date, region, industry) value :meth:`evaluate` will read (for prefetching)."""
        from ipobs.indicators import registry

        as_of = as_date(as_of)
        reg = registry()
        out = []
        whole = region not in (None, self.values.home) or industry is not None
        for tg in plan.targets:
            ind = reg.get(tg.indicator)
            if ind is None or not self._dims_ok(ind, region, industry):
                continue
            ids = [self._level_indicator(tg, ind)]  # a growth rule reads the levels, not the growth indicator
            other = (tg.rule.params or {}).get("other")
            if other and other in reg:
                ids.append(self._level_indicator(tg, reg[other]))
            years = self._years(tg, as_of)
            for i in ids:
                out.append((i, as_of, region, industry))
                out += [(i, year_end(y), region, industry) for y in years]
                if whole and self.settings.subregion_targets == "apportion":
                    out += [(i, year_end(y), None, None) for y in years]
        return out

    def _dims_ok(self, ind, region, industry) -> bool:
        if region not in (None, self.values.home) and "region" not in ind.dims:
            return False
        return not (industry is not None and "industry" not in ind.dims)

    def _level_indicator(self, target, ind) -> str:
        """Growth rules read the levels: a growth indicator's rule is judged on the flow it is the growth of."""
        if target.rule.type in ("growth_at_least", "rising", "falling", "growth_above") and ind.kind == "growth" \
                and ind.base:
            return ind.base
        return ind.id

    def _series(self, indicator, years, region, industry) -> tuple[dict, list[dict]]:
        vals = self.values.series(indicator, years, region, industry)
        rows = [{"year": y, "value": v.value, "missing": v.missing} for y, v in vals.items()]
        # leading years without data are before the series starts, not gaps
        while rows and rows[0]["value"] is None:
            rows.pop(0)
        return {r["year"]: r["value"] for r in rows}, rows

    def _apportion(self, target, rule: RuleSpec, ind, level_id, region, industry, series) -> tuple[RuleSpec, dict]:
        """Scale a count target to a sub-region (or an industry) by its share of the whole at the baseline."""
        if self.settings.subregion_targets != "apportion" or ind.kind not in ADDITIVE_KINDS \
                or rule.type not in ("at_least", "at_most") or rule.value is None:
            return rule, {}
        year = rule.baseline_year or (min(series) if series else None)
        if year is None:
            return rule, {}
        part = self.values.value(level_id, year_end(year), region, industry).value
        whole = self.values.value(level_id, year_end(year), None, None).value
        if part is None or not whole:
            return rule, {"apportion": f"not apportioned: no {'part' if part is None else 'whole'} value in {year}"}
        share = part / whole
        scaled = RuleSpec(**{**asdict(rule), "value": rule.value * share})
        return scaled, {"apportion": {"year": year, "share": share, "plan_target": rule.value}}

    def evaluate_target(self, plan, target, as_of: dt.date, region=None, industry=None) -> TargetStatus:
        from ipobs.indicators import registry

        reg = registry()
        ind = reg.get(target.indicator)
        unit = ind.unit if ind else ""
        ind_zh, ind_en = (ind.zh, ind.en) if ind else (target.indicator, target.indicator)
        params = dict(target.rule.params or {})
        other_id = params.get("other")
        other = reg.get(other_id) if other_id else None
        level_id = self._level_indicator(target, ind) if ind else target.indicator
        rule = RuleSpec(
            type=target.rule.type, target_date=as_date(target.target_date), value=_rule_value(target, ind),
            params=params, baseline_year=target.baseline_year, baseline_value=target.baseline_value,
            unit=reg[level_id].unit if level_id in reg else unit,
            upper=100.0 if (reg[level_id].unit if level_id in reg else unit) == "%" else None,
        )
        text_zh, text_en = rule_text(target, rule, unit, ind_zh, ind_en, other.zh if other else other_id or "",
                                     other.en if other else other_id or "")
        series_rows: list[dict] = []
        extra: dict = {}
        if ind is None:
            j = _no_data(f"indicator {target.indicator!r} is not in the registry",
                         f"指标 {target.indicator} 未在指标库中定义")
        elif not self._dims_ok(ind, region, industry):
            dim = "region" if region not in (None, self.values.home) and "region" not in ind.dims else "industry"
            j = _no_data(f"indicator {ind.id} has no {dim} breakdown",
                         f"指标{ind.zh}没有按{'区域' if dim == 'region' else '产业'}的分解")
        elif other_id and other is None:
            j = _no_data(f"comparison indicator {other_id!r} is not in the registry",
                         f"对比指标 {other_id} 未在指标库中定义")
        else:
            years = self._years(target, as_of)
            series, series_rows = self._series(level_id, years, region, industry)
            now = self.values.value(level_id, as_of, region, industry)
            if region not in (None, self.values.home) or industry is not None:
                rule, extra = self._apportion(target, rule, ind, level_id, region, industry, series)
            kw: dict = {"forecaster": self.forecaster, "settings": self.settings}
            if other is not None:
                other_level = reg[self._level_indicator(target, other)]
                kw["other"], _ = self._series(other_level.id, years, region, industry)
                kw["other_name"] = other_level.zh
            if rule.type == "milestone":
                kw["evidence"] = self._evidence(target, as_of, region, industry)
            if now.value is None and rule.type in LEVEL_RULES + ("milestone",):
                j = _no_data(now.missing or f"no value at {as_of}", now.missing or f"{as_of} 无数值",
                             target=rule.value)
            else:
                j = judge(rule, series, now.value, as_of, **kw)
        return self._status(plan, target, ind, rule, unit, text_zh, text_en, j, as_of, region, industry,
                            series_rows, extra)

    def prefetch_evidence(self, plan, dates, regions, industry=None) -> None:
        """Fetch, in one batch, the first ledger record of every milestone that is done at the dates."""
        from ipobs.monitor.batch import first_records

        keys = self._evidence_keys(plan, dates, regions, industry)
        if keys:
            self._records.update(first_records(self.store, keys, self.values.settings))

    def _evidence_keys(self, plan, dates, regions, industry) -> list[tuple]:
        """The value keys of the milestones done at the dates whose first record is not fetched yet."""
        keys = []
        for tg in plan.targets:
            if tg.rule.type != "milestone":
                continue
            for d in dates:
                for g in regions:
                    k = self.values.key(tg.indicator, as_date(d), g, industry)
                    v = self.values._values.get(k)
                    if v is not None and v.value and k not in self._records:
                        keys.append(k)
        return keys

    def _evidence(self, target, as_of, region, industry) -> dict | None:
        """The first ledger record behind a milestone's value (the drill-through of its indicator)."""
        k = self.values.key(target.indicator, as_of, region, industry)
        now = self.values._values.get(k)
        if now is None or not now.value:
            return None
        if k not in self._records:
            from ipobs.monitor.batch import first_records

            self._records.update(first_records(self.store, [k], self.values.settings))
        first = self._records.get(k)
        if first is None:
            return None
        total = now.value
        row = {kk: jsonable(v) for kk, v in first.items()}
        row = {k: (v[:10] if isinstance(v, str) and len(v) == 19 and v[10] == "T" else v) for k, v in row.items()}
        head = " ".join(str(row[k]) for k in ("item_id", "name") if row.get(k)) or str(row)
        zh = [f"状态 {row['status']}" if row.get("status") else "", f"开始 {row['start_date']}" if row.get("start_date")
              else "", f"完成 {row['end_date']}" if row.get("end_date") else ""]
        en = [f"status {row['status']}" if row.get("status") else "", f"started {row['start_date']}"
              if row.get("start_date") else "", f"completed {row['end_date']}" if row.get("end_date") else ""]
        return {"text_zh": head + ("（" + "，".join(x for x in zh if x) + "）" if any(zh) else ""),
                "text_en": head + (" (" + ", ".join(x for x in en if x) + ")" if any(en) else ""),
                "record": row, "total": int(total)}

    def _status(self, plan, target, ind, rule, unit, text_zh, text_en, j: Judgement, as_of, region, industry,
                series_rows, extra) -> TargetStatus:
        depts = list(target.departments or [])
        names = []
        for d in depts:
            dep = (getattr(plan, "departments", None) or {}).get(d)
            names.append({"id": d, "zh": getattr(dep, "zh", d), "en": getattr(dep, "en", d)})
        zh_l, en_l = STATUS_LABELS[j.status]
        reason_zh, reason_en = j.reason_zh, j.reason_en
        ap = extra.get("apportion")
        if isinstance(ap, dict):
            reason_zh += f"（目标按{ap['year']}年占全区比重{ap['share']:.1%}由{fmt_num(ap['plan_target'], unit)}分解）"
            reason_en += (f" (target apportioned from {fmt_num(ap['plan_target'], unit, 'en')} by the {ap['year']} "
                          f"share of the whole, {ap['share']:.1%})")
        f = j.forecast
        details = {**j.details, **extra}
        rate = _is_rate_rule(rule)  # value and target are yearly growth rates: shown in %
        if "yoy" in details:
            details["yoy"] = [{"year": r["year"], "growth": _pct(r["growth"])} for r in details["yoy"]]
        if "cagr" in details:
            details["cagr"] = _pct(details["cagr"])
        if f is not None:
            details["forecast_model"] = {k: v for k, v in f.to_dict().items() if k not in ("forecast", "history")}
        return TargetStatus(
            id=target.id, zh=target.zh, en=target.en, indicator=target.indicator,
            indicator_zh=ind.zh if ind else target.indicator, indicator_en=ind.en if ind else target.indicator,
            rule=rule.type, rule_text_zh=text_zh, rule_text_en=text_en,
            target=_pct(j.target) if rate else j.target, value=_pct(j.value) if rate else j.value,
            unit="%" if rate else rule.unit or unit, gap=_pct(j.gap) if rate else j.gap,
            status=j.status, status_zh=zh_l, status_en=en_l, status_reason=reason_zh,
            status_reason_zh=reason_zh, status_reason_en=reason_en, growth_needed=_pct(j.growth_needed),
            growth_seen=_pct(j.growth_seen), departments=depts, department_names=names,
            area=getattr(target, "area", None), task=getattr(target, "task", None),
            target_date=str(as_date(target.target_date)), as_of=as_of.isoformat(),
            region=region or self.values.home, industry=industry, series=series_rows,
            forecast=f.rows() if f is not None else [], probability=j.probability,
            model=f.model_en if f is not None else None, model_zh=f.model_zh if f is not None else None,
            missing=j.missing, details=details, synthetic=self.synthetic,
        )

    # -- a whole plan -------------------------------------------------------------------------------
    def evaluate(self, plan, as_of, region=None, industry=None) -> list[TargetStatus]:
        as_of = as_date(as_of)
        self.values.prefetch(self.requests(plan, as_of, region, industry))
        self.prefetch_evidence(plan, [as_of], [region], industry)
        return self._judge_all(plan, as_of, region, industry)

    def _judge_all(self, plan, as_of: dt.date, region, industry) -> list[TargetStatus]:
        return [self.evaluate_target(plan, t, as_of, region, industry) for t in plan.targets]

    def evaluate_many(self, plan, dates: Iterable, regions: Iterable = (None,), industry=None) -> dict:
        """{(as_of, region): [TargetStatus]} — every value prefetched in one batch first."""
        dates = [as_date(d) for d in dates]
        regions = list(regions)
        reqs = [r for d in dates for g in regions for r in self.requests(plan, d, g, industry)]
        self.values.prefetch(reqs)
        from ipobs.monitor.batch import first_records
        from ipobs.store.db import CursorStore

        # the milestones' first records are read (DuckDB, on a cursor of their own) while the other targets are
        # judged (Python); the milestones are judged once they are in
        keys = self._evidence_keys(plan, dates, regions, industry)
        if keys and getattr(self.store, "con", None) is None:  # no DuckDB cursor to read them beside
            self._records.update(first_records(self.store, keys, self.values.settings))
            keys = []

        def fetch(cursor_store) -> dict:
            try:
                return first_records(cursor_store, keys, self.values.settings)
            finally:
                cursor_store.close()

        out: dict = {}
        later = []
        with ThreadPoolExecutor(max_workers=1) as pool:
            records = pool.submit(fetch, CursorStore(self.store)) if keys else None
            for d in dates:
                for g in regions:
                    row = out[(d, g or self.values.home)] = []
                    for t in plan.targets:
                        if records is not None and t.rule.type == "milestone":
                            later.append((row, len(row), t, d, g))
                            row.append(None)
                        else:
                            row.append(self.evaluate_target(plan, t, d, g, industry))
            if records is not None:
                self._records.update(records.result())
        for row, i, t, d, g in later:
            row[i] = self.evaluate_target(plan, t, d, g, industry)
        return out


def _pct(x: float | None) -> float | None:
    return None if x is None else x * 100.0


def _is_rate_rule(rule: RuleSpec) -> bool:
    """Rules whose value and target are yearly growth rates (shown in %), not levels."""
    return rule.type in ("growth_at_least", "growth_above") or (rule.type in ("rising", "falling") and rule.each_year)


def _rule_value(target, ind) -> float | None:
    """The rule's figure in the monitor's terms: plans write growth in % (20), rules take fractions (0.2)."""
    v = target.rule.value
    if v is None:
        return None
    return float(v) / 100.0 if target.rule.type == "growth_at_least" else float(v)


def evaluate(store, plan, as_of, region=None, industry=None, settings=None) -> list[TargetStatus]:
    """Every target of ``plan`` as of ``as_of`` for ``region`` (default: the home region) and ``industry``.

    ``plan`` is a Plan or a plan name/path for :func:`ipobs.plan.load_plan`. ``settings``: monitor settings
    (see ``settings.yaml``) plus an optional ``indicators`` dict passed to ``ipobs.indicators``.
    """
    if isinstance(plan, str):
        from ipobs.plan import load_plan

        plan = load_plan(plan)
    return Monitor(store, settings).evaluate(plan, as_of, region, industry)
