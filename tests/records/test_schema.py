"""The canonical schema is consistent with itself and with the store it creates."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ipobs.records.batch import RecordBatch
from ipobs.records.schema import ENUMS, KINDS, TABLES, enum_code, enum_label


def test_schema_every_kind_names_existing_tables():
    for k in KINDS.values():
        for t in k.tables:
            assert t in TABLES, f"{k.name} names unknown table {t}"


def test_schema_keys_are_required_fields():
    for t in TABLES.values():
        for key in t.key:
            assert t.field(key).required, f"{t.name}.{key} is a key but not required"


def test_schema_every_table_documented_and_bilingual():
    for t in TABLES.values():
        assert t.doc and t.zh and t.en, t.name
        for f in t.fields:
            assert f.zh and f.en, f"{t.name}.{f.name}"


def test_enum_code_accepts_code_chinese_and_english_labels():
    assert enum_code("patent_kind", "发明") == "invention"
    assert enum_code("patent_kind", "Utility Model") == "utility"
    assert enum_code("patent_kind", "design") == "design"
    assert enum_code("patent_kind", "专利") is None
    assert enum_label("patent_kind", "utility", "zh") == "实用新型"


def _sample_value(f, i: int):
    if f.enum:
        return list(ENUMS[f.enum])[i % len(ENUMS[f.enum])]
    return {
        "str": f"{f.name}-{i}", "json": '{"a": 1}', "int": 3 + i, "float": 1.5 + i, "bool": i % 2 == 0,
        "date": dt.date(2020, 1, 1) + dt.timedelta(days=i), "timestamp": dt.datetime(2020, 1, 1, 8, i),
    }[f.type]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_schema_round_trip_every_kind(store, kind):
    """Rows of every table of every kind go in and come back with their types and values."""
    k = KINDS[kind]
    frames = {}
    for name in k.tables:
        t = TABLES[name]
        rows = [{f.name: _sample_value(f, i) for f in t.fields if f.name != "batch_id"} for i in range(3)]
        frames[name] = pd.DataFrame(rows)
    # children refer to their parent's key
    main_key = TABLES[k.main].key[0]
    for child in k.children:
        col = main_key if main_key in frames[child].columns else TABLES[child].key[0]
        frames[child][col] = frames[k.main][main_key].to_numpy()
    # date-ordered pairs must be in order for the sample to be valid
    res = store.import_batch(RecordBatch(kind, frames, label=f"round-trip {kind}"))
    assert res.rejected == 0, [r.message for r in res.rejects]
    for name, df in frames.items():
        back = store.query(f'SELECT * FROM "{name}"')
        assert len(back) == 3, name
        t = TABLES[name]
        for f in t.fields:
            if f.name == "batch_id":
                assert (back[f.name] == res.batch_id).all()
                continue
            got, want = back[f.name].tolist(), df[f.name].tolist()
            if f.type in ("date", "timestamp"):
                got = [pd.Timestamp(v) for v in got]
                want = [pd.Timestamp(v) for v in want]
            if f.type == "json":
                continue
            assert sorted(map(str, got)) == sorted(map(str, want)), f"{name}.{f.name}"
