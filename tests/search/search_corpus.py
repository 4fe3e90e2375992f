"""A small hand-written patent corpus for the search tests (Chinese, English, every kind).

Each patent row: (id, kind, filed, granted, status, region, title, title_en, abstract,
applicants [(name, entity id or None)], inventors, ipc codes (main first)).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ipobs.records.batch import RecordBatch

D = dt.date
ENTITIES = [
    ("E001", "天津力神电池股份有限公司", "enterprise", "120116Z6"),
    ("E002", "天津大学", "university", "120104"),
    ("E003", "中国民航大学", "university", "120110"),
    ("E004", "天津滨海新能源汽车有限公司", "enterprise", "120116Z4"),
    ("E005", "ACME Energy Inc.", "enterprise", None),
]

PATENTS = [
    ("CN201910000001", "invention", D(2019, 3, 15), D(2021, 5, 10), "granted", "120116Z6",
     "一种锂离子电池正极材料及其制备方法", "Cathode material for lithium-ion battery and preparation method",
     "本发明公开了一种锂离子电池正极材料,采用磷酸铁锂与石墨烯复合,提高了电池的倍率性能和循环寿命。",
     [("天津力神电池股份有限公司", "E001")], ["张伟", "李娜"], ["H01M4/58", "H01M10/0525"]),
    ("CN201920000002", "utility", D(2019, 6, 1), D(2020, 1, 20), "granted", "120116Z6",
     "一种锂电池隔膜", None,
     "本实用新型涉及一种锂电池隔膜,包括多孔聚乙烯基膜和陶瓷涂层,安全性好。",
     [("天津力神电池股份有限公司", "E001")], ["王强"], ["H01M50/449"]),
    ("CN202010000003", "invention", D(2020, 2, 3), None, "pending", "120104",
     "全固态电池用硫化物固态电解质", "Sulfide solid electrolyte for all-solid-state battery",
     "本发明提供一种硫化物固态电解质及全固态电池,离子电导率高。",
     [("天津大学", "E002")], ["刘洋"], ["H01M10/0562", "H01M10/052"]),
    ("CN202110000004", "invention", D(2021, 7, 9), None, "pending", "120104",
     "钠离子电池负极材料", None,
     "本发明涉及钠离子电池负极材料,为硬碳材料,成本低。",
     [("天津大学", "E002")], ["刘洋", "陈静"], ["H01M4/587"]),
    ("CN201810000005", "invention", D(2018, 4, 12), D(2020, 9, 1), "granted", "120110",
     "一种无人机控制系统", "Control system for unmanned aerial vehicle",
     "本发明公开了一种无人机控制系统,包括飞行控制器、通信模块和避障传感器。",
     [("中国民航大学", "E003")], ["赵磊"], ["G05D1/10", "B64C39/02"]),
    ("CN202010000006", "invention", D(2020, 8, 20), D(2022, 3, 1), "granted", "120116Z4",
     "基于深度学习的图像识别方法", "Image recognition method based on deep learning",
     "本发明采用卷积神经网络进行图像识别,识别准确率高,适用于工业视觉检测。",
     [("天津大学", "E002"), ("天津滨海新能源汽车有限公司", "E004")], ["孙悦"], ["G06V10/82", "G06N3/08"]),
    ("CN201910000007", "invention", D(2019, 11, 5), D(2021, 2, 2), "lapsed", "120116Z4",
     "新能源汽车动力电池管理系统", "Power battery management system for new energy vehicle",
     "一种新能源汽车动力电池管理系统,实时监测电池温度和电压,实现均衡控制。",
     [("天津滨海新能源汽车有限公司", "E004")], ["周杰"], ["B60L58/12", "H01M10/42"]),
    ("CN201820000008", "utility", D(2018, 9, 30), D(2019, 5, 6), "granted", "120116Z1",
     "一种污水处理装置", None,
     "本实用新型公开了一种污水处理装置,包括沉淀池和过滤器,处理效率高。",
     [("天津滨海水务有限公司", None)], ["吴昊"], ["C02F9/00"]),
    ("CN202020000009", "utility", D(2020, 5, 18), D(2020, 12, 1), "granted", "120116Z1",
     "一种工业机器人机械臂", None,
     "一种工业机器人机械臂,包括底座、大臂和小臂,结构紧凑。",
     [("天津滨海水务有限公司", None)], ["郑凯"], ["B25J9/16"]),
    ("CN202130000010", "design", D(2021, 1, 8), D(2021, 6, 30), "granted", "120116Z4",
     "汽车", None, None,
     [("天津滨海新能源汽车有限公司", "E004")], ["周杰"], ["LOC12-08"]),
    ("CN201710000011", "invention", D(2017, 3, 1), D(2019, 8, 8), "granted", "120102",
     "石墨烯复合材料及其应用", "Graphene composite material and use thereof",
     "一种石墨烯复合材料,用于锂离子电池负极,提高导电性。<script>alert(1)</script> & 测试",
     [("天津大学", "E002")], ["李娜"], ["C01B32/184", "H01M4/62"]),
    ("US16123456", "invention", D(2018, 10, 1), D(2020, 10, 6), "granted", None,
     "Lithium-ion batteries with improved separators", "Lithium-ion batteries with improved separators",
     "A lithium-ion battery comprising a ceramic-coated polyolefin separator that improves safety at high temperatures.",
     [("ACME Energy Inc.", "E005")], ["John Smith"], ["H01M50/449", "H01M10/0525"]),
    ("CN202110000013", "invention", D(2021, 11, 11), None, "pending", "120116Z6",
     "一种锂电池回收方法", None,
     "本发明涉及废旧锂电池回收,通过湿法冶金回收钴和锂。",
     [("天津力神电池股份有限公司", "E001"), ("天津大学", "E002")], ["张伟"], ["H01M10/54", "C22B7/00"]),
    ("CN201610000014", "invention", D(2016, 6, 6), None, "rejected", "120116Z1",
     "一种电池充电方法", None,
     "一种电池充电方法,先恒流后恒压充电。",
     [("天津滨海水务有限公司", None)], ["王强"], ["H02J7/00"]),
]

EVENTS = [  # (id, date, event, status_after)
    ("CN201910000007", D(2019, 11, 5), "filed", "pending"),
    ("CN201910000007", D(2021, 2, 2), "granted", "granted"),
    ("CN201910000007", D(2023, 3, 1), "lapsed", "lapsed"),
]


def _street(zone: str) -> str:
    from ipobs.entities.regions import regions

    kids = [r.code for r in regions().values() if r.parent == zone and r.level == "street"]
    return kids[0] if kids else zone


def frames(rows=PATENTS, events=EVENTS) -> dict[str, pd.DataFrame]:
    patent, party, ipc, event = [], [], [], []
    for (pid, kind, filed, granted, status, region, title, title_en, abstract, apps, invs, codes) in rows:
        if region and "Z" in region:
            region = _street(region)
        patent.append({
            "patent_id": pid, "application_no": pid[2:] + "." + str(sum(map(int, pid[2:])) % 10), "publication_no": f"{pid[:2]}1{pid[-6:]}A",
            "grant_no": f"{pid[:2]}1{pid[-6:]}B" if granted else None, "kind": kind, "filing_date": filed,
            "grant_date": granted, "title": title, "title_en": title_en, "abstract": abstract,
            "ipc_main": codes[0], "region_code": region, "status": status, "country": pid[:2],
        })
        for seq, (name, ent) in enumerate(apps, 1):
            party.append({"patent_id": pid, "role": "applicant", "seq": seq, "name": name, "entity_id": ent})
        for seq, name in enumerate(invs, 1):
            party.append({"patent_id": pid, "role": "inventor", "seq": seq, "name": name})
        for seq, code in enumerate(codes, 1):
            sub = code.split("-")[0] if code.startswith("LOC") else code[:4]
            ipc.append({"patent_id": pid, "ipc": code, "subclass": sub, "seq": seq, "is_main": seq == 1})
    for pid, day, ev, after in events:
        if any(p[0] == pid for p in rows):
            event.append({"patent_id": pid, "event_date": day, "event": ev, "status_after": after})
    out = {"patent": pd.DataFrame(patent), "patent_party": pd.DataFrame(party), "patent_ipc": pd.DataFrame(ipc)}
    if event:
        out["patent_event"] = pd.DataFrame(event)
    return out


def entity_frame(entities=ENTITIES) -> pd.DataFrame:
    return pd.DataFrame([{"entity_id": e, "name": n, "kind": k, "region_code": r} for e, n, k, r in entities])


def load(store, rows=PATENTS, label: str = "search corpus") -> None:
    """Import the entities and the patents as two batches."""
    r = store.import_batch(RecordBatch("entities", {"entity": entity_frame()}, label=f"{label} entities"))
    assert r.status in ("committed", "duplicate_file"), r.message
    r = store.import_batch(RecordBatch("patents", frames(rows), label=label))
    assert r.status == "committed" and not r.rejects, [x.message for x in r.rejects]
