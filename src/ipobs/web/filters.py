"""The filters pages share: as-of date, region (Binhai and its eight zones), industry."""

from __future__ import annotations

import datetime as dt

from ipobs.entities import regions as reg
from ipobs.records.industries import industries
from ipobs.web import i18n
from ipobs.web.errors import WebError


def region_choices() -> list[dict]:
    """The home region (Binhai New Area) and its functional zones."""
    codes = [reg.HOME, *reg.sub_regions(reg.HOME)]
    return [{"code": c, "zh": reg.region(c).name, "en": reg.region(c).name_en} for c in codes]


def region_name(code: str) -> dict:
    r = reg.region(code)
    return {"code": code, "zh": r.name, "en": r.name_en}


def region_label(code: str | None) -> dict | None:
    """{code, zh, en} of a region code, or None when it is empty or not in the region table."""
    if not code:
        return None
    r = reg.regions().get(code)
    return {"code": code, "zh": r.name, "en": r.name_en} if r else {"code": code, "zh": code, "en": code}


def check_region(code: str | None) -> str:
    """A region code of the home region's tree (400 otherwise)."""
    code = code or reg.HOME
    if code not in reg.descendants(reg.HOME):
        raise WebError(400, i18n.gettext("Unknown region."),
                       [f"region {code!r} is not {reg.HOME} or one of its zones or streets"])
    return code


def industry_choices() -> list[dict]:
    return [{"id": i.id, "zh": i.zh, "en": i.en} for i in industries().values()]


def check_industry(industry: str | None) -> str | None:
    if not industry:
        return None
    if industry not in industries():
        raise WebError(400, i18n.gettext("Unknown industry."),
                       [f"industry {industry!r}; known: {', '.join(industries())}"])
    return industry


def latest_data_date(store) -> dt.date | None:
    """The latest filing date in the store: the natural 'as of' for a dashboard."""
    v = store.scalar("SELECT max(filing_date) FROM patent")
    return v if isinstance(v, dt.date) else None


def parse_as_of(text: str | None, default: dt.date) -> dt.date:
    if not text:
        return default
    try:
        d = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise WebError(400, i18n.gettext("The date is not valid."), [f"as_of={text!r}: use YYYY-MM-DD"]) from None
    if not dt.date(1985, 1, 1) <= d <= dt.date(2100, 12, 31):
        raise WebError(400, i18n.gettext("The date is not valid."), [f"as_of={text}: outside 1985–2100"])
    return d


def default_as_of(web) -> dt.date:
    """The latest data date (cached per store generation), never after today."""
    gen = web.generation()
    latest = web.memo.get(("latest_date", gen), lambda: latest_data_date(web.pool.reader()))
    today = dt.date.today()
    return min(latest, today) if latest else today
