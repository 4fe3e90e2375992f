"""Derive the analytics reference files from ``../shared/data`` (run by hand; output is committed).

    .venv/bin/python src/ipobs/analytics/data/build_reference.py [--shared ../shared/data]

Writes, beside this script:

- ``sei_rules.tsv.gz``   rule_id, sei_code, sei_name, keywords  (CNIPA 2021 SEI–IPC table, rules)
- ``sei_ipc.tsv.gz``     ipc, rule_id                           (the 34,598 IPC → rule rows)
- ``sei_industries.tsv`` code, zh, en                           (the 9 top-level SEI industries)
- ``wipo_fields.tsv.gz`` pattern, field, sector_en, field_en, field_zh, source
- ``ipc_titles.tsv.gz``  code, level, title_zh, title_en        (section … main group)
- ``divisions.tsv.gz``   code, level, name                      (provinces, cities, districts of China)

Runtime code reads only these files, never ``../shared``. ``tests/analytics/test_reference.py``
re-derives them from the shared sources and compares.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SHARED = HERE.parents[4] / "shared" / "data"

# The 9 top-level industries of 战略性新兴产业分类（2018）, as listed in cn-sei-ipc-2021/SOURCE.md.
SEI_INDUSTRIES = [
    ("1", "新一代信息技术产业", "new-generation information technology"),
    ("2", "高端装备制造产业", "high-end equipment manufacturing"),
    ("3", "新材料产业", "new materials"),
    ("4", "生物产业", "biotechnology"),
    ("5", "新能源汽车产业", "new-energy vehicles"),
    ("6", "新能源产业", "new energy"),
    ("7", "节能环保产业", "energy saving and environmental protection"),
    ("8", "数字创意产业", "digital creative"),
    ("9", "相关服务业", "related services"),
]

# Chinese names of WIPO's 35 technology fields (project translation following WIPO's Chinese usage).
WIPO_FIELD_ZH = {
    1: "电气机械、设备和能源", 2: "视听技术", 3: "电信", 4: "数字通信", 5: "基础通信程序",
    6: "计算机技术", 7: "管理用信息技术方法", 8: "半导体", 9: "光学", 10: "测量",
    11: "生物材料分析", 12: "控制", 13: "医疗技术", 14: "有机精细化学", 15: "生物技术",
    16: "药品", 17: "高分子化学、聚合物", 18: "食品化学", 19: "基础材料化学", 20: "材料、冶金",
    21: "表面技术、涂层", 22: "微观结构和纳米技术", 23: "化学工程", 24: "环境技术", 25: "装卸",
    26: "机床", 27: "发动机、泵、涡轮机", 28: "纺织和造纸机械", 29: "其他专用机械", 30: "热工过程和器具",
    31: "机械部件", 32: "运输", 33: "家具、游戏", 34: "其他消费品", 35: "土木工程",
}

# IPC 2023 moved H01L's device groups to the new class H10; the WIPO file predates it.
# Supplement: H10 subclasses go to field 8 (Semiconductors), where H01L sits.
WIPO_SUPPLEMENT = [("H10", 8)]

_WIPO_PATTERN = re.compile(r"^([A-H]\d\d[A-Z])(?:\s*(\d+)/)?%$")


def wipo_pattern(raw: str) -> str:
    """``F21H%`` → ``F21H``; ``H04N  19/%`` → ``H04N19/`` (a prefix of compact IPC codes)."""
    m = _WIPO_PATTERN.match(raw.strip())
    if not m:
        raise ValueError(f"ipc_technology.csv: unexpected IPC_code {raw!r}")
    sub, group = m.groups()
    return sub if group is None else f"{sub}{int(group)}/"


def compact_en_code(code: str) -> tuple[str, str] | None:
    """WIPO 14-character symbols to the compact form; returns (code, level) or None for subgroups."""
    if len(code) == 1:
        return code, "section"
    if len(code) == 3:
        return code, "class"
    if len(code) == 4:
        return code, "subclass"
    if len(code) == 14 and code[8:] == "000000":
        return f"{code[:4]}{int(code[4:8])}/00", "main_group"
    return None


def _tsv(rows: list[list], header: list[str]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _clean(text: str | None) -> str:
    return "" if text is None else re.sub(r"\s+", " ", text).strip()


def derive(shared: Path) -> dict[str, bytes]:
    """The derived files' contents (uncompressed TSV bytes), keyed by file name."""
    sei_dir = shared / "cn-sei-ipc-2021"
    rules = [json.loads(line) for line in (sei_dir / "sei.jsonl").read_text(encoding="utf-8").splitlines() if line]
    mapping = [json.loads(line) for line in (sei_dir / "ipc-sei.jsonl").read_text(encoding="utf-8").splitlines() if line]
    out = {
        "sei_rules.tsv": _tsv([[r["id"], r["seiCode"], r["seiName"], r["keywords"] or ""] for r in rules],
                              ["rule_id", "sei_code", "sei_name", "keywords"]),
        "sei_ipc.tsv": _tsv([[m["ipcCode"], m["seiId"]] for m in mapping], ["ipc", "rule_id"]),
        "sei_industries.tsv": _tsv([list(r) for r in SEI_INDUSTRIES], ["code", "zh", "en"]),
    }

    wipo_rows = []
    with open(shared / "ipc-wipo-technology-concordance" / "ipc_technology.csv", encoding="utf-8-sig", newline="") as fh:
        fields = {}
        for r in csv.DictReader(fh):
            n = int(r["Field_number"])
            fields[n] = (r["Sector_en"], r["Field_en"])
            wipo_rows.append([wipo_pattern(r["IPC_code"]), n, r["Sector_en"], r["Field_en"], WIPO_FIELD_ZH[n],
                              "ipc_technology.csv"])
    for pattern, n in WIPO_SUPPLEMENT:
        wipo_rows.append([pattern, n, *fields[n], WIPO_FIELD_ZH[n], "supplement: IPC 2023 H10"])
    out["wipo_fields.tsv"] = _tsv(wipo_rows, ["pattern", "field", "sector_en", "field_en", "field_zh", "source"])

    titles: dict[str, dict] = {}
    with open(shared / "ipc-scheme-cn-2026" / "ipc_cn_2026_01.tsv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            code, level = (r["code"] or "").strip(), r["level"]
            if not code or level not in ("section", "class", "subclass", "main_group"):
                continue
            title = _clean(r["title_zh"])
            t = titles.setdefault(code, {"level": level, "zh": "", "en": ""})
            if len(title) > len(t["zh"]):  # duplicates: keep the longest title
                t["zh"] = title
    with open(shared / "ipc-scheme-en" / "all_ipc.tsv", encoding="utf-8", newline="") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t", 1)
            if len(parts) != 2 or not re.fullmatch(r"[A-H](\d\d([A-Z](\d{10})?)?)?", parts[0]):
                continue
            got = compact_en_code(parts[0])
            if got is None:
                continue
            code, level = got
            t = titles.setdefault(code, {"level": level, "zh": "", "en": ""})
            if not t["en"]:  # duplicates: the first line is the title proper
                t["en"] = _clean(parts[1])
    out["ipc_titles.tsv"] = _tsv([[c, t["level"], t["zh"], t["en"]] for c, t in sorted(titles.items())],
                                 ["code", "level", "title_zh", "title_en"])
    div = shared / "cn-admin-divisions"
    div_rows = []
    for fname, level in (("provinces.csv", "province"), ("cities.csv", "city"), ("areas.csv", "district")):
        with open(div / fname, encoding="utf-8-sig", newline="") as fh:
            div_rows += [[r["code"], level, r["name"]] for r in csv.DictReader(fh)]
    out["divisions.tsv"] = _tsv(div_rows, ["code", "level", "name"])
    return out


def write(files: dict[str, bytes], target: Path = HERE) -> None:
    for name, data in files.items():
        if name == "sei_industries.tsv":
            (target / name).write_bytes(data)
        else:
            # mtime=0: the same content gives the same bytes (reproducible commits)
            with open(target / f"{name}.gz", "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
                gz.write(data)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    args = ap.parse_args()
    files = derive(args.shared)
    write(files)
    for name, data in files.items():
        rows = data.count(b"\n") - 1
        print(f"{name}: {rows} rows")


if __name__ == "__main__":
    main()
