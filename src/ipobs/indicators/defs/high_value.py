"""High-value invention patents (CNIPA's five categories) and their number per 10,000 people."""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

import ibis
import ibis.expr.datatypes as dt
from ibis import _

from ipobs.indicators import common as C
from ipobs.indicators.base import define
from ipobs.indicators.defs.patents import NO_EVENTS, _have_events, per_10k_finish, per_10k_parts

REASONS = ("sei", "foreign_family", "maintained", "pledge", "award")
REASON_TEXT = {
    "sei": "战略性新兴产业 (SEI IPC concordance 2021)",
    "foreign_family": "海外同族授权 (granted foreign family member)",
    "maintained": "维持年限超过10年 (maintained > N years)",
    "pledge": "较高质押融资金额 (pledge ≥ threshold)",
    "award": "中国专利奖/国家科学技术奖 (award)",
}


@lru_cache(maxsize=1)
def sei_keys() -> dict[str, list]:
    """The derived SEI IPC keys (``data/sei_ipc.csv``, made by ``data/make_sei_ipc.py``)."""
    text = resources.files("ipobs.indicators.data").joinpath("sei_ipc.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    return {"key": [r["key"] for r in rows], "level": [r["level"] for r in rows],
            "sei_codes": [r["sei_codes"] for r in rows]}


@lru_cache(maxsize=1)
def sei_table():
    """The SEI keys as one in-memory table (one object, so each engine registers it once)."""
    return ibis.memtable(sei_keys())


def _sei_patents(t):
    """Patents with any IPC code matching the SEI prefix list, at the code's class, subclass, main
    group or subgroup (one equi-join on (level, key) over the four keys of every code)."""
    keys = sei_table()
    pi = t.patent_ipc.filter(~_.ipc.startswith("LOC"))
    levels = {"class": pi.subclass.substr(0, 3), "subclass": pi.subclass, "main_group": pi.ipc.split("/")[0],
              "subgroup": pi.ipc}
    text = dt.String(nullable=True)  # one type for the four keys (some are declared NOT NULL)
    codes = ibis.union(*[pi.select(patent_id=pi.patent_id.cast(text), level=ibis.literal(lv).cast(text),
                                   key=k.cast(text)) for lv, k in levels.items()])
    hits = codes.inner_join(keys, ["level", "key"])
    return hits.group_by("patent_id").aggregate(sei_codes=_.sei_codes.min()).mutate(sei=ibis.literal(True))


def _foreign_family_patents(t):
    fam = t.patent_family.filter(_.granted.fill_null(False) & (_.country.fill_null("") != "CN")).select("patent_id")
    flag = t.patent.filter(_.foreign_family.fill_null(False)).select("patent_id")
    return ibis.union(fam, flag, distinct=True).mutate(foreign_family=ibis.literal(True))


def _pledge_patents(t, q):
    pl = t.pledge.filter(C.on_or_before(_.registration_date, q.as_of)
                         & (_.amount_yuan >= q.settings.hv_pledge_threshold_yuan))
    pr = t.pledge_right.filter(_.right_kind == "patent").select("pledge_id", patent_id=_.right_no)
    j = pr.inner_join(pl.select("pledge_id", "amount_yuan"), "pledge_id")
    return j.group_by("patent_id").aggregate(pledge_amount=_.amount_yuan.max()).mutate(pledge=ibis.literal(True))


def _award_patents(t, q):
    aw = t.program_item.filter((_.program == "award") & C.on_or_before(_.start_date, q.as_of)
                               & (_.status != "cancelled") & _.members.notnull())
    m = aw.select(award=_.name, member=_.members.split(";").unnest())
    m = m.mutate(patent_id=_.member.strip()).filter(_.patent_id != "")
    return m.group_by("patent_id").aggregate(award_name=_.award.min()).mutate(award=ibis.literal(True))


def hv_table(t, q):
    """Valid domestic invention patents of the region with one boolean per CNIPA category."""
    n = int(q.settings.hv_maintained_years)
    try:
        cutoff = q.as_of.replace(year=q.as_of.year - n)
    except ValueError:  # 29 February
        cutoff = q.as_of.replace(year=q.as_of.year - n, day=28)
    v = C.valid_patents(t, q, kind="invention", domestic=True)
    v = v.select(*C.PATENT_COLUMNS, "status_date")
    for extra in (_sei_patents(t), _foreign_family_patents(t), _pledge_patents(t, q), _award_patents(t, q)):
        v = v.left_join(extra, "patent_id").drop("patent_id_right")
    v = v.mutate(
        sei=_.sei.fill_null(False),
        foreign_family=_.foreign_family.fill_null(False),
        maintained=(_.filing_date.cast("date") < C.lit(cutoff)).fill_null(False),
        pledge=_.pledge.fill_null(False),
        award=_.award.fill_null(False),
    )
    v = v.mutate(high_value=_.sei | _.foreign_family | _.maintained | _.pledge | _.award)
    return v.filter(_.high_value).mutate(
        reasons=ibis.ifelse(_.sei, "sei;", "") + ibis.ifelse(_.foreign_family, "foreign_family;", "")
        + ibis.ifelse(_.maintained, "maintained;", "") + ibis.ifelse(_.pledge, "pledge;", "")
        + ibis.ifelse(_.award, "award;", ""))


def _hv_parts(t, q):
    hv = hv_table(t, q)
    agg = hv.aggregate(value=hv.count(), **{f"by_{r}": hv[r].cast("int64").sum().fill_null(0) for r in REASONS})
    return {"counts": agg, "have_events": _have_events(t, q)}


_DEF_ZH = ("有效发明专利中符合下列任一情形者（每件只计一次，可列出理由）：(1) 属于战略性新兴产业——任一IPC分类号命中国家知识产权局"
           "《战略性新兴产业分类与国际专利分类参照关系表（2021）》（本系统使用由共享数据派生的IPC前缀表 data/sei_ipc.csv；该数据缺少"
           "H01L/H10 半导体器件条目，且未应用关键词条件，故半导体领域被低估）；(2) 在海外有授权同族专利；(3) 维持年限超过10年（自申请日起，"
           "设置 hv_maintained_years）；(4) 实现较高质押融资金额（所在质押合同金额不低于设置 hv_pledge_threshold_yuan，默认1000万元）；"
           "(5) 获得中国专利奖或国家科学技术奖（program_item program='award' 的 members）。仅计国内（不含港澳台）权利人。")
_DEF_EN = ("Valid invention patents of domestic owners meeting at least one of CNIPA's five situations (each "
           "patent counted once, its reasons listed): (1) strategic emerging industry — any IPC code matches the "
           "CNIPA 2021 SEI↔IPC concordance (as the derived prefix list data/sei_ipc.csv; the shared source lacks "
           "H01L/H10 semiconductor devices and keyword conditions are not applied, so that field is undercounted); "
           "(2) a granted foreign family member; (3) maintained more than hv_maintained_years (10) years since "
           "filing; (4) pledged in a contract of at least hv_pledge_threshold_yuan (10 million yuan); (5) a China "
           "Patent Award or national S&T award (members of program_item rows with program 'award').")
_SOURCE = ("国家知识产权局2021年第二季度例行新闻发布会 (five categories, [V3] reposts); CNIPA 2021 SEI↔IPC concordance "
           "(国知办函规字〔2021〕121号) via /work/shared/data/cn-sei-ipc-2021 — anchors.md §13.2, §13.4")

define(
    id="hv_inventions", zh="高价值发明专利拥有量", en="high-value invention patents", unit="件", unit_en="patents",
    kind="stock", group="patents", dims=("region", "industry"),
    definition_zh=_DEF_ZH, definition_en=_DEF_EN, source=_SOURCE,
    example="ipobs indicator hv_inventions --as-of 2022-12-31 --records (the reasons column lists the categories)",
    parts=_hv_parts, rows=hv_table, requires={"have_events": NO_EVENTS}, order_by=("patent_id",),
)

define(
    id="hv_inventions_per_10k", zh="每万人口高价值发明专利拥有量", en="high-value invention patents per 10,000 people",
    unit="件/万人", unit_en="per 10,000 people", kind="ratio", group="patents", dims=("region",),
    definition_zh="高价值发明专利拥有量（见 hv_inventions）÷ 当年常住人口（万人）。" + _DEF_ZH,
    definition_en="hv_inventions ÷ resident population of the year × 10,000 (population as for inventions_per_10k). "
                  + _DEF_EN,
    source=_SOURCE + "; national 14th FYP target 12 per 10k by 2025",
    example="ipobs indicator hv_inventions_per_10k --as-of 2022-12-31",
    parts=per_10k_parts(hv_table), finish=per_10k_finish, rows=hv_table,
    requires={"have_events": NO_EVENTS}, order_by=("patent_id",),
)

