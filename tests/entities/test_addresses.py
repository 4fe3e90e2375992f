"""Addresses → regions: province / city / district anywhere, zones and streets inside Binhai."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipobs.entities.addresses import combine, is_within, locate, locate_many
from ipobs.entities.divisions import divisions
from ipobs.entities.regions import regions


@pytest.mark.parametrize("address, code", [
    ("300457天津市滨海新区经济技术开发区第三大街1号", "120116Z4"),
    ("天津开发区洞庭路2号", "120116Z4"),
    ("天津开发区泰达街道洞庭路2号", "120116014"),
    ("天津市滨海新区中新天津生态城中成大道", "120116406"),
    ("天津滨海高新区华苑产业区海泰西路18号", "120116Z6"),
    ("天津自贸试验区（东疆保税港区）亚洲路", "120116403"),
    ("天津市塘沽区杭州道", "120116005"),
    ("天津市滨海新区大港街道", "120116051"),
    ("天津市南开区卫津路94号", "120104"),
    ("天津市西青经济技术开发区", "120111"),
    ("天津市蓟县", "120119"),
    ("天津市", "12"),
    ("450000河南省郑州市郑东新区中道东路6号", "4101"),
    ("河南省郑州市金水区花园路", "410105"),
    ("郑州市金水区花园路", "410105"),
    ("中国北京市海淀区中关村大街", "110108"),
    ("广东省深圳市南山区科技园", "440305"),
    ("内蒙古自治区包头市昆都仑区", "150203"),
    ("广西南宁市青秀区", "450103"),
])
def test_locate_addresses(address, code):
    assert locate(address) == code


@pytest.mark.parametrize("address", ["东京都港区", "California, USA", "香港九龙尖沙咀", "某某路1号", "", None])
def test_locate_unmatched_is_none_not_a_guess(address):
    assert locate(address) is None


def test_locate_codes_exist_in_reference_tables():
    known = set(divisions()) | set(regions())
    for a in ["天津市滨海新区经济技术开发区", "河南省郑州市金水区", "天津开发区泰达街道"]:
        assert locate(a) in known


def test_combine_prefers_consistent_finer_hint():
    assert combine("12", "120116") == "120116"
    assert combine("120116", "12") == "120116"
    assert combine("4101", "120116") == "4101"  # inconsistent hint: the address wins
    assert combine(None, "120116") == "120116"
    assert is_within("120116005", "120116Z1") and is_within("120116005", "12")


def test_locate_many_uses_vendor_hints_once_per_value():
    codes = locate_many(pd.Series(["天津市某某路1号", None, "河南省郑州市"]),
                        pd.Series(["天津市滨海新区", "天津市南开区", None]))
    assert codes.tolist() == ["120116", "120104", "4101"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("天津市滨海新区开发区河南省郑州金水北京海淀路号0123456789（）() -,，")), max_size=40))
def test_locate_never_raises_and_returns_known_codes(text):
    code = locate(text)
    assert code is None or code in divisions() or code in regions()
