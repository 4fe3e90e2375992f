"""The plan industries' yearly activity (task 1: industries with ≥2,000 applications and ≥2,000
grants a year). The definition is the indicator ``industries_meeting_volume``'s record list
(``ipobs.indicators``); this function only asks it for whole calendar years."""

from __future__ import annotations

import datetime as dt

import pandas as pd


def industry_activity(store, year: int, region: str | None = None, settings=None) -> pd.DataFrame:
    """(industry, industry_zh, applications, grants, meets) for one calendar year and region."""
    from ipobs.indicators import records

    df, _ = records(store, "industries_meeting_volume", dt.date(int(year), 12, 31), region=region, limit=100,
                    settings=settings)
    return df.assign(year=int(year))


def industry_activity_series(store, years, region: str | None = None, settings=None) -> pd.DataFrame:
    return pd.concat([industry_activity(store, y, region, settings) for y in years], ignore_index=True)
