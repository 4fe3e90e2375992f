"""China's province → city → district codes (NBS 统计用区划代码) for placing addresses.

At run time the table comes from ``../shared/data/cn-admin-divisions`` when that folder is
present (``IPOBS_ADMIN_DIVISIONS`` may point elsewhere), else from the compact copy shipped
in the package (``divisions.csv``, province + city + district, generated from the same
files by ``python -m ipobs.entities.divisions``). Street-level detail is kept only for
the home district, in ``regions.csv``.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

PACKAGED = "divisions.csv"
SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "cn-admin-divisions"

# Administrative suffixes removed to get the short name people also write
# (河南省 → 河南, 广西壮族自治区 → 广西, 延边朝鲜族自治州 → 延边, 郑州市 → 郑州).
_ETHNIC = ("朝鲜|蒙古|藏|彝|苗|侗|傣|白|哈尼|壮|土家|回|维吾尔|哈萨克|柯尔克孜|景颇|傈僳|布依|羌|黎|瑶|满|畲|土|撒拉|"
           "保安|东乡|裕固|仡佬|水|毛南|仫佬|纳西|拉祜|佤|普米|怒|独龙|德昂|阿昌|基诺|锡伯|达斡尔|鄂温克|鄂伦春|"
           "赫哲|门巴|珞巴|塔吉克|乌孜别克|俄罗斯|塔塔尔|京|高山|布朗|各")
_SUFFIX = re.compile(
    rf"(?:特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|省|市|(?:(?:{_ETHNIC})族)+自治(?:州|县|旗)"
    r"|自治州|自治县|地区|盟|林区|新区|区|县|旗)$"
)
# City-level rows that are not places ("市辖区", "县", "省直辖县级行政区划").
_NOT_A_PLACE = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str  # province | city | district
    parent: str | None

    @property
    def short(self) -> str:
        return short_name(self.name)


def short_name(name: str) -> str:
    """The name without its administrative suffix, when at least two characters remain."""
    s = _SUFFIX.sub("", name)
    return s if len(s) >= 2 else name


def _read_shared(folder: Path) -> list[dict]:
    rows: list[dict] = []

    def load(name: str) -> list[dict]:
        with open(folder / name, encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    for r in load("provinces.csv"):
        rows.append({"code": r["code"], "name": r["name"], "level": "province", "parent": ""})
    for r in load("cities.csv"):
        rows.append({"code": r["code"], "name": r["name"], "level": "city", "parent": r["provinceCode"]})
    for r in load("areas.csv"):
        rows.append({"code": r["code"], "name": r["name"], "level": "district", "parent": r["cityCode"]})
    return rows


def source_folder() -> Path | None:
    env = os.environ.get("IPOBS_ADMIN_DIVISIONS")
    folder = Path(env) if env else SHARED
    return folder if (folder / "areas.csv").is_file() else None


@lru_cache(maxsize=1)
def divisions() -> dict[str, Division]:
    """code → :class:`Division` for every province, city and district."""
    folder = source_folder()
    if folder is not None:
        rows = _read_shared(folder)
    else:
        text = resources.files("ipobs.entities").joinpath(PACKAGED).read_text(encoding="utf-8")
        rows = list(csv.DictReader(io.StringIO(text)))
    return {r["code"]: Division(r["code"], r["name"], r["level"], r["parent"] or None) for r in rows}


def is_place(d: Division) -> bool:
    return d.name not in _NOT_A_PLACE


@lru_cache(maxsize=1)
def place_short_names() -> frozenset[str]:
    """Short names of provinces and cities ("天津", "河南", "郑州"), for name folding."""
    return frozenset(d.short for d in divisions().values() if d.level in ("province", "city") and is_place(d))


def build(folder: Path, out: Path) -> int:
    """Write the compact packaged table from the shared NBS files; returns the row count."""
    rows = _read_shared(folder)
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["code", "name", "level", "parent"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return len(rows)


if __name__ == "__main__":  # python -m ipobs.entities.divisions [FOLDER]
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED
    dest = Path(__file__).with_name(PACKAGED)
    print(f"{dest}: {build(src, dest)} rows from {src}")
