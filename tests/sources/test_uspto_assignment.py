"""USPTO assignment records → transactions: one row per property, conveyances as data."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from ipobs.sources import uspto_assignment
from ipobs.sources.registry import detect
from tests.sources.conftest import frame

FOLDER = "uspto-assignment-samples"


def _docs(path):
    return ET.parse(path).getroot().findall("./result/doc")


@pytest.mark.shared_data
def test_uspto_assignment_every_record_accounted(shared_data):
    files = sorted((shared_data / FOLDER).glob("*.xml"))
    assert len(files) == 16  # SOURCE.md
    for path in files:
        assert detect(path)[0].name == "uspto-assignment"
        batch = uspto_assignment.read(path)
        docs = _docs(path)
        rows = frame(batch, "ip_transaction")
        accepted_docs = set(rows["_row"]) if len(rows) else set()
        rejected_docs = {r.row for r in batch.rejects}
        assert accepted_docs | rejected_docs == set(range(1, len(docs) + 1)), path.name
        assert not accepted_docs & rejected_docs
        found = int(re.search(r'numFound="(\d+)"', path.read_text(encoding="utf-8")).group(1))
        assert bool(batch.warnings) == (found > len(docs))


@pytest.mark.shared_data
def test_uspto_assignment_fields(shared_data, imported):
    path = shared_data / FOLDER / "assignment_1.xml"
    doc = _docs(path)[0]
    appl = [s.text for s in doc.find("arr[@name='applNum']")]
    batch = uspto_assignment.read(path)
    rows = frame(batch, "ip_transaction")
    assert rows["right_no"].tolist() == [f"US{a}" for a in appl]
    assert set(rows["txn_id"].str.split("/").str[0]) == {"018247-0405"}
    first = rows.iloc[0]
    assert (first.kind, first.right_kind, first.txn_date) == ("assignment", "patent", "2006-09-14")
    assert (first.from_party, first.to_party) == ("REALTIME DATA COMPRESSION SYSTEMS, INC.", "REALTIME DATA LLC")
    res, store = imported(batch)
    assert (res.accepted, res.rejected) == (5, 0)
    assert store.count("ip_transaction") == 5


@pytest.mark.shared_data
def test_uspto_assignment_security_interest_rejected_with_reason(shared_data):
    batch = uspto_assignment.read(shared_data / FOLDER / "assignment_3.xml")
    notes = [r.note for r in batch.rejects]
    assert any("security interest (a pledge)" in n for n in notes)
    assert any("release of a security interest" in n for n in notes)
    assert all(r.code == "bad-value" and r.column == "conveyanceText" for r in batch.rejects)


@pytest.mark.parametrize("text, kind", [
    ("ASSIGNMENT OF ASSIGNORS INTEREST (SEE DOCUMENT FOR DETAILS).", "assignment"),
    ("NUNC PRO TUNC ASSIGNMENT (SEE DOCUMENT FOR DETAILS).", "assignment"),
    ("MERGER (SEE DOCUMENT FOR DETAILS).", "assignment"),
    ("LICENSE (SEE DOCUMENT FOR DETAILS).", "license"),
    ("SECURITY AGREEMENT", None),
    ("RELEASE BY SECURED PARTY (SEE DOCUMENT FOR DETAILS).", None),
    ("CHANGE OF NAME (SEE DOCUMENT FOR DETAILS).", None),
    ("SOMETHING ELSE", None),
])
def test_uspto_assignment_conveyance_kinds(text, kind):
    got, why = uspto_assignment.conveyance_kind(text)
    assert got == kind
    assert bool(why) == (kind is None)


def test_uspto_assignment_truncated_keeps_earlier_records(tmp_path):
    doc = ('<doc><str name="displayId">000001-0001</str><str name="conveyanceText">ASSIGNMENT</str>'
           '<arr name="patAssignorName"><str>A</str></arr><arr name="patAssigneeName"><str>B</str></arr>'
           '<date name="recordedDate">2020-01-02T00:00:00Z</date><arr name="applNum"><str>16123456</str></arr></doc>')
    path = tmp_path / "cut.xml"
    path.write_text(f'<?xml version="1.0"?>\n<response><result name="response" numFound="2" start="0">{doc}'
                    f'{doc[:80]}', encoding="utf-8")
    batch = uspto_assignment.read(path)
    assert frame(batch, "ip_transaction")["right_no"].tolist() == ["US16123456"]
    assert batch.rejects[0].code == "bad-format" and "records before it are kept" in batch.rejects[0].note
