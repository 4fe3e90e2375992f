"""A tiny protection ledger: cases with extensions and suspensions, parties, credit entries,
pledges over patents with a legal-status history, and finance records."""

from __future__ import annotations

import pandas as pd
import pytest

from ipobs.records.batch import RecordBatch

AS_OF = "2021-06-30"


def _df(rows, cols):
    return pd.DataFrame(rows, columns=cols)


def batches() -> list[RecordBatch]:
    case_cols = ["case_id", "kind", "ip_right", "department", "right_no", "received_date", "accepted_date",
                 "deadline_date", "closed_date", "outcome", "region_code", "internal_note"]
    cases = _df([
        # 3 months from acceptance 2021-01-10 → 2021-04-10; closed in time
        ("A1", "admin_patent_dispute", "patent", "区知识产权局", "CN202010000001", "2021-01-05", "2021-01-10", None,
         "2021-04-01", "infringement_found", "120116Z6", "内部备注甲"),
        # 3 months from 2021-02-01 → 2021-05-01, +30 extension → 2021-05-31, closed 06-10: late
        ("A2", "admin_patent_dispute", "patent", "区知识产权局", "CN202010000001", "2021-02-01", "2021-02-01", None,
         "2021-06-10", "infringement_found", "120116Z6", None),
        # open; 90 days from 2021-03-01 → 2021-05-30; overdue at 06-30
        ("A3", "admin_trademark", "trademark", "区市场监管局", "TM100", "2021-03-01", "2021-03-01", None, None, None,
         "120116001", None),
        # open; suspended 20 days: 90 from 04-15 → 07-14 (+20 → 08-03); due within 40 days at 06-30
        ("A4", "admin_trademark", "trademark", "区市场监管局", "TM100", "2021-04-15", "2021-04-15", None, None, None,
         "120116001", None),
        # pre-examination: 10 working days from Fri 2021-06-25 → Fri 2021-07-09; due soon
        ("A5", "preexam", "patent", "保护中心", None, "2021-06-25", None, None, None, None, "120116Z6", None),
        # ledger deadline wins over the rule: 2021-06-20, open → overdue
        ("A6", "civil", "patent", "区法院", "CN202010000001", "2021-01-04", "2021-01-04", "2021-06-20", None, None,
         "120116Z6", None),
        # suspended without days, not resumed: the deadline moves with the date asked about
        ("A7", "mediation", "copyright", "区司法局", None, "2021-05-01", None, None, None, None, "120116Z6", None),
        # complainant H sues 3 respondents over CN202010000001
        ("A8", "fast_enforce", "patent", "保护中心", "CN202010000001", "2021-05-01", None, None, "2021-05-10",
         "infringement_found", "120116Z6", None),
    ], case_cols)
    party = _df([
        ("A1", "complainant", 1, "天津权利人科技有限公司", None, False),
        ("A1", "respondent", 1, "天津市侵权贸易有限公司", None, False),
        ("A2", "complainant", 1, "天津权利人科技有限公司", None, False),
        ("A2", "respondent", 1, "侵权贸易有限公司", None, False),
        ("A6", "complainant", 1, "天津权利人科技有限公司", None, False),
        ("A6", "respondent", 1, "张三", None, True),
        ("A8", "complainant", 1, "天津权利人科技有限公司", None, False),
        ("A8", "respondent", 1, "第三方电子商务有限公司", None, False),
        ("A3", "respondent", 1, "仿冒商行", None, False),
    ], ["case_id", "side", "seq", "name", "entity_id", "is_person"])
    events = _df([
        ("A2", "2021-04-20", "extended", 30, "经批准延长"),
        ("A4", "2021-05-01", "suspended", 20, "中止"),
        ("A7", "2021-05-20", "suspended", None, "等待鉴定"),
        ("A3", "2021-07-15", "extended", 30, "事后延长（统计日之后）"),
    ], ["case_id", "event_date", "status", "days", "note"])
    credit = _df([
        ("K1", "天津市失信科技有限公司", "91120116MA05XXXX1A", "abnormal_patent_application", "津知信〔2020〕1号",
         "2020-06-01", "2020-06-01", "2023-05-31", "区知识产权局", True, True),
        ("K2", "过期商贸有限公司", None, "malicious_trademark", "津知信〔2018〕2号", "2018-01-01", "2018-01-01",
         "2019-12-31", "区市场监管局", False, True),
        ("K3", "李四", None, "refused_execution", "津知信〔2021〕3号", "2021-01-01", "2021-01-01", None,
         "区知识产权局", False, True),
        ("K4", "内部名单有限公司", None, "false_materials", "津知信〔2021〕4号", "2021-02-01", "2021-02-01", None,
         "区知识产权局", False, False),
    ], ["entry_id", "name", "uscc", "reason", "decision_no", "decision_date", "start_date", "end_date",
        "source_department", "joint_punishment", "public"])
    patents = _df([
        ("CN202010000001", "CN202010000001.X", "invention", "一种装置", "2020-01-01", "CN", "120116Z6"),
        ("CN202010000002", "CN202010000002.X", "invention", "一种方法", "2020-01-01", "CN", "120116Z6"),
    ], ["patent_id", "application_no", "kind", "title", "filing_date", "office", "region_code"])
    pev = _df([
        ("CN202010000001", "2020-01-01", "filed", "pending"), ("CN202010000001", "2020-12-01", "granted", "granted"),
        ("CN202010000002", "2020-01-01", "filed", "pending"), ("CN202010000002", "2021-03-01", "granted", "granted"),
    ], ["patent_id", "event_date", "event", "status_after"])
    pledges = _df([
        ("P1", "天津权利人科技有限公司", "某银行", "patent", 5_000_000.0, "2021-02-01", None, "120116Z6"),
        ("P2", "天津权利人科技有限公司", "某银行", "mixed", 2_000_000.0, "2021-01-15", None, "120116Z6"),
        ("P3", "另一公司", "某银行", "patent", 1_000_000.0, "2020-05-01", "2021-05-01", "120116Z6"),
    ], ["pledge_id", "pledgor", "pledgee", "right_kind", "amount_yuan", "registration_date", "release_date",
        "region_code"])
    rights = _df([("P1", "CN202010000001", "patent"), ("P2", "CN202010000002", "patent"), ("P2", "TM100", "trademark"),
                  ("P3", "CN209999999999", "patent")], ["pledge_id", "right_no", "right_kind"])
    insurance = _df([
        ("I1", "天津权利人科技有限公司", "某保险", "专利执行险", 1_000_000.0, 5000.0, "2020-03-01", "120116Z6"),
        ("I2", "天津权利人科技有限公司", "某保险", "专利执行险", 1_500_000.0, 6000.0, "2021-03-01", "120116Z6"),
    ], ["policy_id", "insured", "insurer", "product", "amount_yuan", "premium_yuan", "start_date", "region_code"])
    txns = _df([
        ("T1", "offer", "patent", "CN202010000001", "天津权利人科技有限公司", None, None, "2021-03-01", "120116Z6"),
        ("T2", "license", "patent", "CN202010000002", "天津权利人科技有限公司", "乙公司", 300000.0, "2021-04-01",
         "120116Z6"),
    ], ["txn_id", "kind", "right_kind", "right_no", "from_party", "to_party", "amount_yuan", "txn_date",
        "region_code"])
    return [
        RecordBatch("patents", {"patent": patents, "patent_event": pev}, label="tiny patents"),
        RecordBatch("cases", {"ip_case": cases, "case_party": party, "case_event": events}, label="tiny cases"),
        RecordBatch("credit", {"credit_entry": credit}, label="tiny credit"),
        RecordBatch("pledges", {"pledge": pledges, "pledge_right": rights}, label="tiny pledges"),
        RecordBatch("insurance", {"insurance": insurance}, label="tiny insurance"),
        RecordBatch("transactions", {"ip_transaction": txns}, label="tiny transactions"),
    ]


@pytest.fixture(scope="session")
def pstore(tmp_path_factory):
    """The tiny ledger in one store for the session (tests only read it)."""
    from ipobs.store import open_store

    store = open_store(tmp_path_factory.mktemp("protection") / "p.duckdb")
    for b in batches():
        res = store.import_batch(b)
        assert not res.rejected, res.message
    yield store
    store.close()
