"""EPO OPS: biblio (incl. the CN document), families, INPADOC legal events through EPO's own
code table, and every other response type rejected with its reason."""

from __future__ import annotations

import csv
import re

import pytest

from ipobs.sources import epo_ops
from tests.sources.conftest import frame

OPS = "epo-ops-samples"
CN_BIBLIO = f"{OPS}/ops-2023-tests-fixtures/published-data_publication_docdb_CN.104968889.A_biblio.xml"
CODE_XLSX = f"{OPS}/ops-head-fixtures/legal__legal_code_descriptions_202417.xlsx"


@pytest.mark.shared_data
@pytest.mark.slow
def test_epo_legal_codes_shipped_table_is_the_built_one(shared_data, tmp_path):
    """The shipped CSV is exactly what the builder derives from EPO's workbook (no hand edits)."""
    dest = tmp_path / "codes.csv"
    n = epo_ops.write_legal_codes(shared_data / CODE_XLSX, dest)
    shipped = (epo_ops.Path(epo_ops.__file__).with_name(epo_ops.CODES_FILE)).read_text(encoding="utf-8")
    assert dest.read_text(encoding="utf-8") == shipped
    assert n > 900


@pytest.mark.parametrize("code, event, status, txn", [
    ("PE01", "pledged", "", ""),
    ("PC01", "pledge_released", "", ""),
    ("TR01", "transferred", "", "assignment"),
    ("EE01", "licensed", "", "license"),
    ("CF01", "lapsed", "lapsed", ""),
    ("GR01", "granted", "granted", ""),
    ("RJ01", "rejected", "rejected", ""),
    ("WD01", "withdrawn", "withdrawn", ""),
    ("CX01", "expired", "expired", ""),
    ("IW01", "invalidated", "invalidated", ""),
    ("PB01", "published", "", ""),
])
def test_epo_legal_codes_cn_mapping(code, event, status, txn):
    row = epo_ops.legal_codes()[("CN", code)]
    assert (row["event"], row["status_after"], row["transaction"]) == (event, status, txn)


def test_epo_legal_codes_without_status_effect_are_absent():
    codes = epo_ops.legal_codes()
    for key in [("CN", "SE01"), ("CN", "C53"), ("EP", "PG25"), ("EP", "AK"), ("CN", "PM01")]:
        assert key not in codes  # examination request, correction, national lapse, designation, pledge change
    assert codes[("CN", "AR01")]["event"] == "surrendered"  # "to avoid double patenting": not "void"


@pytest.mark.shared_data
def test_epo_cn_biblio_fields(shared_data):
    path = shared_data / CN_BIBLIO
    text = path.read_text(encoding="utf-8")
    batch = epo_ops.read(path)
    p = frame(batch, "patent").iloc[0]
    docdb_app = re.search(r"<application-reference[^>]*>\s*<document-id document-id-type=\"docdb\">\s*"
                          r"<country>CN</country>\s*<doc-number>(\d+)</doc-number>", text).group(1)
    assert p.patent_id == f"CN{docdb_app}" == "CN201380062258"
    assert (p.application_no, p.kind, p.filing_date) == ("2013800622588", "invention", "2013-10-11")
    assert (p.publication_no, p.publication_date, p.status) == ("CN104968889A", "2015-10-07", "pending")
    assert (p.family_id, p.priority_date, p.pct, p.ipc_main) == ("50474376", "2012-10-12", True, "E21B47/0228")
    assert frame(batch, "patent_ipc")["ipc"].tolist() == ["E21B47/0228", "E21B47/024"]
    cites = frame(batch, "patent_citation")
    assert len(cites) == text.count("<patcit ") and set(cites["category"]) == {"examiner"}
    assert frame(batch, "patent_party")[["role", "name"]].values.tolist() == [
        ["applicant", "SCIENT DRILLING INT"], ["inventor", "VANSTEENWYK BRETT"]]


@pytest.mark.shared_data
def test_epo_family_rows_for_every_member(shared_data):
    path = shared_data / OPS / "ops-2023-tests-fixtures/family_publication_docdb_EP.2906782.A2_.xml"
    batch = epo_ops.read(path)
    fam = frame(batch, "patent_family")
    members = path.read_text(encoding="utf-8").count("<ops:family-member")
    assert members == 11
    assert fam["patent_id"].nunique() == len({pid for pid in fam["patent_id"]})
    ep = fam[fam.patent_id == "EP13844704"]
    assert "CN104968889A" in set(ep["member_no"]) and not ep["country"].eq("EP").any()
    assert not fam.duplicated(["patent_id", "member_no"]).any()


@pytest.mark.shared_data
def test_epo_legal_events_us_assignment_and_security(shared_data):
    path = shared_data / OPS / "ops-head-fixtures/legal__example_3.xml"
    ev = frame(epo_ops.read(path), "patent_event")
    assert ev[["patent_id", "event_date", "event"]].values.tolist() == [
        ["US15919370", "2018-03-14", "transferred"], ["US15919370", "2020-08-06", "pledged"]]
    txn = frame(epo_ops.read(path, "transactions"), "ip_transaction")
    assert txn[["kind", "right_no", "from_party", "to_party"]].values.tolist() == [
        ["assignment", "US15919370", "GETZLAF, DONALD; DEVLIN, DAVID; BRADEN, DOUGLAS",
         "NCS OILFIELD SERVICES CANADA, INC., CANADA"]]


@pytest.mark.shared_data
def test_epo_legal_ep_grant_and_unmapped_count(shared_data):
    path = shared_data / OPS / "ops-head-fixtures/legal__example_1.xml"
    text = path.read_text(encoding="utf-8")
    batch = epo_ops.read(path)
    ev = frame(batch, "patent_event")
    assert ev[["patent_id", "event"]].values.tolist() == [["EP99203729", "granted"]]
    total = text.count("<ops:legal ")
    assert batch.warnings[0] == "0 family member row(s) and 1 legal event(s) read for 1 member application(s); they " \
                                "add to the patents with these application numbers"
    assert batch.warnings[1].startswith(f"{total - len(ev)} legal events that change neither status nor ownership")


CN_LEGAL = """<?xml version="1.0" encoding="UTF-8"?>
<ops:world-patent-data xmlns="http://www.epo.org/exchange" xmlns:ops="http://ops.epo.org">
<ops:patent-family legal="true" total-result-count="1">
<ops:family-member family-id="1">
<publication-reference><document-id document-id-type="docdb"><country>CN</country><doc-number>110000001</doc-number>
<kind>B</kind><date>20210105</date></document-id></publication-reference>
<application-reference><document-id document-id-type="docdb"><country>CN</country><doc-number>201910012345</doc-number>
<kind>A</kind><date>20190105</date></document-id></application-reference>
{events}
</ops:family-member></ops:patent-family></ops:world-patent-data>"""
EVENT = """<ops:legal code="{code}" desc="{desc}" infl=" "><ops:L001EP desc="Country Code">CN</ops:L001EP>
<ops:L007EP desc="Gazette DATE">{date}</ops:L007EP><ops:L500EP>{extra}</ops:L500EP></ops:legal>"""


def test_epo_cn_pledge_transfer_licence_events(tmp_path, imported):
    """A CN legal response built on the OPS legal layout (the samples hold no CN legal events)."""
    events = [
        ("GR01", "PATENT GRANT", "2021-01-05", ""),
        ("PE01", "ENTRY INTO FORCE OF THE REGISTRATION OF THE CONTRACT FOR PLEDGE OF PATENT RIGHT", "2022-03-01", ""),
        ("TR01", "TRANSFER OF PATENT RIGHT", "2022-06-10",
         '<ops:L510EP desc="Patentee before">天津甲科技有限公司</ops:L510EP>'
         '<ops:L511EP desc="Patentee after">天津乙科技有限公司</ops:L511EP>'),
        ("EE01", "ENTRY INTO FORCE OF RECORDATION OF PATENT LICENSING CONTRACT", "2022-09-01", ""),
        ("SE01", "ENTRY INTO FORCE OF REQUEST FOR SUBSTANTIVE EXAMINATION", "2019-06-01", ""),
    ]
    body = "\n".join(EVENT.format(code=c, desc=d, date=t, extra=x) for c, d, t, x in events)
    path = tmp_path / "cn_legal.xml"
    path.write_text(CN_LEGAL.format(events=body), encoding="utf-8")
    batch = epo_ops.read(path)
    ev = frame(batch, "patent_event")
    assert [[d, e, s if isinstance(s, str) else None] for d, e, s in ev[["event_date", "event", "status_after"]].values] \
        == [["2021-01-05", "granted", "granted"], ["2022-03-01", "pledged", None],
            ["2022-06-10", "transferred", None], ["2022-09-01", "licensed", None]]
    assert "CN SE01 ×1" in batch.warnings[1]
    res, store = imported(batch)
    assert store.count("patent_event") == 4
    txns = epo_ops.read(path, "transactions")
    assert frame(txns, "ip_transaction")[["kind", "from_party", "to_party"]].values.tolist() == [
        ["assignment", "天津甲科技有限公司", "天津乙科技有限公司"]]
    assert [(r.code, r.column) for r in txns.rejects] == [("missing-cell", "让与人/许可人")]  # EE01 names no licensor


@pytest.mark.shared_data
def test_epo_every_sample_read_or_rejected_with_reason(shared_data):
    files = [p for p in (shared_data / OPS).rglob("*") if p.is_file() and p.name != "SOURCE.md"]
    assert len(files) == 55  # data/README.md: 55 files (54 OPS responses and the code table)
    for path in sorted((shared_data / OPS).rglob("*.xml")):
        batch = epo_ops.read(path)
        n_rows = sum(len(df) for df in batch.frames.values())
        assert n_rows or batch.rejects or batch.warnings, path.name
        for r in batch.rejects:
            assert r.note, path.name
    json_like = shared_data / OPS / "ops-head-fixtures/published__search_result.xml"
    assert epo_ops.read(json_like).rejects[0].note.startswith("this is a JSON response")


def test_epo_code_table_is_well_formed():
    text = (epo_ops.Path(epo_ops.__file__).with_name(epo_ops.CODES_FILE)).read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    from ipobs.records.schema import ENUMS

    assert rows and all(r["event"] in ENUMS["patent_event"] for r in rows)
    assert all(r["status_after"] in ("", *ENUMS["patent_status"]) for r in rows)
    assert all(r["transaction"] in ("", *ENUMS["transaction_kind"]) for r in rows)
