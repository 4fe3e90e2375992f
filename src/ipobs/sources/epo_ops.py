"""EPO Open Patent Services (OPS) XML: bibliographic data (DOCDB exchange format), INPADOC
families and legal events, and EP register bibliographic data.

=====================================  =====================================================
OPS response                           becomes
=====================================  =====================================================
``exchange-documents`` (biblio)        patents (one per application; an A and a B
                                       publication of one application merge), parties
                                       (``original`` names preferred), IPCR, citations with
                                       examiner/applicant category, priority date, family id
``ops:patent-family`` (family)         ``patent_family``: for every member application, the
                                       publications of the members filed at other offices
``ops:patent-family legal="true"``     the family rows above plus ``patent_event`` rows from
                                       each member's INPADOC legal events
``reg:register-documents``             EP patents from the EP register (status, parties, IPC)
search, number-service, claims,        rejected as a whole with the reason: no bibliographic
description, images, procedural steps  record in the response
=====================================  =====================================================

Legal events are mapped through ``epo_legal_codes.csv`` (authority, code → canonical event,
status after, transaction kind), which :func:`build_legal_codes` derives from EPO's own code
table (``legal__legal_code_descriptions_202417.xlsx``: event class + description), e.g. CN
``PE01`` pledge registered → ``pledged``, ``PC01`` → ``pledge_released``, ``TR01`` transfer →
``transferred`` (+ an assignment transaction), ``EE01`` licence → ``licensed`` (+ a licence
transaction), ``CF01`` → ``lapsed``. Codes that change no status (designated states, fee
payments, examination steps…) are counted in the warnings, not stored. Reading the same
file as kind ``transactions`` yields the assignments and licences among its legal events;
their parties come from the event's free-text fields that name an owner/licensor before and
after; an event without them is rejected with that reason. Pledges are not built from legal
events: an INPADOC event carries no amount, which the pledge ledger requires.

``patent_id``: office + the DOCDB application number (``CN201380062258``, ``EP13844704``),
through :func:`ipobs.sources.numbers.parse_application_no`.
"""

from __future__ import annotations

import csv
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from ipobs.records.batch import RecordBatch, Reject
from ipobs.sources import numbers
from ipobs.sources.patentdoc import PatentBatchBuilder, PatentDoc, citation_category, merge_docs, ymd
from ipobs.sources.registry import Source, register
from ipobs.sources.xmldocs import XmlDocError, local, parse

X = "{http://www.epo.org/exchange}"
OPS = "{http://ops.epo.org}"
REG = "{http://www.epo.org/register}"
CODES_FILE = "epo_legal_codes.csv"
CN_KIND_BY_PUB = {"A": "invention", "B": "invention", "C": "invention", "U": "utility", "Y": "utility",
                  "S": "design", "D": "design"}


# ------------------------------------------------------------------ code table
def classify_legal_code(event_class: str, influence: str, description: str) -> tuple[str, str, str] | None:
    """``(event, status_after, transaction kind)`` for one EPO legal-event code, or None.

    The rules read EPO's event class (F grant, H cessation, B discontinuation, K/C revival,
    R party change, S licensing and similar, Q publication) and the description words.
    """
    d = (description or "").upper()
    c = (event_class or "").strip().upper()
    national = re.match(r"^[A-Z]{2}:", d) or "CONTRACTING STATE" in d or "VALIDATION STATE" in d
    procedural = any(w in d for w in ("COMMUNICATION", "INTENTION TO GRANT", "APPROVAL", "CORRECT",
                                      "RECTIF", "CHANGE OF THE REGISTRATION", "NOTIFICATION", "DELETE", "CANCELLED",
                                      "DATE OF", "IN REM"))
    if "PLEDGE" in d:
        if "CHANGE" in d:
            return None
        if any(w in d for w in ("CANCEL", "RELEASE", "DISCHARGE", "TERMINAT", "DEREGISTR")):
            return "pledge_released", "", ""
        return "pledged", "", ""
    if re.search(r"LICEN[CS]", d) and c in ("S", ""):
        if any(w in d for w in ("CANCEL", "TERMINAT", "WITHDRAW", "EXPIR", "CHANGE")):
            return None
        if "INTENTION" in d or "WILLINGNESS" in d or "AVAILAB" in d:
            return None
        return "licensed", "", "license"
    if national or procedural:
        return None
    if re.search(r"TRANSFER|ASSIGNMENT|SUCCESSION|CHANGES? (OF|IN) (HOLDER|OWNERSHIP)|CHANGE OF HOLDER\b", d) \
            and "NAME" not in d.replace("NAME OR", ""):
        return "transferred", "", "assignment"
    if c == "F" and influence.strip() == "+" and "GRANT" in d and "CHANGE" not in d:
        return "granted", "granted", ""
    if c == "B":
        if "REJECT" in d or "REFUS" in d:
            return "rejected", "rejected", ""
        return "withdrawn", "withdrawn", ""
    if c == "H":
        if any(w in d for w in ("NON-PAYMENT", "NON PAYMENT", "UNPAYMENT", "ANNUAL FEE", "RENEWAL FEE", "FEE")):
            return "lapsed", "lapsed", ""
        if "EXPIR" in d or "MAXIMUM" in d or ("TERM" in d and "TERMINATION" not in d):
            return "expired", "expired", ""
        if re.search(r"INVALID|REVOK|REVOC|\bVOID\b|NULL|ANNUL", d):
            return "invalidated", "invalidated", ""
        if any(w in d for w in ("ABANDON", "SURRENDER", "RENOUNC", "WAIVE", "WITHDRAWN")):
            return "surrendered", "surrendered", ""
        return "lapsed", "lapsed", ""
    if c == "K":
        return "restored", "granted", ""
    if c == "C":
        return "restored", "pending", ""
    if c == "Q" and re.fullmatch(r"(PUBLICATION|PUBLICATION OF (THE )?(PATENT )?APPLICATION|APPLICATION PUBLISHED|"
                                 r"APPLICATION LAID OPEN)( .*)?", d) \
            and not any(w in d for w in ("SEARCH REPORT", "WITHDRAWN", "DISMISSED", "TRANSLATION", "CHANGED", "SPC",
                                         "MENTION")):
        return "published", "", ""
    return None


def build_legal_codes(xlsx: Path) -> list[dict]:
    """The shipped code table, derived from EPO's legal-event code descriptions workbook."""
    import openpyxl

    wb = openpyxl.load_workbook(xlsx)  # not read_only: that mode misreads this file's dimension
    out = []
    for i, row in enumerate(wb.active.iter_rows(values_only=True)):
        if i == 0 or not row or not row[0] or not row[1]:
            continue
        authority, code, _created, influence, description = (str(x or "").strip() for x in row[:5])
        event_class = str(row[8] or "").strip() if len(row) > 8 else ""
        mapped = classify_legal_code(event_class, str(row[3] or ""), description)
        if mapped:
            out.append({"authority": authority, "code": code, "event": mapped[0], "status_after": mapped[1],
                        "transaction": mapped[2], "description": description})
    out.sort(key=lambda r: (r["authority"], r["code"]))
    return out


def write_legal_codes(xlsx: Path, dest: Path) -> int:
    rows = build_legal_codes(xlsx)
    with open(dest, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, ["authority", "code", "event", "status_after", "transaction", "description"],
                           lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return len(rows)


@lru_cache(maxsize=1)
def legal_codes() -> dict[tuple[str, str], dict]:
    text = resources.files("ipobs.sources").joinpath(CODES_FILE).read_text(encoding="utf-8")
    return {(r["authority"], r["code"]): r for r in csv.DictReader(text.splitlines())}


# ------------------------------------------------------------------- helpers
def _t(el: ET.Element | None, path: str) -> str | None:
    if el is None:
        return None
    found = el.find(path)
    if found is None or found.text is None:
        return None
    t = " ".join(found.text.split())
    return t or None


def _docid(parent: ET.Element | None, kind: str = "docdb") -> ET.Element | None:
    if parent is None:
        return None
    for d in parent.findall(f"{X}document-id"):
        if d.get("document-id-type") == kind:
            return d
    return None


def _app_id(country: str | None, number: str | None) -> str | None:
    """``patent_id`` of a DOCDB application number (DOCDB prefixes US numbers with the year)."""
    if not country or not number:
        return None
    digits = re.sub(r"\D", "", number)
    if country == "US" and len(digits) == 12 and digits.startswith(("19", "20")):
        number = digits[4:]
    try:
        return numbers.parse_application_no(f"{country}{number}").patent_id
    except numbers.NumberError:
        return None


def _kind(country: str, pub_kind: str | None, app_id: str | None) -> str | None:
    if country == "CN" and app_id and len(app_id) == 14:
        return numbers.KIND_DIGIT.get(app_id[6])
    if country == "CN" and pub_kind:
        return CN_KIND_BY_PUB.get(pub_kind[:1])
    return "invention" if pub_kind is None or not pub_kind.startswith("S") else "design"


# ---------------------------------------------------------------- biblio docs
def _biblio(ex: ET.Element, row: int) -> PatentDoc:
    bib = ex.find(f"{X}bibliographic-data")
    doc = PatentDoc(row=row)
    p = doc.patent
    country = ex.get("country") or _t(bib, f"{X}publication-reference/{X}document-id/{X}country") or ""
    app_ref = bib.find(f"{X}application-reference") if bib is not None else None
    app = _docid(app_ref)
    app_no = _t(app, f"{X}doc-number")
    app_id = _app_id(_t(app, f"{X}country") or country, app_no)
    original = _t(_docid(app_ref, "original"), f"{X}doc-number")
    epodoc = _docid(app_ref, "epodoc")
    pub = _docid(bib.find(f"{X}publication-reference")) if bib is not None else None
    pub_kind = ex.get("kind") or _t(pub, f"{X}kind")
    pub_no = f"{country}{ex.get('doc-number') or _t(pub, f'{X}doc-number') or ''}{pub_kind or ''}"
    pub_date = ymd(_t(pub, f"{X}date"))
    p["patent_id"] = app_id
    p["application_no"] = original or app_no
    p["country"] = country
    p["kind"] = _kind(country, pub_kind, app_id)
    p["filing_date"] = ymd(_t(app, f"{X}date") or _t(epodoc, f"{X}date"))
    granted = _granted_kind(country, pub_kind)  # CN utility models and designs are published when granted
    if granted:
        p["grant_no"], p["grant_date"], p["status"] = pub_no, pub_date, "granted"
    else:
        p["publication_no"], p["publication_date"], p["status"] = pub_no, pub_date, "pending"
    p["family_id"] = ex.get("family-id")
    titles = {t.get("lang"): " ".join("".join(t.itertext()).split()) for t in bib.findall(f"{X}invention-title")}
    p["title"] = titles.get("zh") or titles.get("en") or next(iter(titles.values()), None)
    p["title_en"] = titles.get("en")
    abstract = ex.find(f"{X}abstract[@lang='en']")
    if abstract is None:
        abstract = ex.find(f"{X}abstract")
    p["abstract"] = " ".join("".join(abstract.itertext()).split()) if abstract is not None else None
    prio = sorted(d for d in (ymd(_t(c, f"{X}document-id/{X}date"))
                              for c in bib.findall(f"{X}priority-claims/{X}priority-claim")) if d)
    p["priority_date"] = prio[0] if prio else None
    for c in bib.findall(f"{X}classifications-ipcr/{X}classification-ipcr"):
        if _t(c, f"{X}text"):
            doc.ipc.append(_t(c, f"{X}text"))
    for c in bib.findall(f"{X}classification-ipc/{X}text"):
        if c.text:
            doc.ipc.append(c.text)
    _parties(bib, doc, granted)
    for cit in bib.findall(f"{X}references-cited/{X}citation"):
        d = _docid(cit.find(f"{X}patcit"))
        if d is not None and _t(d, f"{X}doc-number"):
            no = f"{_t(d, f'{X}country') or ''}{_t(d, f'{X}doc-number')}{_t(d, f'{X}kind') or ''}"
            doc.citations.append((no, citation_category(cit.get("cited-by"))))
    countries = [x["country"] for x in doc.parties if x["role"] == "applicant" and x["country"]]
    p["domestic"] = (countries[0] == "CN") if countries else None
    p["pct"] = any(_t(c, f"{X}document-id/{X}doc-number") and
                   (_t(c, f"{X}document-id/{X}doc-number") or "").startswith(("WO", "PCT"))
                   for c in bib.findall(f"{X}priority-claims/{X}priority-claim"))
    return doc


def _parties(bib: ET.Element, doc: PatentDoc, granted: bool) -> None:
    for group, role, tag in (("applicants", "applicant", "applicant"), ("inventors", "inventor", "inventor")):
        members = bib.findall(f"{X}parties/{X}{group}/{X}{tag}")
        chosen = [m for m in members if m.get("data-format") == "original"] or \
                 [m for m in members if m.get("data-format") == "epodoc"] or members
        for m in sorted(chosen, key=lambda m: int(m.get("sequence") or 0)):
            name = " ".join("".join(m.find(f"{X}{tag}-name").itertext()).split()) \
                if m.find(f"{X}{tag}-name") is not None else None
            country = None
            if name:
                cc = re.search(r"\[([A-Z]{2})\]\s*$", name)
                if cc:
                    country, name = cc.group(1), name[:cc.start()].strip().rstrip(",")
            country = _t(m, f"{X}residence/{X}country") or country
            doc.party(role, name, country)
            if role == "applicant" and granted:
                doc.party("owner", name, country)


# -------------------------------------------------------------- family / legal
def _member(m: ET.Element):
    pubs = []
    for pr in m.findall(f"{X}publication-reference"):
        d = _docid(pr)
        if d is not None and _t(d, f"{X}doc-number"):
            pubs.append((_t(d, f"{X}country"), _t(d, f"{X}doc-number"), _t(d, f"{X}kind")))
    d = _docid(m.find(f"{X}application-reference"))
    app_id = _app_id(_t(d, f"{X}country"), _t(d, f"{X}doc-number")) if d is not None else None
    return app_id, (_t(d, f"{X}country") if d is not None else None), pubs


def _legal_fields(lg: ET.Element) -> dict[str, str]:
    out = {}
    for e in lg.iter():
        desc = e.get("desc")
        if desc and e.text and e.text.strip():
            out[desc.strip()] = " ".join(e.text.split())
    return out


def _parties_before_after(fields: dict[str, str]) -> tuple[str | None, str | None]:
    """(previous owner / licensor, new owner / licensee) from an event's named fields or its free
    text (USPTO ``AS`` events: ``OWNER`` + ``…;ASSIGNORS:A;B;REEL/FRAME…``)."""
    before = after = None
    for desc, value in fields.items():
        d = desc.lower()
        if re.search(r"before|former|previous|assignor|licensor|transferor|pledgor", d):
            before = before or value
        elif re.search(r"after|\bnew\b|owner|assignee|licensee|transferee|pledgee", d):
            after = after or value
    free = fields.get("Free Format Text", "")
    m = re.search(r"ASSIGNORS?:(.*?)(?:;(?:SIGNING|EFFECTIVE|REEL|DOC|RECORDED)\b|$)", free)
    if before is None and m:
        names = [x.strip() for x in m.group(1).split(";") if x.strip() and x.strip() != "AND OTHERS"]
        before = "; ".join(names) or None
    return before, after


def _granted_kind(country: str | None, kind: str | None) -> bool:
    """Whether a publication kind is a granted right at its office."""
    if not kind:
        return False
    k = kind.upper()
    if country == "US":
        return k == "A" or (k[0] in "BEPS" and k not in ("P1", "P4"))
    if country == "CN":
        return k[0] in "BCUYS"
    if country == "WO":
        return False
    return k[0] in "BC"


def _family(root: ET.Element, path: Path, kind: str):
    """``(family rows, event rows, transaction rows, rejects, warnings)`` of a family/legal response."""
    fam_rows, events, txns, rejects = [], [], [], []
    unmapped: Counter = Counter()
    members = root.findall(f".//{OPS}family-member")
    parsed = [(_member(m), m) for m in members]
    codes = legal_codes()
    for i, ((app_id, app_cc, _pubs), m) in enumerate(parsed, 1):
        if not app_id:
            rejects.append(Reject("missing-cell", f"family member {i}: no readable application number", row=i,
                                  column="application-reference", table="patent_family"))
            continue
        for (other_id, other_cc, other_pubs), _m in parsed:
            if other_id == app_id or other_cc == app_cc:
                continue
            for cc, no, k in other_pubs:
                granted = _granted_kind(cc, k)
                fam_rows.append({"patent_id": app_id, "member_no": f"{cc}{no}{k or ''}", "country": cc,
                                 "granted": granted, "_row": i})
        for lg in m.findall(f"{OPS}legal"):
            code = (lg.get("code") or "").strip()
            fields = _legal_fields(lg)
            authority = fields.get("Country Code") or app_cc or ""
            mapped = codes.get((authority, code))
            if mapped and authority == "US" and code == "AS":
                mapped = _us_conveyance(mapped, fields)
            date = ymd(fields.get("Effective DATE") or fields.get("Gazette DATE") or fields.get("Date of publication"))
            if not mapped or not date:
                unmapped[f"{authority} {code}"] += 1
                continue
            events.append({"patent_id": app_id, "event_date": date, "event": mapped["event"],
                           "status_after": mapped["status_after"] or None,
                           "note": f"{authority} {code} {lg.get('desc') or mapped['description']}".strip(),
                           "_row": i})
            if mapped["transaction"]:
                before, after = _parties_before_after(fields)
                txn = {"txn_id": f"{app_id}/{code}/{date}", "kind": mapped["transaction"], "right_kind": "patent",
                       "right_no": app_id, "from_party": before, "to_party": after, "txn_date": date, "_row": i}
                txns.append(txn)
    warnings = []
    apps = len({r["patent_id"] for r in fam_rows} | {e["patent_id"] for e in events})
    if fam_rows or events:
        warnings.append(f"{len(fam_rows)} family member row(s) and {len(events)} legal event(s) read for {apps} "
                        "member application(s); they add to the patents with these application numbers")
    if unmapped:
        top = ", ".join(f"{c} ×{n}" for c, n in unmapped.most_common(8))
        warnings.append(f"{sum(unmapped.values())} legal events that change neither status nor ownership were not "
                        f"stored: {top}")
    return fam_rows, events, txns, rejects, warnings


def _us_conveyance(mapped: dict, fields: dict) -> dict | None:
    """A USPTO ``AS`` event means what its conveyance says (security interest, name change…)."""
    from ipobs.sources.uspto_assignment import conveyance_kind

    free = fields.get("Free Format Text", "").upper()
    kind, _why = conveyance_kind(free.split(";")[0])
    if kind is not None:
        return {**mapped, "transaction": kind, "event": "licensed" if kind == "license" else "transferred"}
    if "RELEASE" in free:
        return {**mapped, "event": "pledge_released", "transaction": ""}
    if "SECURITY" in free:
        return {**mapped, "event": "pledged", "transaction": ""}
    return None


# ---------------------------------------------------------------- EP register
def _register(root: ET.Element, out: PatentBatchBuilder) -> None:
    status_map = {"examination is in progress": "pending", "the patent has been granted": "granted",
                  "the application is deemed to be withdrawn": "withdrawn", "the application has been refused":
                  "rejected", "the patent has been revoked": "invalidated", "patent lapsed": "lapsed",
                  "the application has been withdrawn": "withdrawn"}
    for i, rd in enumerate(root.iter(f"{REG}register-document"), 1):
        bib = rd.find(f"{REG}bibliographic-data")
        if bib is None:
            out.reject(i, f"register document {i} holds no bibliographic data (a procedural-steps response?)")
            continue
        doc = PatentDoc(row=i)
        p = doc.patent
        app = bib.find(f"{REG}application-reference/{REG}document-id") if bib is not None else None
        app_no = _t(app, f"{REG}doc-number")
        p["patent_id"] = _app_id(_t(app, f"{REG}country") or "EP", app_no)
        p["application_no"] = app_no
        p["country"] = "EP"
        p["kind"] = "invention"
        p["filing_date"] = ymd(_t(app, f"{REG}date"))
        titles = {t.get("lang"): " ".join("".join(t.itertext()).split())
                  for t in (bib.findall(f".//{REG}invention-title") if bib is not None else [])}
        p["title"] = p["title_en"] = titles.get("en") or next(iter(titles.values()), None)
        status = (rd.get("status") or "").strip().lower()
        p["status"] = next((v for k, v in status_map.items() if status.startswith(k)), None)
        if bib is not None:
            for pr in bib.findall(f"{REG}publication-reference/{REG}document-id"):
                if _t(pr, f"{REG}country") == "EP":
                    p.setdefault("publication_no", f"EP{_t(pr, f'{REG}doc-number')}{_t(pr, f'{REG}kind') or ''}")
                    p.setdefault("publication_date", ymd(_t(pr, f"{REG}date")))
            for c in bib.findall(f".//{REG}classification-ipcr/{REG}text"):
                if c.text:
                    doc.ipc.append(c.text)
            for a in bib.findall(f".//{REG}applicants/{REG}applicant"):
                doc.party("applicant", _t(a, f".//{REG}name"), _t(a, f".//{REG}country"))
            for a in bib.findall(f".//{REG}inventors/{REG}inventor"):
                doc.party("inventor", _t(a, f".//{REG}name"), _t(a, f".//{REG}country"))
        out.add(doc)


# ----------------------------------------------------------------------- read
def read(path: Path, kind: str | None = None, **_options) -> RecordBatch:
    """Read one OPS response. ``kind='transactions'`` yields the assignments and licences of its
    legal events; otherwise patents (biblio, register) or patent families and events."""
    path = Path(path)
    kind = kind or "patents"
    out = PatentBatchBuilder(path, "epo-ops", kind=kind)
    data = path.read_bytes()
    if data.lstrip()[:1] in (b"{", b"["):
        out.reject(1, "this is a JSON response; ask OPS for XML (Accept: application/xml) and import that")
        return out.batch()
    try:
        root = parse(data, 1)
    except XmlDocError as e:
        out.reject(e.line, f"the OPS response is not readable: {e}")
        return out.batch()
    exchange = root.findall(f".//{X}exchange-document")
    family = root.find(f".//{OPS}patent-family")
    register_docs = root.find(f".//{REG}register-documents")
    if kind == "transactions":
        txns, rejects, warnings = [], [], []
        if family is not None:
            _f, _e, txns, rejects, warnings = _family(root, path, kind)
        good = [t for t in txns if t["from_party"]]
        for t in txns:
            if not t["from_party"]:
                rejects.append(Reject("missing-cell", f"{t['right_no']} {t['txn_id'].split('/')[1]} on {t['txn_date']}:"
                                      " the legal event names no previous owner or licensor", row=t["_row"],
                                      column="让与人/许可人", table="ip_transaction"))
        if not txns and family is None:
            rejects.append(Reject("bad-format", "no INPADOC legal events in this OPS response", table="ip_transaction"))
        frames = {"ip_transaction": pd.DataFrame(good)} if good else {}
        return RecordBatch("transactions", frames, rejects=rejects, source=path, format="epo-ops",
                           warnings=warnings)
    if exchange:
        docs: dict[str, PatentDoc] = {}
        for i, ex in enumerate(exchange, 1):
            if ex.find(f"{X}bibliographic-data") is None:
                out.reject(i, f"exchange document {i} ({ex.get('country')}{ex.get('doc-number')}) holds no "
                              "bibliographic data (an OPS claims/description response?)")
                continue
            d = _biblio(ex, i)
            pid = d.patent.get("patent_id")
            if pid and pid in docs:
                merge_docs(docs[pid], d)
            else:
                docs[pid or f"?{i}"] = d
        for d in docs.values():
            out.add(d)
        return out.batch()
    if family is not None:
        fam, events, _txns, rejects, warnings = _family(root, path, kind)
        batch = out.batch()
        if fam:
            batch.frames["patent_family"] = pd.DataFrame(fam).drop_duplicates(["patent_id", "member_no"])
        if events:
            batch.frames["patent_event"] = pd.DataFrame(events)
        batch.rejects += rejects
        batch.warnings += warnings
        return batch
    if register_docs is not None:
        _register(root, out)
        return out.batch()
    what = next((local(e.tag) for e in root if local(e.tag) not in ("meta",)), local(root.tag))
    out.reject(None, f"OPS '{what}' response holds no bibliographic record (import biblio, family or legal "
                     "responses)", value=what)
    return out.batch()


def sniff(path: Path, head: bytes) -> float:
    if b"ops:world-patent-data" in head or b"http://www.epo.org/exchange" in head:
        return 0.9
    return 0.0


register(Source("epo-ops", "EPO OPS XML (biblio, family, legal events, EP register)", ("patents", "transactions"),
                sniff, read))


if __name__ == "__main__":  # python -m ipobs.sources.epo_ops <legal_code_descriptions.xlsx>
    n = write_legal_codes(Path(sys.argv[1]), Path(__file__).with_name(CODES_FILE))
    print(f"{CODES_FILE}: {n} codes")
