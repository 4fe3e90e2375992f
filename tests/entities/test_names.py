"""Name normalization, joint-applicant splitting, entity kinds, grouping keys."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipobs.entities.names import (
    entity_kind, explode_names, group_key, grouping_rule, name_stages, normalize_name, split_names,
)

import pandas as pd


@pytest.mark.parametrize("raw, norm", [
    ("天津南玻节能玻璃有限公司", "天津南玻节能玻璃有限公司"),
    ("  天津 南玻 节能玻璃有限公司 ", "天津南玻节能玻璃有限公司"),
    ("ＴＣＬ奥博（天津）环保发展有限公司", "TCL奥博(天津)环保发展有限公司"),
    ("TCL奥博 ( 天津 ) 环保发展有限公司", "TCL奥博(天津)环保发展有限公司"),
    ("[标]中科大数据研究院", "中科大数据研究院"),
    ("Sony  Co.,  Ltd.", "Sony Co., Ltd."),
    ("；", None),
    ("", None),
])
def test_normalize_name_forms(raw, norm):
    assert normalize_name(raw) == norm


@pytest.mark.parametrize("cell, names", [
    ("甲公司;乙公司", ("甲公司", "乙公司")),
    ("甲公司；乙公司；甲公司", ("甲公司", "乙公司")),
    ("甲公司 | 乙大学", ("甲公司", "乙大学")),
    ("甲公司|乙大学", ("甲公司", "乙大学")),
    ("甲公司、乙大学", ("甲公司", "乙大学")),
    ("甲公司，乙大学", ("甲公司", "乙大学")),
    ("甲公司\n乙大学", ("甲公司", "乙大学")),
    ("Sony Co., Ltd.; Panasonic Corp", ("Sony Co., Ltd.", "Panasonic Corp")),
    ("Sony Co., Ltd., Apple Inc.", ("Sony Co., Ltd.", "Apple Inc.")),
    ("SMITH, John", ("SMITH", "John")),
])
def test_split_names_separators(cell, names):
    assert split_names(cell) == names


@pytest.mark.parametrize("a, b, rule", [
    ("天津南玻节能玻璃有限公司", "天津南玻节能玻璃有限公司", "exact"),
    ("TCL奥博（天津）环保发展有限公司", "TCL奥博(天津)环保发展有限公司", "exact"),
    ("Sony Co., Ltd.", "SONY CO LTD", "case-punct"),
    ("Sony Co.,Ltd", "sony co. ltd.", "case-punct"),
    ("天津南玻节能玻璃有限公司", "天津市南玻节能玻璃有限公司", "place-prefix"),
    ("南玻节能玻璃有限公司", "南玻节能玻璃有限责任公司", "company-form"),
    ("南玻节能玻璃有限公司", "南玻节能玻璃股份有限公司", "company-form"),
    ("Sony Co., Ltd.", "Sony Company Limited", "company-form"),
    ("Sony Co., Ltd.", "SONY INC.", "company-form"),
])
def test_group_key_groups_variants_by_rule(a, b, rule):
    assert group_key(a) == group_key(b)
    assert grouping_rule(normalize_name(b), normalize_name(a)).rule == rule


@pytest.mark.parametrize("a, b", [
    ("天津南玻节能玻璃有限公司", "天津南玻工程玻璃有限公司"),
    ("南开大学", "天津大学"),
    ("王伟", "王伟伟"),
])
def test_group_key_keeps_different_names_apart(a, b):
    assert group_key(a) != group_key(b)


def test_group_key_persons_only_by_exact_name():
    assert group_key("王伟") == "P:王伟"
    assert group_key("王伟") != group_key("王 伟 公司")


@pytest.mark.parametrize("name, kind", [
    ("南开大学", "university"), ("天津职业技术师范大学", "university"), ("中国科学院天津工业生物技术研究所", "institute"),
    ("中国银行股份有限公司天津市分行", "bank"), ("天津市知识产权局", "government"),
    ("北京同辉知识产权代理事务所(普通合伙)", "agency"), ("天津南玻节能玻璃有限公司", "enterprise"),
    ("王小明", "individual"), ("阿卜杜·热合曼", "individual"), ("SMITH, John", "individual"),
    ("SONY CORPORATION", "enterprise"), ("Siemens AG", "enterprise"),
])
def test_entity_kind_from_name(name, kind):
    assert entity_kind(normalize_name(name)) == kind


def test_explode_names_keeps_order_and_source():
    ex = explode_names(pd.Series(["甲公司;乙公司", None, "丙公司"], index=[10, 11, 12]))
    assert ex[["src", "seq", "name"]].values.tolist() == [[10, 1, "甲公司"], [10, 2, "乙公司"], [12, 1, "丙公司"]]


name_text = st.text(alphabet=st.sampled_from(list("天津市滨海新区南玻节能有限责任股份公司（）() ,.;；|、Co.LtdINCabc 　\t１２３")),
                    max_size=40)


@settings(max_examples=300, deadline=None)
@given(name_text)
def test_normalize_name_is_idempotent(raw):
    n = normalize_name(raw)
    assert n is None or normalize_name(n) == n


@settings(max_examples=300, deadline=None)
@given(name_text)
def test_split_names_parts_are_normalized_and_stable(raw):
    parts = split_names(raw)
    for p in parts:
        assert normalize_name(p) == p
    assert split_names(";".join(parts)) == parts or any(";" in p for p in parts)


@settings(max_examples=300, deadline=None)
@given(name_text)
def test_name_stages_are_idempotent(raw):
    n = normalize_name(raw)
    if n:
        key = name_stages(n)[-1]
        assert group_key(n) == group_key(normalize_name(n))
        assert isinstance(key, str)


@settings(max_examples=300, deadline=None)
@given(st.lists(name_text, min_size=1, max_size=5))
def test_vectorized_rules_agree_with_scalar_rules(cells):
    from ipobs.entities.names import _arrow, kinds_arrow, normalize_names_arrow, stages_arrow

    ex = explode_names(pd.Series(cells))
    expected = [(i, n) for i, c in enumerate(cells) for n in split_names(c)]
    assert list(zip(ex["src"], ex["name"])) == expected
    names = [n for _, n in expected]
    if names:
        arr = normalize_names_arrow(_arrow(names))
        assert arr.to_pylist() == names
        st_ = [a.to_pylist() for a in stages_arrow(arr)]
        kinds = kinds_arrow(arr)
        for i, n in enumerate(names):
            assert tuple(s[i] for s in st_) == name_stages(n)
            assert kinds[i] == entity_kind(n)
