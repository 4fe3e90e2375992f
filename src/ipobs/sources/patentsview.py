"""PatentsView bulk tables (tab-separated) → canonical patents.

Both generations of PatentsView's download tables are read:

- the current ``g_*`` tables (``g_patent``, ``g_application``, ``g_patent_abstract``,
  ``g_assignee_disambiguated`` / ``_not_disambiguated``, ``g_inventor_disambiguated`` /
  ``_not_disambiguated``, ``g_location_disambiguated``, ``g_ipc_at_issue``,
  ``g_us_patent_citation``, ``g_foreign_citation``);
- the older raw tables (``patent``, ``application``, ``rawassignee``, ``rawinventor``,
  ``rawlocation``, ``ipcr``, ``uspatentcitation``, ``foreigncitation``).

Which column means what is the data in :data:`TABLES` (one entry per table role, the
header names of both generations). Input is a ZIP holding several tables, or one table
file: the other tables are then looked for in the same folder (the batch warnings list
which were read). PatentsView keys patents by grant number; the canonical key is the
application number, so the application table is required: a patent without an application
row is rejected with that reason. Child rows whose patent is not in the patent table are
rejected too (they are reported, never dropped).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ipobs.records.batch import RecordBatch
from ipobs.sources.patentdoc import PatentBatchBuilder, PatentDoc, citation_category, office_patent_id, us_kind, ymd
from ipobs.sources.registry import Source, register
from ipobs.sources.textfile import read_rows


@dataclass(frozen=True)
class TableSpec:
    role: str
    files: tuple[str, ...]  # file stems, current and legacy
    columns: dict[str, tuple[str, ...]]  # canonical column -> header names it may have


TABLES: tuple[TableSpec, ...] = (
    TableSpec("patent", ("g_patent", "patent"), {
        "patent": ("patent_id", "id"), "type": ("patent_type", "type"), "date": ("patent_date", "date"),
        "title": ("patent_title", "title"), "abstract": ("patent_abstract", "abstract"),
        "kind": ("wipo_kind", "kind"), "claims": ("num_claims",), "withdrawn": ("withdrawn",)}),
    TableSpec("application", ("g_application", "application"), {
        "patent": ("patent_id",), "number": ("application_id", "number"),
        "date": ("filing_date", "date"), "series": ("series_code",)}),
    TableSpec("abstract", ("g_patent_abstract",), {"patent": ("patent_id",), "abstract": ("patent_abstract",)}),
    TableSpec("assignee", ("g_assignee_disambiguated", "g_assignee_not_disambiguated", "rawassignee"), {
        "patent": ("patent_id",), "sequence": ("assignee_sequence", "sequence"),
        "org": ("disambig_assignee_organization", "raw_assignee_organization", "organization"),
        "first": ("disambig_assignee_individual_name_first", "raw_assignee_individual_name_first", "name_first"),
        "last": ("disambig_assignee_individual_name_last", "raw_assignee_individual_name_last", "name_last"),
        "location": ("location_id", "rawlocation_id")}),
    TableSpec("inventor", ("g_inventor_disambiguated", "g_inventor_not_disambiguated", "rawinventor"), {
        "patent": ("patent_id",), "sequence": ("inventor_sequence", "sequence"),
        "first": ("disambig_inventor_name_first", "raw_inventor_name_first", "name_first"),
        "last": ("disambig_inventor_name_last", "raw_inventor_name_last", "name_last"),
        "location": ("location_id", "rawlocation_id")}),
    TableSpec("location", ("g_location_disambiguated", "g_location_not_disambiguated", "rawlocation"), {
        "id": ("location_id", "id", "rawlocation_id"), "city": ("disambig_city", "raw_city", "city"),
        "state": ("disambig_state", "raw_state", "state"), "country": ("disambig_country", "raw_country", "country")}),
    TableSpec("ipc", ("g_ipc_at_issue", "ipcr"), {
        "patent": ("patent_id",), "section": ("section",), "class": ("ipc_class",), "subclass": ("subclass",),
        "group": ("main_group",), "subgroup": ("subgroup",), "sequence": ("ipc_sequence", "sequence")}),
    TableSpec("citation", ("g_us_patent_citation", "uspatentcitation"), {
        "patent": ("patent_id",), "cited": ("citation_patent_id", "citation_id"), "kind": ("wipo_kind", "kind"),
        "category": ("citation_category", "category"), "sequence": ("citation_sequence", "sequence")}),
    TableSpec("foreign_citation", ("g_foreign_citation", "foreigncitation"), {
        "patent": ("patent_id",), "number": ("citation_application_id", "number"),
        "country": ("citation_country", "country"), "category": ("citation_category", "category")}),
)
_BY_STEM = {stem: spec for spec in TABLES for stem in spec.files}
_NAME = re.compile(r"^(.*?)\.(tsv|txt|csv)(\.zip)?$", re.I)


@dataclass
class Table:
    spec: TableSpec
    file: str
    rows: list[tuple[int, dict]]  # (row number, canonical column -> value)


def _stem(name: str) -> str | None:
    m = _NAME.match(Path(name).name)
    return m.group(1).lower() if m else None


def _load(name: str, data: bytes, problems: list) -> Table | None:
    spec = _BY_STEM.get(_stem(name) or "")
    if spec is None:
        return None
    delimiter = "," if name.lower().endswith(".csv") else "\t"
    header, rows, _enc, bad = read_rows(data, delimiter)
    for no, msg in bad:
        problems.append((name, no, msg))
    index = {}
    low = [h.lower() for h in header]
    for canon, names in spec.columns.items():
        for n in names:
            if n in low:
                index[canon] = low.index(n)
                break
    if "patent" not in index and spec.role != "location":
        problems.append((name, 1, f"no patent_id column in the header of {name}"))
        return Table(spec, name, [])
    out = [(no, {c: (cells[i].strip() if i < len(cells) else "") for c, i in index.items()}) for no, cells in rows]
    return Table(spec, name, out)


def _gather(path: Path, problems: list) -> tuple[dict[str, Table], list[str]]:
    """The tables of a ZIP, or of a table file and its siblings in the same folder."""
    tables: dict[str, Table] = {}
    read: list[str] = []

    def take(name: str, data: bytes) -> None:
        t = _load(name, data, problems)
        if t is not None and t.spec.role not in tables:
            tables[t.spec.role] = t
            read.append(name)

    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                if not info.is_dir():
                    take(Path(info.filename).name, z.read(info))
        return tables, read
    take(path.name, path.read_bytes())
    for sib in sorted(path.parent.iterdir()):
        if sib != path and sib.is_file() and _stem(sib.name) in _BY_STEM:
            if sib.suffix.lower() == ".zip" and zipfile.is_zipfile(sib):
                with zipfile.ZipFile(sib) as z:
                    for info in z.infolist():
                        if not info.is_dir():
                            take(Path(info.filename).name, z.read(info))
            else:
                take(sib.name, sib.read_bytes())
    return tables, read


def _application_number(number: str, series: str | None) -> str:
    """``14/185552`` or legacy ``2010/29381217`` or ``29381217`` → the 8-digit series + serial."""
    parts = [p for p in re.split(r"[/\s]", number) if p]
    if len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) == 8:
        return parts[1]
    digits = "".join(ch for ch in number if ch.isdigit())
    if len(parts) == 2 and len(parts[0]) <= 2 and len(parts[1]) == 6:
        return f"{int(parts[0]):02d}{parts[1]}"
    if len(digits) == 6 and series and series.isdigit():
        return f"{int(series):02d}{digits}"
    return digits


def read(path: Path, kind: str | None = None, **_options) -> RecordBatch:
    """Read PatentsView tables into a ``patents`` batch (see the module docstring)."""
    path = Path(path)
    out = PatentBatchBuilder(path, "patentsview")
    problems: list = []
    tables, read_files = _gather(path, problems)
    for name, no, msg in problems:
        out.reject(no, msg, sheet=name)
    if read_files:
        out.warn("PatentsView tables read: " + ", ".join(read_files))
    if "patent" not in tables:
        out.reject(None, "no PatentsView patent table (g_patent.tsv or patent.tsv) in the input or beside it")
        return out.batch()
    apps = {}
    for no, r in tables.get("application", Table(TABLES[1], "", [])).rows:
        apps.setdefault(r.get("patent", ""), (no, r))
    abstracts = {r["patent"]: r.get("abstract") for _no, r in tables.get("abstract", Table(TABLES[2], "", [])).rows}
    locations = {r.get("id"): r for _no, r in tables.get("location", Table(TABLES[5], "", [])).rows}
    docs: dict[str, PatentDoc] = {}
    for no, r in tables["patent"].rows:
        number = r.get("patent", "")
        app = apps.get(number)
        if app is None:
            out.reject(no, f"patent {number} has no row in the application table (the canonical key is the "
                           "application number)", value=number, column="patent_id", sheet=tables["patent"].file)
            continue
        a = app[1]
        doc = PatentDoc(row=no, sheet=tables["patent"].file)
        p = doc.patent
        app_no = _application_number(a.get("number", ""), a.get("series"))
        p["patent_id"] = office_patent_id("US", app_no)
        p["application_no"] = a.get("number") or None
        p["country"] = "US"
        p["kind"] = us_kind(r.get("type"), r.get("kind"), number)
        p["filing_date"] = ymd(a.get("date"))
        p["grant_date"] = p["publication_date"] = ymd(r.get("date"))
        p["grant_no"] = p["publication_no"] = f"US{number}{r.get('kind') or ''}" if number else None
        p["title"] = p["title_en"] = r.get("title") or None
        p["abstract"] = r.get("abstract") or abstracts.get(number) or None
        p["claims_count"] = r.get("claims") or None
        p["status"] = "granted"
        if r.get("withdrawn") in ("1", "true", "True"):
            out.warn(f"patent {number} is marked withdrawn by PatentsView; imported as granted with that note")
        docs[number] = doc
    _children(tables, docs, locations, out)
    for doc in docs.values():
        countries = [x["country"] for x in doc.parties if x["role"] == "applicant" and x["country"]]
        doc.patent["domestic"] = (countries[0] == "CN") if countries else None
        out.add(doc)
    return out.batch()


def _place(loc: dict | None) -> tuple[str | None, str | None]:
    if not loc:
        return None, None
    country = loc.get("country") or None
    place = ", ".join(x for x in (loc.get("city"), loc.get("state"), country) if x)
    return country, place or None


def _seq(r: dict) -> int:
    s = r.get("sequence", "")
    return int(s) if s.isdigit() else 1 << 30


def _children(tables: dict[str, Table], docs: dict[str, PatentDoc], locations: dict, out) -> None:
    def rows(role):
        t = tables.get(role)
        if t is None:
            return []
        ok = []
        for no, r in t.rows:
            if r.get("patent") in docs:
                ok.append((no, r))
            else:
                out.reject(no, f"patent {r.get('patent')} is not among the imported patents",
                           code="parent-rejected", value=r.get("patent"), column="patent_id", sheet=t.file)
        return sorted(ok, key=lambda x: (x[1]["patent"], _seq(x[1])))

    for _no, r in rows("inventor"):
        name = " ".join(x for x in (r.get("first"), r.get("last")) if x)
        docs[r["patent"]].party("inventor", name, *_place(locations.get(r.get("location"))))
    for _no, r in rows("assignee"):
        name = r.get("org") or " ".join(x for x in (r.get("first"), r.get("last")) if x)
        country, place = _place(locations.get(r.get("location")))
        docs[r["patent"]].party("applicant", name, country, place)
        docs[r["patent"]].party("owner", name, country, place)
    for _no, r in rows("ipc"):
        parts = [r.get(k, "") for k in ("section", "class", "subclass", "group", "subgroup")]
        if all(parts):
            docs[r["patent"]].ipc.append(f"{parts[0]}{parts[1]}{parts[2]} {parts[3]}/{parts[4]}")
    for _no, r in rows("citation"):
        cited = r.get("cited", "")
        if cited:
            docs[r["patent"]].citations.append((f"US{cited}{r.get('kind') or ''}", citation_category(r.get("category"))))
    for _no, r in rows("foreign_citation"):
        if r.get("number"):
            docs[r["patent"]].citations.append((f"{r.get('country') or ''}{r['number']}",
                                                citation_category(r.get("category"))))


def sniff(path: Path, head: bytes) -> float:
    stem = _stem(path.name)
    if stem in _BY_STEM:
        first = head.split(b"\n", 1)[0].lower()
        if b"patent_id" in first or b"\t" in first:
            return 0.85
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as z:
                stems = {_stem(Path(n).name) for n in z.namelist()[:500]}
        except (zipfile.BadZipFile, OSError):
            return 0.0
        if stems & {"g_patent", "patent"}:
            return 0.85
    return 0.0


register(Source("patentsview", "PatentsView bulk tables (g_*.tsv or legacy raw tables)", ("patents",), sniff, read))
