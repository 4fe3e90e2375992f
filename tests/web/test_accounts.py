"""Accounts: argon2 hashes, hashed session tokens, expiry, disabling, and the redaction policy."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest

from ipobs.web.accounts import AccountError, Accounts, User
from ipobs.web.policy import WITHHELD, redact_frame
from tests.web.conftest import FAST_HASHER


@pytest.fixture()
def accounts(tmp_path):
    a = Accounts(tmp_path / "a.sqlite")
    a.use_hasher(FAST_HASHER)
    a.add("li", "officer", "long-enough-1", department="market")
    yield a
    a.close()


def test_passwords_and_tokens_are_not_stored_in_clear(accounts, tmp_path):
    token, _ = accounts.start_session(accounts.verify("li", "long-enough-1", "ip"))
    dump = "\n".join(sqlite3.connect(tmp_path / "a.sqlite").iterdump())
    assert "long-enough-1" not in dump and token not in dump
    assert "$argon2id$" in dump


def test_session_gives_the_user_and_its_csrf_token(accounts):
    token, user = accounts.start_session(User("li", "officer", "market"))
    again = accounts.session_user(token)
    assert (again.name, again.role, again.department, again.csrf) == ("li", "officer", "market", user.csrf)
    accounts.end_session(token)
    assert accounts.session_user(token) is None


def test_sessions_expire(tmp_path):
    a = Accounts(tmp_path / "b.sqlite", session_hours=-1)
    a.use_hasher(FAST_HASHER)
    a.add("wang", "analyst", "long-enough-1")
    token, _ = a.start_session(User("wang", "analyst"))
    assert a.session_user(token) is None


def test_disabling_or_demoting_ends_sessions(accounts):
    token, _ = accounts.start_session(User("li", "officer", "market"))
    accounts.update("li", role="analyst")
    assert accounts.session_user(token) is None
    accounts.update("li", active=False)
    assert accounts.verify("li", "long-enough-1", "ip") is None


@pytest.mark.parametrize("name,role,password,department,message", [
    ("li", "analyst", "long-enough-1", None, "already exists"),
    ("has space", "analyst", "long-enough-1", None, "without spaces"),
    ("zhao", "analyst", "short", None, "at least 8"),
    ("zhao", "officer", "long-enough-1", None, "needs --department"),
])
def test_bad_accounts_are_refused(accounts, name, role, password, department, message):
    with pytest.raises(AccountError, match=message):
        accounts.add(name, role, password, department=department)


def test_redaction_blanks_every_text_column_of_a_person_row():
    df = pd.DataFrame([
        {"case_id": "C1", "respondent": "张三", "name": "张三", "findings": 2, "is_person": True, "department": "market"},
        {"case_id": "C2", "respondent": "E-1", "name": "某公司", "findings": 3, "is_person": False,
         "department": "market"},
    ])
    public, _ = redact_frame(df, User(None, "public"))
    assert public.to_dict(orient="records")[0] == {"case_id": "C1", "respondent": WITHHELD, "name": WITHHELD,
                                                   "findings": 2, "is_person": True, "department": "market"}
    assert public.iloc[1]["name"] == "某公司"
    officer, _ = redact_frame(df, User("li", "officer", "market"))
    assert officer.iloc[0]["name"] == "张三"
    other, _ = redact_frame(df, User("wu", "officer", "sci"))
    assert other.iloc[0]["name"] == WITHHELD


def test_redaction_drops_unpublished_credit_entries_and_counts_them():
    df = pd.DataFrame([
        {"entry_id": "A", "name": "甲", "public": False, "source_department": "market"},
        {"entry_id": "B", "name": "乙", "public": True, "source_department": "market"},
    ])
    shown, withheld = redact_frame(df, User(None, "public"))
    assert list(shown["entry_id"]) == ["B"] and withheld == 1
    shown, withheld = redact_frame(df, User("li", "officer", "market"))
    assert list(shown["entry_id"]) == ["A", "B"] and withheld == 0
