"""Entities holding dated designations: IP advantage / demonstration / pilot enterprises
(deduplicated across levels), GB/T 29490 certified units, SMEs under IP hosting, IP-intensive
universities and institutes."""

from __future__ import annotations

from ibis import _

from ipobs.indicators import common as C
from ipobs.indicators.base import define
from ipobs.store import history

IP_ENTERPRISE_FLAGS = ("ip_demo_national", "ip_adv_national", "ip_demo_municipal", "ip_adv_municipal",
                       "ip_pilot_district")


def holders(t, q, flags):
    """Entities of the region (and industry) holding any of ``flags`` at the date, one row each."""
    f = history.flags_as_of(t.entity_flag, q.as_of, list(flags))
    per = f.group_by("entity_id").aggregate(flags=_.flag.group_concat(";"), levels=_.flag.nunique())
    ent = C.in_region(t.entity, q)
    if q.industry:
        ent = ent.filter(ent.industry == q.industry)
    ent = ent.select("entity_id", "name", "uscc", "kind", "region_code", "industry")
    return ent.inner_join(per, "entity_id")


def _define(ind_id, zh, en, flags, dzh, den, source, example):
    flags = tuple(flags)
    define(
        id=ind_id, zh=zh, en=en, unit="家", unit_en="organisations", kind="stock", group="entities",
        dims=("region", "industry"), definition_zh=dzh, definition_en=den, source=source, example=example,
        parts=lambda t, q: {"value": holders(t, q, flags).count(),
                            "have_flags": t.entity_flag.filter(_.flag.isin(list(flags))).count()},
        rows=lambda t, q: holders(t, q, flags), order_by=("entity_id",),
        requires={"have_flags": f"no entity_flag rows of {', '.join(flags)} have been imported"},
    )


_define("ip_enterprises", "知识产权优势、示范、试点企业数", "IP advantage, demonstration and pilot enterprises",
        IP_ENTERPRISE_FLAGS,
        "截至统计日持有有效的国家级、市级或区级知识产权优势/示范/试点企业认定（valid_from ≤ 日期 < valid_to）的主体家数，"
        "跨级别去重（一家多级只计一次），按主体所在区域计。",
        "Distinct entities of the region holding at least one national, municipal or district IP advantage / "
        "demonstration / pilot designation valid at the date (valid_from ≤ D < valid_to); an entity holding "
        "several levels counts once.",
        "Work plan goal (一) and task 2 (2,000); counting rule anchors.md 'Indicator formulas' (deduplicate across levels)",
        "ipobs indicator ip_enterprises --as-of 2022-12-31 --records (flags column lists the levels)")
_define("gbt29490_units", "知识产权管理规范贯标企事业单位数", "GB/T 29490 certified units", ("gbt29490",),
        "截至统计日持有有效 GB/T 29490 知识产权管理体系认证的企事业单位家数（按主体去重）。",
        "Distinct organisations of the region holding a GB/T 29490 IP-management certification valid at the date.",
        "Work plan goal (四) and task 21 (500); anchors.md §12.2 and 'Indicator formulas'",
        "ipobs indicator gbt29490_units --as-of 2022-12-31")
_define("ip_hosting_smes", "知识产权托管服务覆盖的中小微企业数", "SMEs under IP hosting", ("ip_hosting",),
        "截至统计日处于有效知识产权托管服务期内的企业家数（按主体去重）。",
        "Distinct enterprises of the region with an IP hosting (托管) service in force at the date.",
        "Work plan goal (四) (中小微企业专业知识产权托管服务覆盖1200家); anchors.md 'Indicator formulas'",
        "ipobs indicator ip_hosting_smes --as-of 2022-12-31")
_define("ip_intensive_universities", "知识产权密集型高校或科研组织数", "IP-intensive universities and institutes",
        ("ip_intensive_university",),
        "截至统计日被认定为专利优势明显、自主创新能力较强的知识产权密集型高校或科研组织的家数。",
        "Universities and institutes of the region designated IP-intensive (valid at the date).",
        "Work plan task 3 (培育3-5家知识产权密集型高校或科研组织)",
        "ipobs indicator ip_intensive_universities --as-of 2022-12-31")
