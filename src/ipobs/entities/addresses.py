"""Addresses → region codes: province / city / district anywhere in China, and inside the
home district (Binhai) its functional zones and streets.

Matching walks the address from the left, as Chinese addresses are written: province
(full or short name), then city, then district, each anchored where the previous one
ended; a full city or district name later in the text is accepted when the anchored step
finds nothing. Inside the home district the zone and street aliases of ``regions.csv``
are searched (longest alias wins). Nothing is guessed: an address that reaches no
province is *unmatched* and the importer lists it.

Examples
--------
>>> locate("300457天津市滨海新区经济技术开发区第三大街")
'120116Z4'
>>> locate("天津开发区泰达街道洞庭路")
'120116014'
>>> locate("450000河南省郑州市郑东新区中道东路6号")
'4101'
>>> locate("河南省郑州市金水区花园路") , locate("California, USA")
('410105', None)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from ipobs.entities.divisions import divisions, is_place, short_name
from ipobs.entities.regions import HOME, regions

MUNICIPALITIES = {"11", "12", "31", "50"}
_LEAD = re.compile(r"^[\s\d\-－—,，.。:：#]*(?:中华人民共和国|中国)?")
_SPACES = re.compile(r"\s+")


class _Level:
    """Written forms → code, matched longest first (the regex is compiled on first use)."""

    __slots__ = ("variants", "_pattern")

    def __init__(self, variants: dict[str, str]):
        self.variants = variants
        self._pattern: re.Pattern | None = None

    @property
    def pattern(self) -> re.Pattern:
        if self._pattern is None:
            keys = sorted(self.variants, key=len, reverse=True)
            self._pattern = re.compile("|".join(map(re.escape, keys))) if keys else re.compile(r"(?!x)x")
        return self._pattern


def _level(variants: dict[str, str]) -> _Level:
    return _Level(variants)


@dataclass(frozen=True)
class _Gazetteer:
    provinces: _Level
    cities: dict[str, _Level]  # by province
    districts: dict[str, _Level]  # by city code, and by province code for municipalities
    full_cities: dict[str, _Level]  # full names only, by province (searched anywhere)
    full_districts: dict[str, _Level]  # full names only, by city / province
    home: _Level  # zones and streets of the home district
    any_city: _Level  # full city names of the whole country (for addresses without a province)
    any_district: _Level  # full district names that occur once in the country


def _variants(names: list[tuple[str, str]], *, short: bool) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, code in names:
        out.setdefault(name, code)
        if short:
            s = short_name(name)
            if s != name:
                out.setdefault(s, code)
    return out


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    divs = [d for d in divisions().values() if is_place(d)]
    by_parent: dict[str, list] = {}
    for d in divs:
        if d.parent:
            by_parent.setdefault(d.parent, []).append(d)
    provinces = _level(_variants([(d.name, d.code) for d in divs if d.level == "province"], short=True))
    cities, full_cities, districts, full_districts = {}, {}, {}, {}
    home_aliases = _home_district_aliases()
    for p in (d for d in divs if d.level == "province"):
        kids = by_parent.get(p.code, [])
        cs = [c for c in kids if c.level == "city"]
        cities[p.code] = _level(_variants([(c.name, c.code) for c in cs], short=True))
        full_cities[p.code] = _level({c.name: c.code for c in cs})
        # districts of the province (municipalities have no real city level)
        all_d = [(x.name, x.code) for c in divisions().values() if c.parent == p.code
                 for x in by_parent.get(c.code, []) if x.level == "district"]
        extra = home_aliases.get(p.code, {})
        districts[p.code] = _level({**_variants(all_d, short=True), **extra})
        full_districts[p.code] = _level({**{n: c for n, c in all_d}, **extra})
        for c in cs:
            ds = [(x.name, x.code) for x in by_parent.get(c.code, []) if x.level == "district"]
            districts[c.code] = _level(_variants(ds, short=True))
            full_districts[c.code] = _level(dict(ds))
    city_names: dict[str, list[str]] = {}
    district_names: dict[str, list[str]] = {}
    for d in divs:
        if d.level == "city":
            city_names.setdefault(d.name, []).append(d.code)
        elif d.level == "district":
            district_names.setdefault(d.name, []).append(d.code)
    any_city = _level({n: c[0] for n, c in city_names.items() if len(c) == 1})
    any_district = _level({n: c[0] for n, c in district_names.items() if len(c) == 1 and len(n) >= 3})
    return _Gazetteer(provinces, cities, districts, full_cities, full_districts, _level(_home_aliases()),
                      any_city, any_district)


def _home_district_aliases() -> dict[str, dict[str, str]]:
    """District aliases of the home city from regions.csv (old names such as 塘沽区, 蓟县)."""
    out: dict[str, dict[str, str]] = {}
    for r in regions().values():
        if r.level == "district":
            for a in (r.name, *r.aliases):
                if len(a) >= 2:
                    out.setdefault(r.code[:2], {})[a] = r.code
    return out


def _home_aliases() -> dict[str, str]:
    """Zone and street names and aliases under the home district (streets before zones)."""
    out: dict[str, str] = {}
    home = regions()
    for level in ("street", "zone"):
        for r in home.values():
            if r.level == level and r.code.startswith(HOME):
                for a in (r.name, *r.aliases):
                    if len(a) >= 2:
                        out.setdefault(a, r.code)
    return out


def clean_address(text: str) -> str:
    t = unicodedata.normalize("NFKC", str(text))
    t = _SPACES.sub("", t)
    return _LEAD.sub("", t)


def _anchored(level: _Level | None, text: str, pos: int) -> tuple[str, int] | None:
    if level is None:
        return None
    m = level.pattern.match(text, pos)
    return (level.variants[m.group(0)], m.end()) if m else None


def _anywhere(level: _Level | None, text: str, pos: int) -> tuple[str, int] | None:
    if level is None:
        return None
    m = level.pattern.search(text, pos)
    return (level.variants[m.group(0)], m.end()) if m else None


@lru_cache(maxsize=1 << 18)
def locate(address: str | None) -> str | None:
    """The finest region code an address names, or None when it names no province."""
    if not address:
        return None
    g = _gazetteer()
    t = clean_address(address)
    hit = _anchored(g.provinces, t, 0)
    if hit is None:
        return _locate_without_province(t)
    province, pos = hit
    return _below_province(province, t, pos)


def _below_province(province: str, t: str, pos: int) -> str:
    g = _gazetteer()
    code = province
    if province in MUNICIPALITIES:
        hit = _anchored(g.districts.get(province), t, pos) or _anywhere(g.full_districts.get(province), t, pos)
        if hit:
            code = hit[0]
    else:
        hit = _anchored(g.cities.get(province), t, pos) or _anywhere(g.full_cities.get(province), t, pos)
        if hit:
            code, pos = hit
            d = _anchored(g.districts.get(code), t, pos) or _anywhere(g.full_districts.get(code), t, pos)
            if d:
                code = d[0]
    if province == HOME[:2] and (code == province or code == HOME):
        z = _home_zone(t)
        if z:
            return z
    return code


def _home_zone(t: str) -> str | None:
    """A zone or street of the home district named anywhere in the address (longest alias)."""
    g = _gazetteer()
    best = None
    for m in g.home.pattern.finditer(t):
        if best is None or len(m.group(0)) > len(best):
            best = m.group(0)
    return g.home.variants[best] if best else None


def _locate_without_province(t: str) -> str | None:
    """Addresses that start at the city or district ("郑州市…", "滨海新区…")."""
    g = _gazetteer()
    for level in (g.any_city, g.any_district):
        m = level.pattern.match(t)
        if m:
            return _below_province(level.variants[m.group(0)][:2], t, 0)
    return None


def is_within(code: str, ancestor: str) -> bool:
    """True when ``code`` is ``ancestor`` or lies below it."""
    if code == ancestor:
        return True
    reg = regions()
    if code in reg:
        parent = reg[code].parent
        return parent is not None and is_within(parent, ancestor)
    return code.startswith(ancestor)


def combine(address_code: str | None, hint_code: str | None) -> str | None:
    """The finer of the code read from an address and the code from vendor region columns.

    The hint wins only where it is consistent with (below) what the address says.
    """
    if address_code is None:
        return hint_code
    if hint_code is None:
        return address_code
    if hint_code != address_code and is_within(hint_code, address_code):
        return hint_code
    return address_code


def locate_many(addresses: pd.Series, hints: pd.Series | None = None) -> pd.Series:
    """Region code per row (missing when unmatched), each distinct address located once."""
    from ipobs.entities.distinct import series_distinct

    codes = series_distinct(addresses.astype("string"), locate)
    if hints is not None:
        hc = series_distinct(hints.astype("string"), locate)
        # the few distinct (address code, hint code) pairs decide each row
        pair = codes.fillna("") + "|" + hc.fillna("")
        codes = series_distinct(pair, lambda p: combine(*(x or None for x in p.split("|", 1))))
    return codes
