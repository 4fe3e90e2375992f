"""A small, hand-shaped patent store for analytics tests (deterministic, ~240 patents).

Binhai (120116…) holds about a third of the patents and has no G06N (a blank spot by design);
two entities co-apply; one award, two pledges, one hv_portfolio, foreign families and
citations exist so every section and all five high-value categories have something to show.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ipobs.records.batch import RecordBatch

BINHAI_STREETS = ["120116001", "120116014", "120116402", "120116406"]
ELSEWHERE = ["120101", "120104", "110108", "310115"]
IPC_POOL = [  # (main ipc, industry, title stem, abstract words)
    ("G06N3/08", "next_gen_it", "神经网络训练方法", "神经网络 训练 样本 模型 梯度"),
    ("G06F16/30", "next_gen_it", "数据检索系统", "数据 检索 索引 查询 数据库"),
    ("H04W72/04", "next_gen_it", "无线资源调度方法", "无线 资源 调度 基站 终端"),
    ("H01M10/052", "nev", "锂离子电池", "锂离子 电池 正极 电解液 隔膜"),
    ("B60L53/10", "nev", "电动汽车充电装置", "充电 电动汽车 充电桩 电流"),
    ("B25J9/16", "smart_manufacturing", "机器人控制方法", "机器人 机械臂 控制 轨迹"),
    ("A61K31/00", "life_health", "药物组合物", "药物 组合物 治疗 化合物"),
    ("H01L21/02", "next_gen_it", "半导体器件制造方法", "半导体 晶圆 刻蚀 器件"),
]
KINDS = [("invention", 1), ("utility", 2), ("design", 3)]


def build(store, n: int = 240, seed: int = 3, citations: bool = True, abstracts: bool = True) -> dict:
    rng = np.random.default_rng(seed)
    pats, parties, ipcs, events, cites, fams = [], [], [], [], [], []
    entities = [(f"E{i:03d}", f"滨海测试{i}科技有限公司" if i < 6 else f"外地测试{i}有限公司") for i in range(12)]
    for i in range(n):
        year = 2012 + int(rng.integers(0, 12))
        kind, kd = KINDS[int(rng.choice(3, p=[0.55, 0.35, 0.10]))]
        pid = f"CN{year}{kd}{i:07d}"
        binhai = i % 3 == 0
        ipc_i = int(rng.integers(0, len(IPC_POOL)))
        if binhai and ipc_i == 0:
            ipc_i = 1  # no G06N in Binhai: a blank spot
        ipc, industry, stem, words = IPC_POOL[ipc_i]
        filed = dt.date(year, 1 + int(rng.integers(0, 12)), 1 + int(rng.integers(0, 27)))
        granted = None
        if kind != "invention" or rng.random() < 0.6:
            granted = filed + dt.timedelta(days=int(rng.integers(180, 1100)))
            if granted > dt.date(2024, 6, 30):
                granted = None
        region = BINHAI_STREETS[i % 4] if binhai else ELSEWHERE[i % 4]
        pct = kind == "invention" and i % 5 == 0
        pats.append({
            "patent_id": pid, "application_no": f"{pid[2:]}.{i % 10}", "kind": kind, "filing_date": filed,
            "grant_date": granted, "title": f"一种{stem}{i}", "abstract": None if i % 17 == 0 or not abstracts else f"本发明公开了{words}。",
            "claims_count": None if i % 13 == 0 else int(rng.integers(1, 20)), "ipc_main": ipc, "region_code": region,
            "country": "CN", "domestic": True, "pct": pct, "family_size": 1 + int(pct) * int(rng.integers(1, 5)),
            "foreign_family": bool(pct and i % 2 == 0), "industry": industry, "synthetic": True,
        })
        ents = [entities[(i * 7) % 6 if binhai else 6 + (i % 6)]]
        if i % 9 == 0:
            ents.append(entities[(i + 1) % 6 if binhai else 6 + (i + 1) % 6])
        for s, (eid, name) in enumerate(ents, 1):
            parties.append({"patent_id": pid, "role": "applicant", "seq": s, "name": name, "name_norm": name,
                            "entity_id": eid, "country": "CN"})
        for s in range(1, 1 + int(rng.integers(1, 4))):
            nm = f"发明人{int(rng.integers(0, 40))}"
            parties.append({"patent_id": pid, "role": "inventor", "seq": s, "name": nm, "name_norm": nm})
        ipcs.append({"patent_id": pid, "ipc": ipc, "subclass": ipc[:4], "seq": 1, "is_main": True})
        if i % 4 == 0:
            extra = IPC_POOL[(ipc_i + 1) % len(IPC_POOL)][0]
            if not (binhai and extra.startswith("G06N")):
                ipcs.append({"patent_id": pid, "ipc": extra, "subclass": extra[:4], "seq": 2, "is_main": False})
        events.append({"patent_id": pid, "event_date": filed, "event": "filed", "status_after": "pending"})
        if granted:
            events.append({"patent_id": pid, "event_date": granted, "event": "granted", "status_after": "granted"})
            if i % 7 == 0:
                events.append({"patent_id": pid, "event_date": granted + dt.timedelta(days=800), "event": "lapsed",
                               "status_after": "lapsed"})
        if pct:
            fams.append({"patent_id": pid, "member_no": f"US{i:08d}", "country": "US", "granted": i % 2 == 0})
        pats[-1]["status"] = events[-1]["status_after"]
    ids = [p["patent_id"] for p in pats]
    for i, pid in enumerate(ids):
        for j in range(i % 4):
            cited = ids[(i * 31 + j * 7) % max(1, i)] if i else None
            if cited and cited != pid:
                cites.append({"citing_id": pid, "cited_no": cited, "cited_id": cited, "category": "examiner"})
    cites = list({(c["citing_id"], c["cited_no"]): c for c in cites}.values()) if citations else []
    patent_frames = {
        "patent": pd.DataFrame(pats), "patent_party": pd.DataFrame(parties), "patent_ipc": pd.DataFrame(ipcs),
        "patent_event": pd.DataFrame(events),
        **({"patent_citation": pd.DataFrame(cites)} if cites else {}),
        "patent_family": pd.DataFrame(fams),
    }
    store.import_batch(RecordBatch("patents", patent_frames, label="mini patents", synthetic=True))
    store.import_batch(RecordBatch("entities", {"entity": pd.DataFrame(
        [{"entity_id": e, "name": n, "kind": "enterprise", "region_code": BINHAI_STREETS[k % 4] if k < 6 else "120101"}
         for k, (e, n) in enumerate(entities)])}, label="mini entities"))
    granted_inv = [p["patent_id"] for p in pats
                   if p["kind"] == "invention" and p["grant_date"] is not None and p["status"] == "granted"]
    store.import_batch(RecordBatch("pledges", {
        "pledge": pd.DataFrame([
            {"pledge_id": "PL1", "pledgor": entities[0][1], "pledgee": "测试银行", "right_kind": "patent",
             "amount_yuan": 20_000_000.0, "registration_date": dt.date(2022, 5, 1), "region_code": "120116001"},
            {"pledge_id": "PL2", "pledgor": entities[1][1], "pledgee": "测试银行", "right_kind": "patent",
             "amount_yuan": 2_000_000.0, "registration_date": dt.date(2022, 6, 1), "region_code": "120116001"}]),
        "pledge_right": pd.DataFrame([
            {"pledge_id": "PL1", "right_no": granted_inv[0], "right_kind": "patent"},
            {"pledge_id": "PL2", "right_no": granted_inv[1], "right_kind": "patent"}]),
    }, label="mini pledges"))
    store.import_batch(RecordBatch("programs", {"program_item": pd.DataFrame([
        {"item_id": "AW1", "program": "award", "name": "中国专利优秀奖", "department": "ipo", "status": "completed",
         "start_date": dt.date(2021, 11, 1), "members": granted_inv[2]},
        {"item_id": "HV1", "program": "hv_portfolio", "name": "测试组合", "entity_id": "E000", "department": "ipo",
         "status": "in_progress", "start_date": dt.date(2020, 1, 1), "members": ";".join(ids[:120]),
         "region_code": "120116001"},
    ])}, label="mini programmes"))
    store.set_meta("synthetic", "true")
    return {"ids": ids, "granted_inventions": granted_inv}
