"""IPC and Locarno codes in any common spelling → one form."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipobs.sources.ipc import ipc_codes, ipc_codes_fast, locarno_codes, normalize_ipc, subclass


@pytest.mark.parametrize("cell, codes", [
    ("G06F 17/30", ("G06F17/30",)),
    ("G06F17/30", ("G06F17/30",)),
    ("g06f17/30", ("G06F17/30",)),
    ("G06F0017300000", ("G06F17/30",)),
    ("H04L0029060000", ("H04L29/06",)),
    ("A61K0031000000", ("A61K31/00",)),
    ("G06F 17/30(2006.01)", ("G06F17/30",)),
    ("H04L 29/06 20060101", ("H04L29/06",)),
    ("G06F17/30;H04L29/06", ("G06F17/30", "H04L29/06")),
    ("G06F17/30；H04L29/06，A61K31/00", ("G06F17/30", "H04L29/06", "A61K31/00")),
    ("G06F17/30 | H04L29/06", ("G06F17/30", "H04L29/06")),
    ("G06F17/30\nH04L29/06", ("G06F17/30", "H04L29/06")),
    ("Ｇ０６Ｆ　１７／３０", ("G06F17/30",)),
    ("B64U20/80;B64U101/30", ("B64U20/80", "B64U101/30")),
    ("G06F18/2321", ("G06F18/2321",)),
    ("G06F17/30;G06F17/30", ("G06F17/30",)),
    ("G06F", ("G06F",)),
    ("G06", ()),
    ("", ()),
])
def test_ipc_spellings(cell, codes):
    assert ipc_codes(cell) == codes


@pytest.mark.parametrize("cell, codes", [
    ("14-03", ("LOC14-03",)), ("LOC(12) Cl. 14-03", ("LOC14-03",)), ("11-", ("LOC11",)), ("9-01；14－03", ("LOC09-01", "LOC14-03")),
])
def test_locarno(cell, codes):
    assert locarno_codes(cell) == codes


def test_subclass():
    assert subclass("G06F17/30") == "G06F" and subclass("LOC14-03") == "LOC14"
    assert normalize_ipc("nothing") is None


codes = st.builds(lambda s, c, sc, g, sg: f"{s}{c:02d}{sc}{g}/{sg}", st.sampled_from("ABCDEFGH"), st.integers(1, 99),
                  st.sampled_from("ABCDFGHKLMNQ"), st.integers(1, 999), st.sampled_from(["00", "02", "30", "302", "1234"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(codes, min_size=1, max_size=4), st.sampled_from([";", "；", " | ", "\n", ",", " "]),
       st.booleans())
def test_normalization_is_idempotent(cs, sep, spaced):
    cell = sep.join(c.replace("/", " /") if spaced else c for c in cs)
    norm = ipc_codes(cell)
    assert norm == ipc_codes(";".join(norm))
    assert len(norm) == len(dict.fromkeys(cs))


_IPC_PARTS = st.sampled_from(["G06F", "g06f", "Ｇ０６Ｆ", "H04L", "A61K", "17/30", "29/06", "0017300000", " ", "\n", ";",
                              "；", ",", "，", "|", "｜", "/", "(2006.01)", "20060101", "X", "1", "LOC(12) Cl.", "14-03"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_IPC_PARTS, max_size=12).map("".join))
def test_ipc_codes_fast_equals_reference(cell):
    """The per-item cached parser gives exactly what the whole-cell parser gives."""
    assert ipc_codes_fast(cell) == ipc_codes(cell)
