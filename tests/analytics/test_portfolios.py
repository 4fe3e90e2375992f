"""High-value portfolios: the ledger is the indicator's record list; checks, coverage, tracking, defining."""

from __future__ import annotations

import pytest

from ipobs.analytics.patent_set import PatentSetError
from ipobs.analytics.portfolios import (check_portfolio, define_portfolio, portfolio_ledger, qualified_portfolios)

AS_OF = "2024-12-31"


def test_portfolio_ledger_is_the_indicator(mini):
    from ipobs.indicators import compute

    led = portfolio_ledger(mini, AS_OF)
    assert led["item_id"].tolist() == ["HV1"]
    assert qualified_portfolios(mini, AS_OF) == compute(mini, "hv_portfolios_qualified", AS_OF).value


def test_portfolio_check_counts_valid_inventions_and_pct(mini, mini_info):
    c = check_portfolio(mini, "HV1", as_of=AS_OF)
    ids = mini_info["ids"][:120]
    valid = mini.scalar("""SELECT count(*) FROM patent p WHERE p.patent_id IN (SELECT unnest(?)) AND p.kind='invention'
                           AND (SELECT status_after FROM patent_event e WHERE e.patent_id = p.patent_id
                                AND e.event_date <= DATE '2024-12-31' ORDER BY event_date DESC LIMIT 1) = 'granted'""", [ids])
    pct = mini.scalar("SELECT count(*) FROM patent WHERE patent_id IN (SELECT unnest(?)) AND pct", [ids])
    assert (c["valid_inventions"], c["pct_applications"]) == (valid, pct)
    assert c["meets"] == (valid >= 50 and pct >= 10)
    assert c["coverage"]["industry"] and 0 < c["coverage"]["share"] <= 1
    assert c["tracking"][-1]["valid_inventions"] == valid
    assert [t["filed"] for t in c["tracking"]] == sorted(t["filed"] for t in c["tracking"])


def test_portfolio_check_thresholds_are_settings(mini):
    c = check_portfolio(mini, "HV1", as_of=AS_OF, settings={"portfolio_min_inventions": 1, "portfolio_min_pct": 1},
                        track=False, profile=False)
    assert c["meets"] is True and c["rule"]["min_inventions"] == 1


def test_portfolio_check_empty_members(mini):
    c = check_portfolio(mini, members=[], as_of=AS_OF)
    assert (c["members"], c["meets"], c["tracking"]) == (0, False, [])


def test_portfolio_unknown(mini):
    with pytest.raises(PatentSetError, match="no high-value portfolio 'X'"):
        check_portfolio(mini, "X", as_of=AS_OF)


def test_portfolio_define_stores_a_ledger_row(store):
    from minidata import build

    build(store, n=60)
    res = define_portfolio(store, "HV9", "新组合", "ipc:H01M", department="ipo", as_of="2024-01-01")
    assert res.status == "committed"
    row = store.query("SELECT program, members FROM program_item WHERE item_id = 'HV9'").iloc[0]
    assert row["program"] == "hv_portfolio"
    assert sorted(row["members"].split(";")) == sorted(
        store.query("SELECT DISTINCT patent_id FROM patent_ipc WHERE ipc LIKE 'H01M%'")["patent_id"])
    with pytest.raises(PatentSetError, match="empty"):
        define_portfolio(store, "HV10", "空", "ipc:Z99", department="ipo")
