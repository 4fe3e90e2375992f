"""PatentsView tables: the current g_* layout and the legacy raw layout. The legacy tables are
rebuilt from PatentsView's own expected parse of ipg120327.18 and must give the same records
as our XML reader on the same week (two independent paths, one answer)."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from ipobs.sources import patentsview, uspto_xml
from ipobs.sources.registry import detect
from tests.sources.conftest import flatten, frame

EXPECTED = "uspto-bulk-grant-xml/patentsview-parse-expected/ipg120327.18"
# The 2013 raw schema of the expected CSVs (they have no header row).
LEGACY_HEADERS = {
    "patent": "id type number country date abstract title kind num_claims",
    "application": "id patent_id series_code number country date x1 x2",
    "rawassignee": "patent_id assignee_id rawlocation_id type name_first name_last organization residence "
                   "nationality sequence",
    "rawinventor": "patent_id inventor_id rawlocation_id name_first name_last nationality sequence",
    "rawlocation": "id location_id city state country",
    "uspatentcitation": "patent_id citation_id date name kind number country category sequence",
    "foreigncitation": "patent_id date kind name number country category sequence",
}


def _legacy_zip(shared_data, tmp_path):
    path = tmp_path / "patentsview_legacy.zip"
    with zipfile.ZipFile(path, "w") as z:
        for table, header in LEGACY_HEADERS.items():
            buf = io.StringIO()
            w = csv.writer(buf, delimiter="\t", lineterminator="\n")
            w.writerow(header.split())
            with open(shared_data / EXPECTED / f"{table}.csv", newline="", encoding="utf-8") as fh:
                w.writerows(csv.reader(fh))
            z.writestr(f"{table}.tsv", buf.getvalue())
    return path


@pytest.mark.shared_data
def test_patentsview_legacy_tables_agree_with_xml(shared_data, tmp_path):
    pv = patentsview.read(_legacy_zip(shared_data, tmp_path))
    xml = uspto_xml.read(shared_data / "uspto-bulk-grant-xml/xml-single-docs/ipg120327.18.xml")
    assert pv.rejects == []
    cols = ["patent_id", "grant_no", "kind", "filing_date", "grant_date", "title"]
    a = frame(pv, "patent")[cols].sort_values("patent_id").reset_index(drop=True)
    b = frame(xml, "patent")[cols].sort_values("patent_id").reset_index(drop=True)
    assert a.astype(str).values.tolist() == b.astype(str).values.tolist()
    assert len(a) == 18
    key = ["patent_id", "role", "seq", "name"]
    pv_inv = frame(pv, "patent_party").query("role == 'inventor'")[key].sort_values(key)
    xml_inv = frame(xml, "patent_party").query("role == 'inventor'")[key].sort_values(key)
    xml_owned = set(frame(pv, "patent_party").query("role == 'owner'")["patent_id"])
    pv_own = frame(pv, "patent_party").query("role == 'owner'")[key].sort_values(key)
    xml_own = frame(xml, "patent_party").query("role == 'owner' and patent_id in @xml_owned")[key].sort_values(key)
    assert set(map(tuple, pv_own.values)) == set(map(tuple, xml_own.values))
    # PatentsView 2013 listed heirs ("legal representative") as inventors; we do not
    names = lambda df: {(r.patent_id, r.name) for r in df.itertuples()}  # noqa: E731
    assert names(xml_inv) <= names(pv_inv)
    assert len(pv_inv) - len(xml_inv) == 2
    pv_cit = frame(pv, "patent_citation")
    assert set(pv_cit["citing_id"]) == set(frame(xml, "patent_citation")["citing_id"])
    assert (pv_cit["category"].isin(["examiner", "applicant", "other"])).all()


G_TABLES = {
    "g_patent.tsv": [
        ["patent_id", "patent_type", "patent_date", "patent_title", "wipo_kind", "num_claims", "withdrawn",
         "filename"],
        ["10000001", "utility", "2018-06-19", "Injection molding machine", "B2", "12", "0", "ipg180619.xml"],
        ["D800001", "design", "2017-10-17", "Bottle", "S1", "1", "0", "ipg171017.xml"],
        ["10000003", "utility", "2018-06-19", "Orphan without application", "B2", "3", "0", "ipg180619.xml"],
    ],
    "g_application.tsv": [
        ["application_id", "patent_id", "patent_application_type", "filing_date", "series_code", "rule_47_flag"],
        ["14/643719", "10000001", "14", "2015-03-10", "14", "0"],
        ["29/570111", "D800001", "29", "2016-07-08", "29", "0"],
    ],
    "g_patent_abstract.tsv": [["patent_id", "patent_abstract"], ["10000001", "A molding machine…"]],
    "g_assignee_disambiguated.tsv": [
        ["patent_id", "assignee_sequence", "assignee_id", "disambig_assignee_individual_name_first",
         "disambig_assignee_individual_name_last", "disambig_assignee_organization", "assignee_type",
         "location_id"],
        ["10000001", "0", "a1", "", "", "天津某某科技有限公司", "3", "loc-tj"],
        ["99999999", "0", "a2", "", "", "Nobody Inc.", "2", "loc-tj"],
    ],
    "g_inventor_disambiguated.tsv": [
        ["patent_id", "inventor_sequence", "inventor_id", "disambig_inventor_name_first",
         "disambig_inventor_name_last", "gender_code", "location_id"],
        ["10000001", "1", "i2", "Wei", "Zhang", "M", "loc-tj"],
        ["10000001", "0", "i1", "Li", "Wang", "F", "loc-tj"],
    ],
    "g_location_disambiguated.tsv": [
        ["location_id", "disambig_city", "disambig_state", "disambig_country", "latitude", "longitude"],
        ["loc-tj", "Tianjin", "", "CN", "39.1", "117.2"],
    ],
    "g_ipc_at_issue.tsv": [
        ["patent_id", "ipc_sequence", "classification_level", "section", "ipc_class", "subclass", "main_group",
         "subgroup", "symbol_position", "classification_value", "classification_status",
         "classification_data_source", "action_date", "ipc_version_indicator"],
        ["10000001", "0", "A", "B", "29", "C", "45", "17", "F", "I", "B", "H", "2018-06-19", "2006-01-01"],
    ],
    "g_us_patent_citation.tsv": [
        ["patent_id", "citation_sequence", "citation_patent_id", "citation_date", "record_name", "wipo_kind",
         "citation_category"],
        ["10000001", "0", "5000000", "1991-03-01", "Smith", "A", "cited by examiner"],
        ["10000001", "1", "6000000", "1999-12-01", "Jones", "B1", "cited by applicant"],
    ],
}


def _write_g(folder):
    for name, rows in G_TABLES.items():
        with open(folder / name, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh, delimiter="\t", lineterminator="\n").writerows(rows)


def test_patentsview_g_tables_read_with_siblings(tmp_path, imported):
    _write_g(tmp_path)
    source, _ = detect(tmp_path / "g_patent.tsv")
    assert source.name == "patentsview"
    batch = source.read(tmp_path / "g_patent.tsv")
    assert "g_application.tsv" in batch.warnings[0]
    p = frame(batch, "patent").set_index("patent_id")
    assert list(p.index) == ["US14643719", "US29570111"]
    assert (p.loc["US14643719", "kind"], p.loc["US29570111", "kind"]) == ("invention", "design")
    assert p.loc["US14643719", "abstract"] == "A molding machine…"
    assert p.loc["US14643719", "domestic"] is True or p.loc["US14643719", "domestic"] == True  # noqa: E712
    parties = frame(batch, "patent_party")
    assert parties.query("role == 'inventor'")["name"].tolist() == ["Li Wang", "Wei Zhang"]  # by sequence
    assert parties.query("role == 'owner'")[["name", "country", "address"]].values.tolist() == [
        ["天津某某科技有限公司", "CN", "Tianjin, CN"]]
    assert frame(batch, "patent_ipc")["ipc"].tolist() == ["B29C45/17"]
    assert frame(batch, "patent_citation")[["cited_no", "category"]].values.tolist() == [
        ["US5000000A", "examiner"], ["US6000000B1", "applicant"]]
    assert flatten(batch.rejects, ("sheet", "row", "code")) == [
        ["g_patent.tsv", 4, "bad-format"],  # no application row: no canonical key
        ["g_assignee_disambiguated.tsv", 3, "parent-rejected"],  # its patent is not in the patent table
    ]
    res, store = imported(batch)
    assert (res.accepted, res.rejected) == (2, 2)
    assert store.count("patent_party") == 4


def test_patentsview_zip_of_g_tables(tmp_path):
    _write_g(tmp_path)
    path = tmp_path / "pv.zip"
    with zipfile.ZipFile(path, "w") as z:
        for name in G_TABLES:
            z.write(tmp_path / name, name)
    batch = patentsview.read(path)
    assert len(frame(batch, "patent")) == 2


def test_patentsview_without_patent_table_says_so(tmp_path):
    path = tmp_path / "g_application.tsv"
    path.write_text("application_id\tpatent_id\tfiling_date\n14/643719\t10000001\t2015-03-10\n")
    batch = patentsview.read(path)
    assert [r.note for r in batch.rejects] == [
        "no PatentsView patent table (g_patent.tsv or patent.tsv) in the input or beside it"]
