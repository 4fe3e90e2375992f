"""Generate incoPat-style patent exports with the mess real ones have (for the import benchmarks).

Names come in variants (全角/半角 brackets, 有限公司/有限责任公司/股份有限公司, 天津/天津市,
stray spaces, English Co., Ltd. spellings), joint applicants use mixed separators, addresses
carry postcodes, IPC codes come in several spellings, dates in several formats and
application numbers with or without CN / ZL prefixes (check digits are correct).
Deterministic for a seed. Not real data: never shown as statistics.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from ipobs.sources.numbers import check_digit

HEADER = [
    "序号", "标题", "摘要", "申请号", "申请日", "公开（公告）号", "公开（公告）日", "授权公告日", "专利类型",
    "申请人", "当前权利人", "申请人地址", "中国申请人地市", "中国申请人区县", "发明人", "IPC主分类", "IPC",
    "当前法律状态", "专利有效性", "失效日", "被引证次数", "权利要求数量", "简单同族个数", "引证专利",
    "合享价值度", "链接到incoPat",
]

_SYL = "华海天津滨科技新能源智造信息电子材料生物医药装备环保精密光电汽车船舶港航数据软件网络通信化工" \
       "机械控制检测仪器半导体芯片储能锂电氢能风电光伏节水膜分离涂料纺织食品发酵"
_WORDS = ["一种", "基于", "的", "方法", "装置", "系统", "及其", "制备", "用于", "检测", "控制", "组件", "结构",
          "电池", "模块", "算法", "传感器", "电路", "材料", "设备", "船舶", "机器人", "无人机", "图像", "识别"]
_PLACES = [  # (address prefix, city column, district column, postcode)
    ("天津市滨海新区经济技术开发区第{n}大街{m}号", "天津市", "滨海新区", "300457"),
    ("天津开发区洞庭路{m}号", "天津市", "滨海新区", "300457"),
    ("天津市滨海新区塘沽杭州道{m}号", "天津市", "滨海新区", "300451"),
    ("天津滨海高新区华苑产业区海泰西路{m}号", "天津市", "滨海新区", "300384"),
    ("天津自贸试验区（空港经济区）西三道{m}号", "天津市", "滨海新区", "300308"),
    ("天津市滨海新区中新生态城中成大道{m}号", "天津市", "滨海新区", "300467"),
    ("天津市滨海新区大港石化产业园区{m}号", "天津市", "滨海新区", "300270"),
    ("天津市南开区卫津路{m}号", "天津市", "南开区", "300072"),
    ("天津市西青区精武镇{m}号", "天津市", "西青区", "300380"),
    ("北京市海淀区中关村大街{m}号", "北京市", "海淀区", "100080"),
    ("河南省郑州市金水区花园路{m}号", "郑州市", "金水区", "450000"),
    ("广东省深圳市南山区科技园{m}号", "深圳市", "南山区", "518057"),
    ("江苏省苏州市工业园区星湖街{m}号", "苏州市", "", "215021"),
    ("上海市浦东新区张江路{m}号", "上海市", "浦东新区", "201203"),
    ("Tokyo, Japan {m}", "", "", ""),
]
_FORMS = ["有限公司", "有限责任公司", "股份有限公司"]
_STATUS = [("授权", "有效"), ("实质审查", "审中"), ("公开", "审中"), ("未缴年费", "失效"), ("驳回", "失效"),
           ("撤回", "失效"), ("期限届满", "失效"), ("权利恢复", "有效")]
_IPC = ["G06F", "H04L", "H01M", "B60L", "B25J", "G05B", "A61K", "C02F", "B01D", "G01N", "H02J", "B63B", "F16H",
        "C08L", "A23L", "G06N", "H04W", "B65G", "E21B", "C12N"]


def _company(rng: random.Random, i: int) -> tuple[str, str]:
    """(base, canonical form) of company i."""
    core = "".join(rng.choice(_SYL) for _ in range(rng.randint(2, 4)))
    trade = rng.choice(["科技", "新材料", "电子", "装备制造", "生物科技", "能源", "信息技术", "环保工程"])
    city = rng.choice(["天津", "天津", "天津", "北京", "郑州", "深圳", "苏州", "上海"])
    return f"{city}{core}{trade}{i}", rng.choice(_FORMS)


def _variant(rng: random.Random, base: str, form: str) -> str:
    name = base + form
    r = rng.random()
    if r < 0.15 and name[:2] in ("天津", "北京", "上海"):
        name = name[:2] + "市" + name[2:]
    elif r < 0.25:
        name = name.replace("有限公司", "有限责任公司") if "股份" not in name else name
    elif r < 0.30:
        name = " " + name + " "
    elif r < 0.35:
        name = name[:2] + "（" + name[2:4] + "）" + name[4:]
    return name


def _app_no(rng: random.Random, year: int, kind: str, serial: int) -> str:
    digit = {"发明": "1", "实用新型": "2", "外观设计": "3"}[kind]
    body = f"{year}{digit}{serial:07d}"
    style = rng.random()
    if style < 0.5:
        return f"CN{body}.{check_digit(body)}"
    if style < 0.8:
        return f"{body}.{check_digit(body)}"
    if style < 0.9:
        return f"ZL{body}.{check_digit(body)}"
    return f"CN{body}"


def _date(rng: random.Random, y: int, m: int, d: int) -> str:
    style = rng.random()
    if style < 0.6:
        return f"{y}-{m:02d}-{d:02d}"
    if style < 0.8:
        return f"{y}/{m}/{d}"
    if style < 0.9:
        return f"{y}{m:02d}{d:02d}"
    return f"{y}.{m:02d}.{d:02d}"


def _ipc(rng: random.Random) -> tuple[str, str]:
    codes = [f"{rng.choice(_IPC)}{rng.randint(1, 99)}/{rng.choice(['00', '02', '10', '30', '302', '04'])}"
             for _ in range(rng.randint(1, 4))]
    style = rng.random()
    spelled = [c.replace(c[:4], c[:4] + " ") if style < 0.3 else c for c in codes]
    if style > 0.9:
        spelled = [f"{c}(2006.01)" for c in spelled]
    sep = rng.choice([";", "; ", " | ", "；", "\n"])
    return spelled[0], sep.join(spelled)


def rows(n: int, seed: int = 2019, companies: int | None = None):
    """Yield ``n`` data rows (lists matching :data:`HEADER`)."""
    rng = random.Random(seed)
    companies = companies or max(50, n // 5)
    pool = [_company(rng, i) for i in range(companies)]
    places = [rng.randrange(len(_PLACES)) for _ in range(companies)]
    abstract_words = _WORDS + [_SYL[i:i + 2] for i in range(0, len(_SYL) - 1, 2)]
    abstracts = ["本发明公开了" + "".join(rng.choice(abstract_words) for _ in range(rng.randint(60, 160))) + "。"
                 for _ in range(3000)]
    titles = ["".join(rng.choice(_WORDS) for _ in range(rng.randint(4, 9))) for _ in range(5000)]
    inventors = ["".join(rng.choice(_SYL) for _ in range(rng.randint(2, 3))) for _ in range(20000)]
    for i in range(n):
        kind = rng.choices(["发明", "实用新型", "外观设计"], [0.55, 0.35, 0.10])[0]
        year = rng.randint(2008, 2024)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        app = _app_no(rng, year, kind, i % 9_999_999 + 1)
        k = rng.randrange(companies)
        names = [_variant(rng, *pool[k])]
        for _ in range(rng.choices([0, 1, 2], [0.8, 0.15, 0.05])[0]):
            names.append(_variant(rng, *pool[rng.randrange(companies)]))
        sep = rng.choice(["; ", ";", "；", " | ", "、"])
        place, city, district, post = _PLACES[places[k]]
        address = (post if rng.random() < 0.7 else "") + place.format(n=rng.randint(1, 13), m=rng.randint(1, 300))
        status, validity = rng.choice(_STATUS)
        granted = status in ("授权", "未缴年费", "期限届满", "权利恢复") or (kind != "发明" and status != "驳回")
        gy = year + (rng.randint(2, 4) if kind == "发明" else 1)
        grant = _date(rng, gy, rng.randint(1, 12), rng.randint(1, 28)) if granted else ""
        pub_y = year + 1
        pub_no = f"CN{100000000 + i}{'A' if kind == '发明' else ('U' if kind == '实用新型' else 'S')}"
        title, abstract = rng.choice(titles), rng.choice(abstracts)
        main, ipcs = _ipc(rng) if kind != "外观设计" else ("14-03", "14-03")
        lapse = _date(rng, gy + rng.randint(1, 6), 6, 1) if validity == "失效" and granted else ""
        cites = ";".join(f"CN{rng.randint(100000000, 119999999)}A" for _ in range(rng.randint(0, 3)))
        yield [
            i + 1, title, abstract, app, _date(rng, year, month, day), pub_no,
            _date(rng, pub_y, rng.randint(1, 12), rng.randint(1, 28)) if kind == "发明" else grant, grant, kind,
            sep.join(names), names[0].strip() if rng.random() < 0.9 else "", address, city, district,
            ";".join(rng.choices(inventors, k=rng.randint(1, 5))),
            main, ipcs, status, validity, lapse, rng.randint(0, 40), rng.randint(1, 20), rng.randint(1, 8), cites,
            rng.randint(1, 10), f"http://www.incopat.com/detail/init2?formerQuery={app}",
        ]


def write_csv(path: Path, n: int, seed: int = 2019, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows(n, seed))
    return path


def write_xlsx(path: Path, n: int, seed: int = 2019) -> Path:
    """An .xlsx with a title row and a blank row above the header (as exports often have)."""
    from openpyxl import Workbook

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("专利列表")
    ws.append(["incoPat 专利检索结果导出"])
    ws.append([])
    ws.append(HEADER)
    for r in rows(n, seed):
        ws.append(r)
    wb.save(path)
    return path
