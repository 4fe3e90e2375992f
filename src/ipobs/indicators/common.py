"""Building blocks the definitions share: region and period filters, as-of views, region
facts with their vintage, and the finishing steps (count, ratio, per 10,000, growth).

Everything here is engine-neutral Ibis; nothing executes.
"""

from __future__ import annotations

import datetime as dt

import ibis
from ibis import _

from ipobs.indicators.base import HAVE
from ipobs.store import history

# Ledger statuses: what counts as done, and what never counts.
DONE = ("accepted", "completed")
CANCELLED = ("cancelled",)


def lit(d: dt.date) -> ibis.Expr:
    return ibis.literal(d, type="date")


def in_region(table, q, column: str = "region_code"):
    return table.filter(table[column].isin(list(q.codes)))


def in_region_ledger(table, q, column: str = "region_code"):
    """Ledger rows of the region; rows without a region belong to the home region as a whole."""
    inside = table[column].isin(list(q.codes))
    if q.region == q.settings.home_region:
        inside = inside | table[column].isnull()
    return table.filter(inside)


def between(col, start: dt.date, end: dt.date):
    c = col.cast("date")
    return (c >= lit(start)) & (c <= lit(end))


def on_or_before(col, d: dt.date):
    return col.cast("date") <= lit(d)


def period_start(q) -> dt.date:
    return dt.date.fromisoformat(str(q.settings.period_start))


# ------------------------------------------------------------------ patents
def patents(t, q, *, kind: str | None = None, domestic: bool | None = None):
    """Patents attributed to the region (per-patent ``region_code``), in the industry if asked."""
    p = in_region(t.patent, q)
    if q.industry:
        p = p.filter(p.industry == q.industry)
    if kind:
        p = p.filter(p.kind == kind)
    if domestic:
        p = p.filter(p.domestic.fill_null(False))
    return p


def patent_status(t, as_of: dt.date):
    return history.patent_status_as_of(t.patent_event, as_of)


def valid_patents(t, q, *, kind: str | None = None, domestic: bool | None = None, as_of: dt.date | None = None):
    """Patents of the region granted and in force at the date, with their status date."""
    st = patent_status(t, as_of or q.as_of).filter(_.status == "granted")
    p = patents(t, q, kind=kind, domestic=domestic)
    return p.inner_join(st, "patent_id")


PATENT_COLUMNS = ("patent_id", "application_no", "kind", "title", "filing_date", "grant_date", "region_code",
                  "attribution_basis", "industry", "domestic")


def first_owner(t):
    """(patent_id, owner): the first-named owner, or the first applicant when no owner is recorded."""
    pp = t.patent_party.filter(_.role.isin(["owner", "applicant"]))
    pp = pp.mutate(rank=ibis.cases((pp.role == "owner", 0), else_=1) * 1000 + pp.seq.fill_null(0))
    return pp.group_by("patent_id").aggregate(owner=pp.name.argmin(pp.rank))


def with_owner(t, p):
    return p.left_join(first_owner(t), "patent_id").drop("patent_id_right")


# -------------------------------------------------------------- region facts
def vintage_rank(rf):
    """An orderable text per region_fact row: the latest vintage has the highest.

    Vintages are names ("2020年第七次人口普查修订", "2022 yearbook", "年度常住人口统计"), so "latest" is
    read from them: the year a vintage names (a vintage naming none counts as the figure's own year),
    then a named year before an implied one, then the text.
    """
    named = rf.vintage.re_search(r"^[0-9]{4}")
    year = ibis.ifelse(named, rf.vintage.substr(0, 4), rf.year.cast("string"))
    return year + ibis.ifelse(named, "1", "0") + rf.vintage


def vintage_rank_text(vintage: str, year: int) -> str:
    """:func:`vintage_rank` for one row in plain Python (for code that already holds the rows)."""
    named = vintage[:4].isdigit() and len(vintage) >= 4
    return (vintage[:4] if named else str(year)) + ("1" if named else "0") + vintage


def fact_parts(t, q, fact: str, year: int, prefix: str) -> dict:
    """Value, source and vintage of a region fact for the query's region and a year.

    The vintage is the one named in settings.vintages[fact], else the latest available for that
    year (:func:`vintage_rank`).
    """
    rf = t.region_fact.filter((_.region_code == q.region) & (_.fact == fact) & (_.year == year))
    chosen = q.settings.vintages.get(fact)
    if chosen:
        rf = rf.filter(_.vintage == chosen)
    rf = rf.mutate(rank=vintage_rank(rf))
    return {f"{prefix}_all": rf.aggregate(**{
        prefix: rf.value.argmax(rf.rank),
        f"{prefix}_vintage": rf.vintage.argmax(rf.rank),
        f"{prefix}_source": rf.source.argmax(rf.rank),
        f"{HAVE}{prefix}": rf.count(),
    })}


def fact_missing(row: dict, prefix: str, fact: str, year: int, q) -> str | None:
    """The sentence saying a region fact is absent or zero, or None when it is usable."""
    chosen = q.settings.vintages.get(fact)
    if not row.get(f"{HAVE}{prefix}"):
        v = f" of vintage {chosen!r}" if chosen else ""
        return f"no {fact} figure{v} for region {q.region} in {year} (region_fact)"
    if row.get(prefix) in (None, 0):
        return f"the {fact} figure for region {q.region} in {year} is zero or empty"
    return None


def vintage_of(row: dict, prefix: str, fact: str, year: int) -> dict:
    """{fact: {year, source, vintage}} for the value's ``vintage`` field."""
    if not row.get(f"{HAVE}{prefix}"):
        return {}
    return {fact: {"year": year, "source": row.get(f"{prefix}_source"), "vintage": row.get(f"{prefix}_vintage")}}


def both_periods(rows_fn):
    """Drill-through of a growth indicator: the records of this period and of the same period a year
    earlier, labelled ``period`` = current / previous."""

    def rows(t, q):
        cur = rows_fn(t, q).mutate(period=ibis.literal("current"))
        prev = rows_fn(t, q.shifted(1)).mutate(period=ibis.literal("previous"))
        return ibis.union(cur, prev).relocate("period")

    return rows


# ---------------------------------------------------------------- finishers
def finish_count(row: dict, q) -> tuple:
    return row.get("value"), None


def finish_ratio(num: str, den: str, scale: float, den_words: str):
    """value = num / den × scale; a zero or missing denominator is a sentence, not a division."""

    def fin(row: dict, q) -> tuple:
        n, d = row.get(num), row.get(den)
        if d in (None, 0):
            return None, f"{den_words} is zero or missing for region {q.region} as of {q.as_of}"
        return (n or 0) * scale / d, None

    return fin


def finish_growth(cur: str = "current", prev: str = "previous"):
    """Growth in % of a yearly flow: (X_t − X_{t−1}) / X_{t−1} × 100."""

    def fin(row: dict, q) -> tuple:
        c, p = row.get(cur), row.get(prev)
        if p in (None, 0):
            return None, f"the previous year's value ({q.year - 1}) is zero or missing: growth is undefined"
        if c is None:
            return None, f"no value for {q.year}"
        return (c - p) * 100.0 / p, None

    return fin
