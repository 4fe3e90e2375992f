import pytest

from ipobs.protection.limits import LimitsError, load_limits
from ipobs.records.schema import ENUMS


def test_limits_cover_every_case_kind_with_a_source():
    limits = load_limits()
    assert set(limits) == set(ENUMS["case_kind"])
    assert all(x.source for x in limits.values())
    assert limits["civil"].certain and not limits["admin_patent_dispute"].certain


def test_limits_override_replaces_a_kind(tmp_path):
    f = tmp_path / "o.yaml"
    f.write_text("preexam: {limit: 5, unit: days, basis: working, runs_from: received, source: local rule}\n",
                 encoding="utf-8")
    limits = load_limits(f)
    assert limits["preexam"].limit == 5 and limits["civil"].limit == 6


@pytest.mark.parametrize("text,words", [
    ("bogus_kind: {limit: 5, unit: days, basis: working, runs_from: received, source: s}", "unknown case kind"),
    ("civil: {limit: 5, unit: weeks, basis: calendar, runs_from: received, source: s}", "unit 'weeks'"),
    ("civil: {limit: -1, unit: days, basis: calendar, runs_from: received, source: s}", "limit must be"),
    ("civil: {limit: 2, unit: months, basis: working, runs_from: received, source: s}", "months cannot"),
    ("civil: {limit: 2, unit: days, basis: calendar}", "missing runs_from, source"),
])
def test_bad_limits_file_names_file_kind_and_key(tmp_path, text, words):
    f = tmp_path / "bad.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(LimitsError) as e:
        load_limits(f)
    assert str(f) in str(e.value) and words in str(e.value)


def test_limits_env_override(tmp_path, monkeypatch):
    f = tmp_path / "o.yaml"
    f.write_text("civil: {limit: 12, unit: months, basis: calendar, runs_from: received, source: s}\n",
                 encoding="utf-8")
    monkeypatch.setenv("IPOBS_CASE_LIMITS", str(f))
    assert load_limits()["civil"].limit == 12
