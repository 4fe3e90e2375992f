"""Chinese by default, English by a switch; every label from the catalogs; locale formats."""

from __future__ import annotations

import datetime as dt
import re

from ipobs.web import catalogs, i18n

PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")


def test_every_message_has_a_chinese_translation():
    extracted = {m.id for m in catalogs.extract() if m.id}
    zh = {m.id: m.string for m in catalogs.read("zh") if m.id}
    assert sorted(extracted - set(zh)) == []  # run `python -m ipobs.web.catalogs` to add new messages
    assert sorted(i for i in extracted if not zh[i]) == []


def test_translations_keep_their_placeholders():
    for m in catalogs.read("zh"):
        if m.id and m.string:
            assert sorted(PLACEHOLDER.findall(m.id)) == sorted(PLACEHOLDER.findall(m.string)), m.id


def test_chinese_is_the_default(clients):
    html = clients["anonymous"].get("/about").text
    assert '<html lang="zh-CN">' in html and "关于数据" in html and "About the data" not in html


def test_language_switch_sets_a_cookie_and_changes_labels(web_app):
    from fastapi.testclient import TestClient

    c = TestClient(web_app)
    html = c.get("/about?lang=en").text
    assert '<html lang="en">' in html and "About the data" in html and "关于数据" not in html
    assert c.cookies.get("lang") == "en"
    assert "Records and their dates" in c.get("/about").text  # the cookie keeps it
    assert "数据记录及其日期范围" in c.get("/about?lang=zh").text


def test_json_errors_are_in_the_chosen_language(clients):
    assert clients["anonymous"].get("/patents/CN0.json?lang=en").json()["error"] == "Not found."
    assert clients["anonymous"].get("/patents/CN0.json?lang=zh").json()["error"] == "未找到。"


def test_dates_and_numbers_follow_the_locale():
    i18n.use("zh")
    assert i18n.fmt_date(dt.date(2024, 12, 31)) == "2024年12月31日"
    assert i18n.fmt_number(85123.4, 0) == "85,123"
    assert i18n.fmt_value(31.25, "%") == "31.2%"  # babel rounds half to even
    assert i18n.fmt_percent(0.8) == "80%"
    i18n.use("en")
    assert i18n.fmt_date(dt.date(2024, 12, 31)) == "Dec 31, 2024"
    assert i18n.fmt_value(85000.0, "件", "patents", with_unit=True) == "85,000 patents"
    assert i18n.fmt_value(None) == "—"
    i18n.use("zh")
