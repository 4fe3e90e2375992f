"""Reference data: the committed derived files equal what the shared sources give; lookups behave."""

from __future__ import annotations

import gzip
from importlib import resources

import pytest

from ipobs.analytics import reference as ref


@pytest.mark.shared_data
def test_reference_files_match_shared_sources(shared_data):
    from ipobs.analytics.data.build_reference import derive

    derived = derive(shared_data)
    for name, data in derived.items():
        stored = resources.files("ipobs.analytics").joinpath("data", name if name.endswith("industries.tsv") else name + ".gz")
        raw = stored.read_bytes()
        if not name.endswith("industries.tsv"):
            raw = gzip.decompress(raw)
        assert raw == data, f"{name} differs from the shared sources: run src/ipobs/analytics/data/build_reference.py"


def test_reference_sei_counts_match_source_description():
    clf = ref.sei_classifier()
    assert len(ref.sei_rules()) == 321
    assert sum(len(v) for v in clf.exact.values()) == 34_598
    assert len(ref.sei_categories()) == 40
    assert len(ref.sei_industries()) == 9


def test_reference_sei_classifies_ai_and_misses_semiconductors():
    codes = {ref.sei_rules()[r].sei_code for r in ref.sei_classifier().classify(["G06N3/08"])}
    assert "1.5" in codes  # 人工智能
    assert ref.sei_classifier().classify(["H01L21/02", "H10K50/00"]) == set()
    assert ref.in_sei_gap("H01L21/02") and ref.in_sei_gap("H10B10/00") and not ref.in_sei_gap("G06N3/08")


def test_reference_sei_wildcard_and_keyword_conditions():
    rules = {1: ref.SeiRule(1, "9.9", "测试", "锂电池制造；不包括铅酸电池。", ("锂电池",), ("铅酸电池",))}
    clf = ref.SeiClassifier(rules)
    clf.add("H01M*", 1)
    assert clf.classify(["H01M10/052"]) == {1}
    assert clf.classify(["H01M10/052"], "一种锂电池", mode="keywords") == {1}
    assert clf.classify(["H01M10/052"], "一种铅酸电池和锂电池", mode="keywords") == set()
    assert clf.classify(["H01M10/052"], "一种电容器", mode="keywords") == set()
    with pytest.raises(ValueError, match="mode"):
        clf.classify(["H01M10/052"], mode="fuzzy")


def test_reference_parse_keywords_drops_placeholders_and_reads_exclusions():
    assert ref.parse_keywords("汽车相关关键词。") == ((), ())
    terms, excluded = ref.parse_keywords("光纤制造；显示器件制造。不包括航天相关设备制造。")
    assert "光纤" in terms and "显示器件" in terms and excluded == ("航天相关",)


@pytest.mark.parametrize("code, field", [("A61K31/00", 16), ("A61K8/02", 14), ("G06F17/30", 6), ("H01L21/02", 8),
                                         ("H10K50/00", 8), ("LOC14-03", None), (None, None)])
def test_reference_wipo_field_longest_match(code, field):
    assert ref.wipo_field(code) == field


def test_reference_ipc_titles_fall_back_across_editions():
    assert ref.ipc_title("G06F17/30", "zh").startswith("特别适用于特定功能的数字计算设备")
    assert ref.ipc_title("H01L21/02", "zh").startswith("Processes or apparatus")  # no H01L in the 2026 Chinese edition
    assert ref.ipc_title("H10B10/00", "en") == "静态随机存取存储器（SRAM）"  # no H10 in the ≈2020 English edition
    assert ref.ipc_title("Z99Z1/00") == ""


def test_reference_region_names():
    assert ref.region_name("120116Z4") == "天津经济技术开发区"
    assert ref.region_name("44") == "广东省"
    assert ref.region_name("120116", "en") == "Binhai New Area"
    assert ref.region_name(None) == "未知"
