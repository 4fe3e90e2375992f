"""Judging one target rule on a yearly series: met, on track, at risk, off track or no data, and why.

Pure functions over plain numbers (no store, no plan): :func:`judge` takes the rule, the yearly values up to
the as-of date, the value at the as-of date, and returns a :class:`Judgement` with the status, the
probability of meeting the rule by the target date, the growth needed and seen, and the sentence (zh, en)
that decided it. Growth rates are fractions here (0.2 = 20%).

Rule types (``Rule.type``):

- ``at_least`` / ``at_most`` / ``share_at_least``: the value at the target date is ≥ / ≤ / ≥ the figure;
- ``growth_at_least``: yearly growth ≥ g in every year after the baseline year up to the target year
  (``params.each_year``, the default), or the average yearly growth (CAGR) from the baseline ≥ g;
- ``rising`` / ``falling``: the value rises (falls) every year after the baseline year;
- ``growth_above``: the series grows faster than another indicator (``params.other``) every year — the same
  as the ratio series / other rising every year — or over the whole period when ``each_year`` is false;
- ``milestone``: done (the ledger has at least ``value`` (default 1) completed record) or not.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np

from ipobs.monitor.forecast import Forecast, ForecastError, forecast_series
from ipobs.monitor.settings import STATUS_LABELS, MonitorSettings, monitor_settings
from ipobs.monitor.text import fmt_num, fmt_pct, fmt_prob, year_span

RULE_TYPES = ("at_least", "at_most", "share_at_least", "growth_at_least", "rising", "falling", "growth_above",
              "milestone")
LEVEL_RULES = ("at_least", "at_most", "share_at_least")
TREND_RULES = ("growth_at_least", "rising", "falling", "growth_above")


@dataclass(frozen=True)
class RuleSpec:
    """What :func:`judge` needs to know about a target.

    ``params`` as in plan files: ``strict`` (more/less than, not equal: 突破), ``each_year`` (the condition
    holds in every year after the baseline year), ``average: cagr`` (growth as the compound average),
    ``compare: baseline`` (rising/falling judged against the baseline year's value), ``upto`` (upper end of
    a stated range, shown in the text only).
    """

    type: str
    target_date: dt.date
    value: float | None = None  # level, share, or growth rate as a fraction
    params: Mapping = field(default_factory=dict)
    baseline_year: int | None = None
    baseline_value: float | None = None  # as stated in the plan (used only when the data lack the baseline)
    unit: str = ""
    upper: float | None = None  # bound of a share (100 for %), so forecasts stay inside it
    target_words: tuple[str, str] | None = None  # (zh, en) naming the target figure, e.g. the baseline's value

    def __post_init__(self) -> None:
        if self.type not in RULE_TYPES:
            raise ValueError(f"unknown rule type {self.type!r}; known: {', '.join(RULE_TYPES)}")
        if self.type in LEVEL_RULES + ("growth_at_least",) and self.value is None:
            raise ValueError(f"rule {self.type} needs a value")

    @property
    def target_year(self) -> int:
        return self.target_date.year

    @property
    def strict(self) -> bool:
        return bool(self.params.get("strict", False))

    @property
    def each_year(self) -> bool:
        """Whether the condition must hold in every year: explicit ``each_year``, else per rule type —
        growth each year unless ``average: cagr``; rising/falling against the baseline unless each year;
        growth_above each year; level rules at the target date only."""
        if "each_year" in self.params:
            return bool(self.params["each_year"])
        if self.type == "growth_at_least":
            return self.params.get("average") != "cagr"
        return self.type == "growth_above"


@dataclass
class Judgement:
    status: str
    reason_zh: str
    reason_en: str
    value: float | None = None
    target: float | None = None
    gap: float | None = None
    probability: float | None = None
    growth_needed: float | None = None
    growth_seen: float | None = None
    missing: str | None = None
    forecast: Forecast | None = None
    details: dict = field(default_factory=dict)


Forecaster = Callable[..., Forecast]


# -- helpers ------------------------------------------------------------------------------------------

def clean_series(series: Mapping[int, float | None]) -> dict[int, float]:
    """Observed years only (None and NaN dropped), sorted."""
    return {int(y): float(v) for y, v in sorted(series.items())
            if v is not None and not (isinstance(v, float) and math.isnan(v))}


def cagr(series: Mapping[int, float], first: int, last: int) -> float | None:
    a, b = series.get(first), series.get(last)
    if a is None or b is None or last <= first or a <= 0 or b < 0:
        return None
    return (b / a) ** (1 / (last - first)) - 1


def growth_seen(series: Mapping[int, float], window: int) -> tuple[float | None, tuple[int, int] | None]:
    """Average yearly growth over the latest ``window`` yearly changes (the earliest observed year in the
    window when years are missing), with the span of years whose growth it averages."""
    if len(series) < 2:
        return None, None
    last = max(series)
    starts = [y for y in series if last - window <= y < last]
    if not starts:
        return None, None
    first = min(starts)
    return cagr(series, first, last), (first + 1, last)


def yoy(series: Mapping[int, float], years) -> dict[int, float | None]:
    """Year-on-year growth of each year (None when that year or the one before is missing or zero)."""
    out = {}
    for y in years:
        a, b = series.get(y - 1), series.get(y)
        out[y] = None if a is None or b is None or a == 0 else b / a - 1
    return out


def status_from_probability(p: float, point_ok: bool, s: MonitorSettings) -> str:
    if p >= s.on_track_probability and point_ok:
        return "on_track"
    if p >= s.at_risk_probability:
        return "at_risk"
    return "off_track"


def _label(status: str) -> tuple[str, str]:
    return STATUS_LABELS[status]


def _no_data(missing: str, missing_zh: str | None = None, **kw) -> Judgement:
    return Judgement("no_data", f"无数据：{missing_zh or missing}", f"No data: {missing}", missing=missing, **kw)


def _forecast(forecaster: Forecaster, series: Mapping[int, float], horizon: int, upper, s) -> Forecast:
    years = sorted(series)
    return forecaster(years, [series[y] for y in years], horizon, upper=upper, settings=s)


def _interval_text(f: Forecast, col: int, unit: str, lang: str) -> str:
    lo, hi = fmt_num(float(f.lo80[col]), "", lang), fmt_num(float(f.hi80[col]), unit, lang)
    return f"（80%区间 {lo}–{hi}）" if lang == "zh" else f" (80% interval {lo}–{hi})"


def fmt_date(d: dt.date, lang: str = "zh") -> str:
    """``2021年末`` / ``end-2021`` for 31 December, the ISO date otherwise."""
    if d.month == 12 and d.day == 31:
        return f"{d.year}年末" if lang == "zh" else f"end-{d.year}"
    return d.isoformat()


# -- level rules --------------------------------------------------------------------------------------

def _level_test(rule: RuleSpec):
    """(holds(x) vectorised, operator sign) of a level rule."""
    target = float(rule.value)
    if rule.type == "at_most":
        return ((lambda x: x < target) if rule.strict else (lambda x: x <= target)), ("<" if rule.strict else "≤")
    return ((lambda x: x > target) if rule.strict else (lambda x: x >= target)), (">" if rule.strict else "≥")


def _judge_level(rule: RuleSpec, series, value, as_of, s, forecaster) -> Judgement:
    target = float(rule.value)
    below = rule.type == "at_most"
    holds, op = _level_test(rule)
    u, T = rule.unit, rule.target_year
    upto = rule.params.get("upto")
    shown_zh = rule.target_words[0] if rule.target_words else fmt_num(target, u) + (f"（至{fmt_num(upto, u)}）" if upto else "")
    shown_en = rule.target_words[1] if rule.target_words else fmt_num(target, u, "en") + (f" (up to {fmt_num(upto, u, 'en')})" if upto else "")
    every_zh = "每年" if rule.each_year else ""
    ty = f"{T}年{'前' + every_zh if rule.each_year else ''}目标{op}{shown_zh}"
    ty_en = f"target {op}{shown_en} {'every year to' if rule.each_year else 'by'} {T}"
    if value is None:
        return _no_data(f"no value at {as_of}", f"{as_of} 无数值", target=target)
    gap = max(0.0, (value - target) if below else (target - value))
    if holds(value):
        gap = 0.0
    seen, span = growth_seen(series, s.growth_window)
    seen_zh = f"，{year_span(*span)}平均增速{fmt_pct(seen)}" if seen is not None else ""
    seen_en = f"; average growth {fmt_pct(seen)} a year over {year_span(*span, 'en')}" if seen is not None else ""
    base = dict(value=value, target=target, gap=gap, growth_seen=seen)
    now_zh, now_en = f"{fmt_date(as_of)}为{fmt_num(value, u)}", f"{fmt_num(value, u, 'en')} at {fmt_date(as_of, 'en')}"
    if rule.each_year:
        return _judge_level_each_year(rule, series, as_of, s, forecaster, holds, ty, ty_en, base)
    if holds(value):
        return Judgement("met", f"{ty}；{now_zh}，已达标", f"{ty_en.capitalize()}; {now_en}: met", **base)
    if as_of >= rule.target_date:
        return Judgement("off_track", f"{ty}；目标期限{rule.target_date}已过，{now_zh}，未达标",
                         f"{ty_en.capitalize()}; the deadline {rule.target_date} has passed with {now_en}: not met",
                         **base)
    if not series:
        return _no_data("no complete yearly values to forecast from", "没有可用于预测的完整年度数据", **base)
    last = max(series)
    years_left = T - last
    needed = None
    if series[last] > 0 and target > 0 and years_left > 0:
        needed = (target / series[last]) ** (1 / years_left) - 1
    base["growth_needed"] = needed
    need_zh = f"，需年均增长{fmt_pct(needed)}" if needed is not None else ""
    need_en = f"; needs {fmt_pct(needed)} a year" if needed is not None else ""
    try:
        f = _forecast(forecaster, series, years_left, rule.upper, s)
    except ForecastError as exc:
        return _no_data(f"cannot forecast to {T}: {exc}", f"无法预测至{T}年：{exc}", **base)
    col = f.column(T)
    p = f.probability(lambda paths: holds(paths[:, col]))
    point = float(f.mean[col])
    status = status_from_probability(p, bool(holds(point)), s)
    zh = (f"{ty}；{now_zh}{need_zh}{seen_zh}；按{f.model_zh}（{year_span(*f.fitted)}）预计{T}年达到"
          f"{fmt_num(point, u)}{_interval_text(f, col, u, 'zh')}，达标概率{fmt_prob(p)}")
    en = (f"{ty_en.capitalize()}; {now_en}{need_en}{seen_en}; the {f.model_en} ({year_span(*f.fitted, 'en')}) "
          f"forecasts {fmt_num(point, u, 'en')} in {T}{_interval_text(f, col, u, 'en')}, probability of meeting "
          f"{fmt_prob(p)}")
    return Judgement(status, zh, en, probability=p, forecast=f, details={"forecast_at_target": point}, **base)


def _judge_level_each_year(rule: RuleSpec, series, as_of, s, forecaster, holds, ty, ty_en, base) -> Judgement:
    """A level that must hold in every year after the baseline year up to the target year (e.g. ≥10
    trainings a year, an on-time closure rate ≥95% every year)."""
    T, u = rule.target_year, rule.unit
    B = rule.baseline_year if rule.baseline_year is not None else (min(series) - 1 if series else None)
    if not series or B is None:
        return _no_data("no yearly values", "没有年度数值", **base)
    last = max(series)
    years = list(range(B + 1, min(last, T) + 1))
    lacking = [y for y in years if y not in series]
    if lacking:
        return _no_data(f"no value for {', '.join(map(str, lacking))}: the yearly condition cannot be checked",
                        f"缺少{'、'.join(map(str, lacking))}年数值，无法逐年核对", **base)
    seen_zh = "；" + "，".join(f"{y}年{fmt_num(series[y], u)}" for y in years) if years else ""
    seen_en = "; " + ", ".join(f"{y} {fmt_num(series[y], u, 'en')}" for y in years) if years else ""
    failed = [y for y in years if not holds(series[y])]
    details = {"years": [{"year": y, "value": series[y], "holds": bool(holds(series[y]))} for y in years]}
    if failed:
        return Judgement("off_track", f"{ty}{seen_zh}；{'、'.join(map(str, failed))}年未达到，目标已无法实现",
                         f"{ty_en.capitalize()}{seen_en}; not met in {', '.join(map(str, failed))}, so the target "
                         "can no longer be met", details=details, **base)
    if last >= T:
        return Judgement("met", f"{ty}{seen_zh}；每年均达到", f"{ty_en.capitalize()}{seen_en}; held every year",
                         details=details, **base)
    if as_of >= rule.target_date:
        return _no_data(f"no value for the target year {T}", f"缺少目标年{T}年的数值", details=details, **base)
    try:
        f = _forecast(forecaster, series, T - last, rule.upper, s)
    except ForecastError as exc:
        return _no_data(f"cannot forecast to {T}: {exc}", f"无法预测至{T}年：{exc}", details=details, **base)
    p = f.probability(lambda paths: np.all(holds(paths), axis=1))
    point_ok = bool(np.all(holds(f.mean)))
    col = f.column(T)
    remaining_zh = f"{last + 1}–{T}年" if T - last > 1 else f"{T}年"
    remaining_en = f"{last + 1}–{T}" if T - last > 1 else str(T)
    zh = (f"{ty}{seen_zh}；按{f.model_zh}预计{T}年为{fmt_num(float(f.mean[col]), u)}{_interval_text(f, col, u, 'zh')}，"
          f"{remaining_zh}达到的概率{fmt_prob(p)}")
    en = (f"{ty_en.capitalize()}{seen_en}; the {f.model_en} forecasts {fmt_num(float(f.mean[col]), u, 'en')} in {T}"
          f"{_interval_text(f, col, u, 'en')}, probability that {remaining_en} holds: {fmt_prob(p)}")
    return Judgement(status_from_probability(p, point_ok, s), zh, en, probability=p, forecast=f,
                     details={**details, "forecast_at_target": float(f.mean[col])}, **base)


# -- rules on yearly changes --------------------------------------------------------------------------

@dataclass(frozen=True)
class _Change:
    """A rule on yearly changes, expressed as: ratio of consecutive values compared with a threshold."""

    threshold: float  # compare x_t / x_{t-1} − 1 with this
    strict: bool
    direction: str  # "up" (≥ / >) or "down" (<)
    zh: str
    en: str
    avg_zh: str = ""
    avg_en: str = ""

    def holds(self, g):
        if self.direction == "down":
            return g < self.threshold
        return g > self.threshold if self.strict else g >= self.threshold


def _change_of(rule: RuleSpec) -> _Change:
    if rule.type == "growth_at_least":
        g = float(rule.value)
        return _Change(g, False, "up", f"年增速≥{fmt_pct(g)}", f"yearly growth ≥{fmt_pct(g)}",
                       f"年均增速≥{fmt_pct(g)}", f"average yearly growth (CAGR) ≥{fmt_pct(g)}")
    if rule.type == "falling":
        return _Change(0.0, True, "down", "逐年下降", "falling every year", "总体下降", "falling overall")
    if rule.type == "growth_above":
        return _Change(0.0, True, "up", "增速高于对比指标", "growth above the comparison indicator",
                       "平均增速高于对比指标", "average growth above the comparison indicator")
    return _Change(0.0, True, "up", "逐年增长", "rising every year", "总体增长", "rising overall")


def _judge_change(rule: RuleSpec, series, as_of, s, forecaster, *, shown=None, other_words=None,
                  level_words=None) -> Judgement:
    """growth_at_least, rising, falling and (on the ratio series) growth_above."""
    ch = _change_of(rule)
    T = rule.target_year
    if not series:
        return _no_data("no yearly values", "没有年度数值")
    B = rule.baseline_year if rule.baseline_year is not None else min(series)
    last = max(series)
    notes = []
    if B not in series:
        if rule.baseline_value is not None and rule.type != "growth_above":
            series = {**series, B: float(rule.baseline_value)}
            notes.append(f"baseline {B} taken from the plan ({rule.baseline_value:g}): no data for it")
        else:
            return _no_data(f"no value for the baseline year {B}", f"缺少基期{B}年的数值")
    observed_years = list(range(B + 1, min(last, T) + 1))
    missing_years = [y for y in observed_years if y not in series]
    if missing_years:
        return _no_data(f"no value for {', '.join(map(str, missing_years))}: yearly growth cannot be checked",
                        f"缺少{'、'.join(map(str, missing_years))}年数值，无法核对逐年增速")
    g = yoy(series, observed_years)
    zero = [y for y, v in g.items() if v is None]
    if zero:
        return _no_data(f"the value before {', '.join(map(str, zero))} is zero: growth undefined",
                        f"{'、'.join(str(y - 1) for y in zero)}年数值为零，增速无定义")
    seen, _ = growth_seen(series, s.growth_window)
    latest = g[observed_years[-1]] if observed_years else None
    shown = shown or {}
    value = shown.get("value", latest)
    target = shown.get("target", ch.threshold if rule.type == "growth_at_least" else None)
    yoy_list = [{"year": y, "growth": v} for y, v in g.items()]
    details = {"yoy": yoy_list, "cagr": cagr(series, B, min(last, T)), "baseline_year": B, "notes": notes}
    base = dict(value=value, target=target, growth_seen=seen, details=details)
    rule_zh = f"{B + 1}–{T}年{ch.zh}" if rule.each_year else f"{B}–{T}年{ch.avg_zh}"
    rule_en = f"{ch.en} {B + 1}–{T}" if rule.each_year else f"{ch.avg_en} {B}–{T}"
    lead_zh, lead_en = ("比值变化", "change of the ratio: ") if level_words else ("", "")
    seen_text = (f"；{lead_zh}" + "，".join(f"{y}年{fmt_pct(v, True)}" for y, v in g.items())) if g else ""
    seen_text_en = (f"; {lead_en}" + ", ".join(f"{y} {fmt_pct(v, True)}" for y, v in g.items())) if g else ""
    if other_words:
        seen_text += other_words[0]
        seen_text_en += other_words[1]

    if rule.each_year:
        failed = [y for y, v in g.items() if not ch.holds(v)]
        if failed:
            return Judgement("off_track", f"{rule_zh}{seen_text}；{'、'.join(map(str, failed))}年未达到，目标已无法实现",
                             f"{rule_en.capitalize()}{seen_text_en}; not met in {', '.join(map(str, failed))}, so the "
                             "target can no longer be met", gap=None, **base)
        if last >= T:
            return Judgement("met", f"{rule_zh}{seen_text}；每年均达到", f"{rule_en.capitalize()}{seen_text_en}; held every year",
                             gap=0.0, **base)
    else:
        if last >= T:
            c = cagr(series, B, T)
            ok = c is not None and ch.holds(c)
            return Judgement("met" if ok else "off_track", f"{rule_zh}；{B}–{T}年年均{fmt_pct(c)}，{'已达标' if ok else '未达标'}",
                             f"{rule_en.capitalize()}; {fmt_pct(c)} a year {B}–{T}: {'met' if ok else 'not met'}",
                             gap=None, **base)
    if as_of >= rule.target_date:
        return _no_data(f"no value for the target year {T}", f"缺少目标年{T}年的数值", **base)

    horizon = T - last
    try:
        f = _forecast(forecaster, series, horizon, None, s)
    except ForecastError as exc:
        return _no_data(f"cannot forecast to {T}: {exc}", f"无法预测至{T}年：{exc}", **base)
    prev = np.full((f.paths.shape[0], 1), series[last])
    full = np.hstack([prev, f.paths])
    point_full = np.concatenate([[series[last]], f.mean])
    if rule.each_year:
        growth = full[:, 1:] / full[:, :-1] - 1
        point_growth = point_full[1:] / point_full[:-1] - 1
        p = float(np.mean(np.all(ch.holds(growth), axis=1)))
        point_ok = bool(np.all(ch.holds(point_growth)))
        needed = ch.threshold
    else:
        span_years = T - B
        growth_paths = (full[:, -1] / series[B]) ** (1 / span_years) - 1
        p = float(np.mean(ch.holds(growth_paths)))
        point_ok = bool(ch.holds((point_full[-1] / series[B]) ** (1 / span_years) - 1))
        needed = None
        if series[last] > 0 and rule.type == "growth_at_least":
            level = series[B] * (1 + ch.threshold) ** span_years
            needed = (level / series[last]) ** (1 / horizon) - 1
    status = status_from_probability(p, point_ok, s)
    col = f.column(T)
    point = float(f.mean[col])
    remaining = f"{last + 1}–{T}年" if horizon > 1 else f"{T}年"
    remaining_en = f"{last + 1}–{T}" if horizon > 1 else str(T)
    unit = "" if level_words else rule.unit
    what_zh, what_en = level_words or ("", "")
    zh = (f"{rule_zh}{seen_text}；按{f.model_zh}预计{T}年{what_zh}为{fmt_num(point, unit)}"
          f"{_interval_text(f, col, unit, 'zh')}，{remaining}{'均' if horizon > 1 else ''}达到的概率{fmt_prob(p)}")
    en = (f"{rule_en.capitalize()}{seen_text_en}; the {f.model_en} forecasts {what_en}{fmt_num(point, unit, 'en')} in {T}"
          f"{_interval_text(f, col, unit, 'en')}, probability that {remaining_en} holds: {fmt_prob(p)}")
    return Judgement(status, zh, en, probability=p, forecast=f, growth_needed=needed, gap=None,
                     **{**base, "details": {**details, "forecast_at_target": point}})


def _judge_growth_above(rule: RuleSpec, series, other, as_of, s, forecaster, other_name) -> Judgement:
    if not other:
        return _no_data(f"no values of the comparison indicator {other_name}", f"对比指标{other_name}无数值")
    common = {y: series[y] / other[y] for y in series if y in other and other[y] > 0 and series[y] > 0}
    lacking = sorted(y for y in series if y not in common)
    B = rule.baseline_year if rule.baseline_year is not None else (min(common) if common else None)
    needed_years = [y for y in lacking if B is not None and y >= B]
    if needed_years:
        return _no_data(f"no positive value of {other_name} (or of the series) for {', '.join(map(str, needed_years))}",
                        f"{'、'.join(map(str, needed_years))}年缺少{other_name}或本指标的正数值")
    last = max(common) if common else None
    own_g = yoy(series, [last]).get(last) if last else None
    other_g = yoy(other, [last]).get(last) if last else None
    words = ((f"（{last}年本指标{fmt_pct(own_g, True)}，{other_name}{fmt_pct(other_g, True)}）",
              f" ({last}: {fmt_pct(own_g, True)} against {other_name} {fmt_pct(other_g, True)})")
             if last and own_g is not None and other_g is not None else None)
    j = _judge_change(rule, common, as_of, s, forecaster, shown={"value": own_g, "target": other_g},
                      other_words=words, level_words=(f"本指标与{other_name}之比", f"a ratio to {other_name} of "))
    j.details["forecast_of"] = "ratio"
    j.details["ratio_series"] = [{"year": y, "ratio": v} for y, v in common.items()]
    return j


def _judge_against_baseline(rule: RuleSpec, series, value, as_of, s, forecaster) -> Judgement:
    """rising / falling with ``compare: baseline``: above (below) the baseline year's value at the target date."""
    B = rule.baseline_year if rule.baseline_year is not None else (min(series) if series else None)
    base_value = series.get(B) if B is not None else None
    note = None
    if base_value is None and rule.baseline_value is not None:
        base_value, note = float(rule.baseline_value), f"baseline {B} taken from the plan: no data for it"
    if base_value is None:
        return _no_data(f"no value for the baseline year {B}", f"缺少基期{B}年的数值")
    up = rule.type == "rising"
    level = RuleSpec("at_least" if up else "at_most", rule.target_date, base_value, {"strict": True}, B, None,
                     rule.unit, rule.upper,
                     (f"{B}年基期水平{fmt_num(base_value, rule.unit)}", f"the {B} baseline of {fmt_num(base_value, rule.unit, 'en')}"))
    j = _judge_level(level, series, value, as_of, s, forecaster)
    j.details.update({"baseline_year": B, "baseline_value": base_value, "compare": "baseline"})
    if note:
        j.details["notes"] = [note]
    return j


# -- milestone ----------------------------------------------------------------------------------------

def _judge_milestone(rule: RuleSpec, value, as_of, s, evidence) -> Judgement:
    need = float(rule.value) if rule.value is not None else 1.0
    T = rule.target_date
    if value is None:
        return _no_data(f"no ledger value at {as_of}", f"{as_of} 台账无数值", target=need)
    ev = evidence or {}
    ev_zh = f"（台账记录：{ev.get('text_zh') or ev.get('text')}）" if ev else ""
    ev_en = f" (ledger record: {ev.get('text_en') or ev.get('text')})" if ev else ""
    base = dict(value=value, target=need, details={"evidence": ev} if ev else {})
    if value >= need:
        return Judgement("met", f"已完成{ev_zh}", f"Done{ev_en}", gap=0.0, **base)
    if as_of >= T:
        return Judgement("off_track", f"期限{T}已过，尚未完成", f"The deadline {T} has passed and it is not done",
                         gap=need - value, **base)
    st = s.milestone_pending_status
    zh_l, en_l = _label(st)
    return Judgement(st, f"期限{T}前尚未完成（一次性事项无趋势可预测，按设置记为“{zh_l}”）",
                     f"Not done yet; due {T} (a one-off milestone has no trend to forecast; reported as '{en_l}' by "
                     "setting milestone_pending_status)", gap=need - value, **base)


# -- entry point --------------------------------------------------------------------------------------

def judge(rule: RuleSpec, series: Mapping[int, float | None], value: float | None, as_of: dt.date, *,
          settings: MonitorSettings | dict | None = None, other: Mapping[int, float | None] | None = None,
          other_name: str = "", evidence: dict | None = None, forecaster: Forecaster = forecast_series) -> Judgement:
    """Judge ``rule`` as of ``as_of``.

    ``series`` maps complete years up to the as-of date to values (None = missing); ``value`` is the value at
    the as-of date (for flows, the as-of year so far). ``other`` is the comparison series of
    ``growth_above``; ``evidence`` the ledger record of a milestone (``{"text_zh", "text_en", ...}``).
    """
    s = monitor_settings(settings)
    obs = clean_series({y: v for y, v in series.items() if int(y) <= as_of.year})
    if rule.type in ("rising", "falling") and not rule.each_year:
        return _judge_against_baseline(rule, obs, value, as_of, s, forecaster)
    if rule.type in LEVEL_RULES:
        return _judge_level(rule, obs, value, as_of, s, forecaster)
    if rule.type == "milestone":
        return _judge_milestone(rule, value, as_of, s, evidence)
    if rule.type == "growth_above":
        return _judge_growth_above(rule, obs, clean_series(other or {}), as_of, s, forecaster, other_name)
    return _judge_change(rule, obs, as_of, s, forecaster)
