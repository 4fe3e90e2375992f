"""The services the pages present, imported lazily so a missing one names itself.

The web floor only presents: every number comes from ``ipobs.monitor``, ``ipobs.indicators``,
``ipobs.plan``, ``ipobs.search`` or the store. When one of them is not part of the
installation, the page that needs it answers 503 naming exactly what is missing, and every
other page keeps working.
"""

from __future__ import annotations

import importlib
from functools import lru_cache


class ServiceMissing(Exception):
    """A page needs a service that this installation lacks."""

    def __init__(self, dotted: str, reason: str):
        super().__init__(f"{dotted} is not available in this installation ({reason})")
        self.dotted = dotted


def service(module: str, name: str):
    """``module.name`` or :class:`ServiceMissing`."""
    dotted = f"{module}.{name}"
    try:
        mod = importlib.import_module(module)
    except ImportError as e:
        raise ServiceMissing(dotted, f"cannot import {module}: {e}") from None
    fn = getattr(mod, name, None)
    if fn is None:
        raise ServiceMissing(dotted, f"{module} has no {name}")
    return fn


def available(module: str, name: str) -> bool:
    try:
        service(module, name)
    except ServiceMissing:
        return False
    return True


@lru_cache(maxsize=4)
def plan(name: str = "binhai-2019"):
    """The work plan (loaded once per process)."""
    return service("ipobs.plan", "load_plan")(name)


@lru_cache(maxsize=1)
def indicator_registry() -> dict:
    return service("ipobs.indicators", "registry")()


def ipc_title(code: str, lang: str) -> str:
    """The IPC title from the analytics reference tables ('' when they are not installed)."""
    try:
        return service("ipobs.analytics.reference", "ipc_title")(code, lang)
    except ServiceMissing:
        return ""
