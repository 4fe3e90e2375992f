"""USPTO full-text XML: grants (``us-patent-grant`` v4.0–v4.5, the weekly ``ipgYYMMDD`` files)
and pre-grant publications (``us-patent-application`` v4.0–v4.4, ``ipaYYMMDD``).

A bulk file is thousands of complete XML documents one after another; each is parsed on its
own (streaming), so a truncated or broken document is rejected with its line number and the
rest are imported. Sequence listings (``sequence-cwu``) that the weekly files carry between
grants are counted in the batch warnings, not imported.

Mapping (see docs/importing.md for the table):

- ``patent_id`` = ``US`` + the application-reference doc-number (series code + serial,
  e.g. ``US09703574``); ``application_no`` the doc-number as printed.
- kind: ``appl-type`` utility / plant / reissue / SIR → invention (发明; the US has no utility
  model), design → design (外观设计).
- parties: inventors (``inventors/inventor``, or applicants of type ``applicant-inventor`` in
  v4.0–v4.2); applicants = the assignees, or the applicants when there is no assignee; on a
  grant the same names are also the owners (专利权人); agents (attorneys) as ``agent``.
- IPC: ``classifications-ipcr`` (or v4.0's ``classification-ipc``); designs carry their Locarno
  class as ``LOC14-02``.
- citations: ``references-cited/citation`` and ``us-references-cited/us-citation`` patent
  citations → ``patent_citation`` with category examiner / applicant / other. Non-patent
  literature is not stored.
- priority claims → ``priority_date``; PCT filing data → ``pct``, ``pct_application_no``,
  ``pct_date``; events filed / published / granted.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ipobs.records.batch import RecordBatch
from ipobs.sources.patentdoc import (PatentBatchBuilder, PatentDoc, citation_category, office_patent_id,
                                     us_doc_number, us_kind, ymd)
from ipobs.sources.registry import Source, register
from ipobs.sources.xmldocs import XmlDocError, find_text, iter_documents, parse, text_of

ROOTS = {"us-patent-grant": "grant", "us-patent-application": "application"}
SKIPPED_ROOTS = {"sequence-cwu": "sequence listing"}


def sniff(path: Path, head: bytes) -> float:
    if b"<us-patent-grant" in head or b"<!DOCTYPE us-patent-grant" in head:
        return 0.95
    if b"<us-patent-application" in head or b"<!DOCTYPE us-patent-application" in head:
        return 0.95
    return 0.0


def read(path: Path, kind: str | None = None, **_options) -> RecordBatch:
    """Read a file of one or many USPTO XML documents into a ``patents`` batch."""
    path = Path(path)
    out = PatentBatchBuilder(path, "uspto-xml")
    skipped: dict[str, int] = {}
    n = 0
    for line, data in iter_documents(path):
        n += 1
        try:
            root = parse(data, line)
        except XmlDocError as e:
            out.reject(e.line or line, f"document {n} starting at line {line}: {e}")
            continue
        tag = root.tag
        if tag in SKIPPED_ROOTS:
            skipped[tag] = skipped.get(tag, 0) + 1
            continue
        if tag not in ROOTS:
            out.reject(line, f"document {n} starting at line {line}: <{tag}> is not a USPTO grant or "
                             "application document", value=tag)
            continue
        out.add(document(root, line))
    for tag, count in skipped.items():
        out.warn(f"{count} {SKIPPED_ROOTS[tag]} document(s) (<{tag}>) skipped: not bibliographic records")
    if n == 0:
        out.reject(1, "the file holds no XML document")
    return out.batch()


def document(root: ET.Element, line: int) -> PatentDoc:
    """Map one parsed ``us-patent-grant`` / ``us-patent-application`` element."""
    grant = root.tag == "us-patent-grant"
    bib = root.find("us-bibliographic-data-grant" if grant else "us-bibliographic-data-application")
    if bib is None:
        bib = ET.Element("missing")
    pub = bib.find("publication-reference/document-id")
    app_ref = bib.find("application-reference")
    app = app_ref.find("document-id") if app_ref is not None else None
    app_no = find_text(app, "doc-number")
    series = find_text(bib, "us-application-series-code")
    pub_no = us_doc_number(find_text(pub, "doc-number"))
    kind_code = find_text(pub, "kind")
    appl_type = app_ref.get("appl-type") if app_ref is not None else None
    pub_date = ymd(find_text(pub, "date"))
    doc = PatentDoc(row=line)
    p = doc.patent
    p["patent_id"] = office_patent_id("US", app_no, series)
    p["application_no"] = app_no
    p["country"] = "US"
    p["kind"] = us_kind(appl_type, kind_code, pub_no)
    p["filing_date"] = ymd(find_text(app, "date"))
    p["title"] = text_of(bib.find("invention-title"))
    p["title_en"] = p["title"]
    p["abstract"] = text_of(root.find("abstract"))
    if grant:
        p["grant_no"] = f"US{pub_no}{kind_code or ''}" if pub_no else None
        p["grant_date"] = pub_date
        p["publication_no"] = p["grant_no"]
        p["publication_date"] = pub_date
        p["status"] = "granted"
        claims = find_text(bib, "number-of-claims")
        p["claims_count"] = claims if claims else len(root.findall("claims/claim")) or None
    else:
        p["publication_no"] = f"US{pub_no}{kind_code or ''}" if pub_no else None
        p["publication_date"] = pub_date
        p["status"] = "pending"
        p["claims_count"] = len(root.findall("claims/claim")) or None
    _priority_and_pct(bib, p)
    _classifications(bib, doc)
    _parties(bib, doc, grant)
    for cit in bib.findall("references-cited/citation") + bib.findall("us-references-cited/us-citation"):
        d = cit.find("patcit/document-id")
        if d is None:
            continue
        number = find_text(d, "doc-number")
        if number:
            country = find_text(d, "country") or ""
            number = us_doc_number(number) if country == "US" else number
            no = f"{country}{number}{find_text(d, 'kind') or ''}"
            doc.citations.append((no, citation_category(find_text(cit, "category"))))
    countries = [x["country"] for x in doc.parties if x["role"] == "applicant" and x["country"]]
    p["domestic"] = (countries[0] == "CN") if countries else None
    return doc


def _priority_and_pct(bib: ET.Element, p: dict) -> None:
    dates = [ymd(find_text(c, "date")) for c in bib.findall("priority-claims/priority-claim")]
    dates = sorted(d for d in dates if d and len(d) == 10)
    p["priority_date"] = dates[0] if dates else None
    pct = bib.find("pct-or-regional-filing-data/document-id")
    if pct is not None and find_text(pct, "doc-number"):
        p["pct"] = True
        p["pct_application_no"] = find_text(pct, "doc-number")
        p["pct_date"] = ymd(find_text(pct, "date"))
    else:
        p["pct"] = False


def _classifications(bib: ET.Element, doc: PatentDoc) -> None:
    for c in bib.findall("classifications-ipcr/classification-ipcr"):
        parts = [find_text(c, t) or "" for t in ("section", "class", "subclass", "main-group", "subgroup")]
        if all(parts):
            doc.ipc.append(f"{parts[0]}{parts[1]}{parts[2]} {parts[3]}/{parts[4]}")
    old = bib.find("classification-ipc")
    if old is not None:
        for el in old.findall("main-classification") + old.findall("further-classification"):
            if el.text and el.text.strip():
                doc.ipc.append(el.text)
    loc = find_text(bib, "classification-locarno/main-classification")
    if loc:
        digits = "".join(ch for ch in loc if ch.isdigit())
        if len(digits) == 4:
            doc.ipc.insert(0, f"LOC{digits[:2]}-{digits[2:]}")


def _name(book: ET.Element | None) -> tuple[str | None, str | None, str | None]:
    """(name, country, address) from an ``addressbook``."""
    if book is None:
        return None, None, None
    org = find_text(book, "orgname")
    name = org or " ".join(x for x in (find_text(book, "first-name"), find_text(book, "last-name")) if x)
    addr = book.find("address")
    city, state, country = (_known(find_text(addr, t)) for t in ("city", "state", "country"))
    place = ", ".join(x for x in (city, state, country) if x)
    return name or None, country, place or None


def _known(value: str | None) -> str | None:
    """USPTO writes ``unknown`` where an attorney's address is not given."""
    return None if value is None or value.strip().lower() in {"unknown", "omitted", "n/a"} else value


def _parties(bib: ET.Element, doc: PatentDoc, grant: bool) -> None:
    applicants = (bib.findall("parties/applicants/applicant")
                  + bib.findall("us-parties/us-applicants/us-applicant"))
    inventors = bib.findall("parties/inventors/inventor") + bib.findall("us-parties/inventors/inventor")
    if not inventors:
        inventors = [a for a in applicants if a.get("app-type") == "applicant-inventor"]
    for inv in inventors:
        doc.party("inventor", *_name(inv.find("addressbook")))
    owners = [_name(a.find("addressbook")) for a in bib.findall("assignees/assignee")]
    owners += [(find_text(a, "orgname"), None, None) for a in bib.findall("assignees/assignee")
               if a.find("addressbook") is None]
    owners = [o for o in owners if o[0]]
    if not owners:
        owners = [_name(a.find("addressbook")) for a in applicants]
    for o in owners:
        doc.party("applicant", *o)
        if grant:
            doc.party("owner", *o)
    for ag in bib.findall("parties/agents/agent") + bib.findall("us-parties/agents/agent"):
        doc.party("agent", *_name(ag.find("addressbook")))


register(Source("uspto-xml", "USPTO full-text XML (grants ipg / applications ipa, v4.x)", ("patents",), sniff, read))
