"""The older USPTO full-text formats, each into the same canonical patent rows as ``uspto_xml``.

=================  ============================================================  ===========
format             what it is                                                    yields
=================  ============================================================  ===========
``aps``            1976–2001 "Green Book" fixed-field text (``PATN``, ``WKU``…)   patents
``sgml``           2001 grant SGML/XML (``<!DOCTYPE PATDOC>``, ST.32 B-codes)     patents
``pap``            2001–2004 pre-grant publications (``patent-application-       patents
                   publication`` v1.5/v1.6)
``brs``            USPTO BRS/CSS text dumps (``*** BRS DOCUMENT BOUNDARY ***``)   patents
``cpc-master``     CPC Master Classification File (ST.96)                        grant events
``xml4ip``         ZIP of file-wrapper parts (ABST, CLM, SPEC) per application   rejected*
``cpc-scheme``     a CPC classification scheme file                              rejected*
=================  ============================================================  ===========

\\* Recognised so that the clerk gets a reason instead of "unknown format": file-wrapper
parts carry text without filing date, kind or title, and a classification scheme holds no
patent at all. The CPC master file holds, per patent, its application number, grant number
and date (imported as the dated ``granted`` event) and CPC symbols (not stored: the schema
holds IPC; the count is in the batch warnings).

Numbers, kinds, parties and citations follow the mapping of :mod:`ipobs.sources.uspto_xml`.
APS writes the application number with a trailing check digit (``APN 5184541`` = serial
518454) and the patent number likewise (``WKU 039373754`` = 3937375); both are dropped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from ipobs.records.batch import RecordBatch
from ipobs.sources.patentdoc import (PatentBatchBuilder, PatentDoc, citation_category, office_patent_id,
                                     us_doc_number, us_kind, ymd)
from ipobs.sources.registry import Source, register
from ipobs.sources.xmldocs import XmlDocError, find_text, iter_documents, local, parse, text_of

# APS application type → kind letter of the grant number and canonical kind.
APS_TYPES = {"1": ("A", "utility"), "2": ("E", "reissue"), "4": ("S", "design"), "5": ("H", "defensive publication"),
             "6": ("P", "plant"), "7": ("H", "sir")}


def aps_ipc_text(text: str | None) -> str | None:
    """``G06F 1516`` (slash-less, main group right-justified in 3 columns) → ``G06F 15/16``."""
    if not text:
        return None
    t = text.rstrip()
    m = re.match(r"([A-H]\d{2}[A-Z])(.*)$", t.strip())
    if not m:
        return None
    rest = m.group(2)
    if "/" in rest:
        return f"{m.group(1)} {rest.strip()}"
    if len(rest) >= 4:
        group, sub = rest[:3].strip(), rest[3:].replace(" ", "")
        if group.isdigit() and sub.isdigit():
            return f"{m.group(1)} {int(group)}/{sub}"
    return None


def _country(code: str | None) -> str | None:
    """APS writes 3-letter codes (``JPX``); keep the ISO 2 letters."""
    return code.strip()[:2].upper() if code and code.strip() else None


# ============================================================== APS Green Book
def _aps_records(path: Path):
    """Yield ``(line, [(section, [(tag, value)])])`` per ``PATN`` document."""
    start, sections, section = None, [], None
    last = None
    with open(path, "rb") as fh:
        for no, raw in enumerate(fh, 1):
            line = raw.decode("latin-1").rstrip("\r\n")
            head = line[:4].rstrip()
            if line.startswith("PATN") and line[4:].strip() == "":
                if start is not None:
                    yield start, sections
                start, sections, section, last = no, [], None, None
                section = ("PATN", [])
                sections.append(section)
                continue
            if start is None:
                continue  # file header (HHHHHT…) before the first document
            if re.fullmatch(r"[A-Z][A-Z0-9]{2,3}", line.strip()) and len(line.strip()) == len(line):
                section = (line.strip(), [])
                sections.append(section)
                last = None
            elif re.fullmatch(r"[A-Z][A-Z0-9]{1,3}", head) and line[4:5] == " ":
                last = [head, line[5:].strip()]
                section[1].append(last)
            elif line[:1] == " " and last is not None:
                last[1] = f"{last[1]} {line.strip()}"
    if start is not None:
        yield start, sections


def _aps_doc(line: int, sections) -> PatentDoc:
    doc = PatentDoc(row=line)
    p = doc.patent
    patn = dict((t, v) for t, v in sections[0][1]) if sections else {}
    letter, appl_type = APS_TYPES.get(patn.get("APT", "1"), ("A", "utility"))
    wku = patn.get("WKU", "")
    number = us_doc_number(wku[:-1]) if len(wku) >= 2 else None
    apn = patn.get("APN", "")
    serial = apn[:-1] if len(apn) == 7 else apn
    src = patn.get("SRC")
    p["patent_id"] = office_patent_id("US", serial, src if src and src.isdigit() else None)
    p["application_no"] = apn or None
    p["country"] = "US"
    p["kind"] = us_kind(appl_type, None, number)
    p["filing_date"] = ymd(patn.get("APD"))
    p["grant_date"] = ymd(patn.get("ISD"))
    p["publication_date"] = p["grant_date"]
    p["grant_no"] = p["publication_no"] = f"US{number}{letter}" if number else None
    p["title"] = p["title_en"] = patn.get("TTL")
    p["claims_count"] = patn.get("NCL")
    p["status"] = "granted"
    p["pct"] = False
    priorities = []
    for name, fields in sections[1:]:
        f = {}
        for t, v in fields:
            f.setdefault(t, v)
        if name == "INVT":
            country = _country(f.get("CNT")) or ("US" if f.get("STA") else None)
            doc.party("inventor", _aps_name(f.get("NAM")), country, _place(f.get("CTY"), f.get("STA"), country))
        elif name == "ASSG":
            country = _country(f.get("CNT")) or ("US" if f.get("STA") else None)
            doc.party("applicant", f.get("NAM"), country, _place(f.get("CTY"), f.get("STA"), country))
            doc.party("owner", f.get("NAM"), country, _place(f.get("CTY"), f.get("STA"), country))
        elif name == "PRIR":
            priorities.append(ymd(f.get("APD")))
        elif name == "CLAS":
            for t, v in fields:
                if t == "ICL":
                    code = aps_ipc_text(v)
                    if code:
                        doc.ipc.append(code)
        elif name == "UREF" and f.get("PNO"):
            doc.citations.append((f"US{us_doc_number(f['PNO'])}", None))
        elif name == "FREF" and f.get("PNO"):
            doc.citations.append((f"{_country(f.get('CNT')) or ''}{f['PNO']}", None))
        elif name == "PCTA" and f.get("PCN"):
            p["pct"], p["pct_application_no"], p["pct_date"] = True, f["PCN"], ymd(f.get("PD3"))
        elif name == "ABST":
            p["abstract"] = " ".join(v for t, v in fields if t in ("PAL", "PAR")) or None
        elif name == "LREP":
            for t, v in fields:
                if t in ("FRM", "FR2", "AAT"):
                    doc.party("agent", _aps_name(v) if t != "FRM" else v)
    dates = sorted(d for d in priorities if d and len(d) == 10)
    p["priority_date"] = dates[0] if dates else None
    countries = [x["country"] for x in doc.parties if x["role"] == "applicant" and x["country"]]
    p["domestic"] = (countries[0] == "CN") if countries else None
    return doc


def _aps_name(text: str | None) -> str | None:
    """``Daniels; Everette E.`` → ``Everette E. Daniels``."""
    if not text:
        return None
    if ";" in text:
        last, first = text.split(";", 1)
        return f"{first.strip()} {last.strip()}".strip()
    return text.strip()


def _place(*parts: str | None) -> str | None:
    s = ", ".join(x.strip() for x in parts if x and x.strip())
    return s or None


def read_aps(path: Path, kind: str | None = None, **_options) -> RecordBatch:
    out = PatentBatchBuilder(path, "uspto-aps")
    n = 0
    for line, sections in _aps_records(Path(path)):
        n += 1
        out.add(_aps_doc(line, sections))
    if n == 0:
        out.reject(1, "no APS document (a line 'PATN') found in the file")
    return out.batch()


# ========================================================== 2001 SGML (PATDOC)
def _pdat(el: ET.Element | None, path: str) -> str | None:
    return text_of(el.find(path)) if el is not None else None


def _sgml_party(party: ET.Element | None) -> tuple[str | None, str | None, str | None]:
    if party is None:
        return None, None, None
    nam = party.find("NAM")
    org = _pdat(nam, "ONM")
    name = org or " ".join(x for x in (_pdat(nam, "FNM"), _pdat(nam, "SNM")) if x)
    adr = party.find("ADR")
    country = _pdat(adr, "CTRY") or ("US" if _pdat(adr, "STATE") else None)
    return name or None, country, _place(_pdat(adr, "CITY"), _pdat(adr, "STATE"), country)


def _sgml_doc(root: ET.Element, line: int) -> PatentDoc:
    doc = PatentDoc(row=line)
    p = doc.patent
    bib = root.find("SDOBI")
    if bib is None:
        bib = ET.Element("missing")
    number = us_doc_number(_pdat(bib, "B100/B110/DNUM"))
    kind_code = _pdat(bib, "B100/B130")
    app_no = _pdat(bib, "B200/B210/DNUM")
    p["patent_id"] = office_patent_id("US", app_no, _pdat(bib, "B200/B211US"))
    p["application_no"] = app_no
    p["country"] = "US"
    p["kind"] = us_kind(None, kind_code, number)
    p["filing_date"] = ymd(_pdat(bib, "B200/B220/DATE"))
    p["grant_date"] = p["publication_date"] = ymd(_pdat(bib, "B100/B140/DATE"))
    p["grant_no"] = p["publication_no"] = f"US{number}{kind_code or ''}" if number else None
    p["title"] = p["title_en"] = _pdat(bib, "B500/B540")
    p["claims_count"] = _pdat(bib, "B500/B570/B577")
    p["abstract"] = text_of(root.find("SDOAB"))
    p["status"] = "granted"
    dates = sorted(d for d in (ymd(_pdat(b, "B320/DATE")) for b in bib.findall("B300")) if d and len(d) == 10)
    p["priority_date"] = dates[0] if dates else None
    pct = bib.find("B800/B860") if bib.find("B800/B860") is not None else bib.find("B860")
    p["pct"] = pct is not None
    if pct is not None:
        p["pct_application_no"] = _pdat(pct, "B861/DOC/DNUM") or _pdat(pct, ".//DNUM")
        p["pct_date"] = ymd(_pdat(pct, "B861/DOC/DATE") or _pdat(pct, ".//DATE"))
    main, further = _pdat(bib, "B500/B510/B511"), [text_of(e) for e in bib.findall("B500/B510/B512")]
    if p["kind"] == "design" and main and re.fullmatch(r"\d{4}", main):
        doc.ipc.append(f"LOC{main[:2]}-{main[2:]}")
    else:
        doc.ipc += [c for c in (aps_ipc_text(x) for x in [main, *further]) if c]
    for b561 in bib.findall("B500/B560/B561"):
        d = b561.find("PCIT/DOC")
        no = _pdat(d, "DNUM")
        if not no:
            continue
        country = _pdat(d, "CTRY") or "US"
        no = no.replace(" ", "")
        no = us_doc_number(no.replace("D.", "D")) if country == "US" else no
        category = ("examiner" if b561.find("CITED-BY-EXAMINER") is not None
                    else "other" if b561.find("CITED-BY-OTHER") is not None else None)
        doc.citations.append((f"{country}{no}{_pdat(d, 'KIND') or ''}", category))
    for inv in bib.findall("B700/B720/B721"):
        doc.party("inventor", *_sgml_party(inv.find("PARTY-US")))
    owners = [_sgml_party(a.find("PARTY-US")) for a in bib.findall("B700/B730/B731")]
    if not owners:
        owners = [(x["name"], x["country"], x["address"]) for x in doc.parties if x["role"] == "inventor"]
    for o in owners:
        doc.party("applicant", *o)
        doc.party("owner", *o)
    for ag in bib.findall("B700/B740/B741"):
        doc.party("agent", *_sgml_party(ag.find("PARTY-US")))
    countries = [x["country"] for x in doc.parties if x["role"] == "applicant" and x["country"]]
    p["domestic"] = (countries[0] == "CN") if countries else None
    return doc


# ============================================ pre-grant publications (pap v1.x)
def _pap_name(el: ET.Element | None) -> str | None:
    if el is None:
        return None
    n = el.find("name")
    parts = [find_text(n, t) for t in ("given-name", "middle-name", "family-name")] if n is not None else []
    return " ".join(x for x in parts if x) or find_text(el, "organization-name", "name")


def _pap_doc(root: ET.Element, line: int) -> PatentDoc:
    doc = PatentDoc(row=line)
    p = doc.patent
    bib = root.find("subdoc-bibliographic-information")
    if bib is None:
        bib = ET.Element("missing")
    pub_no = find_text(bib, "document-id/doc-number")
    kind_code = find_text(bib, "document-id/kind-code")
    dom = bib.find("domestic-filing-data")
    app_no = find_text(dom, "application-number/doc-number")
    p["patent_id"] = office_patent_id("US", app_no, find_text(dom, "application-number-series-code"))
    p["application_no"] = app_no
    p["country"] = "US"
    p["kind"] = us_kind(None, kind_code or "A1", None)
    p["filing_date"] = ymd(find_text(dom, "filing-date"))
    p["publication_no"] = f"US{pub_no}{kind_code or ''}" if pub_no else None
    p["publication_date"] = ymd(find_text(bib, "document-id/document-date"))
    p["title"] = p["title_en"] = find_text(bib, "technical-information/title-of-invention")
    p["abstract"] = text_of(root.find("subdoc-abstract"))
    p["claims_count"] = len(root.findall("subdoc-claims/claim")) or None
    p["status"] = "pending"
    p["pct"] = False
    dates = sorted(d for d in (ymd(find_text(f, "filing-date")) for f in bib.findall("foreign-priority-data"))
                   if d and len(d) == 10)
    p["priority_date"] = dates[0] if dates else None
    ipc_el = bib.find("technical-information/classification-ipc")
    if ipc_el is not None:
        for e in ipc_el.iter("ipc"):
            if e.text:
                doc.ipc.append(e.text)
    for inv in bib.findall("inventors/first-named-inventor") + bib.findall("inventors/inventor"):
        res = inv.find("residence")
        country = find_text(res, ".//country-code")
        doc.party("inventor", _pap_name(inv), country, _place(find_text(res, ".//city"), find_text(res, ".//state"),
                                                              country))
    assignees = [(find_text(a, "organization-name") or _pap_name(a), find_text(a, ".//country-code"),
                  _place(find_text(a, ".//city"), find_text(a, ".//state"), find_text(a, ".//country-code")))
                 for a in bib.findall("assignee")]
    if not assignees:
        assignees = [(x["name"], x["country"], x["address"]) for x in doc.parties if x["role"] == "inventor"]
    for a in assignees:
        doc.party("applicant", *a)
    countries = [x["country"] for x in doc.parties if x["role"] == "applicant" and x["country"]]
    p["domestic"] = (countries[0] == "CN") if countries else None
    return doc


def _read_xml_family(path: Path, fmt: str, roots: dict) -> RecordBatch:
    out = PatentBatchBuilder(path, fmt)
    n = 0
    for line, data in iter_documents(Path(path)):
        n += 1
        try:
            root = parse(data, line)
        except XmlDocError as e:
            out.reject(e.line or line, f"document {n} starting at line {line}: {e}")
            continue
        mapper = roots.get(root.tag)
        if mapper is None:
            out.reject(line, f"document {n} starting at line {line}: <{root.tag}> is not a {fmt} document",
                       value=root.tag)
            continue
        out.add(mapper(root, line))
    if n == 0:
        out.reject(1, "the file holds no XML document")
    return out.batch()


def read_sgml(path: Path, kind: str | None = None, **_options) -> RecordBatch:
    return _read_xml_family(path, "uspto-sgml", {"PATDOC": _sgml_doc})


def read_pap(path: Path, kind: str | None = None, **_options) -> RecordBatch:
    return _read_xml_family(path, "uspto-pap", {"patent-application-publication": _pap_doc})


# ================================================================ BRS / CSS text
BRS_BOUNDARY = "*** BRS DOCUMENT BOUNDARY ***"


def _brs_records(path: Path):
    """Yield ``(line, [(tag, value)])`` per record (the lines after each boundary)."""
    start, fields, last = None, [], None
    with open(path, "rb") as fh:
        for no, raw in enumerate(fh, 1):
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            if line.strip() == BRS_BOUNDARY:
                if start is not None:
                    yield start, fields
                start, fields, last = no + 1, [], None
                continue
            if start is None:
                continue
            m = re.match(r"([A-Z][A-Z0-9]{1,4}) (.*)$", line)
            if m:
                last = [m.group(1), m.group(2).strip()]
                fields.append(last)
            elif line.startswith(" ") and last is not None:
                last[1] = f"{last[1]} {line.strip()}"
    if start is not None:
        yield start, fields


def _brs_doc(line: int, fields) -> PatentDoc:
    doc = PatentDoc(row=line)
    p = doc.patent
    first: dict[str, str] = {}
    for t, v in fields:
        first.setdefault(t, v)
    number = us_doc_number(first.get("WKU"))
    kind_code = first.get("APT")
    p["patent_id"] = office_patent_id("US", first.get("APNR"), first.get("SRC"))
    p["application_no"] = first.get("APP") or first.get("APNR")
    p["country"] = "US"
    p["kind"] = us_kind(None, kind_code, number)
    p["filing_date"] = ymd(first.get("AFD"))
    p["grant_date"] = p["publication_date"] = ymd(first.get("GISD"))
    p["grant_no"] = p["publication_no"] = f"US{number}{kind_code or ''}" if number else None
    p["title"] = p["title_en"] = first.get("TTL")
    p["claims_count"] = first.get("NCL")
    p["abstract"] = " ".join(v for t, v in fields if t == "ABPR") or None
    p["status"] = "granted"
    p["pct"] = False
    dates = sorted(d for d in (ymd(v) for t, v in fields if t == "PRAD") if d and len(d) == 10)
    p["priority_date"] = dates[0] if dates else None
    for t, v in fields:
        if t in ("IPCG", "IPCS"):  # "20060101 A H05K H05K9/00 F I B US H 20151201"
            parts = v.split()
            if len(parts) >= 4:
                doc.ipc.append(parts[3])
        elif t in ("URGP", "FRGP"):  # "US 2003/0169838 A1 20030900 Greenstreet et al. 375/376 cited by examiner"
            m = re.match(r"([A-Z]{2})\s+(\S+)(?:\s+([A-Z]\d?))?\s", v + " ")
            if m:
                no = m.group(2).replace("/", "")
                no = us_doc_number(no) if m.group(1) == "US" else no
                cat = re.search(r"cited by (examiner|applicant|other|third party)\s*$", v)
                doc.citations.append((f"{m.group(1)}{no}{m.group(3) or ''}",
                                      citation_category(cat.group(0)) if cat else None))
    _brs_parties(fields, doc)
    countries = [x["country"] for x in doc.parties if x["role"] == "applicant" and x["country"]]
    p["domestic"] = (countries[0] == "CN") if countries else None
    return doc


def _brs_parties(fields, doc: PatentDoc) -> None:
    """Group consecutive ``INNM/INCI/INCO…`` (inventor), ``AANM…`` (applicant), ``ASNM…`` (assignee)."""
    groups: dict[str, list[dict]] = {"IN": [], "AA": [], "AS": []}
    for t, v in fields:
        prefix, rest = t[:2], t[2:]
        if prefix not in groups:
            continue
        if rest == "NM":
            groups[prefix].append({"NM": v})
        elif groups[prefix] and rest in ("CI", "ST", "CO"):
            groups[prefix][-1][rest] = None if v == "N/A" else v
    for g in groups["IN"]:
        doc.party("inventor", _aps_name(g["NM"]), g.get("CO"), _place(g.get("CI"), g.get("ST"), g.get("CO")))
    owners = groups["AS"] or groups["AA"]
    for g in owners:
        doc.party("owner", _aps_name(g["NM"]), g.get("CO"), _place(g.get("CI"), g.get("ST"), g.get("CO")))
    for g in groups["AA"] or owners:
        doc.party("applicant", _aps_name(g["NM"]), g.get("CO"), _place(g.get("CI"), g.get("ST"), g.get("CO")))


def read_brs(path: Path, kind: str | None = None, **_options) -> RecordBatch:
    out = PatentBatchBuilder(path, "uspto-brs")
    n = 0
    for line, fields in _brs_records(Path(path)):
        n += 1
        if not fields:
            out.reject(line, f"record {n} at line {line} is empty")
            continue
        out.add(_brs_doc(line, fields))
    if n == 0:
        out.reject(1, f"no '{BRS_BOUNDARY}' record found in the file")
    return out.batch()


# ================================================ CPC master classification file
def read_cpc_master(path: Path, kind: str | None = None, **_options) -> RecordBatch:
    """Each record: the grant of an application (number, date) → a ``granted`` event."""
    out = PatentBatchBuilder(path, "uspto-cpc-master")
    events, symbols, n = [], 0, 0
    try:
        for _event, el in ET.iterparse(path, events=("end",)):
            if local(el.tag) != "CPCMasterClassificationRecord":
                continue
            n += 1
            app = _first_local(el, "ApplicationNumberText")
            grant = _first_local(el, "PatentNumber")
            date = _first_local(el, "GrantDate")
            kind_code = _first_local(el, "PatentDocumentKindCode")
            symbols += sum(1 for e in el.iter() if local(e.tag) == "CPCClassification")
            pid = office_patent_id("US", app)
            if not pid or not date:
                out.reject(n, f"record {n}: no application number or grant date", value=app)
            else:
                events.append({"patent_id": pid, "event_date": ymd(date), "event": "granted",
                               "status_after": "granted",
                               "note": f"US{us_doc_number(grant)}{kind_code or ''} (CPC master classification file)",
                               "_row": n})
            el.clear()
    except ET.ParseError as e:
        out.reject(e.position[0] if getattr(e, "position", None) else None,
                   f"not well-formed XML after {n} records ({str(e).split(':')[0]}); records before it are kept")
    if events:
        out.warn(f"{len(events)} grant event(s) read, one per patent, for the patents with these application "
                 "numbers (the file holds no other bibliographic data)")
    if symbols:
        out.warn(f"{symbols} CPC symbols of {n} patents not stored: the schema holds IPC codes")
    if n == 0 and not out.rejects:
        out.reject(1, "no CPCMasterClassificationRecord in the file")
    batch = out.batch()
    if events:
        import pandas as pd

        batch.frames["patent_event"] = pd.DataFrame(events)
    return batch


def _first_local(el: ET.Element, name: str) -> str | None:
    for e in el.iter():
        if local(e.tag) == name and e.text and e.text.strip():
            return e.text.strip()
    return None


# ==================================================== XML4IP file-wrapper parts
def read_xml4ip(path: Path, kind: str | None = None, **_options) -> RecordBatch:
    """Each application in the ZIP is rejected with the reason: its parts hold text only."""
    out = PatentBatchBuilder(path, "uspto-xml4ip")
    apps: dict[str, list[str]] = {}
    try:
        with zipfile.ZipFile(path) as z:
            members = [i for i in z.infolist() if not i.is_dir() and i.filename.lower().endswith(".xml")]
            for no, info in enumerate(members, 1):
                if info.file_size > 64 * 1024 * 1024:
                    out.reject(no, f"{info.filename}: part larger than 64 MB skipped", value=info.filename)
                    continue
                try:
                    root = parse(z.read(info), 1)
                except XmlDocError as e:
                    out.reject(no, f"{info.filename}: {e}", value=info.filename)
                    continue
                app = _first_local(root, "ApplicationNumber") or "?"
                code = _first_local(root, "DocumentCode") or local(root.tag)
                apps.setdefault(app, []).append(code)
    except (zipfile.BadZipFile, OSError) as e:
        out.reject(None, f"not a readable ZIP file ({e})")
        return out.batch()
    for i, (app, parts) in enumerate(sorted(apps.items()), 1):
        out.reject(i, f"application {app}: file-wrapper parts ({', '.join(sorted(set(parts)))}) hold text only, "
                      "no filing date, kind or title; import the application's publication (ipa/ipg XML)",
                   code="missing-cell", column="申请日 / 专利类型 / 发明名称", value=app)
    if not apps and not out.rejects:
        out.reject(None, "the ZIP holds no XML part")
    return out.batch()


def read_cpc_scheme(path: Path, kind: str | None = None, **_options) -> RecordBatch:
    out = PatentBatchBuilder(path, "cpc-scheme")
    with open(path, "rb") as fh:
        head = fh.read(4096)
    m = re.search(rb"<classification-symbol>([^<]+)<", head)
    what = m.group(1).decode("ascii", "replace") if m else "?"
    out.reject(None, f"a CPC classification scheme (starting at {what}): a classification reference, not patent "
                     "records; nothing to import", value=what)
    return out.batch()


# ====================================================================== sniffing
def _sniff_aps(path: Path, head: bytes) -> float:
    lines = head.splitlines()[:5]
    if any(line.rstrip() == b"PATN" for line in lines) and b"WKU  " in head:
        return 0.9
    return 0.0


def _sniff_zip(path: Path, head: bytes) -> float:
    if not head.startswith(b"PK\x03\x04"):
        return 0.0
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()[:200]
    except (zipfile.BadZipFile, OSError):
        return 0.0
    return 0.9 if any(re.search(r"\.(ABST|CLM|SPEC)(\.xml)?$", n, re.I) for n in names) else 0.0


register(Source("uspto-aps", "USPTO APS Green Book text (1976–2001)", ("patents",), _sniff_aps, read_aps))
register(Source("uspto-sgml", "USPTO 2001 grant SGML (PATDOC)", ("patents",),
                lambda p, h: 0.95 if b"<!DOCTYPE PATDOC" in h or b"<PATDOC" in h else 0.0, read_sgml))
register(Source("uspto-pap", "USPTO pre-grant publication XML v1.5/v1.6 (2001–2004)", ("patents",),
                lambda p, h: 0.95 if b"<patent-application-publication" in h else 0.0, read_pap))
register(Source("uspto-brs", "USPTO BRS/CSS text dump", ("patents",),
                lambda p, h: 0.9 if BRS_BOUNDARY.encode() in h else 0.0, read_brs))
register(Source("uspto-cpc-master", "USPTO CPC Master Classification File", ("patents",),
                lambda p, h: 0.9 if b"CPCMasterClassificationFile" in h else 0.0, read_cpc_master))
register(Source("uspto-xml4ip", "USPTO XML4IP file-wrapper ZIP (ABST/CLM/SPEC parts)", ("patents",),
                _sniff_zip, read_xml4ip))
register(Source("cpc-scheme", "CPC classification scheme XML", ("patents",),
                lambda p, h: 0.9 if b"<class-scheme" in h and b"scheme-type=\"cpc\"" in h else 0.0,
                read_cpc_scheme))
