"""A tiny hand-made region: every record is written out so expected values can be checked by eye.

Regions: 120116001 (a Tanggu street, zone 120116Z1), 120116Z6 (hi-tech zone), 120101 (Heping,
outside Binhai). Dates are chosen around 2020-12-31 and 2021-12-31.
"""

from __future__ import annotations

import pandas as pd

from ipobs.records.batch import RecordBatch

# patent_id, kind, filing, grant, region, domestic, industry, pct, pct_date, foreign_family, title
PATENTS = [
    ("CN200810000001", "invention", "2008-03-01", "2010-05-01", "120116001", True, "nev", False, None, False, "一种电池"),
    ("CN201910000002", "invention", "2019-02-01", "2020-06-01", "120116Z6", True, "next_gen_it", True, "2019-03-01", True, "一种芯片"),
    ("CN202010000003", "invention", "2020-01-10", "2021-03-01", "120116001", True, "nev", False, None, False, "一种电机"),
    ("CN202010000004", "invention", "2020-02-10", None, "120116Z6", True, "next_gen_it", True, "2020-04-01", False, "一种算法"),
    ("CN202020000005", "utility", "2020-03-01", "2020-08-01", "120116001", True, "smart_manufacturing", False, None, False, "一种夹具"),
    ("CN202020000006", "utility", "2020-04-01", "2020-09-01", "120116Z6", True, "smart_manufacturing", False, None, False, "一种支架"),
    ("CN202030000007", "design", "2020-05-01", "2020-10-01", "120116Z6", True, "culture_creative", False, None, False, "玩具"),
    ("CN202010000008", "invention", "2020-06-01", "2020-12-01", "120116Z6", False, "next_gen_it", False, None, False, "外资芯片"),
    ("CN202010000009", "invention", "2020-07-01", "2020-11-01", "120101", True, "nev", False, None, False, "区外电池"),
    ("CN202120000010", "utility", "2021-02-01", "2021-06-01", "120116001", True, "nev", False, None, False, "一种充电桩"),
    ("CN202110000011", "invention", "2021-03-01", None, "120116001", True, "life_health", False, None, False, "一种药物"),
    ("CN202130000012", "design", "2021-04-01", None, "120116Z6", True, "culture_creative", False, None, False, "灯具"),
]

# patent_id, date, event, status_after
EVENTS = [
    ("CN200810000001", "2008-03-01", "filed", "pending"), ("CN200810000001", "2010-05-01", "granted", "granted"),
    ("CN201910000002", "2019-02-01", "filed", "pending"), ("CN201910000002", "2020-06-01", "granted", "granted"),
    ("CN201910000002", "2020-07-01", "pledged", None),
    ("CN202010000003", "2020-01-10", "filed", "pending"), ("CN202010000003", "2021-03-01", "granted", "granted"),
    ("CN202010000004", "2020-02-10", "filed", "pending"),
    ("CN202020000005", "2020-03-01", "filed", "pending"), ("CN202020000005", "2020-08-01", "granted", "granted"),
    ("CN202020000005", "2021-08-01", "lapsed", "lapsed"),
    ("CN202020000006", "2020-04-01", "filed", "pending"), ("CN202020000006", "2020-09-01", "granted", "granted"),
    ("CN202020000006", "2020-11-01", "lapsed", "lapsed"), ("CN202020000006", "2021-01-15", "restored", "granted"),
    ("CN202030000007", "2020-05-01", "filed", "pending"), ("CN202030000007", "2020-10-01", "granted", "granted"),
    ("CN202010000008", "2020-06-01", "filed", "pending"), ("CN202010000008", "2020-12-01", "granted", "granted"),
    ("CN202010000009", "2020-07-01", "filed", "pending"), ("CN202010000009", "2020-11-01", "granted", "granted"),
    ("CN202120000010", "2021-02-01", "filed", "pending"), ("CN202120000010", "2021-06-01", "granted", "granted"),
    ("CN202110000011", "2021-03-01", "filed", "pending"),
    ("CN202130000012", "2021-04-01", "filed", "pending"),
]

IPC = [("CN200810000001", "H01M10/0525"), ("CN201910000002", "G06F17/30"), ("CN202010000003", "A01B1/02"),
       ("CN202010000004", "G06N3/08"), ("CN202020000005", "B25J15/00"), ("CN202020000006", "B25J11/00"),
       ("CN202030000007", "LOC21-01"), ("CN202010000008", "G06F9/00"), ("CN202010000009", "H01M4/00"),
       ("CN202120000010", "B60L53/00"), ("CN202110000011", "A61K31/00"), ("CN202130000012", "LOC26-05")]

# trademarks: reg_no, class, owner, region, applied, registered, expiry, status, madrid, well_known, gi
MARKS = [
    ("TM1", 9, "甲公司", "120116001", "2018-01-01", "2019-01-01", "2029-01-01", "registered", False, True, False),
    ("TM2", 35, "甲公司", "120116001", "2019-06-01", "2020-06-01", "2030-06-01", "registered", True, False, False),
    ("TM3", 29, "乙合作社", "120116Z6", "2019-07-01", "2020-07-01", "2030-07-01", "registered", False, False, True),
    ("TM4", 9, "丙公司", "120116Z6", "2020-03-01", "2021-03-01", "2031-03-01", "registered", True, False, False),
    ("TM5", 42, "丁公司", "120116Z6", "2010-01-01", "2011-01-01", "2021-01-01", "expired", False, False, False),
    ("TM6", 9, "戊公司", "120101", "2019-01-01", "2020-01-01", "2030-01-01", "registered", False, False, False),
    ("TM7", 3, "己公司", "120116001", "2021-02-01", None, None, "pending", True, False, False),
]
# TM2 is cancelled in 2021 (an event), TM1 has no events (dates decide).
MARK_EVENTS = [
    ("TM2", 35, "2020-06-01", "registered"), ("TM2", 35, "2021-09-01", "cancelled"),
    ("TM3", 29, "2020-07-01", "registered"), ("TM4", 9, "2021-03-01", "registered"),
    ("TM5", 42, "2011-01-01", "registered"), ("TM6", 9, "2020-01-01", "registered"),
]

# region facts: code, year, fact, value, source, vintage
FACTS = [
    ("120116", 2020, "population", 2_000_000, "统计年鉴2021", "2021 yearbook"),
    ("120116", 2020, "population", 2_060_000, "七普修订", "2022 census revision"),
    ("120116", 2021, "population", 2_050_000, "统计年鉴2022", "2022 yearbook"),
    ("120116Z6", 2020, "population", 0, "园区统计", "2021 yearbook"),
    ("120116", 2020, "gdp", 1.0e12, "统计年鉴2021", "2021 yearbook"),
    ("120116", 2021, "gdp", 1.1e12, "统计年鉴2022", "2022 yearbook"),
    ("120116", 2020, "copyright_industry_va", 5.0e10, "版权局", "2021"),
    ("120116", 2021, "copyright_industry_va", 6.0e10, "版权局", "2022"),
    ("120116", 2021, "new_enterprises", 10, "市场监管局", "2022"),
]


def _df(rows, cols):
    return pd.DataFrame([dict(zip(cols, r)) for r in rows])


def batches() -> list[RecordBatch]:
    pat = _df(PATENTS, ["patent_id", "kind", "filing_date", "grant_date", "region_code", "domestic", "industry", "pct",
                        "pct_date", "foreign_family", "title"])
    pat["application_no"] = pat["patent_id"].str[2:] + ".X"
    pat["attribution_basis"] = "owner_address"
    ev = _df(EVENTS, ["patent_id", "event_date", "event", "status_after"])
    ipc = _df(IPC, ["patent_id", "ipc"])
    ipc["subclass"] = ipc["ipc"].str.split("-").str[0].str[:4].where(~ipc["ipc"].str.startswith("LOC"),
                                                                    ipc["ipc"].str.split("-").str[0])
    ipc["is_main"] = True
    party = pd.DataFrame({"patent_id": pat["patent_id"], "role": "applicant", "seq": 1,
                          "name": ["甲公司", "乙公司", "甲公司", "乙公司", "丙公司", "丙公司", "丁公司", "外资公司", "区外公司",
                                   "甲公司", "戊公司", "丁公司"],
                          "entity_id": ["E1", "E2", "E1", "E2", "E3", "E3", "E4", None, None, "E1", "E5", "E4"]})
    family = pd.DataFrame([{"patent_id": "CN201910000002", "member_no": "US11111111B2", "country": "US", "granted": True}])
    marks = _df(MARKS, ["reg_no", "nice_class", "owner", "region_code", "application_date", "registration_date",
                        "expiry_date", "status", "madrid", "well_known", "geo_indication"])
    mev = _df(MARK_EVENTS, ["reg_no", "nice_class", "event_date", "status_after"])
    facts = _df(FACTS, ["region_code", "year", "fact", "value", "source", "vintage"])
    ent = _df([("E1", "甲公司", "enterprise", "120116001", "nev"), ("E2", "乙公司", "enterprise", "120116Z6", "next_gen_it"),
               ("E3", "丙公司", "enterprise", "120116Z6", "smart_manufacturing"),
               ("E4", "丁公司", "enterprise", "120116Z6", "culture_creative"),
               ("E5", "戊公司", "enterprise", "120116001", "life_health"),
               ("U1", "某大学", "university", "120116Z6", None)],
              ["entity_id", "name", "kind", "region_code", "industry"])
    flags = _df([("E1", "ip_adv_national", "2019-01-01", None), ("E1", "ip_demo_municipal", "2020-01-01", None),
                 ("E1", "ip_pilot_district", "2018-01-01", "2021-01-01"), ("E2", "ip_pilot_district", "2020-05-01", None),
                 ("E3", "ip_adv_municipal", "2022-01-01", None), ("E2", "gbt29490", "2019-01-01", "2022-01-01"),
                 ("E3", "sme", "2018-01-01", None), ("E5", "sme_tech", "2018-01-01", None),
                 ("E4", "sme", "2018-01-01", None), ("E3", "ip_hosting", "2020-01-01", "2021-06-30"),
                 ("U1", "ip_intensive_university", "2020-01-01", None)],
                ["entity_id", "flag", "valid_from", "valid_to"])
    programs = _df([
        ("P1", "navigation_industry", "新能源汽车产业专利导航", "ip_bureau", "accepted", "2019-10-01", "2020-11-30", None, None, None),
        ("P2", "navigation_industry", "智能制造产业专利导航", "ip_bureau", "in_progress", "2020-03-01", None, None, None, None),
        ("P3", "training", "知识产权高级研修班", "ip_bureau", "completed", "2021-04-26", "2021-04-26", 80, None, None),
        ("P4", "training", "管理实务培训班", "ip_bureau", "completed", "2021-06-01", "2021-06-02", 50, None, None),
        ("P5", "hv_portfolio", "电池组合", "ip_bureau", "in_progress", "2020-01-01", None, None,
         "CN200810000001;CN201910000002;CN202010000003; PCT/CN2020/000001", None),
        ("P6", "award", "第二十二届中国专利优秀奖", "ip_bureau", "completed", "2021-07-01", "2021-07-01", None,
         "CN202010000003", None),
        ("P7", "service_institution", "某大型知识产权服务集团", "hitech", "completed", "2020-05-01", None, None, None,
         "大型全链条"),
        ("P8", "service_institution", "某专利代理事务所", "hitech", "completed", "2020-06-01", None, None, None, None),
        ("P9", "service_institution", "老牌代理所", "hitech", "completed", "2015-06-01", None, None, None, None),
        ("P10", "milestone", "建立滨海新区知识产权信息统计与监测评价系统", "ip_bureau", "completed", "2020-01-01",
         "2021-10-01", None, None, None),
    ], ["item_id", "program", "name", "department", "status", "start_date", "end_date", "quantity", "members", "note"])
    pledges = _df([("PL1", "甲公司", "工商银行", "patent", 20_000_000.0, "2020-07-01", "120116001"),
                   ("PL2", "乙公司", "建设银行", "mixed", 5_000_000.0, "2021-03-01", "120116Z6"),
                   ("PL3", "丙公司", "中国银行", "trademark", 3_000_000.0, "2021-05-01", "120116Z6")],
                  ["pledge_id", "pledgor", "pledgee", "right_kind", "amount_yuan", "registration_date", "region_code"])
    pledge_rights = _df([("PL1", "CN202010000003", "patent"), ("PL2", "CN201910000002", "patent"), ("PL2", "TM4", "trademark"),
                         ("PL3", "TM3", "trademark")], ["pledge_id", "right_no", "right_kind"])
    cases = _df([
        ("C1", "admin_patent_dispute", "patent", "ip_bureau", "2021-01-05", "2021-05-05", "2021-04-20", "infringement_found", "120116Z6"),
        ("C2", "admin_patent_dispute", "patent", "ip_bureau", "2021-02-01", "2021-06-01", "2021-07-01", "infringement_found", "120116Z6"),
        ("C3", "admin_trademark", "trademark", "market", "2021-03-01", "2021-04-01", "2021-05-01", "penalty", "120116001"),
        ("C4", "preexam", "patent", "ip_bureau", "2021-03-10", None, "2021-03-20", "granted_fast", "120116Z6"),
        ("C5", "admin_counterfeit_patent", "patent", "market", "2020-06-01", "2020-09-01", "2020-08-01", "penalty", "120116001"),
    ], ["case_id", "kind", "ip_right", "department", "received_date", "deadline_date", "closed_date", "outcome", "region_code"])
    case_party = _df([("C1", "respondent", 1, "侵权公司", "X1"), ("C2", "respondent", 1, "侵权公司", "X1"),
                      ("C3", "respondent", 1, "另一公司", "X2"), ("C5", "respondent", 1, "侵权公司", "X1")],
                     ["case_id", "side", "seq", "name", "entity_id"])
    case_events = _df([("C2", "2021-05-20", "extended", 30)], ["case_id", "event_date", "status", "days"])
    return [
        RecordBatch("patents", {"patent": pat, "patent_event": ev, "patent_ipc": ipc, "patent_party": party,
                                "patent_family": family}, label="tiny patents"),
        RecordBatch("trademarks", {"trademark": marks, "trademark_event": mev}, label="tiny marks"),
        RecordBatch("region_facts", {"region_fact": facts}, label="tiny facts"),
        RecordBatch("entities", {"entity": ent}, label="tiny entities"),
        RecordBatch("entity_flags", {"entity_flag": flags}, label="tiny flags"),
        RecordBatch("programs", {"program_item": programs}, label="tiny programs"),
        RecordBatch("pledges", {"pledge": pledges, "pledge_right": pledge_rights}, label="tiny pledges"),
        RecordBatch("cases", {"ip_case": cases, "case_party": case_party, "case_event": case_events}, label="tiny cases"),
    ]


def frames() -> dict[str, pd.DataFrame]:
    """The same records as typed DataFrames by table (for pandas oracles)."""
    from ipobs.records.validate import validate

    out = {}
    for b in batches():
        for name, df in b.frames.items():
            good, rejects = validate(name, df)
            assert not rejects, [r.message for r in rejects]
            out[name] = good
    return out
