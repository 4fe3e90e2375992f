import datetime as dt

import pandas as pd

from ipobs.protection import case_detail, docket, summary
from ipobs.records.validate import validate

D = dt.date(2021, 6, 30)


def _by_id(store, as_of=D):
    df, total = docket(store, as_of, limit=None)
    assert total == len(df)
    return df.set_index("case_id")


def test_docket_deadline_from_rule_months_from_acceptance(pstore):
    row = _by_id(pstore).loc["A1"]
    assert row["deadline"] == pd.Timestamp("2021-04-10") and row["state"] == "closed_on_time"


def test_docket_extension_moves_deadline_and_late_closure_counts(pstore):
    row = _by_id(pstore).loc["A2"]
    assert row["extension_days"] == 30 and row["deadline"] == pd.Timestamp("2021-05-31")
    assert row["state"] == "closed_late" and row["days_late"] == 10


def test_docket_suspension_with_days(pstore):
    row = _by_id(pstore).loc["A4"]
    assert row["suspension_days"] == 20 and row["deadline"] == pd.Timestamp("2021-08-03")


def test_docket_open_suspension_runs_until_the_date(pstore):
    a = _by_id(pstore).loc["A7"]
    b = _by_id(pstore, dt.date(2021, 7, 10)).loc["A7"]
    assert a["suspension_days"] == 41 and b["suspension_days"] == 51
    assert b["deadline"] - a["deadline"] == pd.Timedelta(days=10)


def test_docket_working_day_preexam(pstore):
    row = _by_id(pstore).loc["A5"]
    assert row["deadline"] == pd.Timestamp("2021-07-09") and row["state"] == "due_soon"


def test_docket_ledger_deadline_wins(pstore):
    row = _by_id(pstore).loc["A6"]
    assert row["deadline_source"] == "ledger" and row["deadline"] == pd.Timestamp("2021-06-20")
    assert row["rules_deadline"] == pd.Timestamp("2021-07-04")


def test_docket_events_after_the_date_are_ignored(pstore):
    assert _by_id(pstore).loc["A3"]["extension_days"] == 0
    assert _by_id(pstore, dt.date(2021, 7, 20)).loc["A3"]["extension_days"] == 30


def test_docket_overdue_first_and_filters(pstore):
    df, total = docket(pstore, D)
    assert list(df["state"][:2]) == ["overdue", "overdue"]
    over, n = docket(pstore, D, overdue=True)
    assert set(over["case_id"]) == {"A3", "A6"} and n == 2
    soon, _ = docket(pstore, D, due_within=14)
    assert set(soon["case_id"]) == {"A5"}
    wider, _ = docket(pstore, D, due_within=40)
    assert set(wider["case_id"]) == {"A5", "A4"}
    dep, _ = docket(pstore, D, department="区市场监管局")
    assert set(dep["case_id"]) == {"A3", "A4"}


def test_docket_case_not_yet_closed_at_an_earlier_date(pstore):
    row = _by_id(pstore, dt.date(2021, 3, 31)).loc["A1"]
    assert pd.isna(row["closed_date"]) and row["state"] in ("open", "due_soon")
    assert "A8" not in _by_id(pstore, dt.date(2021, 3, 31)).index


def test_docket_summary_per_department(pstore):
    s = summary(pstore, D)
    got = {(r.department, r.state): r.cases for r in s.itertuples()}
    assert got[("区市场监管局", "overdue")] == 1 and got[("区知识产权局", "closed_late")] == 1


def test_case_detail_has_parties_events_and_rule(pstore):
    d = case_detail(pstore, "A2", D)
    assert d["rule"]["unit"] == "months" and len(d["events"]) == 1 and len(d["parties"]) == 2
    assert case_detail(pstore, "nope", D) is None


def test_closing_before_receipt_and_unknown_kind_are_rejected():
    df = pd.DataFrame([
        {"case_id": "B1", "kind": "civil", "ip_right": "patent", "department": "区法院", "received_date": "2021-05-01",
         "closed_date": "2021-04-01"},
        {"case_id": "B2", "kind": "made_up", "ip_right": "patent", "department": "区法院",
         "received_date": "2021-05-01"},
    ])
    good, rejects = validate("ip_case", df)
    assert len(good) == 0
    codes = sorted(r.code for r in rejects)
    assert codes == ["date-order", "enum-error"]


def test_docket_query_is_stable_when_repeated(pstore):
    """The working-day calendar join once failed intermittently inside DuckDB; run it many times."""
    first = docket(pstore, D, overdue=True)[0]
    for _ in range(150):
        again, n = docket(pstore, D, overdue=True)
        assert n == len(first) and list(again["case_id"]) == list(first["case_id"])


def test_on_time_by_department_counts_this_years_closed_cases(pstore):
    from ipobs.protection import on_time_by_department

    df = on_time_by_department(pstore, D).set_index("department")
    # A1 on time and A2 late (区知识产权局); A8 fast enforcement on time (保护中心); open cases not counted
    assert df.loc["区知识产权局", ["closed", "on_time", "late"]].tolist() == [2, 1, 1]
    assert df.loc["区知识产权局", "on_time_rate"] == 50.0
    assert df.loc["保护中心", "on_time_rate"] == 100.0
    assert set(df.index) == {"区知识产权局", "保护中心"}
    # before A1 closed nothing had closed this year; the next year starts again from zero
    assert on_time_by_department(pstore, dt.date(2021, 3, 31)).empty
    assert on_time_by_department(pstore, dt.date(2022, 1, 31)).empty


def test_docket_state_filters_equal_filtering_the_whole_docket(pstore):
    """The open-cases shortcut inside the query keeps exactly the rows of the whole docket."""
    for day in (dt.date(2021, 3, 31), D, dt.date(2021, 7, 20)):
        whole, _ = docket(pstore, day, limit=None)  # due_soon = due within 14 days
        for kw, states in (({"overdue": True}, {"overdue"}), ({"due_within": 14}, {"due_soon"}),
                           ({"open_only": True}, {"overdue", "due_soon", "open"})):
            part, n = docket(pstore, day, limit=None, **kw)
            expected = whole[whole["state"].isin(states)]
            assert list(part["case_id"]) == list(expected["case_id"]) and n == len(expected), (day, kw)
            assert n > 0 or day != D, (day, kw)
