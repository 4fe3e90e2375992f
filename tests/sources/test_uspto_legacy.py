"""Every historical USPTO format in ``uspto-fulltext-samples`` is recognised and read; field
values are checked against the source text itself."""

from __future__ import annotations

import re

import pytest

from ipobs.sources import uspto_legacy
from ipobs.sources.registry import detect, sources
from tests.sources.conftest import frame

pytestmark = pytest.mark.shared_data
SAMPLES = "uspto-fulltext-samples"

# file → (source name, patents read, documents rejected with a reason)
EXPECTED = {
    "greenbook/US03932709.greenbook": ("uspto-aps", 1, 0),
    "greenbook/US03937375.greenbook": ("uspto-aps", 1, 0),
    "greenbook/US04347903.greenbook": ("uspto-aps", 1, 0),
    "sgml/US06336130.xml": ("uspto-sgml", 1, 0),
    "sgml/US06337117.xml": ("uspto-sgml", 1, 0),
    "sgml/USD435854S1.xml": ("uspto-sgml", 1, 0),
    "pap/US20010000044A1.xml": ("uspto-pap", 1, 0),
    "pap/US20010000943A1.xml": ("uspto-pap", 1, 0),
    "pap/US20010009014A1.xml": ("uspto-pap", 1, 0),
    "xml2004/US06859910.xml": ("uspto-xml", 1, 0),
    "xml2004/US06970935.xml": ("uspto-xml", 1, 0),
    "xmlApp2004/US20050004437A1.xml": ("uspto-xml", 1, 0),
    "xmlApp2004/US20050004974A1.xml": ("uspto-xml", 1, 0),
    "xml2006/US07272630B2.xml": ("uspto-xml", 1, 0),
    "xml2014/US08926509.xml": ("uspto-xml", 1, 0),
    "xml2014/US08927118.xml": ("uspto-xml", 1, 0),
    "xml2014/US08930553.xml": ("uspto-xml", 1, 0),
    "css_brs/css_brs_sample.txt": ("uspto-brs", 6, 0),
    "cpcMaster/cpcMaster.xml": ("uspto-cpc-master", 0, 0),
    "xml4ip/sample_XML4IP.ZIP": ("uspto-xml4ip", 0, 5),
    "cpcScheme/cpc-scheme-A01L.xml": ("cpc-scheme", 0, 1),
}


def test_uspto_legacy_every_sample_file_is_listed(shared_data):
    files = {str(p.relative_to(shared_data / SAMPLES)) for p in (shared_data / SAMPLES).rglob("*")
             if p.is_file() and p.name != "SOURCE.md"}
    assert files == set(EXPECTED)  # SOURCE.md: 21 files
    assert len(files) == 21


@pytest.fixture(scope="module")
def all_imported(shared_data, tmp_path_factory):
    """Every sample file detected, read and imported into one store: name → (source, batch, result)."""
    from ipobs.store import open_store

    store = open_store(tmp_path_factory.mktemp("legacy") / "t.duckdb")
    out = {}
    for name in sorted(EXPECTED):
        path = shared_data / SAMPLES / name
        source, _score = detect(path)
        batch = source.read(path)
        out[name] = (source, batch, store.import_batch(batch))
    yield out, store
    store.close()


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_uspto_legacy_every_format_imports(all_imported, name):
    results, _store = all_imported
    source, batch, res = results[name]
    want_source, n_patents, n_rejected = EXPECTED[name]
    assert source.name == want_source
    assert len(frame(batch, "patent")) == n_patents
    assert res.status == "committed"
    assert (res.tables.get("patent").inserted if "patent" in res.tables else 0, res.rejected) == (n_patents,
                                                                                                 n_rejected)
    for r in res.rejects:
        assert r.note  # every reject says why


@pytest.mark.slow
def test_uspto_legacy_store_holds_every_patent(all_imported):
    _results, store = all_imported
    assert store.count("patent") == sum(n for _s, n, _r in EXPECTED.values())


def test_uspto_legacy_aps_fields_from_source_text(shared_data):
    path = shared_data / SAMPLES / "greenbook/US04347903.greenbook"
    text = path.read_text(encoding="latin-1")
    field = lambda tag: re.search(rf"^{tag}  (.*)$", text, re.M).group(1).strip()  # noqa: E731
    p = frame(uspto_legacy.read_aps(path), "patent").iloc[0]
    wku, apn = field("WKU"), field("APN")
    assert p.grant_no == f"US{int(wku[:-1])}A"  # WKU carries a check digit
    assert p.patent_id == f"US{int(field('SRC')):02d}{apn[:-1]}"  # so does APN
    assert p.filing_date == f"{field('APD')[:4]}-{field('APD')[4:6]}-{field('APD')[6:]}"
    assert p.title == field("TTL")
    assert int(p.claims_count) == int(field("NCL"))
    assert (p.pct, p.pct_application_no) == (True, field("PCN"))
    assert p.priority_date == "1978-07-10"


def test_uspto_legacy_aps_inventor_names_reordered(shared_data):
    batch = uspto_legacy.read_aps(shared_data / SAMPLES / "greenbook/US03937375.greenbook")
    inv = frame(batch, "patent_party").query("role == 'inventor'")
    assert inv[["name", "country", "address"]].values.tolist() == [["Everette E. Daniels", "US",
                                                                    "Des Moines, IA, US"]]
    assert frame(batch, "patent_ipc")["ipc"].tolist() == ["B60R9/00"]  # "B60R  900"


def test_uspto_legacy_sgml_design_and_citation_categories(shared_data):
    batch = uspto_legacy.read_sgml(shared_data / SAMPLES / "sgml/USD435854S1.xml")
    p = frame(batch, "patent").iloc[0]
    assert (p.kind, p.grant_no, p.ipc_main) == ("design", "USD435854S", "LOC14-02")  # B130 is S
    batch = uspto_legacy.read_sgml(shared_data / SAMPLES / "sgml/US06336130.xml")
    cats = frame(batch, "patent_citation").set_index("cited_no")["category"]
    assert cats["US5825759A"] == "examiner" and cats["WO96/25012"] == "other"
    assert frame(batch, "patent").iloc[0].priority_date == "1997-04-08"


def test_uspto_legacy_brs_records_and_categories(shared_data):
    path = shared_data / SAMPLES / "css_brs/css_brs_sample.txt"
    text = path.read_text(encoding="utf-8")
    batch = uspto_legacy.read_brs(path)
    pat = frame(batch, "patent")
    assert pat["grant_no"].str.removeprefix("US").str[:7].tolist() == re.findall(r"^DWKU (\d+)$", text, re.M)
    assert pat["patent_id"].tolist() == ["US" + n for n in re.findall(r"^APNR (\d+)$", text, re.M)]
    cites = frame(batch, "patent_citation")
    first = cites[cites.citing_id == "US13676098"].set_index("cited_no")["category"]
    assert first["CN1760783A"] == "applicant" and first["US20030169838A1"] == "examiner"


def test_uspto_legacy_cpc_master_gives_grant_event(shared_data):
    batch = uspto_legacy.read_cpc_master(shared_data / SAMPLES / "cpcMaster/cpcMaster.xml")
    ev = frame(batch, "patent_event")
    assert ev[["patent_id", "event_date", "event", "status_after"]].values.tolist() == [
        ["US13897484", "2016-07-26", "granted", "granted"]]
    assert batch.warnings[0].startswith("1 grant event(s) read") and "CPC symbols" in batch.warnings[1]


def test_uspto_legacy_registered_sources_have_titles():
    names = {s.name: s for s in sources().values()}
    for n in ("uspto-aps", "uspto-sgml", "uspto-pap", "uspto-brs", "uspto-cpc-master", "uspto-xml4ip", "cpc-scheme"):
        assert names[n].title and names[n].kinds == ("patents",)
