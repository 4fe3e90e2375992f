"""The patent and trademark panel's fast paths equal the plain queries they replace."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from ipobs.entities.regions import HOME, descendants, sub_regions
from ipobs.monitor import panel as panel_module
from ipobs.monitor.panel import Panel


def _marks_by_expansion(con, dates, regions) -> dict:
    """The marks and classes in force per region and date the plain way: every class span of the kept table
    tested at every date, marks counted distinct by registration number."""
    from ipobs.store import derived

    name = derived.table(con, "trademarks_in_force")
    rows = con.execute(f"SELECT reg_no, region_code, wk, gi, f, u FROM {name}").fetchall()
    out = {}
    for region, codes in regions.items():
        for flag, pick in ((None, lambda w, g: True), ("well_known", lambda w, g: w), ("geo_indication", lambda w, g: g)):
            per_date = []
            for d in dates:
                live = [(r, c) for r, c, w, g, f, u in rows
                        if c in codes and pick(w, g) and f <= d and (u is None or u > d)]
                per_date.append((len({r for r, _ in live}), len(live)))
            out[(region, flag)] = per_date
    return out


def test_panel_marks_equal_every_span_tested_at_every_date(demo_store):
    """Marks in force per region and date from the kept union spans (difference arrays) equal testing every
    class span at every date and counting distinct registration numbers; classes too."""
    dates = [dt.date(y, 12, 31) for y in range(2012, 2024)] + [dt.date(2021, 6, 30)]
    regions = {r: tuple(descendants(r)) for r in [HOME, *sub_regions(HOME)]}
    got = Panel(demo_store.con, dates).mark_table(regions)
    want = _marks_by_expansion(demo_store.con, sorted(dates), regions)
    assert any(n for rows in want.values() for n, _ in rows)
    assert got == want


def test_panel_counts_a_mark_with_classes_in_two_codes_once_per_region():
    """A mark whose classes lie in two codes of one region is one mark there (the expanding path), and one in
    each sub-region; its union spans merge overlapping classes."""
    import duckdb

    con = duckdb.connect()
    con.execute("CREATE TABLE trademark_event (reg_no VARCHAR, nice_class INTEGER, event_date DATE, "
                "status_after VARCHAR)")
    con.execute("CREATE TABLE trademark (reg_no VARCHAR, nice_class INTEGER, region_code VARCHAR, well_known BOOLEAN, "
                "geo_indication BOOLEAN, registration_date DATE, expiry_date DATE, status VARCHAR, "
                "application_date DATE, madrid BOOLEAN)")
    con.executemany("INSERT INTO trademark (reg_no, nice_class, region_code, well_known, geo_indication, "
                    "registration_date, expiry_date, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
        ("T1", 1, "A1", True, None, "2019-05-01", None, None), ("T1", 2, "A2", None, None, "2020-05-01", None, None),
        ("T2", 1, "A1", None, None, "2019-05-01", "2021-06-30", None), ("T2", 2, "A1", None, True, "2020-05-01", None, None),
    ])
    dates = [dt.date(2019, 12, 31), dt.date(2020, 12, 31), dt.date(2021, 12, 31)]
    regions = {"A": ("A", "A1", "A2"), "A1": ("A1",), "A2": ("A2",)}
    got = Panel(con, dates).mark_table(regions)
    assert got == _marks_by_expansion(con, dates, regions)
    assert got[("A", None)] == [(2, 2), (2, 4), (2, 3)]
    assert got[("A2", None)] == [(0, 0), (1, 1), (1, 1)]
    assert got[("A", "geo_indication")] == [(0, 0), (1, 1), (1, 1)]


def test_panel_home_region_joins_sub_regions_only_when_same_sql(demo_store):
    """The home region shares the sub-regions' lateral statement only when its template, bound to the home
    region, is the sub-region template's SQL; indicators whose home template differs keep their own."""
    from ipobs.indicators.engine import tables_of
    from ipobs.indicators.settings import Settings
    from ipobs.monitor import batch

    tpl = batch.Templates(tables_of(demo_store), Settings.of(None), demo_store.con)
    probe = dt.date(2000, 6, 15)
    home = tpl.settings.home_region
    codes = tuple(descendants(home))
    seen = set()
    for ind in ("design_applications", "cases_closed", "trainings", "copyright_registrations"):
        part, whole = tpl.get(ind, False, False), tpl.get(ind, True, False)
        if part is None or whole is None:
            continue
        same = all(batch._bind(a, batch.SENTINEL_A, probe, home, codes, None, False)
                   == batch._bind(b, batch.SENTINEL_A, probe, home, codes, None, True)
                   for (a, _), (b, _) in zip(part["units"], whole["units"]))
        assert tpl.home_as_region(ind, False) == (same and part["const"] == whole["const"]), ind
        seen.add(same)
    assert seen == {True, False}  # both cases are exercised


def test_panel_year_end_arithmetic_equals_date_comparisons(demo_store, monkeypatch):
    """Consecutive year-ends are counted by year arithmetic; the stocks, marks and designation holders equal
    those of one comparison per date."""
    dates = [dt.date(y, 12, 31) for y in range(2013, 2024)]
    regions = {r: tuple(descendants(r)) for r in [HOME, *sub_regions(HOME)]}
    fast = Panel(demo_store.con, dates)
    assert "least(greatest(year(" in fast.before_sql("d")
    got = (fast.stock_table(), fast.mark_table(regions), fast.holders(panel_module.FLAG_HOLDERS["ip_enterprises"])[0])
    monkeypatch.setattr(panel_module, "YEAR_ARITHMETIC", False)
    slow = Panel(demo_store.con, dates)
    assert "least(" not in slow.before_sql("d")
    want = (slow.stock_table(), slow.mark_table(regions), slow.holders(panel_module.FLAG_HOLDERS["ip_enterprises"])[0])
    assert got[0] and got[1]
    for a, b in zip(got, want):
        assert a.keys() == b.keys()
        for k in a:
            assert list(a[k]) == list(b[k]), k
    assert "least(" not in Panel(demo_store.con, dates + [dt.date(2021, 6, 30)]).before_sql("d")


def test_panel_portfolios_without_any_ledger_member(store):
    """A store whose programme ledger holds no high-value portfolio (yet) counts zero portfolios instead of
    failing (the scale-10 benchmark once stopped here)."""
    from ipobs.monitor.panel import _Portfolios

    d = dt.date(2021, 12, 31)
    port = _Portfolios(store.con, Panel(store.con, [d]))
    assert port.item_ids == [] and len(port.valid_inventions(d)) == 0


_STATUS_AFTER = {"filed": "pending", "granted": "granted", "lapsed": "lapsed", "restored": "granted", "transfer": None}
# one status per same-day rank, so the registry's latest event of a day is never a tie between statuses
_EVENTS = st.lists(st.tuples(st.sampled_from(["CN1", "CN2", "CN3"]), st.integers(0, 6), st.sampled_from(list(_STATUS_AFTER))),
                   max_size=40)


@settings(max_examples=150, deadline=None)
@given(_EVENTS)
def test_status_spans_equal_the_registry_status(events):
    """A patent is in a non-empty ``granted`` span at a date exactly when ``ipobs.store.history`` says it is valid
    then: duplicate events, several events on one day (a lapse and its restoration) and events without a status
    included."""
    import duckdb
    import ibis

    from ipobs.store.derived import status_spans_sql
    from ipobs.store.history import valid_patent_ids

    con = duckdb.connect()
    con.execute("CREATE TABLE patent_event (patent_id VARCHAR, event_date DATE, event VARCHAR, status_after VARCHAR)")
    if events:
        con.executemany("INSERT INTO patent_event VALUES (?, DATE '2020-01-01' + ?::INTEGER, ?, ?)",
                        [(p, d, e, _STATUS_AFTER[e]) for p, d, e in events])
    spans = con.execute(f"SELECT patent_id, d, nd FROM ({status_spans_sql('patent_event', ('patent_id',), 'granted')})"
                        " WHERE nd IS NULL OR nd > d").fetchall()
    table = ibis.duckdb.from_connection(con).table("patent_event")
    for day in range(-1, 8):
        at = dt.date(2020, 1, 1) + dt.timedelta(days=day)
        by_spans = sorted({p for p, d, nd in spans if d <= at and (nd is None or nd > at)})
        registry = sorted(valid_patent_ids(table, at).execute()["patent_id"])
        assert by_spans == registry, at


def test_panel_mark_flows_equal_distinct_marks_per_region(demo_store):
    """The kept per-code counts summed over a region's codes equal counting distinct registration numbers of the
    region's trademarks directly."""
    dates = [dt.date(y, 12, 31) for y in range(2015, 2024)]
    regions = {r: tuple(descendants(r)) for r in [HOME, *sub_regions(HOME)]}
    got = Panel(demo_store.con, dates).mark_flows(regions)
    want: dict = {}
    for region, codes in regions.items():
        for part, col, extra in (("madrid", "application_date", "AND COALESCE(madrid, FALSE)"),
                                 ("registrations", "registration_date", "")):
            rows = demo_store.con.execute(
                f"SELECT year({col}), count(DISTINCT reg_no) FROM trademark WHERE region_code IN "
                f"(SELECT unnest(?::VARCHAR[])) AND year({col}) BETWEEN 2015 AND 2023 {extra} GROUP BY 1",
                [list(codes)]).fetchall()
            if rows:
                want[(part, region)] = {int(y): int(n) for y, n in rows}
    assert want and dict(got) == want
