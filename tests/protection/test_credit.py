import datetime as dt

import pytest

from ipobs.protection import check, entries, public_view
from ipobs.protection.credit import mask_name, rules

D = dt.date(2021, 6, 30)


@pytest.mark.parametrize("name", ["天津市失信科技有限公司", "天津失信科技有限公司", "天津市失信科技有限公司 ",
                                  "天津市失信科技股份有限公司", "91120116MA05XXXX1A"])
def test_credit_check_finds_name_variants_and_uscc(pstore, name):
    r = check(pstore, name, D, "pledge")
    assert r.listed and list(r.entries["entry_id"]) == ["K1"]


def test_credit_check_clear_for_unlisted_name(pstore):
    r = check(pstore, "天津权利人科技有限公司", D, "subsidy")
    assert not r.listed and r.entries.empty


def test_credit_check_expired_entry_does_not_bar(pstore):
    r = check(pstore, "过期商贸有限公司", D, "award")
    assert not r.listed and list(r.other_entries["entry_id"]) == ["K2"]
    assert check(pstore, "过期商贸有限公司", dt.date(2019, 6, 1), "award").listed


def test_credit_check_before_sanction_starts_is_clear(pstore):
    assert not check(pstore, "天津市失信科技有限公司", dt.date(2020, 5, 31)).listed
    assert check(pstore, "天津市失信科技有限公司", dt.date(2023, 5, 31)).listed  # end date inclusive
    assert not check(pstore, "天津市失信科技有限公司", dt.date(2023, 6, 1)).listed


def test_credit_check_bad_purpose_and_empty_name(pstore):
    with pytest.raises(ValueError, match="unknown purpose"):
        check(pstore, "x", D, "loan")
    with pytest.raises(ValueError, match="give a name"):
        check(pstore, "  ", D)


def test_credit_joint_only_purpose_rule(pstore, monkeypatch):
    r = dict(rules())
    r["purposes"] = {**r["purposes"], "pledge": {"reasons": "all", "joint_only": True}}
    monkeypatch.setattr("ipobs.protection.credit.rules", lambda: r)
    assert check(pstore, "天津市失信科技有限公司", D).listed  # joint punishment
    assert not check(pstore, "李四", D).listed  # not flagged for joint punishment


def test_public_view_only_public_in_force_and_masks_persons(pstore):
    pub = entries(pstore, D, public=True)
    assert set(pub["entry_id"]) == {"K1", "K3"}  # K2 expired, K4 not published
    person = pub.set_index("entry_id").loc["K3"]
    assert person["name"] == "李*" and person["decision_no"] is None and person["uscc"] is None
    firm = pub.set_index("entry_id").loc["K1"]
    assert firm["name"] == "天津市失信科技有限公司" and firm["uscc"] == "91120116MA05XXXX1A"
    assert list(pub.columns) == list(rules()["public"]["fields"])
    assert "public" not in pub.columns and "entity_id" not in pub.columns


def test_internal_view_keeps_unpublished_entries(pstore):
    internal = entries(pstore, D)
    assert set(internal["entry_id"]) == {"K1", "K3", "K4"}
    assert "李四" in set(internal["name"])


def test_public_view_of_nothing_is_empty():
    assert public_view(None).empty


def test_mask_name():
    assert mask_name("王小明") == "王**" and mask_name("李") == "李*"
