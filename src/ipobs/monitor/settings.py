"""The monitor's settings (status thresholds and forecasting knobs), defined once in ``settings.yaml``.

>>> s = monitor_settings({"on_track_probability": 0.7})
>>> s.on_track_probability, s.at_risk_probability
(0.7, 0.25)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Mapping

import yaml

STATUSES = ("met", "on_track", "at_risk", "off_track", "no_data")
STATUS_LABELS = {
    "met": ("已达标", "met"),
    "on_track": ("进展顺利", "on track"),
    "at_risk": ("有风险", "at risk"),
    "off_track": ("偏离目标", "off track"),
    "no_data": ("无数据", "no data"),
}
CHOICES = {"milestone_pending_status": ("on_track", "at_risk", "off_track"), "subregion_targets": ("apportion", "same"),
           "ets_fitter": ("grid", "statsmodels")}


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    help_zh: str


@lru_cache(maxsize=1)
def settings_table() -> tuple[Setting, ...]:
    text = resources.files("ipobs.monitor").joinpath("settings.yaml").read_text(encoding="utf-8")
    return tuple(Setting(**d) for d in yaml.safe_load(text))


class MonitorSettings:
    """Read-only attribute access to the settings values (defaults overridden by ``overrides``)."""

    def __init__(self, values: Mapping[str, Any]):
        object.__setattr__(self, "_values", MappingProxyType(dict(values)))

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name, value) -> None:
        raise AttributeError("MonitorSettings is read-only; pass overrides to monitor_settings()")

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)

    def key(self) -> tuple:
        return tuple(sorted(self._values.items()))


def monitor_settings(overrides: Mapping[str, Any] | MonitorSettings | None = None) -> MonitorSettings:
    """Defaults from ``settings.yaml`` with ``overrides`` applied; unknown names or bad values raise ValueError.

    Keys of ``overrides`` that are not monitor settings are rejected, except the key ``indicators``
    (settings passed through to ``ipobs.indicators``).
    """
    if isinstance(overrides, MonitorSettings):
        return overrides
    table = {s.name: s for s in settings_table()}
    values = {s.name: s.default for s in table.values()}
    for name, value in (overrides or {}).items():
        if name == "indicators":
            continue
        if name not in table:
            raise ValueError(f"unknown monitor setting {name!r}; known: {', '.join(sorted(table))}")
        default = table[name].default
        try:
            value = type(default)(value)
        except (TypeError, ValueError):
            raise ValueError(f"monitor setting {name}: {value!r} is not a {type(default).__name__}") from None
        if name in CHOICES and value not in CHOICES[name]:
            raise ValueError(f"monitor setting {name}: {value!r} is not one of {', '.join(CHOICES[name])}")
        values[name] = value
    if not 0 <= values["at_risk_probability"] <= values["on_track_probability"] <= 1:
        raise ValueError("monitor settings: need 0 ≤ at_risk_probability ≤ on_track_probability ≤ 1")
    if values["min_points"] < 3:
        raise ValueError("monitor setting min_points: at least 3 points are needed to estimate a trend and its error")
    return MonitorSettings(values)
