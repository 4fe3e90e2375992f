import datetime as dt

from ipobs.indicators import compute, records, registry
from ipobs.indicators.settings import Settings

D = dt.date(2021, 6, 30)


def test_protection_indicators_are_registered():
    reg = registry()
    for i in ("median_handling_days", "fast_track_cycle_days", "cases_received", "serial_infringement",
              "on_time_closure_rate", "avg_handling_days", "repeat_infringers"):
        assert i in reg and reg[i].rows is not None


def test_median_handling_days(pstore):
    v = compute(pstore, "median_handling_days", D)
    # closed by 06-30: A1 86 days, A8 9 days, A2 129 days → median 86
    assert v.value == 86 and v.parts["cases"] == 3


def test_fast_track_cycle_days(pstore):
    v = compute(pstore, "fast_track_cycle_days", D)
    assert v.value == 9 and v.parts["fast_enforce"] == 1 and v.parts["preexam"] == 0


def test_cases_received_by_kind_and_right(pstore):
    v = compute(pstore, "cases_received", D)
    assert v.value == 8 and v.parts["kind_admin_trademark"] == 2 and v.parts["right_copyright"] == 1
    df, total = records(pstore, "cases_received", D)
    assert total == 8 and "internal_note" not in df.columns


def test_serial_infringement_one_holder_many_respondents(pstore):
    v = compute(pstore, "serial_infringement", D)
    assert v.value == 1
    df, _ = records(pstore, "serial_infringement", D)
    row = df.iloc[0]
    assert row["right_no"] == "CN202010000001" and row["respondents"] == 4 and row["cases"] == 4
    strict = compute(pstore, "serial_infringement", D, settings=Settings.of(serial_min_respondents=5))
    assert strict.value == 0


def test_repeat_infringer_found_through_name_entity(pstore):
    v = compute(pstore, "repeat_infringers", D)
    # 天津市侵权贸易有限公司 (A1) and 侵权贸易有限公司 (A2) are named differently: without resolved
    # entity ids they count apart, so no repeat infringer yet
    assert v.value == 0
    wide = compute(pstore, "repeat_infringers", D, settings=Settings.of(repeat_min_findings=1))
    assert wide.value == 3
