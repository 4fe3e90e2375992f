"""The query fields an analyst can type, in English and Chinese: one registry.

The parser resolves names and aliases here, the compiler reads each field's kind and the index
fields it searches, and docs/search.md lists the same table (a test checks it does).
"""

from __future__ import annotations

from dataclasses import dataclass

from ipobs.search.analysis import EN, NAME, ZH


@dataclass(frozen=True)
class Target:
    """One index field a query field searches, with the analyzer that made its terms."""

    field: str
    analyzer: str
    boost: float = 1.0
    positions: bool = True  # phrases can run here
    cjk: str | None = None  # the twin field of Chinese character pairs (exact substrings)


@dataclass(frozen=True)
class QueryField:
    name: str
    aliases: tuple[str, ...]
    kind: str  # text | name | ipc | kind | status | date | region | number | code | industry | saved
    zh: str
    en: str
    example: str
    targets: tuple[Target, ...] = ()
    index_field: str | None = None  # for single-field kinds


TITLE = (Target("title", ZH, 3.0, cjk="title_cjk"), Target("title_fine", ZH, 1.5, False), Target("title_en", EN, 2.0))
ABSTRACT = (Target("abstract", ZH, 1.0, cjk="abstract_cjk"), Target("abstract_fine", ZH, 0.5, False))
APPLICANT = (Target("applicant", ZH, 1.0), Target("applicant_fine", ZH, 0.5, False),
             Target("applicant_name", NAME, 2.0, False))
INVENTOR = (Target("inventor_name", NAME, 2.0, False), Target("inventor", ZH, 1.0))

FIELDS: tuple[QueryField, ...] = (
    QueryField("title", ("ti", "名称", "标题", "发明名称"), "text", "发明名称(中英文)",
               "title (Chinese and English)", "title:锂离子电池", TITLE),
    QueryField("abstract", ("ab", "摘要"), "text", "摘要", "abstract", "摘要:隔膜", ABSTRACT),
    QueryField("applicant", ("pa", "申请人", "专利权人", "权利人"), "text", "申请人/专利权人(含归并主体名称)",
               "applicant or owner (as written and the resolved entity's name)", "申请人:天津大学", APPLICANT),
    QueryField("inventor", ("in", "发明人", "设计人"), "name", "发明人", "inventor", "发明人:张伟", INVENTOR),
    QueryField("ipc", ("分类号", "ipc分类号", "ic"), "ipc", "IPC分类号(任一,前缀)",
               "any IPC code, as a prefix", "ipc:H01M", index_field="ipc"),
    QueryField("mainipc", ("主分类号", "mc"), "ipc", "IPC主分类号(前缀)", "main IPC code, as a prefix",
               "主分类号:G06F", index_field="ipc_main"),
    QueryField("kind", ("类型", "专利类型"), "kind", "专利类型", "patent kind", "kind:发明", index_field="kind"),
    QueryField("status", ("法律状态", "状态"), "status", "法律状态(当前,或 @日期 时点)",
               "legal status (current, or at a date with @)", "法律状态:有效", index_field="status"),
    QueryField("filed", ("申请日", "ad"), "date", "申请日", "filing date", "申请日:2019..2021", index_field="filed"),
    QueryField("granted", ("授权日", "授权公告日"), "date", "授权公告日", "grant date", "granted:2020",
               index_field="granted"),
    QueryField("published", ("公开日", "pd"), "date", "公开(公告)日", "publication date", "公开日:2021-06..",
               index_field="published"),
    QueryField("region", ("区域", "地区"), "region", "统计归属区域(代码或名称,含下级)",
               "region of attribution (code or name, with everything below it)", "区域:120116Z4",
               index_field="region"),
    QueryField("id", ("申请号", "公开号", "公告号", "an", "pn"), "number", "申请号/公开号/授权公告号",
               "application, publication or grant number", "申请号:CN2019*", index_field="nos"),
    QueryField("country", ("受理局",), "code", "受理局", "patent office", "country:CN", index_field="country"),
    QueryField("industry", ("产业",), "industry", "所属产业(工作方案七大产业)", "plan industry",
               "产业:nev", index_field="industry"),
    QueryField("entity", ("主体",), "code", "申请人主体ID", "applicant entity id", "entity:E000001",
               index_field="entity"),
    QueryField("saved", ("检索式",), "saved", "已保存的检索式", "a saved search, by name",
               "检索式:锂电池监测", index_field=None),
)

# free text without a field searches titles, abstracts and applicants
DEFAULT_TARGETS = TITLE + ABSTRACT + APPLICANT

_BY_NAME: dict[str, QueryField] = {}
for _f in FIELDS:
    for _n in (_f.name, *_f.aliases):
        _BY_NAME[_n.lower()] = _f


def lookup(name: str) -> QueryField | None:
    """The field called ``name`` (English names are case-insensitive), or None."""
    return _BY_NAME.get(name.lower())


def field(name: str) -> QueryField:
    f = lookup(name)
    if f is None:
        raise KeyError(name)
    return f


def known_names() -> str:
    """Field names for an error message: English name (Chinese alias)."""
    return ", ".join(f"{f.name}/{next((a for a in f.aliases if not a.isascii()), f.name)}" for f in FIELDS)
