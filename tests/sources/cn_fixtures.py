"""Small Chinese patent exports with one defect each, written at test time.

Each writer takes the rows of :data:`ROWS` (the first column is the row number the file
will show, so rejects can be checked by eye) and a path; the defect is in the name.
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

from ipobs.sources.numbers import check_digit


def app(body: str) -> str:
    """An application number with its correct check digit."""
    return f"{body}.{check_digit(body)}"


HEADER = ["申请号", "申请日", "公开（公告）号", "授权公告日", "发明名称", "申请（专利权）人", "申请人地址", "发明人",
          "IPC主分类号", "IPC分类号", "法律状态", "专利类型", "合享价值度"]
ROWS = [
    # row, 申请号, 申请日, 公开号, 授权日, 名称, 申请人, 地址, 发明人, 主IPC, IPC, 状态, 类型, vendor score
    (2, "CN" + app("201910012345"), "2019-01-02", "CN110000001A", "2021-03-04", "一种锂电池隔膜",
     "天津南玻节能玻璃有限公司；南开大学", "300457天津市滨海新区经济技术开发区第三大街1号", "张三;李四",
     "H01M 2/16", "H01M2/16;H01M10/0525(2006.01)", "授权", "发明", "8"),
    (3, app("201920023456"), "2019/2/3", "CN210000002U", "2019-09-01", "一种夹具",
     "天津市南玻节能玻璃有限责任公司", "天津开发区泰达街道洞庭路2号", "王五",
     "B25J15/00", "B25J15/00", "有权-审定授权", "实用新型", "6"),
    (4, "ZL" + app("201930034567"), "20190304", "CN305000003S", "", "包装盒",
     "Sony Co., Ltd.", "东京都港区", "SMITH, John", "09-01", "09-01", "审中", "外观设计", ""),
]


def rows(extra: list[tuple] | None = None) -> list[list]:
    return [list(r[1:]) for r in ROWS + (extra or [])]


def write_csv(path: Path, data: list[list], *, header=HEADER, encoding="utf-8", above: list[list] = ()) -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        for r in above:
            w.writerow(r)
        w.writerow(header)
        w.writerows(data)
    return path


def write_xlsx(path: Path, data: list[list], *, header=HEADER, above: list[list] = (), sheet="专利", before=None,
               after=None) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r in above:
        ws.append(r)
    ws.append(header)
    for r in data:
        ws.append(r)
    if before:
        before(wb, ws)
    wb.save(path)
    if after:
        after(path)
    return path


def write_xls(path: Path, data: list[list], *, header=HEADER, above: list[list] = ()) -> Path:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("专利")
    r0 = 0
    for r in [*above, header, *data]:
        for c, v in enumerate(r):
            ws.write(r0, c, v)
        r0 += 1
    wb.save(str(path))
    return path


def set_cached_values(path: Path, values: dict[str, str]) -> None:
    """Give formula cells a cached value, as Excel does when it saves (openpyxl writes none)."""
    with zipfile.ZipFile(path) as z:
        items = {n: z.read(n) for n in z.namelist()}
    name = "xl/worksheets/sheet1.xml"
    xml = items[name].decode("utf-8")
    for ref, value in values.items():
        xml = re.sub(rf'(<c r="{ref}"[^>]*?)(?: t="\w+")?>(<f>.*?</f>)(?:<v>.*?</v>|<v\s*/>)?</c>',
                     lambda m: f'{m.group(1)} t="str">{m.group(2)}<v>{value}</v></c>', xml)
    items[name] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in items.items():
            z.writestr(n, b)
