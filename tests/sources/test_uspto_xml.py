"""USPTO grant / application XML: counts from the files themselves, PatentsView's expected parse
as the oracle, broken documents rejected at their line while the rest import."""

from __future__ import annotations

import csv
import re

import pandas as pd
import pytest

from ipobs.sources import uspto_xml
from ipobs.sources.xmldocs import iter_documents
from tests.sources.conftest import flatten, frame

pytestmark = pytest.mark.shared_data

BULK = "uspto-bulk-grant-xml"
EXPECTED = f"{BULK}/patentsview-parse-expected"


def _count(path, needle: bytes) -> int:
    return path.read_bytes().count(needle)


def _rows(path, header: bool = False) -> list[list[str]]:
    if not path.exists() or path.stat().st_size == 0:
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows[1:] if header else rows


@pytest.mark.parametrize("name", ["ipg050104", "ipg060103", "ipg070102", "ipg080101", "ipg090106", "ipg100105",
                                  "ipg110104", "ipg120103", "ipg130416"])
def test_uspto_xml_weekly_excerpt_every_grant_read(shared_data, name):
    path = shared_data / BULK / "ipgxml-weekly-excerpts" / f"{name}.small.xml"
    grants = _count(path, b"<us-patent-grant ")
    listings = _count(path, b"<sequence-cwu")
    batch = uspto_xml.read(path)
    assert grants == 25  # SOURCE.md: the first 25 grants of each weekly file
    assert len(frame(batch, "patent")) == grants
    assert batch.rejects == []
    if listings:
        assert batch.warnings == [f"{listings} sequence listing document(s) (<sequence-cwu>) skipped: "
                                  "not bibliographic records"]
    pids = frame(batch, "patent")["patent_id"]
    assert pids.str.fullmatch(r"US\d{8}").all() and pids.is_unique


def test_uspto_xml_single_docs_counts(shared_data):
    docs = shared_data / BULK / "xml-single-docs"
    for name, n in [("ipg120327.one", 1), ("ipg120327.two", 2), ("ipg120327.18", 18), ("ipg120327.196", 196),
                    ("ipg100824-hyphenated", 1), ("ipa061228.one", 1), ("ipa130117.one", 2)]:
        batch = uspto_xml.read(docs / f"{name}.xml")
        assert len(frame(batch, "patent")) == n, name
        assert batch.rejects == []


def test_uspto_xml_design_grant_fields(shared_data):
    batch = uspto_xml.read(shared_data / BULK / "xml-single-docs" / "ipg120327.one.xml")
    p = frame(batch, "patent").iloc[0]
    assert (p.patent_id, p.application_no, p.kind, p.grant_no) == ("US29381217", "29381217", "design", "USD656296S1")
    assert (p.filing_date, p.grant_date, p.title) == ("2010-12-16", "2012-03-27", "Ready to eat snack piece")
    assert frame(batch, "patent_ipc")[["ipc", "subclass", "is_main"]].values.tolist() == [["LOC01-01", "LOC01", True]]
    events = frame(batch, "patent_event")[["event_date", "event", "status_after"]].values.tolist()
    assert events == [["2010-12-16", "filed", "pending"], ["2012-03-27", "granted", "granted"]]
    agents = frame(batch, "patent_party").query("role == 'agent'")
    assert agents["country"].isna().all()  # USPTO writes "unknown": not a country


def _grant_oracle(shared_data, name):
    exp = shared_data / EXPECTED / name
    batch = uspto_xml.read(shared_data / BULK / "xml-single-docs" / f"{name}.xml")
    by_grant = {g.removeprefix("US"): pid for g, pid in frame(batch, "patent")[["grant_no", "patent_id"]].values}
    by_number = {}
    for g, pid in by_grant.items():
        by_number[re.sub(r"[A-Z]\d?$", "", g)] = pid
    return exp, batch, by_number


@pytest.mark.parametrize("name", ["ipg120327.one", "ipg120327.two", "ipg120327.18"])
def test_uspto_xml_grant_matches_patentsview(shared_data, name):
    exp, batch, pid_of = _grant_oracle(shared_data, name)
    pat = frame(batch, "patent").set_index("patent_id")
    patents = _rows(exp / "patent.csv")
    assert len(patents) == len(pat)
    for row in patents:  # id, type, number, country, date, abstract, title, kind, num_claims
        p = pat.loc[pid_of[row[0]]]
        assert p.grant_no == f"US{row[2]}{row[7]}"
        assert (p.grant_date, p.title, int(p.claims_count)) == (row[4], row[6], int(row[8]))
        assert p.kind == ("design" if row[1] == "design" else "invention")
    for row in _rows(exp / "application.csv"):  # id, patent_id, series_code, number, country, date
        p = pat.loc[pid_of[row[1]]]
        assert (p.name, p.filing_date) == (f"US{row[3]}", row[5])
    parties = frame(batch, "patent_party")
    locations = {r[0]: r for r in _rows(exp / "rawlocation.csv")}
    for table, role, first, last, org in [("rawinventor.csv", "inventor", 3, 4, None),
                                          ("rawassignee.csv", "owner", 4, 5, 6)]:
        expected: dict[str, list] = {}
        for row in _rows(exp / table):
            name_ = (row[org] if org is not None and row[org] else f"{row[first]} {row[last]}").strip()
            if role == "inventor" and "legal representative" in name_:
                continue  # PatentsView (2013) took every applicant for an inventor; heirs are applicants only
            country = locations.get(row[2], [None] * 5)[4] or None
            expected.setdefault(pid_of[row[0]], []).append((name_, country))
        mine = {pid: [(n, None if pd.isna(c) else c) for n, c in zip(g["name"], g["country"])]
                for pid, g in parties[parties.role == role].sort_values("seq").groupby("patent_id")}
        if role == "owner":
            # without an assignee the individual applicants own the patent (PatentsView lists no assignee)
            assert set(mine) == set(pat.index)
            mine = {pid: v for pid, v in mine.items() if pid in expected}
        assert mine == expected, table
    cited = {(c, n, k) for c, n, k in frame(batch, "patent_citation")[["citing_id", "cited_no", "category"]].values}
    for table in ("uspatentcitation.csv", "usapplicationcitation.csv", "foreigncitation.csv"):
        for row in _rows(exp / table):
            number, country = (row[5], row[6]) if table != "foreigncitation.csv" else (row[4], row[5])
            category = row[-2].removeprefix("cited by ")
            want = re.sub(r"\W", "", number).lstrip("0")  # PatentsView drops leading zeros
            match = [x for x in cited if x[0] == pid_of[row[0]] and x[2] == category
                     and x[1].startswith(country) and re.sub(r"\W", "", x[1][2:]).lstrip("0").startswith(want)]
            assert match, (table, row)
    distinct = {(row[0], row[4], row[5], row[3]) if t == "foreigncitation.csv" else (row[0], row[5], row[6], row[4])
                for t in ("uspatentcitation.csv", "usapplicationcitation.csv", "foreigncitation.csv")
                for row in _rows(exp / t)}
    assert len(cited) == len(distinct)  # one row per cited number + kind, as PatentsView's distinct rows


@pytest.mark.parametrize("name", ["ipa061228.one", "ipa130117.one"])
def test_uspto_xml_application_matches_patentsview(shared_data, name):
    exp = shared_data / EXPECTED / name
    batch = uspto_xml.read(shared_data / BULK / "xml-single-docs" / f"{name}.xml")
    pat = frame(batch, "patent")
    by_pub = {re.sub(r"\D", "", re.sub(r"[A-Z]\d?$", "", pub)): pid
              for pub, pid in pat[["publication_no", "patent_id"]].values}
    pat = pat.set_index("patent_id")
    rows = _rows(exp / "application.csv", header=True)  # id,type,number,country,date,abstract,title,granted,num_claims
    assert len(rows) == len(pat)
    for row in rows:
        p = pat.loc[by_pub[row[2]]]
        assert (p.publication_date, p.title, p.kind) == (row[4], row[6], "invention")
        assert p.abstract.split()[:8] == row[5].split()[:8]
        assert int(p.claims_count) == int(row[8])
    parties = frame(batch, "patent_party")
    for row in _rows(exp / "rawinventor.csv", header=True):
        pid = by_pub[row[0].split("/")[1]]
        names = parties[(parties.patent_id == pid) & (parties.role == "inventor")].sort_values("seq")["name"].tolist()
        assert names[int(row[6])] == f"{row[3]} {row[4]}"
    for row in _rows(exp / "rawassignee.csv", header=True):
        pid = by_pub[row[0].split("/")[1]]
        names = parties[(parties.patent_id == pid) & (parties.role == "applicant")]["name"].tolist()
        assert (row[6] or f"{row[4]} {row[5]}") in names


def test_uspto_xml_truncated_document_rejected_others_imported(shared_data, tmp_path, imported):
    src = shared_data / BULK / "xml-single-docs" / "ipg120327.18.xml"
    docs = list(iter_documents(src))
    assert len(docs) == 18
    start5, body5 = docs[4]
    broken = body5[: len(body5) // 2]  # cut the 5th grant in the middle of its text
    path = tmp_path / "ipg_truncated.xml"
    path.write_bytes(b"".join(d for _, d in docs[:4]) + broken + b"".join(d for _, d in docs[5:]))
    batch = uspto_xml.read(path)
    assert len(frame(batch, "patent")) == 17
    assert [(r.code, r.row) for r in batch.rejects][0][0] == "bad-format"
    assert batch.rejects[0].note.startswith(f"document 5 starting at line {start5}: not well-formed XML")
    res, store = imported(batch)
    assert (res.accepted, res.rejected) == (17, 1)
    assert store.count("patent") == 17


def test_uspto_xml_not_a_grant_document_rejected(tmp_path):
    path = tmp_path / "other.xml"
    path.write_text('<?xml version="1.0"?>\n<something-else/>\n')
    batch = uspto_xml.read(path)
    assert flatten(batch.rejects) == [[1, None, "bad-format"]]


def test_uspto_xml_import_twice_is_idempotent(shared_data, imported):
    path = shared_data / BULK / "xml-single-docs" / "ipg120327.two.xml"
    res, store = imported(uspto_xml.read(path))
    assert res.accepted == 2
    again = store.import_batch(uspto_xml.read(path))
    assert again.status == "duplicate_file"
    assert store.count("patent") == 2
