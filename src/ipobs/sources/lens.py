"""Lens.org patent search export (CSV) → canonical patents.

The export's columns (Lens, 2020s): ``#, Jurisdiction, Kind, Display Key, Lens ID,
Publication Date, Publication Year, Application Number, Application Date, Priority Numbers,
Earliest Priority Date, Title, Abstract, Applicants, Inventors, Owners, URL, Document Type,
Has Full Text, Cites Patent Count, Cited by Patent Count, Simple Family Size, Simple Family
Members, Simple Family Member Jurisdictions, Extended Family Size, Extended Family Members,
Extended Family Member Jurisdictions, Sequence Count, CPC Classifications, IPCR
Classifications, US Classifications, NPL Citation Count, NPL Resolved Citation Count, NPL
Resolved Lens ID(s), NPL Resolved External ID(s), NPL Citations, Legal Status``. Multi-valued
cells are separated by ``;;``.

One row is one publication; rows that are further publications of an application already
read (an A1 and its B1) are merged into it and listed in the warnings. ``patent_id`` is the
jurisdiction + the application number's digits (US series + serial; DOCDB's year prefix
dropped). Lens's *Legal Status* is a current status without a date: it fills
``patent.status`` (ACTIVE/PATENTED → in force, PENDING, EXPIRED, DISCONTINUED → withdrawn,
INACTIVE → lapsed); only the dated facts (filed, published, granted) become events. Columns
the schema does not hold (URL, CPC, US classes, NPL, Lens IDs of family members) are not
stored; family members given as publication keys are.
"""

from __future__ import annotations

import re
from pathlib import Path

from ipobs.records.batch import RecordBatch
from ipobs.sources import numbers
from ipobs.sources.patentdoc import PatentBatchBuilder, PatentDoc, merge_docs, ymd
from ipobs.sources.registry import Source, register
from ipobs.sources.textfile import read_rows

COLUMNS = ("#", "Jurisdiction", "Kind", "Display Key", "Lens ID", "Publication Date", "Publication Year",
           "Application Number", "Application Date", "Priority Numbers", "Earliest Priority Date", "Title",
           "Abstract", "Applicants", "Inventors", "Owners", "URL", "Document Type", "Has Full Text",
           "Cites Patent Count", "Cited by Patent Count", "Simple Family Size", "Simple Family Members",
           "Simple Family Member Jurisdictions", "Extended Family Size", "Extended Family Members",
           "Extended Family Member Jurisdictions", "Sequence Count", "CPC Classifications",
           "IPCR Classifications", "US Classifications", "NPL Citation Count", "NPL Resolved Citation Count",
           "NPL Resolved Lens ID(s)", "NPL Resolved External ID(s)", "NPL Citations", "Legal Status")
REQUIRED = ("Jurisdiction", "Lens ID", "Application Number", "Title")
STATUS = {"ACTIVE": "granted", "PATENTED": "granted", "PENDING": "pending", "EXPIRED": "expired",
          "DISCONTINUED": "withdrawn", "INACTIVE": "lapsed", "CEASED": "lapsed", "REVOKED": "invalidated"}
DOCUMENT_TYPES = {"Granted Patent": ("invention", True), "Patent Application": ("invention", False),
                  "Utility Model": ("utility", True), "Design Right": ("design", True),
                  "Limited Patent": ("invention", True), "Amended Patent": ("invention", True)}
_KEY = re.compile(r"^([A-Z]{2})\s*([0-9][0-9/,.\- ]*[0-9])\s*([A-Z]\d?)?$")


def split(cell: str | None) -> list[str]:
    """A ``;;``-separated Lens cell as a list (repeats removed, order kept)."""
    out: list[str] = []
    for part in (cell or "").split(";;"):
        p = part.strip()
        if p and p not in out:
            out.append(p)
    return out


def application_id(jurisdiction: str, number: str) -> str | None:
    """``patent_id`` of a Lens *Application Number* (``US 13/676,098 A``, ``CN 201380062258 A``…)."""
    t = number.strip().upper()
    cc = jurisdiction.strip().upper()
    m = re.match(r"^([A-Z]{2})\s+(.*)$", t)
    if m:
        cc, t = m.group(1), m.group(2)
    t = re.sub(r"\s+[A-Z]\d?$", "", t).strip()
    if cc == "US":
        parts = re.split(r"[/\s]", t.replace(",", ""))
        digits = re.sub(r"\D", "", t)
        if len(parts) == 2 and len(parts[0]) == 2 and len(parts[1]) == 6:
            digits = parts[0] + parts[1]
        elif len(digits) == 12 and digits.startswith(("19", "20")):
            digits = digits[4:]
        t = digits
    try:
        return numbers.parse_application_no(f"{cc}{t}").patent_id
    except numbers.NumberError:
        return None


def _owner(text: str) -> str:
    """``Example Inc (2022-01-01)`` → ``Example Inc`` (Lens stamps current owners with a date)."""
    return re.sub(r"\s*\(\d{4}-\d{2}-\d{2}\)\s*$", "", text).strip()


def _name_country(text: str) -> tuple[str, str | None]:
    m = re.match(r"^(.*?)\s*\[([A-Z]{2})\]\s*$", text)
    return (m.group(1).strip(), m.group(2)) if m else (text.strip(), None)


def read(path: Path, kind: str | None = None, encoding: str | None = None, **_options) -> RecordBatch:
    """Read a Lens patent CSV export into a ``patents`` batch."""
    path = Path(path)
    out = PatentBatchBuilder(path, "lens")
    header, rows, enc, problems = read_rows(path, ",", encoding)
    if enc not in ("utf-8", "utf-8-sig"):
        out.warn(f"read as {enc} (not UTF-8)")
    for no, msg in problems:
        out.reject(no, msg)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        out.reject(1, f"not a Lens patent export: column(s) {', '.join(missing)} missing from the header",
                   column=", ".join(missing))
        return out.batch()
    extra = [h for h in header if h and h not in COLUMNS]
    if extra:
        out.warn(f"columns not in the Lens export layout, not read: {', '.join(extra)}")
    idx = {h: i for i, h in enumerate(header) if h in COLUMNS}
    docs: dict[str, PatentDoc] = {}
    merged: list[int] = []
    for no, cells in rows:
        get = lambda col: (cells[idx[col]].strip() if col in idx and idx[col] < len(cells) else "")  # noqa: E731
        doc = _doc(no, get)
        pid = doc.patent.get("patent_id")
        if pid and pid in docs:
            merge_docs(docs[pid], doc)
            merged.append(no)
        else:
            docs[pid or f"?{no}"] = doc
    for d in docs.values():
        out.add(d)
    if merged:
        out.warn(f"{len(merged)} row(s) are further publications of an application read earlier and were merged "
                 f"into it: rows {', '.join(map(str, merged[:20]))}{'…' if len(merged) > 20 else ''}")
    return out.batch()


def _doc(no: int, get) -> PatentDoc:
    doc = PatentDoc(row=no)
    p = doc.patent
    cc = get("Jurisdiction").upper()
    app_no = get("Application Number")
    p["patent_id"] = application_id(cc, app_no) if app_no else None
    p["application_no"] = app_no or None
    p["country"] = cc or None
    kind, granted = DOCUMENT_TYPES.get(get("Document Type"), ("invention", False))
    if cc == "CN" and p["patent_id"] and len(p["patent_id"]) == 14:
        kind = numbers.KIND_DIGIT.get(p["patent_id"][6], kind)
    p["kind"] = kind
    p["filing_date"] = ymd(get("Application Date"))
    key = get("Display Key").replace(" ", "") or f"{cc}{get('Kind')}"
    pub_date = ymd(get("Publication Date"))
    if granted:
        p["grant_no"], p["grant_date"] = key, pub_date
    else:
        p["publication_no"], p["publication_date"] = key, pub_date
    p["priority_date"] = ymd(get("Earliest Priority Date"))
    p["title"] = p["title_en"] = get("Title") or None
    p["abstract"] = get("Abstract") or None
    status = STATUS.get(get("Legal Status").upper())
    p["status"] = status or ("granted" if granted else "pending")
    for col, field in (("Cited by Patent Count", "cited_by_count"), ("Simple Family Size", "family_size")):
        v = get(col)
        p[field] = v if v else None
    p["pct"] = any(n.upper().startswith(("WO", "PCT")) for n in split(get("Priority Numbers")))
    doc.ipc = split(get("IPCR Classifications"))
    for a in split(get("Applicants")):
        doc.party("applicant", *_name_country(a))
    for o in split(get("Owners")):
        doc.party("owner", *_name_country(_owner(o)))
    if granted and not any(x["role"] == "owner" for x in doc.parties):
        for a in split(get("Applicants")):
            doc.party("owner", *_name_country(a))
    for i in split(get("Inventors")):
        doc.party("inventor", *_name_country(i))
    for member in split(get("Simple Family Members")):
        m = _KEY.match(member.replace("_", " ").strip())
        if m and m.group(1) != cc:
            doc.family.append((f"{m.group(1)}{re.sub(r'[^0-9A-Z]', '', m.group(2))}{m.group(3) or ''}",
                               m.group(1), None))
    countries = [x["country"] for x in doc.parties if x["role"] == "applicant" and x["country"]]
    p["domestic"] = (countries[0] == "CN") if countries else None
    return doc


# field → the Lens column it comes from (reject messages name the column a clerk sees)
LABELS = {"patent_id": "Application Number", "application_no": "Application Number", "country": "Jurisdiction",
          "kind": "Document Type", "filing_date": "Application Date", "publication_date": "Publication Date",
          "grant_date": "Publication Date", "publication_no": "Display Key", "grant_no": "Display Key",
          "priority_date": "Earliest Priority Date", "title": "Title", "title_en": "Title", "abstract": "Abstract",
          "status": "Legal Status", "cited_by_count": "Cited by Patent Count", "family_size": "Simple Family Size",
          "ipc": "IPCR Classifications", "name": "Applicants / Inventors / Owners"}


def open_lens(path: Path, kind: str | None = None, encoding: str | None = None):
    """The importer's interface: the whole file as one chunk, rejects named by Lens column."""
    from ipobs.sources.reading import Chunk, Reading

    batch = read(path, kind, encoding=encoding)
    n_rows = len(batch.frames.get("patent", [])) + len({r.row for r in batch.rejects if r.row is not None})
    merged = sum(int(w.split()[0]) for w in batch.warnings if "merged into it" in w)
    reading = Reading(kind="patents", format="lens", describe="Lens.org patent export", labels=dict(LABELS),
                      mapping={v: k for k, v in LABELS.items()})
    reading.chunks = lambda ctx: iter([Chunk(batch, merged={"duplicate": 0, "updated": merged})])
    reading.data_rows = lambda: n_rows + merged
    return reading


def sniff(path: Path, head: bytes) -> float:
    first = head.split(b"\n", 1)[0]
    if b"Lens ID" in first and b"Jurisdiction" in first:
        return 0.95
    return 0.0


_STREAMING = {"open": open_lens} if "open" in getattr(Source, "__dataclass_fields__", {}) else {}
register(Source("lens", "Lens.org patent export (CSV)", ("patents",), sniff, read, **_STREAMING))
