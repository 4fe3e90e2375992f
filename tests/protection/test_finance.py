import datetime as dt

import pytest

from ipobs.indicators import compute
from ipobs.protection import ledger, offers, pledge_problems, yearly


def test_pledge_on_patent_not_in_force_is_flagged(pstore):
    bad = pledge_problems(pstore)
    # P2 pledged CN202010000002 on 2021-01-15 before its grant (2021-03-01); P3's patent is unknown
    assert set(zip(bad["pledge_id"], bad["right_no"])) == {("P2", "CN202010000002"), ("P3", "CN209999999999")}
    assert set(bad["code"]) == {"not-valid-right"}
    assert "pending" in bad.set_index("pledge_id").loc["P2", "note"]
    assert pledge_problems(pstore, ["P1"]).empty


def test_finance_growth_indicators_from_the_ledgers(pstore):
    ins = compute(pstore, "insurance_amount_growth", dt.date(2021, 12, 31))
    assert ins.value == pytest.approx(50.0)
    mixed = compute(pstore, "mixed_pledges", dt.date(2021, 12, 31))
    assert mixed.value == 1


def test_finance_ledgers_and_yearly_amounts(pstore):
    df, n = ledger(pstore, "pledges")
    assert n == 3 and df.set_index("pledge_id").loc["P2", "rights"] == 2
    df, n = ledger(pstore, "pledges", year=2020)
    assert list(df["pledge_id"]) == ["P3"]
    y = yearly(pstore).set_index(["year", "series"])
    assert y.loc[(2021, "pledge_patent"), "amount_yuan"] == 5_000_000
    assert y.loc[(2021, "insurance"), "amount_yuan"] == 1_500_000
    with pytest.raises(ValueError, match="unknown ledger"):
        ledger(pstore, "loans")


def test_offers_listing(pstore):
    df, n = offers(pstore)
    assert n == 1 and df["txn_id"].tolist() == ["T1"]


def test_amount_with_units_becomes_yuan():
    from ipobs.sources.ledger import parse_amount

    assert parse_amount("500万元")[0] == 5_000_000
    assert parse_amount("300,000元")[0] == 300_000


def _fresh_store_with_patents(tmp_path):
    from ipobs.store import open_store
    from tests.protection.conftest import batches

    store = open_store(tmp_path / "w.duckdb")
    store.import_batch(next(b for b in batches() if b.kind == "patents"))
    return store, next(b for b in batches() if b.kind == "pledges")


def test_pledge_on_patent_not_in_force_warns_on_import_naming_the_pledge(tmp_path):
    store, pledges = _fresh_store_with_patents(tmp_path)
    res = store.import_batch(pledges)
    assert res.status == "committed" and res.tables["pledge"].inserted == 3  # the rules accept, and warn
    found = [w for w in res.warnings if "not-valid-right" in w]
    assert found == ["pledge P2 column right_no: patent CN202010000002 is pending on 2021-01-15, not in force "
                     "(not-valid-right)",
                     "pledge P3 column right_no: patent CN209999999999 is unknown to the store on 2020-05-01, "
                     "not in force (not-valid-right)"]
    assert [w for w in store.warnings(res.batch_id) if "not-valid-right" in w] == found  # kept in the log


def test_pledge_ledger_file_warns_with_sheet_and_row(tmp_path):
    from ipobs.sources.importer import import_file
    from ipobs.sources.templates import write_template

    store, pledges = _fresh_store_with_patents(tmp_path)
    path = write_template("pledges", tmp_path / "pledges.xlsx", records=pledges.frames)
    summary = import_file(store, path)
    assert summary.status == "committed" and summary.accepted == 3, summary.rejects
    found = [w for w in summary.warnings if "not-valid-right" in w]
    assert len(found) == 2 and all(w.startswith("sheet ") and " row " in w for w in found), found
    assert any("CN202010000002 is pending on 2021-01-15" in w for w in found)
    assert [w for w in store.warnings(summary.batch_id) if "not-valid-right" in w] == found
