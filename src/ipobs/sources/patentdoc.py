"""One patent document → canonical rows, shared by the public-format readers.

A reader (USPTO XML, APS text, EPO OPS, Lens…) fills a :class:`PatentDoc` per document and
hands it to a :class:`PatentBatchBuilder`, which numbers parties, de-duplicates child rows,
derives the dated events (filed / published / granted) and builds one ``patents``
:class:`~ipobs.records.batch.RecordBatch`. Every row carries ``_row``: the line (or CSV row)
where its document starts, so a rejected document is reported where a person can find it.
Documents that cannot be read at all are rejected here with ``bad-format``; documents that
can be read but break the schema (no filing date, no title…) are rejected by the store's
validation with the same row number. Nothing is dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ipobs.entities.names import normalize_name
from ipobs.records.batch import RecordBatch, Reject
from ipobs.records.industries import industry_of
from ipobs.sources import ipc, numbers

# The US document kinds and how they map to the canonical patent kinds. The US has no
# utility model: a US "utility" patent is an invention patent (发明). Plant patents, reissues,
# statutory invention registrations and defensive publications are inventions too; designs
# are designs. Keyed by the XML ``appl-type`` / PatentsView ``patent_type`` word.
US_KIND_BY_TYPE = {
    "utility": "invention",
    "plant": "invention",
    "reissue": "invention",
    "sir": "invention",
    "statutory invention registration": "invention",
    "defensive publication": "invention",
    "design": "design",
}


def us_kind(appl_type: str | None = None, kind_code: str | None = None, number: str | None = None) -> str | None:
    """The canonical kind of a US document from its application type, kind code or number.

    >>> us_kind("utility"), us_kind(kind_code="S1"), us_kind(number="D656296"), us_kind(kind_code="A1")
    ('invention', 'design', 'design', 'invention')
    """
    if appl_type:
        k = US_KIND_BY_TYPE.get(appl_type.strip().lower())
        if k:
            return k
    if kind_code:
        code = kind_code.strip().upper()
        if code.startswith("S"):
            return "design"
        if code[:1] in {"A", "B", "P", "E", "H", "I"}:
            return "invention"
    if number:
        n = number.strip().upper()
        if n.startswith("D"):
            return "design"
        if n[:1].isdigit() or n.startswith(("RE", "PP", "H", "T")):
            return "invention"
    return None


CITATION_CATEGORY = {
    "cited by examiner": "examiner",
    "cited by applicant": "applicant",
    "cited by other": "other",
    "cited by third party": "other",
    "examiner": "examiner",
    "applicant": "applicant",
    "third-party": "other",
}


def us_doc_number(number: str | None) -> str | None:
    """A US grant number without the zero padding of the bulk files (``D0656296`` → ``D656296``).

    Pre-grant publication numbers (``20050004437``, or ``2005/0004437``) keep their form.

    >>> us_doc_number("06970935"), us_doc_number("D0656296"), us_doc_number("RE042345"), us_doc_number("20050004437")
    ('6970935', 'D656296', 'RE42345', '20050004437')
    """
    if not number:
        return number
    n = "".join(str(number).split()).replace(",", "")
    m = re.fullmatch(r"([A-Z]{0,2})0*(\d{1,7})", n.upper())
    if m and len(n) <= 8:
        return f"{m.group(1)}{m.group(2)}"
    return n


def citation_category(text: str | None) -> str | None:
    """``examiner`` / ``applicant`` / ``other`` from a USPTO or EPO category text."""
    if not text:
        return None
    t = " ".join(text.strip().lower().split())
    return CITATION_CATEGORY.get(t, "other")


def ymd(text: str | None) -> str | None:
    """``20051129`` → ``2005-11-29``; keeps unreadable text as it is (validation reports it)."""
    if text is None:
        return None
    t = str(text).strip()
    if not t:
        return None
    m = re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?", t)
    if m:
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    return t


@dataclass
class PatentDoc:
    """What a reader found in one document (fields are canonical names)."""

    row: int
    sheet: str | None = None  # the file or table the row number refers to, when not the input itself
    patent: dict = field(default_factory=dict)
    parties: list[dict] = field(default_factory=list)  # role, name, country, address
    ipc: list[str] = field(default_factory=list)  # as written; the first is the main one
    events: list[dict] = field(default_factory=list)  # event_date, event, status_after, note
    citations: list[tuple[str, str | None]] = field(default_factory=list)  # (cited_no, category)
    family: list[tuple[str, str | None, bool | None]] = field(default_factory=list)

    def party(self, role: str, name: str | None, country: str | None = None, address: str | None = None) -> None:
        name = " ".join((name or "").split())
        if name:
            self.parties.append({"role": role, "name": name, "country": country or None, "address": address or None})


def merge_docs(into: PatentDoc, other: PatentDoc) -> None:
    """A second publication of the same application: fill what the first lacked."""
    for k, v in other.patent.items():
        if v not in (None, "") and into.patent.get(k) in (None, "", False):
            into.patent[k] = v
    if other.patent.get("status") == "granted":
        into.patent["status"] = "granted"
    seen_ipc = set(into.ipc)
    into.ipc += [c for c in other.ipc if c not in seen_ipc]
    into.citations += other.citations
    if not into.parties:
        into.parties = other.parties
    elif other.patent.get("status") == "granted" and not any(x["role"] == "owner" for x in into.parties):
        into.parties += [x for x in other.parties if x["role"] == "owner"]


class PatentBatchBuilder:
    """Collects documents, unreadable-document rejects and warnings; builds the batch."""

    def __init__(self, source: Path | None, fmt: str, kind: str = "patents"):
        self.source = Path(source) if source else None
        self.format = fmt
        self.kind = kind
        self.docs: list[PatentDoc] = []
        self.rejects: list[Reject] = []
        self.warnings: list[str] = []

    def add(self, doc: PatentDoc) -> None:
        self.docs.append(doc)

    def reject(self, row: int | None, note: str, *, code: str = "bad-format", value=None,
               column: str | None = None, sheet: str | None = None) -> None:
        self.rejects.append(Reject(code, note, row=row, column=column, sheet=sheet,
                                   value=None if value is None else str(value)[:200], table="patent"))

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    # -- building ---------------------------------------------------------------
    def batch(self) -> RecordBatch:
        frames: dict[str, list[dict]] = {t: [] for t in
                                         ("patent", "patent_party", "patent_ipc", "patent_event",
                                          "patent_citation", "patent_family")}
        for d in self.docs:
            self._rows(d, frames)
        out = {name: pd.DataFrame(rows) for name, rows in frames.items() if rows}
        return RecordBatch(self.kind, out, rejects=self.rejects, source=self.source, format=self.format,
                           warnings=self.warnings)

    def _rows(self, d: PatentDoc, frames: dict[str, list[dict]]) -> None:
        p = dict(d.patent)
        pid = p.get("patent_id")
        codes = []
        seen = set()
        for raw in d.ipc:
            for code in classification_codes(raw):
                if code[0] not in seen:
                    seen.add(code[0])
                    codes.append(code)
        if codes and not p.get("ipc_main"):
            p["ipc_main"] = codes[0][0]
        p["industry"] = industry_of(p.get("ipc_main"))
        for role, field in (("applicant", "applicant_address"), ("owner", "owner_address")):
            first = next((x for x in d.parties if x["role"] == role), None)
            p.setdefault(field, first["address"] if first else None)
        # Foreign-office records are not attributed to a district (their addresses are not
        # CNIPA's); the columns exist so the importer's entity and region steps can run on them.
        p.setdefault("applicant_region", None)
        p.setdefault("owner_region", None)
        at = {"_row": d.row, **({"_sheet": d.sheet} if d.sheet else {})}
        p.update(at)
        frames["patent"].append(p)
        if not pid:
            return  # the store rejects the document (missing key); children would be orphans
        seq: dict[str, int] = {}
        for party in d.parties:
            seq[party["role"]] = seq.get(party["role"], 0) + 1
            frames["patent_party"].append({"patent_id": pid, "seq": seq[party["role"]], **party,
                                           "name_norm": normalize_name(party["name"]), **at})
        for i, (code, subclass) in enumerate(codes, 1):
            frames["patent_ipc"].append({"patent_id": pid, "ipc": code, "subclass": subclass, "seq": i,
                                         "is_main": code == p.get("ipc_main"), **at})
        events = {}
        for e in d.events + _dated_events(p):
            if e.get("event_date"):
                events.setdefault((e["event_date"], e["event"]), e)
        for e in events.values():
            frames["patent_event"].append({"patent_id": pid, **e, **at})
        cited = {}
        for no, cat in d.citations:
            no = "".join((no or "").split())
            if no and no not in cited:
                cited[no] = cat
        for no, cat in cited.items():
            frames["patent_citation"].append({"citing_id": pid, "cited_no": no, "category": cat, **at})
        members = {}
        for no, country, granted in d.family:
            no = "".join((no or "").split())
            if no and no not in members:
                members[no] = (country, granted)
        for no, (country, granted) in members.items():
            frames["patent_family"].append({"patent_id": pid, "member_no": no, "country": country,
                                            "granted": granted, **at})


def _dated_events(p: dict) -> list[dict]:
    """The events every bibliographic record implies: filed, published, granted."""
    out = []
    if p.get("filing_date"):
        out.append({"event_date": p["filing_date"], "event": "filed", "status_after": "pending"})
    if p.get("publication_date") and p.get("publication_date") != p.get("grant_date"):
        out.append({"event_date": p["publication_date"], "event": "published", "status_after": None})
    if p.get("grant_date"):
        out.append({"event_date": p["grant_date"], "event": "granted", "status_after": "granted"})
    return out


def classification_codes(raw: str | None) -> list[tuple[str, str]]:
    """``(code, subclass)`` pairs of one IPC or Locarno text, normalized by :mod:`ipobs.sources.ipc`."""
    if not raw:
        return []
    text = str(raw)
    codes = ipc.locarno_codes(text) if text.strip().upper().startswith("LOC") else ipc.ipc_codes(text)
    return [(c, ipc.subclass(c)) for c in codes]


def office_patent_id(country: str | None, number: str | None, series: str | None = None) -> str | None:
    """``patent_id`` for an application number of an office (:func:`ipobs.sources.numbers.parse_application_no`).

    USPTO documents may print the 6-digit serial and the 2-digit series code apart; they are
    joined first (``US16123456``). None when the number cannot be read (validation reports
    the document as missing its key).

    >>> office_patent_id("US", "09/703,574"), office_patent_id("US", "413215", "09"), office_patent_id("EP", "99203729")
    ('US09703574', 'US09413215', 'EP99203729')
    """
    if not country or not number:
        return None
    cc = country.strip().upper()
    text = str(number).strip()
    digits = re.sub(r"\D", "", text)
    if cc == "US" and len(digits) == 6 and series and re.fullmatch(r"\d{1,2}", series.strip()):
        text = f"{int(series):02d}{digits}"
    try:
        return numbers.parse_application_no(f"{cc}{text}").patent_id
    except numbers.NumberError:
        return None
