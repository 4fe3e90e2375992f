"""USPTO patent assignment records (the Assignment Search API's XML: ``<response><result>
<doc>…``) → ``transactions`` (assignments and licences of patents).

One ``<doc>`` is one recorded conveyance (reel/frame) covering one or more properties; each
property becomes one transaction row: ``txn_id`` = reel-frame display id + ``/`` + the
property's ``patent_id`` (``018247-0405/US10628795``), ``right_no`` = that ``patent_id``
(``US`` + application number, or ``US`` + patent number when the record gives no application),
``from_party`` the assignors, ``to_party`` the assignees (``; `` separated), ``txn_date`` the
earliest execution date (the recorded date when no execution date is given).

What a conveyance means is data (:data:`CONVEYANCES`, first match wins): assignments,
mergers, nunc pro tunc and corrective assignments are assignments; licences are licences.
Security agreements and their releases are pledges, and name or address changes transfer
nothing: those records are rejected with that reason (a pledge needs an amount, which an
assignment record does not carry). A response that is one page of a larger result says so
in the warnings.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

from ipobs.records.batch import RecordBatch, Reject
from ipobs.sources.patentdoc import office_patent_id, us_doc_number, ymd
from ipobs.sources.registry import Source, register

# (pattern on the conveyance text, transaction kind or None, why not a transaction)
CONVEYANCES: tuple[tuple[str, str | None, str], ...] = (
    (r"RELEASE", None, "release of a security interest (a pledge released), not a transfer"),
    (r"SECURITY|LIEN|MORTGAGE|PLEDGE", None, "security interest (a pledge); assignment records carry no amount"),
    (r"CHANGE OF (NAME|ADDRESS)|ENTITY CONVERSION|CONVERSION", None, "change of name or form: no rights move"),
    (r"LICEN[CS]E", "license", ""),
    (r"ASSIGN|MERGER|NUNC PRO TUNC|TRANSFER|CONFIRMATORY|COURT ORDER|DECREE|DISTRIBUTION", "assignment", ""),
)


def conveyance_kind(text: str | None) -> tuple[str | None, str]:
    """``(transaction kind, reason)`` for a conveyance text; kind None means not a transaction.

    >>> conveyance_kind("ASSIGNMENT OF ASSIGNORS INTEREST (SEE DOCUMENT FOR DETAILS).")
    ('assignment', '')
    >>> conveyance_kind("SECURITY INTEREST")[0] is None
    True
    """
    t = (text or "").upper()
    for pattern, kind, why in CONVEYANCES:
        if re.search(pattern, t):
            return kind, why
    return None, f"conveyance {text!r} is not a known kind of transfer"


def _values(doc: ET.Element, name: str) -> list[str | None]:
    """An ``<arr name=…>`` as a list (``NULL`` and year 0001 become None), or a scalar as a 1-list."""
    for el in doc:
        if el.get("name") != name:
            continue
        items = list(el) if el.tag == "arr" else [el]
        out = []
        for item in items:
            v = (item.text or "").strip()
            out.append(None if v in ("", "NULL") or v.startswith(("0001-", "0000-")) else v)
        return out
    return []


def _first(doc: ET.Element, name: str) -> str | None:
    v = _values(doc, name)
    return v[0] if v else None


def read(path: Path, kind: str | None = None, **_options) -> RecordBatch:
    """Read one Assignment Search API response into a ``transactions`` batch."""
    path = Path(path)
    rows, rejects, warnings = [], [], []
    n = 0
    try:
        for _event, el in ET.iterparse(path, events=("end",)):
            if el.tag == "result" and el.get("numFound"):
                found, start = int(el.get("numFound") or 0), int(el.get("start") or 0)
                shown = sum(1 for c in el if c.tag == "doc")
                if found > shown:
                    warnings.append(f"this response is one page ({start + 1}–{start + shown}) of {found} assignment "
                                    "records found: import the other pages too")
            if el.tag != "doc":
                continue
            n += 1
            _doc(el, n, rows, rejects)
            el.clear()
    except ET.ParseError as e:
        line = e.position[0] if getattr(e, "position", None) else None
        rejects.append(Reject("bad-format", f"not well-formed XML after {n} record(s) "
                              f"({str(e).split(':')[0]}); the records before it are kept", row=line,
                              table="ip_transaction"))
    if n == 0 and not rejects:
        rejects.append(Reject("bad-format", "no assignment record (<doc>) in the file", table="ip_transaction"))
    frames = {"ip_transaction": pd.DataFrame(rows)} if rows else {}
    return RecordBatch("transactions", frames, rejects=rejects, source=path, format="uspto-assignment",
                       warnings=warnings)


def _doc(doc: ET.Element, n: int, rows: list, rejects: list) -> None:
    display = _first(doc, "displayId") or f"{_first(doc, 'reelNo')}-{_first(doc, 'frameNo')}"
    conveyance = _first(doc, "conveyanceText")
    kind, why = conveyance_kind(conveyance)
    if kind is None:
        rejects.append(Reject("bad-value", f"record {display}: {why}", row=n, column="conveyanceText",
                              value=conveyance, table="ip_transaction"))
        return
    assignors = [v for v in _values(doc, "patAssignorName") if v]
    assignees = [v for v in _values(doc, "patAssigneeName") if v]
    dates = sorted(d for d in (ymd(v) for v in _values(doc, "patAssignorExDate")) if d)
    date = dates[0] if dates else ymd(_first(doc, "recordedDate"))
    apps, pats = _values(doc, "applNum"), _values(doc, "patNum")
    props = max(len(apps), len(pats))
    if props == 0:
        rejects.append(Reject("missing-cell", f"record {display}: lists no patent or application", row=n,
                              column="applNum", table="ip_transaction"))
        return
    for i in range(props):
        app = apps[i] if i < len(apps) else None
        pat = pats[i] if i < len(pats) else None
        right = office_patent_id("US", app) if app else (f"US{us_doc_number(pat)}" if pat else None)
        if right is None:
            rejects.append(Reject("missing-cell", f"record {display}, property {i + 1}: no application or patent "
                                  "number", row=n, column="applNum", table="ip_transaction"))
            continue
        rows.append({"txn_id": f"{display}/{right}", "kind": kind, "right_kind": "patent", "right_no": right,
                     "from_party": "; ".join(assignors) or None, "to_party": "; ".join(assignees) or None,
                     "txn_date": date, "_row": n})


def sniff(path: Path, head: bytes) -> float:
    if b"<response" in head and (b'name="reelNo"' in head or b'name="patAssignorName"' in head
                                 or b"/apisearch" in head):
        return 0.95
    return 0.0


register(Source("uspto-assignment", "USPTO patent assignment records (Assignment Search XML)", ("transactions",),
                sniff, read))
