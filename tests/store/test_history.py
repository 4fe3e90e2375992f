"""As-of queries over dated history: any past date can be computed again."""

from __future__ import annotations

import pandas as pd
import pytest

from ipobs.records.batch import RecordBatch
from ipobs.store.history import flags_as_of, patent_status_as_of, trademark_status_as_of, valid_patent_ids

EVENTS = [
    # patent, date, event, status_after
    ("CN1", "2015-01-10", "filed", "pending"),
    ("CN1", "2016-07-10", "published", None),
    ("CN1", "2017-05-01", "granted", "granted"),
    ("CN1", "2019-03-01", "transferred", None),  # not a status change
    ("CN1", "2020-06-30", "lapsed", "lapsed"),
    ("CN1", "2020-11-30", "restored", "granted"),
    ("CN2", "2016-02-02", "filed", "pending"),
    ("CN2", "2016-09-01", "granted", "granted"),
    ("CN2", "2018-12-31", "invalidated", "invalidated"),
    ("CN3", "2018-01-01", "filed", "pending"),
]


@pytest.fixture()
def history_store(store):
    pat = pd.DataFrame({"patent_id": ["CN1", "CN2", "CN3"], "application_no": ["1", "2", "3"],
                        "kind": ["invention", "utility", "invention"],
                        "filing_date": ["2015-01-10", "2016-02-02", "2018-01-01"], "title": ["a", "b", "c"]})
    ev = pd.DataFrame(EVENTS, columns=["patent_id", "event_date", "event", "status_after"])
    store.import_batch(RecordBatch("patents", {"patent": pat, "patent_event": ev}, label="h"))
    return store


@pytest.mark.parametrize(
    "as_of, expected",
    [
        ("2014-12-31", {}),
        ("2016-12-31", {"CN1": "pending", "CN2": "granted"}),
        ("2018-12-30", {"CN1": "granted", "CN2": "granted", "CN3": "pending"}),
        ("2018-12-31", {"CN1": "granted", "CN2": "invalidated", "CN3": "pending"}),
        ("2020-07-01", {"CN1": "lapsed", "CN2": "invalidated", "CN3": "pending"}),
        ("2020-12-31", {"CN1": "granted", "CN2": "invalidated", "CN3": "pending"}),
    ],
)
def test_history_patent_status_as_of(history_store, as_of, expected):
    df = patent_status_as_of(history_store.table("patent_event"), as_of).execute()
    assert dict(zip(df["patent_id"], df["status"])) == expected


def test_history_valid_patents_as_of(history_store):
    ev = history_store.table("patent_event")
    assert sorted(valid_patent_ids(ev, "2018-06-30").execute()["patent_id"]) == ["CN1", "CN2"]
    assert sorted(valid_patent_ids(ev, "2020-07-01").execute()["patent_id"]) == []
    assert sorted(valid_patent_ids(ev, "2021-01-01").execute()["patent_id"]) == ["CN1"]


def test_history_flags_as_of(store):
    ent = pd.DataFrame({"entity_id": ["E1", "E2"], "name": ["甲公司", "乙公司"], "kind": ["enterprise"] * 2})
    store.import_batch(RecordBatch("entities", {"entity": ent}, label="e"))
    flags = pd.DataFrame({
        "entity_id": ["E1", "E1", "E2"],
        "flag": ["high_tech", "high_tech", "sme"],
        "valid_from": ["2016-01-01", "2019-06-01", "2017-01-01"],
        "valid_to": ["2019-01-01", None, "2018-01-01"],
    })
    store.import_batch(RecordBatch("entity_flags", {"entity_flag": flags}, label="f"))
    t = store.table("entity_flag")

    def held(d):
        return sorted(map(tuple, flags_as_of(t, d).execute()[["entity_id", "flag"]].values.tolist()))

    assert held("2017-06-30") == [("E1", "high_tech"), ("E2", "sme")]
    assert held("2019-03-01") == []  # gap between certificates; valid_to is exclusive
    assert held("2019-06-01") == [("E1", "high_tech")]


def test_history_trademark_status_as_of(store):
    tm = pd.DataFrame({"reg_no": ["T1"], "nice_class": [9], "owner": ["甲公司"], "application_date": ["2010-01-01"]})
    ev = pd.DataFrame({"reg_no": ["T1", "T1", "T1"], "nice_class": [9, 9, 9],
                       "event_date": ["2011-01-01", "2021-01-01", "2021-06-01"],
                       "status_after": ["registered", "expired", "registered"]})
    store.import_batch(RecordBatch("trademarks", {"trademark": tm, "trademark_event": ev}, label="t"))
    t = store.table("trademark_event")
    assert trademark_status_as_of(t, "2020-12-31").execute()["status"].tolist() == ["registered"]
    assert trademark_status_as_of(t, "2021-03-01").execute()["status"].tolist() == ["expired"]
