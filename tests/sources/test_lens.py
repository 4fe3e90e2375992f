"""Lens.org CSV export (fixture with Lens's real column headers; Lens data is not redistributable)."""

from __future__ import annotations

from pathlib import Path

from ipobs.sources import lens
from ipobs.sources.registry import detect
from tests.sources.conftest import flatten, frame

FIXTURE = Path(__file__).parent / "fixtures" / "lens_export.csv"


def test_lens_detected_and_header_is_lens_layout():
    assert detect(FIXTURE)[0].name == "lens"
    header = FIXTURE.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert tuple(header) == lens.COLUMNS


def test_lens_rows_become_patents(imported):
    batch = lens.read(FIXTURE)
    pat = frame(batch, "patent").set_index("patent_id", drop=False)
    us = pat.loc["US13676098"]
    assert (us.kind, us.filing_date, us.priority_date) == ("invention", "2012-11-14", "2011-11-14")
    assert (us.publication_no, us.grant_no, us.grant_date, us.status) == ("US2013/0120958A1", "US9204581B2",
                                                                         "2015-12-01", "granted")
    assert batch.warnings == ["1 row(s) are further publications of an application read earlier and were merged "
                              "into it: rows 3"]
    cn = pat.loc["CN201921234567"]
    assert (cn.kind, cn.grant_no, cn.status) == ("utility", "CN210000001U", "granted")
    ep = pat.loc["EP13844704"]
    assert (ep.status, ep.pct) == ("withdrawn", True)
    parties = frame(batch, "patent_party")
    us_parties = parties[parties.patent_id == "US13676098"]
    assert us_parties[["role", "name", "country"]].fillna("-").values.tolist() == [
        ["applicant", "MEDIATEK INC", "TW"], ["inventor", "YU LONG-KUN", "TW"], ["inventor", "DENG KUO-LIANG", "TW"],
        ["owner", "MEDIATEK INC", "-"]]
    assert frame(batch, "patent_ipc").query("patent_id == 'US13676098'")["ipc"].tolist() == ["H05K9/00"]
    assert frame(batch, "patent_family")[["patent_id", "member_no", "country"]].values.tolist() == [
        ["US13676098", "CN103120000A", "CN"]]
    res, store = imported(batch)
    # row 6 has no application number (no key), row 7 an impossible filing date
    assert [[r.row, r.code] for r in res.rejects if r.table == "patent"] == [[6, "missing-cell"], [7, "type-error"]]
    assert {r.code for r in res.rejects if r.table != "patent"} == {"parent-rejected"}  # row 7's events
    assert (res.accepted, res.rejected, store.count("patent")) == (3, 2, 3)
    events = store.query("SELECT event, count(*) n FROM patent_event GROUP BY 1 ORDER BY 1")
    assert events.values.tolist() == [["filed", 3], ["granted", 2], ["published", 2]]


def test_lens_wrong_file_says_which_columns_are_missing(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("Title,Abstract\nx,y\n", encoding="utf-8")
    batch = lens.read(path)
    assert flatten(batch.rejects, ("row", "column", "code")) == [
        [1, "Jurisdiction, Lens ID, Application Number", "bad-format"]]


def test_lens_gbk_file_read_and_reported(tmp_path):
    path = tmp_path / "gbk.csv"
    text = FIXTURE.read_text(encoding="utf-8-sig")
    path.write_bytes(text.encode("gb18030"))
    batch = lens.read(path)
    assert "read as gb18030 (not UTF-8)" in batch.warnings
    assert frame(batch, "patent").set_index("patent_id").loc["CN201921234567", "title"] == "一种锂电池极片涂布装置"


def test_lens_application_numbers():
    assert lens.application_id("US", "US 13/676,098 A") == "US13676098"
    assert lens.application_id("US", "US 201213676098 A") == "US13676098"
    assert lens.application_id("CN", "CN 2013800622588 A") == "CN201380062258"
    assert lens.application_id("EP", "EP 13844704 A") == "EP13844704"
    assert lens.application_id("CN", "CN 2013800622581 A") is None  # wrong check digit


def test_lens_through_importer_counts_every_row(store):
    from ipobs.sources.importer import import_file

    s = import_file(store, FIXTURE)
    assert (s.format, s.data_rows, s.accepted, s.updated, s.rejected) == ("lens", 6, 3, 1, 2)
    assert s.flatten(("row", "column", "code")) == [(6, "Application Number", "missing-cell"),
                                                    (7, "Application Date", "type-error")]
