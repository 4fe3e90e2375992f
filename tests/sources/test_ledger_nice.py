"""The shipped Nice classes are the shared classification table, generated, not typed."""

from __future__ import annotations

import pytest

from ipobs.sources import nice


@pytest.mark.shared_data
def test_nice_shipped_table_is_built_from_shared_file(shared_data, tmp_path):
    src = shared_data / "cn-trademark-nice-classification" / "category.csv"
    dest = tmp_path / "nice.csv"
    assert nice.write(src, dest) == 45
    shipped = nice.Path(nice.__file__).with_name(nice.DATA_FILE).read_text(encoding="utf-8")
    assert dest.read_text(encoding="utf-8") == shipped


def test_nice_classes_are_1_to_45():
    c = nice.classes()
    assert sorted(c) == list(range(1, 46))
    assert (c[9].name, c[45].name) == ("第九类", "第四十五类")
    assert c[35].heading.startswith("广告")


@pytest.mark.parametrize("value, number", [(9, 9), ("9", 9), ("09", 9), ("第9类", 9), ("第九类", 9), ("9类", 9),
                                           ("09 科学仪器", 9), (45.0, 45), ("45.0", 45), (None, None), ("", None)])
def test_nice_parse_accepts(value, number):
    assert nice.parse_class(value) == (number, None)


@pytest.mark.parametrize("value, why", [(0, "Nice class 0 does not exist (classes are 1–45)"),
                                        (46, "Nice class 46 does not exist (classes are 1–45)"),
                                        ("第四十六类", "'第四十六类' is not a Nice class (write 1–45, e.g. 9 or 第9类)"),
                                        (9.5, "9.5 is not a whole class number"), (True, "True is not a Nice class")])
def test_nice_parse_rejects_with_reason(value, why):
    assert nice.parse_class(value) == (None, why)
