"""Application and publication numbers in every spelling; check digits verified."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipobs.sources.numbers import (
    NumberError, application_frame, check_digit, kind_of_publication, parse_application_no, parse_publication_no,
    provisional_patent_id,
)

BODY = "201910012345"
CD = check_digit(BODY)


@pytest.mark.parametrize("text", [
    f"{BODY}.{CD}", f"{BODY}{CD}", f"CN{BODY}.{CD}", f"ZL{BODY}.{CD}", f"ZL {BODY[:4]} {BODY[4]} {BODY[5:]}.{CD}",
    f"cn{BODY}.{CD}", f"ＣＮ{BODY}．{CD}", BODY, f"CN{BODY}", f" {BODY}-{CD} ",
])
def test_application_no_spellings_give_one_patent_id(text):
    a = parse_application_no(text)
    assert a.patent_id == "CN201910012345"
    assert a.kind == "invention"
    assert a.application_no in (f"{BODY}.{CD}", BODY)


def test_check_digit_known_examples():
    # real numbers from ../shared/data/cn-patent-export-sample
    assert check_digit("202223220665") == "2"
    assert check_digit("202121635235") == "X"
    assert parse_application_no("CN202121635235.X").check_verified


def test_check_digit_mismatch_is_an_error():
    wrong = "0" if CD != "0" else "1"
    with pytest.raises(NumberError, match="check digit"):
        parse_application_no(f"CN{BODY}.{wrong}")


@pytest.mark.parametrize("body8, patent_id, kind", [
    ("98123456", "CN199810023456", "invention"),
    ("02234567", "CN200220034567", "utility"),
    ("85100001", "CN198510000001", "invention"),
])
def test_old_eight_digit_numbers_are_widened(body8, patent_id, kind):
    a = parse_application_no(f"{body8}.{check_digit(body8)}")
    assert (a.patent_id, a.kind) == (patent_id, kind)
    assert parse_application_no(body8).patent_id == patent_id


@pytest.mark.parametrize("digit, kind", [("1", "invention"), ("2", "utility"), ("3", "design"), ("8", "invention"),
                                         ("9", "utility")])
def test_kind_digit(digit, kind):
    assert parse_application_no(f"2020{digit}0000001").kind == kind


@pytest.mark.parametrize("text", ["", "abc", "2019100123", "CN20191001234567", "12345"])
def test_not_application_numbers(text):
    with pytest.raises(NumberError):
        parse_application_no(text)


def test_foreign_application_numbers():
    assert parse_application_no("US 16/123,456").patent_id == "US16123456"


@pytest.mark.parametrize("text, norm, kind", [
    ("CN106384768B", "CN106384768B", "invention"), ("CN 106384768 A", "CN106384768A", "invention"),
    ("cn218751475u", "CN218751475U", "utility"), ("CN304218960S", "CN304218960S", "design"),
    ("CN2810109", "CN2810109", "utility"), ("CN3545531", "CN3545531", "design"), ("CN1234567", "CN1234567", "invention"),
    ("106384768B", "CN106384768B", "invention"),
])
def test_publication_numbers(text, norm, kind):
    assert parse_publication_no(text)[0] == norm
    assert kind_of_publication(text) == kind


def test_provisional_id_joins_a_and_b_publications():
    assert provisional_patent_id("CN106384768A") == provisional_patent_id("CN106384768B") == "CNP106384768"


def test_application_frame_parses_each_distinct_value():
    df = application_frame(pd.Series([f"CN{BODY}.{CD}", None, "", "nonsense", f"{BODY}{CD}"]))
    assert df["patent_id"].tolist()[0] == "CN201910012345" and df["patent_id"].tolist()[4] == "CN201910012345"
    assert df["patent_id"].isna().tolist() == [False, True, True, True, False]
    assert df["error"].notna().tolist() == [False, False, False, True, False]


bodies = st.builds(lambda y, k, n: f"{y}{k}{n:07d}", st.integers(2004, 2030), st.sampled_from("12389"),
                   st.integers(0, 9_999_999))


@settings(max_examples=300, deadline=None)
@given(bodies, st.sampled_from(["{b}.{c}", "CN{b}.{c}", "ZL{b}.{c}", "{b}{c}", "{b}", "CN {b}"]))
def test_every_spelling_round_trips(body, spelling):
    a = parse_application_no(spelling.format(b=body, c=check_digit(body)))
    assert a.patent_id == "CN" + body
    again = parse_application_no(a.application_no)
    assert again.patent_id == a.patent_id and again.application_no == a.application_no


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_parsers_raise_only_number_error(text):
    for fn in (parse_application_no, parse_publication_no):
        try:
            fn(text)
        except NumberError:
            pass
