"""The canonical schema: every record kind, its tables and fields, defined once.

The store creates its tables from this, importers validate against it, ledger
templates are generated from it and docs/data-model.md describes it. A *kind* is what a
person imports (one row of a ledger: a case, a pledge); a kind owns one main table and
may own child tables (a patent's parties, IPC codes, events).

Types: ``str``, ``int``, ``float``, ``bool``, ``date``, ``timestamp``, ``json``.
Enumerations are closed sets of codes with zh/en labels (``ENUMS``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

DUCK_TYPES = {
    "str": "VARCHAR",
    "int": "BIGINT",
    "float": "DOUBLE",
    "bool": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "json": "JSON",
}

# code -> (zh, en). Codes are what is stored; labels are what people read and type.
ENUMS: dict[str, dict[str, tuple[str, str]]] = {
    "patent_kind": {
        "invention": ("发明", "invention"),
        "utility": ("实用新型", "utility model"),
        "design": ("外观设计", "design"),
    },
    # legal status after an event (an ST.27-like reduction)
    "patent_status": {
        "pending": ("审中", "pending"),
        "granted": ("有效", "in force"),
        "rejected": ("驳回", "rejected"),
        "withdrawn": ("撤回", "withdrawn"),
        "lapsed": ("未缴年费终止", "lapsed (annuity unpaid)"),
        "expired": ("期限届满", "expired"),
        "invalidated": ("全部无效", "invalidated"),
        "surrendered": ("放弃", "surrendered"),
    },
    "patent_event": {
        "filed": ("申请", "filed"),
        "published": ("公开", "published"),
        "granted": ("授权", "granted"),
        "rejected": ("驳回", "rejected"),
        "withdrawn": ("撤回", "withdrawn"),
        "lapsed": ("未缴年费终止", "lapsed"),
        "restored": ("恢复", "restored"),
        "expired": ("期限届满", "expired"),
        "invalidated": ("宣告无效", "invalidated"),
        "surrendered": ("放弃", "surrendered"),
        "transferred": ("转让", "transferred"),
        "licensed": ("许可", "licensed"),
        "pledged": ("质押", "pledged"),
        "pledge_released": ("质押解除", "pledge released"),
    },
    "party_role": {
        "applicant": ("申请人", "applicant"),
        "owner": ("专利权人", "owner"),
        "inventor": ("发明人", "inventor"),
        "agent": ("代理机构", "agency"),
    },
    "attribution_basis": {
        "owner_address": ("专利权人地址", "owner's address"),
        "applicant_address": ("申请人地址", "applicant's address"),
    },
    "trademark_status": {
        "pending": ("申请中", "pending"),
        "registered": ("已注册", "registered"),
        "expired": ("期满未续展", "expired"),
        "cancelled": ("撤销/注销", "cancelled"),
        "invalidated": ("无效宣告", "invalidated"),
        "rejected": ("驳回", "rejected"),
    },
    "copyright_kind": {
        "software": ("计算机软件", "software"),
        "works": ("作品", "works"),
    },
    "entity_kind": {
        "enterprise": ("企业", "enterprise"),
        "university": ("高校", "university"),
        "institute": ("科研院所", "research institute"),
        "individual": ("个人", "individual"),
        "agency": ("知识产权服务机构", "IP service agency"),
        "bank": ("银行", "bank"),
        "insurer": ("保险公司", "insurer"),
        "guarantor": ("担保/其他金融机构", "guarantor / other financial institution"),
        "government": ("机关事业单位", "public body"),
    },
    "entity_flag": {
        "high_tech": ("国家高新技术企业", "national high-tech enterprise"),
        "sme_tech": ("科技型中小企业", "tech SME"),
        "sme": ("中小企业", "SME"),
        "specialized": ("专精特新企业", "specialised and innovative ('专精特新')"),
        "ip_demo_national": ("国家知识产权示范企业", "national IP demonstration enterprise"),
        "ip_adv_national": ("国家知识产权优势企业", "national IP advantage enterprise"),
        "ip_demo_municipal": ("市级知识产权示范企业", "municipal IP demonstration enterprise"),
        "ip_adv_municipal": ("市级知识产权优势企业", "municipal IP advantage enterprise"),
        "ip_pilot_district": ("区级知识产权试点企业", "district IP pilot enterprise"),
        "gbt29490": ("知识产权管理规范贯标认证", "GB/T 29490 certified"),
        "ip_hosting": ("知识产权托管", "IP hosting (托管) service"),
        "trademark_demo": ("商标战略实施示范企业", "trademark strategy demonstration enterprise"),
        "copyright_demo": ("版权示范单位", "copyright demonstration unit"),
        "ip_intensive_university": ("知识产权密集型高校/科研组织", "IP-intensive university / institute"),
    },
    "case_kind": {
        "admin_patent_dispute": ("专利侵权纠纷行政裁决", "administrative adjudication of patent dispute"),
        "admin_trademark": ("商标违法案件", "trademark enforcement case"),
        "admin_counterfeit_patent": ("假冒专利案件", "patent counterfeiting case"),
        "admin_copyright": ("版权行政执法案件", "copyright enforcement case"),
        "civil": ("知识产权民事案件", "civil IP case"),
        "criminal": ("知识产权刑事案件", "criminal IP case"),
        "mediation": ("调解/仲裁", "mediation / arbitration"),
        "preexam": ("专利预审", "patent pre-examination"),
        "fast_confirm": ("快速确权", "fast rights confirmation"),
        "fast_enforce": ("快速维权", "fast rights enforcement"),
    },
    "ip_right": {
        "patent": ("专利", "patent"),
        "trademark": ("商标", "trademark"),
        "copyright": ("著作权", "copyright"),
        "trade_secret": ("商业秘密", "trade secret"),
        "gi": ("地理标志", "geographical indication"),
        "other": ("其他", "other"),
    },
    "case_status": {
        "received": ("收案", "received"),
        "accepted": ("立案", "accepted"),
        "suspended": ("中止", "suspended"),
        "resumed": ("恢复", "resumed"),
        "extended": ("延期", "extended"),
        "closed": ("结案", "closed"),
    },
    "case_outcome": {
        "infringement_found": ("认定侵权", "infringement found"),
        "no_infringement": ("不构成侵权", "no infringement"),
        "settled": ("调解结案", "settled"),
        "withdrawn": ("撤回", "withdrawn"),
        "transferred": ("移送", "transferred"),
        "penalty": ("行政处罚", "penalty imposed"),
        "convicted": ("判决有罪", "convicted"),
        "granted_fast": ("已授权/确权", "granted / confirmed"),
        "other": ("其他", "other"),
    },
    "party_side": {
        "complainant": ("请求人/原告/权利人", "complainant / right holder"),
        "respondent": ("被请求人/被告/侵权人", "respondent / infringer"),
    },
    "credit_reason": {
        "abnormal_patent_application": ("非正常专利申请", "abnormal patent application"),
        "malicious_trademark": ("恶意商标注册申请", "malicious trademark application"),
        "illegal_agency": ("违法从事专利、商标代理", "illegal patent/trademark agency"),
        "false_materials": ("提交虚假材料或隐瞒重要事实", "false materials"),
        "broken_commitment": ("信用承诺不实或未履行", "broken credit commitment"),
        "refused_execution": ("拒不履行行政处罚、行政裁决", "refused to execute a decision"),
        "repeat_infringement": ("重复侵权、故意侵权", "repeat / wilful infringement"),
        "other": ("其他", "other"),
    },
    "right_kind": {
        "patent": ("专利", "patent"),
        "trademark": ("商标", "trademark"),
        "copyright": ("著作权", "copyright"),
        "mixed": ("专利商标混合", "mixed patent and trademark"),
    },
    "transaction_kind": {
        "assignment": ("转让", "assignment"),
        "license": ("许可", "licence"),
        "offer": ("挂牌交易/许可展示", "offered for transaction or licence"),
    },
    "program": {
        "navigation_industry": ("产业规划类专利导航项目", "industry patent-navigation project"),
        "navigation_enterprise": ("企业运营类专利导航项目", "enterprise patent-navigation project"),
        "operation_platform": ("专业化知识产权运营服务平台", "IP operation service platform"),
        "service_institution": ("知识产权服务机构", "IP service institution"),
        "alliance": ("知识产权服务创新联盟", "IP service innovation alliance"),
        "training": ("知识产权培训/研修活动", "IP training event"),
        "hv_portfolio": ("高价值专利组合", "high-value patent portfolio"),
        "hv_center": ("高价值专利培育示范中心", "high-value patent cultivation centre"),
        "financial_institution": ("引进的知识产权金融机构", "financial institution introduced"),
        "killer_product": ("“杀手锏”产品", "'killer' product"),
        "research_institute": ("研究院/创新平台", "research institute / innovation platform"),
        "ip_town": ("知识产权特色小镇", "IP-themed town"),
        "circuit_court": ("知识产权巡回审判点", "IP circuit trial point"),
        "overseas_pilot": ("海外专利保护试点", "overseas patent protection pilot"),
        "enterprise_upgrade": ("转型升级企业", "enterprise upgraded"),
        "sme_first_patent": ("中小企业专利消零", "SME first application / first invention grant"),
        "star_listing": ("科创板上市辅导", "STAR-market listing coaching"),
        "education_school": ("知识产权教育示范校", "IP education demonstration school"),
        "competition": ("知识产权创新创业大赛", "IP innovation competition"),
        "forum": ("京津冀知识产权论坛", "Beijing-Tianjin-Hebei IP forum"),
        "think_tank_expert": ("知识产权智库专家", "IP think-tank expert"),
        "milestone": ("里程碑事项", "milestone"),
        "award": ("中国专利奖/国家科学技术奖", "China Patent Award / national S&T award"),
    },
    "program_status": {
        "planned": ("立项", "approved"),
        "in_progress": ("实施中", "in progress"),
        "midterm": ("中期", "mid-term"),
        "accepted": ("验收通过", "accepted"),
        "completed": ("已完成", "completed"),
        "cancelled": ("终止", "cancelled"),
    },
    "region_level": {
        "province": ("省级", "province"),
        "city": ("地级", "prefecture"),
        "district": ("区县", "district"),
        "zone": ("功能区", "functional zone"),
        "street": ("街镇", "street / town"),
    },
    "region_fact": {
        "population": ("常住人口", "resident population"),
        "gdp": ("地区生产总值", "GDP"),
        "new_enterprises": ("新增企业数", "new enterprises registered"),
        "copyright_industry_va": ("版权产业增加值", "copyright-industry value added"),
    },
    "batch_status": {
        "committed": ("已导入", "committed"),
        "duplicate_file": ("重复文件", "duplicate file"),
        "failed": ("失败", "failed"),
    },
}


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    zh: str
    en: str
    required: bool = False
    enum: str | None = None  # key into ENUMS
    note: str = ""

    def __post_init__(self) -> None:
        if self.type not in DUCK_TYPES:
            raise ValueError(f"field {self.name}: unknown type {self.type!r}")
        if self.enum is not None and self.enum not in ENUMS:
            raise ValueError(f"field {self.name}: unknown enum {self.enum!r}")

    @property
    def sql_type(self) -> str:
        return DUCK_TYPES[self.type]


@dataclass(frozen=True)
class Table:
    name: str
    zh: str
    en: str
    key: tuple[str, ...]
    fields: tuple[Field, ...]
    doc: str = ""
    history: bool = False  # rows are dated events: never overwritten, only appended

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]


@dataclass(frozen=True)
class Kind:
    """What one import batch holds: a main table and its child tables."""

    name: str
    zh: str
    en: str
    main: str
    children: tuple[str, ...] = ()
    doc: str = ""
    tables: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tables", (self.main, *self.children))


def F(name, type_, zh, en, **kw) -> Field:  # noqa: N802 - reads like a table row
    return Field(name, type_, zh, en, **kw)


# Common trailing columns: which batch brought the row.
_BATCH = F("batch_id", "int", "导入批次", "import batch")
_REGION = F("region_code", "str", "所属区域代码", "region code", note="code from the region table")

_TABLES: list[Table] = [
    # ---------------------------------------------------------------- patents
    Table(
        "patent", "专利", "patent", ("patent_id",),
        (
            F("patent_id", "str", "申请号(规范)", "application no. (normalized)", required=True,
              note="country + year/serial without check digit, e.g. CN201910012345"),
            F("application_no", "str", "申请号", "application no. as published",
              note="empty only for records known by their publication number alone (CNKI lists)"),
            F("publication_no", "str", "公开(公告)号", "publication no."),
            F("grant_no", "str", "授权公告号", "grant publication no."),
            F("kind", "str", "专利类型", "patent kind", required=True, enum="patent_kind"),
            F("filing_date", "date", "申请日", "filing date", required=True),
            F("publication_date", "date", "公开日", "publication date"),
            F("grant_date", "date", "授权公告日", "grant date"),
            F("priority_date", "date", "最早优先权日", "earliest priority date"),
            F("title", "str", "发明名称", "title", required=True),
            F("title_en", "str", "英文名称", "English title"),
            F("abstract", "str", "摘要", "abstract"),
            F("claims_count", "int", "权利要求数", "number of claims"),
            F("ipc_main", "str", "IPC主分类号", "main IPC"),
            F("applicant_address", "str", "申请人地址", "applicant's address"),
            F("applicant_region", _REGION.type, "申请人所属区域", "applicant's region code"),
            F("owner_address", "str", "专利权人地址", "owner's address at grant"),
            F("owner_region", _REGION.type, "专利权人所属区域", "owner's region code at grant"),
            F("region_code", "str", "统计归属区域", "region of attribution",
              note="CNIPA basis: owner's address for grants announced up to 2020-12-31, applicant's after"),
            F("attribution_basis", "str", "统计口径", "attribution basis", enum="attribution_basis"),
            F("country", "str", "受理局", "office", note="CN, US, EP…"),
            F("domestic", "bool", "国内申请人", "domestic (not HK/MO/TW/foreign) applicant"),
            F("pct", "bool", "PCT申请", "PCT application"),
            F("pct_application_no", "str", "PCT申请号", "PCT application no."),
            F("pct_date", "date", "PCT国际申请日", "PCT international filing date"),
            F("family_id", "str", "同族ID", "family id"),
            F("family_size", "int", "同族数量", "family size"),
            F("foreign_family", "bool", "海外同族授权", "granted foreign family member"),
            F("cited_by_count", "int", "被引用次数", "times cited"),
            F("industry", "str", "所属产业", "plan industry", note="one of the plan's seven industries, when known"),
            F("status", "str", "当前法律状态", "current legal status", enum="patent_status",
              note="a cache of the latest event; as-of queries use patent_event"),
            F("synthetic", "bool", "合成数据", "synthetic demo record"),
            _BATCH,
        ),
        doc="One row per application. Dates, kind, titles and the region of attribution; "
            "legal status over time lives in patent_event.",
    ),
    Table(
        "patent_party", "专利当事人", "patent party", ("patent_id", "role", "seq"),
        (
            F("patent_id", "str", "申请号(规范)", "application no.", required=True),
            F("role", "str", "角色", "role", required=True, enum="party_role"),
            F("seq", "int", "顺序", "order", required=True),
            F("name", "str", "名称", "name as written", required=True),
            F("name_norm", "str", "规范名称", "normalized name"),
            F("entity_id", "str", "主体ID", "resolved entity"),
            F("country", "str", "国别", "country"),
            F("address", "str", "地址", "address"),
            _BATCH,
        ),
        doc="Applicants, owners, inventors and agents of a patent, in order as published.",
    ),
    Table(
        "patent_ipc", "专利IPC分类", "patent IPC code", ("patent_id", "ipc"),
        (
            F("patent_id", "str", "申请号(规范)", "application no.", required=True),
            F("ipc", "str", "IPC分类号", "IPC code (normalized, e.g. G06F17/30)", required=True),
            F("subclass", "str", "IPC小类", "IPC subclass (G06F)", required=True),
            F("seq", "int", "顺序", "order"),
            F("is_main", "bool", "主分类", "main classification"),
            _BATCH,
        ),
        doc="Every IPC code of a patent, normalized, the main one flagged.",
    ),
    Table(
        "patent_event", "法律状态事件", "legal-status event", ("patent_id", "event_date", "event"),
        (
            F("patent_id", "str", "申请号(规范)", "application no.", required=True),
            F("event_date", "date", "事件日期", "event date", required=True),
            F("event", "str", "事件", "event", required=True, enum="patent_event"),
            F("status_after", "str", "事件后状态", "status after the event", enum="patent_status"),
            F("note", "str", "说明", "note"),
            _BATCH,
        ),
        history=True,
        doc="Dated legal-status events. The status of a patent at date D is the status_after of its "
            "latest status-changing event on or before D.",
    ),
    Table(
        "patent_citation", "引用", "citation", ("citing_id", "cited_no"),
        (
            F("citing_id", "str", "引用专利(申请号)", "citing patent", required=True),
            F("cited_no", "str", "被引文献号", "cited document no.", required=True),
            F("cited_id", "str", "被引专利(申请号)", "cited patent when in the store"),
            F("category", "str", "引用类别", "examiner / applicant / other"),
            _BATCH,
        ),
        doc="Backward citations; forward citations are the same rows read the other way.",
    ),
    Table(
        "patent_family", "同族", "family member", ("patent_id", "member_no"),
        (
            F("patent_id", "str", "申请号(规范)", "application no.", required=True),
            F("member_no", "str", "同族文献号", "family member publication no.", required=True),
            F("country", "str", "国别", "office"),
            F("granted", "bool", "已授权", "granted"),
            _BATCH,
        ),
        doc="Family members of a patent in other offices (a granted foreign member is one of CNIPA's "
            "high-value categories).",
    ),
    # ------------------------------------------------------------- trademarks
    Table(
        "trademark", "商标", "trademark", ("reg_no", "nice_class"),
        (
            F("reg_no", "str", "注册号/申请号", "registration or application no.", required=True),
            F("nice_class", "int", "国际分类", "Nice class", required=True),
            F("mark_name", "str", "商标名称", "mark"),
            F("owner", "str", "注册人", "registrant", required=True),
            F("entity_id", "str", "主体ID", "resolved entity"),
            F("owner_address", "str", "注册人地址", "registrant's address"),
            _REGION,
            F("application_date", "date", "申请日", "application date", required=True),
            F("registration_date", "date", "注册日", "registration date"),
            F("expiry_date", "date", "专用权期限截止", "expiry of exclusive right"),
            F("status", "str", "商标状态", "status", enum="trademark_status"),
            F("madrid", "bool", "马德里国际注册", "Madrid international registration"),
            F("well_known", "bool", "驰名商标", "well-known mark"),
            F("geo_indication", "bool", "地理标志", "geographical indication"),
            F("synthetic", "bool", "合成数据", "synthetic demo record"),
            _BATCH,
        ),
        doc="One row per mark and Nice class. Registered marks in force at a date are those "
            "registered on or before it, not yet expired and not cancelled (see trademark_event).",
    ),
    Table(
        "trademark_event", "商标状态事件", "trademark event", ("reg_no", "nice_class", "event_date", "status_after"),
        (
            F("reg_no", "str", "注册号", "registration no.", required=True),
            F("nice_class", "int", "国际分类", "Nice class", required=True),
            F("event_date", "date", "事件日期", "event date", required=True),
            F("status_after", "str", "事件后状态", "status after", required=True, enum="trademark_status"),
            _BATCH,
        ),
        history=True,
        doc="Dated status changes of a mark (registered, renewed, cancelled…).",
    ),
    # -------------------------------------------------------------- copyright
    Table(
        "copyright", "著作权登记", "copyright registration", ("reg_no",),
        (
            F("reg_no", "str", "登记号", "registration no.", required=True),
            F("kind", "str", "登记类别", "kind", required=True, enum="copyright_kind"),
            F("title", "str", "作品/软件名称", "title", required=True),
            F("category", "str", "作品类别", "category (文字、美术、软件…)"),
            F("owner", "str", "著作权人", "owner", required=True),
            F("entity_id", "str", "主体ID", "resolved entity"),
            _REGION,
            F("completion_date", "date", "创作完成日期", "completion date"),
            F("registration_date", "date", "登记日期", "registration date", required=True),
            F("synthetic", "bool", "合成数据", "synthetic demo record"),
            _BATCH,
        ),
        doc="Software and works copyright registrations.",
    ),
    # --------------------------------------------------------------- entities
    Table(
        "entity", "创新主体", "entity", ("entity_id",),
        (
            F("entity_id", "str", "主体ID", "entity id", required=True),
            F("name", "str", "名称", "canonical name", required=True),
            F("name_en", "str", "英文名称", "English name"),
            F("uscc", "str", "统一社会信用代码", "unified social credit code"),
            F("kind", "str", "主体类型", "kind", required=True, enum="entity_kind"),
            F("address", "str", "地址", "address"),
            _REGION,
            F("industry", "str", "所属产业", "plan industry"),
            F("founded", "date", "成立日期", "founded"),
            F("synthetic", "bool", "合成数据", "synthetic demo record"),
            _BATCH,
        ),
        doc="Enterprises, universities, institutes, agencies, banks… that own or handle IP.",
    ),
    Table(
        "entity_alias", "名称变体", "name variant", ("name_norm",),
        (
            F("name_norm", "str", "规范名称", "normalized name", required=True),
            F("entity_id", "str", "主体ID", "entity", required=True),
            F("rule", "str", "归并规则", "rule that grouped it"),
            F("confidence", "float", "置信度", "confidence"),
            F("manual", "bool", "人工指定", "manual override"),
            _BATCH,
        ),
        doc="Which normalized name belongs to which entity, with the rule and confidence; manual "
            "rows override automatic grouping and survive re-imports.",
    ),
    Table(
        "entity_flag", "主体资质", "entity flag", ("entity_id", "flag", "valid_from"),
        (
            F("entity_id", "str", "主体ID", "entity", required=True),
            F("flag", "str", "资质", "flag", required=True, enum="entity_flag"),
            F("valid_from", "date", "认定日期", "valid from", required=True),
            F("valid_to", "date", "有效期至", "valid to (exclusive; empty = open)"),
            F("source", "str", "认定部门/文件", "granting body or document"),
            _BATCH,
        ),
        history=True,
        doc="Dated designations (high-tech, SME, 专精特新, IP advantage / demonstration / pilot, "
            "GB/T 29490, hosting). A flag holds at D when valid_from ≤ D < valid_to.",
    ),
    # ------------------------------------------------------------------ cases
    Table(
        "ip_case", "案件", "case", ("case_id",),
        (
            F("case_id", "str", "案件编号", "case no.", required=True),
            F("kind", "str", "案件类型", "case kind", required=True, enum="case_kind"),
            F("ip_right", "str", "权利类型", "IP right", required=True, enum="ip_right"),
            F("department", "str", "承办部门", "handling department", required=True),
            F("right_no", "str", "涉案权利号", "right concerned (patent / trademark no.)"),
            F("received_date", "date", "收案日期", "received", required=True),
            F("accepted_date", "date", "立案日期", "accepted"),
            F("deadline_date", "date", "法定期限", "statutory deadline (computed)"),
            F("closed_date", "date", "结案日期", "closed"),
            F("outcome", "str", "处理结果", "outcome", enum="case_outcome"),
            F("amount_yuan", "float", "涉案金额(元)", "amount involved (yuan)"),
            F("internal_note", "str", "内部备注", "internal note (never public)"),
            _REGION,
            F("synthetic", "bool", "合成数据", "synthetic demo record"),
            _BATCH,
        ),
        doc="Administrative, civil and criminal cases and the protection centre's fast track.",
    ),
    Table(
        "case_party", "案件当事人", "case party", ("case_id", "side", "seq"),
        (
            F("case_id", "str", "案件编号", "case no.", required=True),
            F("side", "str", "当事人地位", "side", required=True, enum="party_side"),
            F("seq", "int", "顺序", "order", required=True),
            F("name", "str", "名称", "name", required=True),
            F("entity_id", "str", "主体ID", "resolved entity"),
            F("is_person", "bool", "自然人", "natural person (personal data)"),
            _BATCH,
        ),
        doc="Complainants and respondents of a case; natural persons are personal data.",
    ),
    Table(
        "case_event", "案件进程", "case event", ("case_id", "event_date", "status"),
        (
            F("case_id", "str", "案件编号", "case no.", required=True),
            F("event_date", "date", "日期", "date", required=True),
            F("status", "str", "状态", "status", required=True, enum="case_status"),
            F("days", "int", "延长/中止天数", "days extended or suspended"),
            F("note", "str", "说明", "note"),
            _BATCH,
        ),
        history=True,
        doc="Dated steps of a case: acceptance, extensions, suspensions, closure.",
    ),
    # ----------------------------------------------------------------- credit
    Table(
        "credit_entry", "失信主体", "dishonest-entity entry", ("entry_id",),
        (
            F("entry_id", "str", "记录编号", "entry no.", required=True),
            F("name", "str", "主体名称", "name", required=True),
            F("uscc", "str", "统一社会信用代码", "USCC"),
            F("entity_id", "str", "主体ID", "resolved entity"),
            F("reason", "str", "失信行为", "reason", required=True, enum="credit_reason"),
            F("decision_no", "str", "认定文书号", "decision no."),
            F("decision_date", "date", "认定日期", "decision date", required=True),
            F("start_date", "date", "惩戒起始", "sanction from", required=True),
            F("end_date", "date", "惩戒截止", "sanction to"),
            F("source_department", "str", "认定部门", "deciding department", required=True),
            F("joint_punishment", "bool", "联合惩戒", "joint punishment"),
            F("public", "bool", "公开", "published"),
            F("synthetic", "bool", "合成数据", "synthetic demo record"),
            _BATCH,
        ),
        doc="The dishonest-entity list with its period and joint-punishment flag.",
    ),
    # --------------------------------------------------------------- finance
    Table(
        "pledge", "质押融资", "pledge", ("pledge_id",),
        (
            F("pledge_id", "str", "质押登记号", "pledge registration no.", required=True),
            F("pledgor", "str", "出质人", "pledgor", required=True),
            F("pledgor_entity_id", "str", "出质人主体ID", "pledgor entity"),
            F("pledgee", "str", "质权人", "pledgee (bank)", required=True),
            F("pledgee_entity_id", "str", "质权人主体ID", "pledgee entity"),
            F("right_kind", "str", "质押权利类型", "rights pledged", required=True, enum="right_kind"),
            F("amount_yuan", "float", "融资金额(元)", "amount (yuan)", required=True),
            F("registration_date", "date", "登记日期", "registered", required=True),
            F("release_date", "date", "解除日期", "released"),
            _REGION,
            F("synthetic", "bool", "合成数据", "synthetic demo record"),
            _BATCH,
        ),
        doc="Pledge financing contracts; amounts are per contract, not per right.",
    ),
    Table(
        "pledge_right", "质押标的", "pledged right", ("pledge_id", "right_no"),
        (
            F("pledge_id", "str", "质押登记号", "pledge no.", required=True),
            F("right_no", "str", "权利号", "patent id / trademark no.", required=True),
            F("right_kind", "str", "权利类型", "right kind", required=True, enum="right_kind"),
            _BATCH,
        ),
        doc="The patents and marks a pledge covers.",
    ),
    Table(
        "insurance", "知识产权保险", "IP insurance policy", ("policy_id",),
        (
            F("policy_id", "str", "保单号", "policy no.", required=True),
            F("insured", "str", "投保人", "insured", required=True),
            F("entity_id", "str", "主体ID", "resolved entity"),
            F("insurer", "str", "保险公司", "insurer", required=True),
            F("product", "str", "险种", "product"),
            F("amount_yuan", "float", "保险金额(元)", "sum insured (yuan)", required=True),
            F("premium_yuan", "float", "保费(元)", "premium (yuan)"),
            F("start_date", "date", "起保日期", "start", required=True),
            F("end_date", "date", "终止日期", "end"),
            _REGION,
            F("synthetic", "bool", "合成数据", "synthetic demo record"),
            _BATCH,
        ),
        doc="IP insurance policies (patent enforcement, infringement loss, agency liability…).",
    ),
    Table(
        "ip_transaction", "知识产权交易", "transaction", ("txn_id",),
        (
            F("txn_id", "str", "交易编号", "transaction no.", required=True),
            F("kind", "str", "交易类型", "kind", required=True, enum="transaction_kind"),
            F("right_kind", "str", "权利类型", "right kind", required=True, enum="right_kind"),
            F("right_no", "str", "权利号", "right no.", required=True),
            F("from_party", "str", "让与人/许可人", "assignor / licensor", required=True),
            F("to_party", "str", "受让人/被许可人", "assignee / licensee"),
            F("amount_yuan", "float", "金额(元)", "amount (yuan)"),
            F("txn_date", "date", "日期", "date", required=True),
            _REGION,
            F("synthetic", "bool", "合成数据", "synthetic demo record"),
            _BATCH,
        ),
        doc="Assignments, licences and rights offered for transaction (项目交易展示).",
    ),
    # -------------------------------------------------------------- programme
    Table(
        "program_item", "工作台账", "programme ledger item", ("item_id",),
        (
            F("item_id", "str", "台账编号", "item no.", required=True),
            F("program", "str", "台账类别", "ledger", required=True, enum="program"),
            F("name", "str", "名称", "name", required=True),
            F("entity_id", "str", "主体ID", "entity"),
            F("department", "str", "责任部门", "responsible department", required=True),
            F("status", "str", "状态", "status", required=True, enum="program_status"),
            F("start_date", "date", "开始/立项日期", "start", required=True),
            F("end_date", "date", "完成/验收日期", "completed / accepted"),
            F("quantity", "float", "数量", "quantity (participants, amount…)"),
            F("members", "str", "组成(专利号列表等)", "members (e.g. patent ids, ; separated)"),
            _REGION,
            F("note", "str", "备注", "note"),
            F("synthetic", "bool", "合成数据", "synthetic demo record"),
            _BATCH,
        ),
        doc="The plan's ledgers: navigation projects, platforms, alliances, trainings, portfolios, "
            "institutions introduced, killer products…",
    ),
    # ---------------------------------------------------------------- regions
    Table(
        "region", "区域", "region", ("region_code",),
        (
            F("region_code", "str", "区域代码", "code", required=True),
            F("name", "str", "名称", "name", required=True),
            F("name_en", "str", "英文名称", "English name"),
            F("level", "str", "层级", "level", required=True, enum="region_level"),
            F("parent_code", "str", "上级代码", "parent code"),
            F("zone", "str", "所属功能区", "functional zone"),
            _BATCH,
        ),
        doc="Region reference: province → city → district → functional zone / street.",
    ),
    Table(
        "region_fact", "区域统计", "region fact", ("region_code", "year", "fact", "vintage"),
        (
            F("region_code", "str", "区域代码", "region", required=True),
            F("year", "int", "年份", "year", required=True),
            F("fact", "str", "指标", "fact", required=True, enum="region_fact"),
            F("value", "float", "数值", "value", required=True),
            F("unit", "str", "单位", "unit"),
            F("source", "str", "来源", "source", required=True),
            F("vintage", "str", "口径/版本", "vintage (e.g. 2020 census revision)", required=True),
            _BATCH,
        ),
        doc="Population, GDP, new enterprises… by year, each with its source and vintage.",
    ),
    # ---------------------------------------------------------------- search
    Table(
        "saved_search", "保存的检索式", "saved search", ("name",),
        (
            F("name", "str", "检索式名称", "name", required=True),
            F("query", "str", "检索式", "query (search language, see docs/search.md)", required=True),
            F("description", "str", "说明", "description"),
            F("created_by", "str", "创建人", "created by"),
            F("created_at", "timestamp", "保存时间", "saved at"),
            _BATCH,
        ),
        doc="Named patent searches (an analyst's patent set); saving again under a name replaces its query.",
    ),
]

TABLES: dict[str, Table] = {t.name: t for t in _TABLES}

KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        Kind("patents", "专利", "patents", "patent",
             ("patent_party", "patent_ipc", "patent_event", "patent_citation", "patent_family")),
        Kind("trademarks", "商标", "trademarks", "trademark", ("trademark_event",)),
        Kind("copyrights", "著作权登记", "copyright registrations", "copyright"),
        Kind("entities", "创新主体", "entities", "entity", ("entity_alias",)),
        Kind("entity_flags", "主体资质", "entity flags", "entity_flag"),
        Kind("cases", "案件", "cases", "ip_case", ("case_party", "case_event")),
        Kind("credit", "失信主体", "credit entries", "credit_entry"),
        Kind("pledges", "质押融资", "pledges", "pledge", ("pledge_right",)),
        Kind("insurance", "知识产权保险", "insurance policies", "insurance"),
        Kind("transactions", "知识产权交易", "transactions", "ip_transaction"),
        Kind("programs", "工作台账", "programme ledgers", "program_item"),
        Kind("regions", "区域", "regions", "region"),
        Kind("region_facts", "区域统计", "region facts", "region_fact"),
        Kind("saved_searches", "保存的检索式", "saved searches", "saved_search"),
    ]
}


def table(name: str) -> Table:
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"unknown table {name!r}; known: {', '.join(TABLES)}") from None


def kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"unknown record kind {name!r}; known: {', '.join(KINDS)}") from None


def enum_label(enum: str, code: str | None, lang: str = "zh") -> str:
    """The label of an enumeration code in a language (the code itself when unknown)."""
    if code is None:
        return ""
    zh_en = ENUMS[enum].get(code)
    return code if zh_en is None else zh_en[0 if lang == "zh" else 1]


def enum_code(enum: str, text: str) -> str | None:
    """The code for a code, a Chinese label or an English label (case-insensitive)."""
    t = text.strip()
    values = ENUMS[enum]
    if t in values:
        return t
    low = t.lower()
    for code, (zh, en) in values.items():
        if t == zh or low == en.lower() or low == code.lower():
            return code
    return None
