"""The demo's data files (calibration, vocabulary, names) and small helpers to read them."""

from __future__ import annotations

import zlib
from functools import lru_cache
from importlib import resources

import numpy as np
import yaml


def _load(name: str) -> dict:
    text = resources.files("ipobs.demo").joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=1)
def calibration() -> dict:
    return _load("calibration.yaml")


@lru_cache(maxsize=1)
def vocab() -> dict:
    return _load("vocab.yaml")


@lru_cache(maxsize=1)
def names() -> dict:
    return _load("names.yaml")


def stream(seed: int, *keys) -> np.random.Generator:
    """An independent random stream per (seed, kind, part…): adding a kind shifts no other."""
    spawn = tuple(zlib.crc32(str(k).encode("utf-8")) for k in keys)
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy=seed, spawn_key=spawn)))


def series(points: dict, years) -> np.ndarray:
    """Values of a {year: value} series at ``years``: linear in between, flat outside."""
    xs = np.array(sorted(int(k) for k in points), dtype=float)
    ys = np.array([float(points[k] if k in points else points[str(k)]) for k in sorted(points, key=int)])
    return np.interp(np.asarray(years, dtype=float), xs, ys)


def scaled_counts(points: dict, years, scale: float) -> np.ndarray:
    """Integer counts of a series at a scale (rounded, never negative)."""
    return np.maximum(np.rint(series(points, years) * scale), 0).astype(np.int64)


def years() -> np.ndarray:
    c = calibration()
    return np.arange(c["first_year"], c["last_year"] + 1)


def end_date() -> np.datetime64:
    return np.datetime64(calibration()["end_date"], "D")
