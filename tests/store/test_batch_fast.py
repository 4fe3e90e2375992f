"""Fast paths of the batch import: the Arrow digest, vectorized string coercion, new_keys."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipobs.records.batch import RecordBatch
from ipobs.records.schema import TABLES
from ipobs.records.validate import _ENUM_LOOKUPS, _is_blank, coerce
from ipobs.store import open_store
from ipobs.store.batch import frames_sha256


def _frame():
    return pd.DataFrame({
        "patent_id": ["CN1", "CN2", None, "CN4"],
        "title": ["一种锂电池", "", "夹具", None],
        "claims_count": pd.array([3, None, 1, 2], dtype="Int64"),
        "filing_date": pd.to_datetime(["2019-01-02", None, "2020-03-04", "2021-05-06"]),
        "domestic": [True, False, None, True],
        "score": [1.5, np.nan, 0.0, -2.0],
    })


def test_frames_sha256_ignores_layout():
    df = _frame()
    digest = frames_sha256({"patent": df})
    assert len(digest) == 64
    assert frames_sha256({"patent": pd.concat([df.iloc[:1], df.iloc[1:]])}) == digest
    assert frames_sha256({"patent": df.iloc[1:]}) == frames_sha256({"patent": df.iloc[1:].reset_index(drop=True)})
    assert frames_sha256({"patent": df.astype({"title": "string"})}) == frames_sha256(
        {"patent": df.astype({"title": "string"}).copy()})


@pytest.mark.parametrize("column, value", [("title", "一种锂电池x"), ("claims_count", 0), ("filing_date", None),
                                           ("domestic", False), ("score", 0.0), ("patent_id", "")])
def test_frames_sha256_sees_every_cell(column, value):
    df = _frame()
    changed = df.copy()
    changed.loc[3 if column != "title" else 0, column] = value
    assert frames_sha256({"patent": changed}) != frames_sha256({"patent": df})


def test_frames_sha256_tells_null_from_empty_and_names():
    a = pd.DataFrame({"t": [None, "x"]})
    b = pd.DataFrame({"t": ["", "x"]})
    assert frames_sha256({"p": a}) != frames_sha256({"p": b})
    assert frames_sha256({"p": a}) != frames_sha256({"q": a})
    assert frames_sha256({"p": a}) != frames_sha256({"p": a.rename(columns={"t": "u"})})


def _coerce_str_reference(f, s):
    """The string coercion as first written (strip twice, map through a dict)."""
    blank = _is_blank(s)
    out = s.astype("string").str.strip().mask(blank)
    if f.enum:
        look = _ENUM_LOOKUPS[f.enum]
        codes = {v: look.get(v, look.get(v.lower())) for v in out.dropna().unique()}
        mapped = out.map(codes)
        return mapped.astype("string"), ~blank & mapped.isna()
    return out, pd.Series(False, index=s.index)


CELLS = st.one_of(st.none(), st.sampled_from(["invention", " 发明 ", "UTILITY", "外观设计", "", "  ", "bogus", "design"]),
                  st.text(max_size=6))


@settings(max_examples=60, deadline=None)
@given(st.lists(CELLS, max_size=12), st.sampled_from(["object", "string", "str"]), st.booleans())
def test_coerce_str_equals_reference(cells, dtype, enum):
    f = TABLES["patent"].field("kind" if enum else "title")
    s = pd.Series(cells, dtype=object if dtype == "object" else dtype)
    out, bad = coerce(f, s)
    ref, ref_bad = _coerce_str_reference(f, s)
    assert out.dtype == ref.dtype
    assert out.isna().tolist() == ref.isna().tolist()
    assert out.fillna("<NA>").tolist() == ref.fillna("<NA>").tolist()
    assert bad.astype(bool).tolist() == ref_bad.astype(bool).tolist()


def _patents(ids):
    return pd.DataFrame({"patent_id": ids, "application_no": [i[2:] for i in ids], "kind": "invention",
                         "filing_date": "2019-01-02", "title": "一种锂电池"})


def _party(ids):
    return pd.DataFrame({"patent_id": ids, "role": "applicant", "seq": 1, "name": "某公司"})


def test_new_keys_same_rows_and_counts(tmp_path):
    results = {}
    for mode in (False, True):
        with open_store(tmp_path / f"{mode}.duckdb") as store:
            counts = []
            for chunk in (["CN1", "CN2"], ["CN3", "CN4", "CN5"]):
                res = store.import_batch(RecordBatch("patents", {"patent": _patents(chunk), "patent_party": _party(chunk)},
                                                     label="t"), new_keys=mode)
                counts.append((res.status, res.accepted, res.duplicate, res.tables["patent_party"].inserted))
            rows = store.query("SELECT patent_id, title, batch_id FROM patent ORDER BY 1")
            results[mode] = (counts, rows)
    assert results[True][0] == results[False][0] == [("committed", 2, 0, 2), ("committed", 3, 0, 3)]
    pd.testing.assert_frame_equal(results[True][1], results[False][1])


def test_new_keys_keeps_the_file_check(tmp_path):
    with open_store(tmp_path / "s.duckdb") as store:
        b = RecordBatch("patents", {"patent": _patents(["CN1"])}, label="t")
        assert store.import_batch(b, new_keys=True).status == "committed"
        again = store.import_batch(b, new_keys=True)
        assert again.status == "duplicate_file" and store.count("patent") == 1


def test_prepared_batch_imports_like_a_plain_one(tmp_path):
    from ipobs.store.batch import prepare_batch

    frames = {"patent": pd.concat([_patents(["CN1", "CN2"]), _patents(["CN2"])]).assign(
        kind=["invention", "bogus", "invention"])}
    out = {}
    for mode in ("plain", "prepared"):
        with open_store(tmp_path / f"{mode}.duckdb") as store:
            b = RecordBatch("patents", frames, label="t")
            res = store.import_batch(b, prepared=prepare_batch(b) if mode == "prepared" else None)
            out[mode] = (res.sha256, res.accepted, res.rejected, [(r.code, r.row) for r in res.rejects],
                         store.query("SELECT patent_id, kind FROM patent ORDER BY 1").values.tolist())
            assert store.import_batch(b, prepared=prepare_batch(b)).status == "duplicate_file"
    assert out["plain"] == out["prepared"]
    assert out["plain"][1:3] == (1, 2)


def test_a_vouched_digest_replaces_the_frames_hash(tmp_path, monkeypatch):
    from ipobs.store import batch as store_batch
    from ipobs.store.batch import prepare_batch

    digest = "d" * 64
    with open_store(tmp_path / "s.duckdb") as store:
        b = RecordBatch("patents", {"patent": _patents(["CN1"])}, label="t", digest=digest)
        plain = RecordBatch("patents", {"patent": _patents(["CN1"])}, label="t")
        monkeypatch.setattr(store_batch, "frames_sha256", lambda frames: pytest.fail("frames were hashed"))
        assert prepare_batch(b).sha256 == digest
        res = store.import_batch(b)
        assert (res.status, res.sha256) == ("committed", digest)
        assert store.scalar("SELECT sha256 FROM import_batch WHERE batch_id = ?", [res.batch_id]) == digest
        assert store.import_batch(b).status == "duplicate_file"
        monkeypatch.undo()
        # the same records without the digest are a new batch whose rows are all duplicates
        again = store.import_batch(plain)
        assert (again.status, again.duplicate, store.count("patent")) == ("committed", 1, 1)


def test_demo_batches_carry_a_digest_of_their_parameters():
    from ipobs.demo.build import _batch

    one = _batch("patents", {}, "seed=1 scale=1.0", "1of2")
    assert one.digest == _batch("patents", {}, "seed=1 scale=1.0", "1of2").digest
    assert len({one.digest, _batch("patents", {}, "seed=2 scale=1.0", "1of2").digest,
                _batch("patents", {}, "seed=1 scale=1.0", "2of2").digest,
                _batch("trademarks", {}, "seed=1 scale=1.0", "1of2").digest}) == 4


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["CN1", "CN2", "CN3", ""])), max_size=8),
       st.sampled_from(["object", "string", "str"]))
def test_all_distinct_agrees_with_pandas(ids, dtype):
    from ipobs.records.validate import _all_distinct

    keyed = pd.DataFrame({"patent_id": pd.Series(ids, dtype=object if dtype == "object" else dtype)})
    assert _all_distinct(keyed) == (not keyed.duplicated(keep="first").any())
    two = keyed.assign(seq=1)
    assert not _all_distinct(two)  # several columns: always the pandas way
