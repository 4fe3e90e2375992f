"""Bad input for every reader: random bytes, truncated documents, wrong encodings, huge cells,
formulas, merged cells, hidden sheets, a header further down. Never an unhandled exception,
never a silent drop: every document or row ends in the records or in the rejects."""

from __future__ import annotations

import tempfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ipobs.records.schema import KINDS
from ipobs.sources import epo_ops, lens, ledger, patentsview, uspto_assignment, uspto_legacy, uspto_xml
from ipobs.sources.templates import layout, write_template
from ipobs.sources.xmldocs import iter_documents
from tests.sources.ledger_samples import sample_records

FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                      HealthCheck.function_scoped_fixture])
ENCODINGS = st.sampled_from(["utf-8", "gb18030", "utf-16", "latin-1", "big5"])
BYTE_READERS = [uspto_xml.read, uspto_legacy.read_aps, uspto_legacy.read_sgml, uspto_legacy.read_pap,
                uspto_legacy.read_brs, uspto_legacy.read_cpc_master, uspto_legacy.read_xml4ip,
                uspto_assignment.read, epo_ops.read, lens.read, patentsview.read, ledger.read]

GRANT = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE us-patent-grant SYSTEM "us-patent-grant-v42-2006-08-23.dtd" [ ]>
<us-patent-grant lang="EN" dtd-version="v4.2 2006-08-23">
<us-bibliographic-data-grant>
<publication-reference><document-id><country>US</country><doc-number>0{n}</doc-number><kind>B2</kind>
<date>20120327</date></document-id></publication-reference>
<application-reference appl-type="utility"><document-id><country>US</country><doc-number>1{n}</doc-number>
<date>20100101</date></document-id></application-reference>
<invention-title id="d0e1">Widget number {n} &mdash; with &lsquo;entities&rsquo;</invention-title>
<number-of-claims>3</number-of-claims>
</us-bibliographic-data-grant>
<abstract><p>An abstract.</p></abstract>
</us-patent-grant>
"""


def _tmp(name: str, data: bytes) -> Path:
    d = Path(tempfile.mkdtemp())
    p = d / name
    p.write_bytes(data)
    return p


def _writable(v):
    """openpyxl refuses control characters in cells (so does Excel): such text cannot reach a workbook."""
    return ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v


def _main_rows_accounted(batch) -> int:
    main = KINDS[batch.kind].main
    df = batch.frames.get(main)
    rejected = {(r.sheet, r.row) for r in batch.rejects if r.table in (None, main) and r.row is not None
                and r.code not in ("unknown-column",)}
    return (0 if df is None else len(df)) + len(rejected)


@FUZZ
@given(data=st.binary(max_size=4000), name=st.sampled_from(["x.xml", "x.txt", "x.csv", "x.tsv", "x.zip", "x.xlsx",
                                                             "g_patent.tsv", "x.greenbook"]))
def test_fuzz_random_bytes_never_raise(data, name):
    path = _tmp(name, data)
    for read in BYTE_READERS:
        batch = read(path)
        assert batch.kind in KINDS
        for r in batch.rejects:
            assert r.note


@FUZZ
@given(cut=st.integers(min_value=1, max_value=2000), which=st.integers(min_value=0, max_value=4))
def test_fuzz_truncated_document_in_concatenated_file(cut, which):
    docs = [GRANT.format(n=f"{7000000 + i}") for i in range(5)]
    body = docs[which]
    docs[which] = body[: min(cut, len(body) - 30)]
    path = _tmp("ipg.xml", "".join(docs).encode("utf-8"))
    batch = uspto_xml.read(path)
    n_docs = sum(1 for _ in iter_documents(path))
    got = len(batch.frames.get("patent", [])) + len([r for r in batch.rejects if r.code == "bad-format"])
    assert got == n_docs
    assert len(batch.frames.get("patent", [])) >= 4 - (1 if which > 0 else 0)


@FUZZ
@given(encoding=ENCODINGS)
def test_fuzz_xml_in_other_encodings(encoding):
    text = GRANT.format(n="7000001").replace('encoding="UTF-8"', f'encoding="{encoding}"')
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    batch = uspto_xml.read(_tmp("one.xml", data))
    assert len(batch.frames.get("patent", [])) + len(batch.rejects) == 1


CELL = st.one_of(
    st.none(), st.text(max_size=30), st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False), st.dates(), st.booleans(),
    st.sampled_from(["500万元", "1.2亿", "第9类", "46", "=A1*2", "=SUM(", "否", "2024年5月1日", "x" * 40000, "\x00",
                     "专利", "知识产权民事案件", "  ", "#N/A"]),
)


@pytest.mark.slow
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["cases", "pledges", "trademarks", "programs", "region_facts", "entity_flags"]),
       cells=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 14), CELL), max_size=25),
       shift=st.integers(0, 3), merge=st.booleans(), hide=st.booleans())
@example(kind="cases", cells=[(4, 0, "=SUM(")], shift=0, merge=False, hide=False)  # a row of only an
@example(kind="pledges", cells=[(4, 2, "=A1*2")], shift=1, merge=False, hide=False)  # uncalculated formula
def test_fuzz_filled_templates_every_row_accounted(kind, cells, shift, merge, hide):
    d = Path(tempfile.mkdtemp())
    path = write_template(kind, d / "t.xlsx", records=sample_records(kind, 4))
    wb = openpyxl.load_workbook(path)
    title = layout(kind)[0].title
    ws = wb[title]
    ncols = ws.max_column
    for r, c, v in cells:
        if c < ncols:
            ws.cell(3 + r, 1 + c, _writable(v))
    if merge:
        ws.merge_cells(start_row=3, start_column=2, end_row=4, end_column=3)
    if hide:
        ws.sheet_state = "hidden"
    if shift:
        ws.insert_rows(1, shift)  # a title block above the header
    wb.save(path)
    batch = ledger.read(path)
    data_rows = sum(1 for row in openpyxl.load_workbook(path)[title].iter_rows(min_row=3 + shift, values_only=True)
                    if any(v is not None and str(v).strip() != "" for v in row))
    assert _main_rows_accounted(batch) == data_rows


@FUZZ
@given(rows=st.lists(st.lists(st.text(max_size=40), min_size=0, max_size=40), max_size=8), encoding=ENCODINGS)
def test_fuzz_lens_rows(rows, encoding):
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(lens.COLUMNS)
    w.writerows(rows)
    try:
        data = buf.getvalue().encode(encoding)
    except UnicodeEncodeError:
        data = buf.getvalue().encode("utf-8")
    batch = lens.read(_tmp("lens.csv", data))
    merged = sum(int(w.split()[0]) for w in batch.warnings if "merged into it" in w)
    non_blank = sum(1 for r in rows if any(c.replace("\x00", "").strip() for c in r))
    assert _main_rows_accounted(batch) + merged == non_blank


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 11), CELL), max_size=12))
@example(cells=[(0, 0, 1.7976931348623155e+308)])  # overflowed int() once; found in CI
@example(cells=[(0, 11, 1.7976931348623155e+308)])  # …and in the region column
def test_fuzz_store_import_of_fuzzed_ledger_never_raises(cells, tmp_path_factory):
    from ipobs.store import open_store

    d = tmp_path_factory.mktemp("fz")
    path = write_template("cases", d / "t.xlsx", records=sample_records("cases", 4))
    wb = openpyxl.load_workbook(path)
    ws = wb["案件"]
    for r, c, v in cells:
        ws.cell(3 + r, 1 + c, _writable(v))
    wb.save(path)
    batch = ledger.read(path)
    with open_store(d / "s.duckdb") as store:
        res = store.import_batch(batch)
        assert res.status == "committed"
        main_rejected = {r.row for r in res.rejects if r.table == "ip_case"}
        assert res.accepted + len(main_rejected) == 4
