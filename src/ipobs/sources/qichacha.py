"""Qichacha (企查查) / 天眼查-style enterprise-IP API responses saved as JSON.

A file holds an array of records (or ``{"Result": [...]}``) of one kind: patents (专利),
trademarks (商标), software or works copyright registrations (软件著作权 / 作品著作权).
Patents go through the same mapping as the Excel exports (keys are in the synonym table);
row numbers are record numbers (the first record is 1).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd

from ipobs.records.batch import RecordBatch, Reject
from ipobs.sources import columns as colmod
from ipobs.sources.patent_map import map_patents, per_distinct, read_date, values
from ipobs.sources.reading import Chunk, Context, Reading
from ipobs.sources.registry import Source, register
from ipobs.sources.status import read_status
from ipobs.sources.tabular import UnreadableFile

NAME = "qichacha-json"
# Keys that say which kind of record a response holds.
SIGNATURES = {
    "patents": {"ApplicationNumber", "PublicationNumber", "KindCodeDesc"},
    "trademarks": {"RegNo", "IntCls"},
    "copyrights": {"RegisterNo"},
}


def _records(path: Path) -> list[dict]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise UnreadableFile(f"{Path(path).name}: not valid JSON ({e})") from None
    if isinstance(data, dict):
        for key in ("Result", "result", "data", "Data", "items"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
        else:
            data = [data]
    if not isinstance(data, list):
        raise UnreadableFile(f"{Path(path).name}: the JSON holds no list of records")
    return [r for r in data if isinstance(r, dict)]


def kind_of(records: list[dict]) -> str | None:
    keys = set().union(*(r.keys() for r in records[:20])) if records else set()
    scores = {k: len(sig & keys) for k, sig in SIGNATURES.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] else None


def sniff(path: Path, head: bytes) -> float:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text.startswith((b"[", b"{")):
        return 0.0
    try:
        k = kind_of(_records(path))
    except UnreadableFile:
        return 0.0
    return 0.9 if k else 0.0


def _flat(v):
    if v is None:
        return ""
    if isinstance(v, list):
        return ";".join(str(x) for x in v if x not in (None, ""))
    if isinstance(v, str) and v.startswith("[") and v.endswith("]"):
        try:
            return _flat(json.loads(v))
        except json.JSONDecodeError:
            return v
    if isinstance(v, (dict,)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def _frame(records: list[dict]) -> tuple[pd.DataFrame, list[str]]:
    header = list(dict.fromkeys(k for r in records for k in r))
    rows = [[_flat(r.get(k)) for k in header] for r in records]
    df = pd.DataFrame(rows, columns=[f"c{i}" for i in range(len(header))], dtype=object)
    df["_row"] = range(1, len(records) + 1)
    return df, header


def open_reading(path: Path, kind: str | None = None, encoding: str | None = None) -> Reading:
    path = Path(path)
    records = _records(path)
    k = kind_of(records)
    if k is None:
        raise UnreadableFile(f"{path.name}: JSON records of a kind this system does not store")
    df, header = _frame(records)
    cmap = colmod.map_columns(header, k)
    labels = {f: header[p[0]] for f, p in cmap.positions.items()}
    reading = Reading(kind=k, format=NAME, describe=f"JSON, {len(records)} records of {k}",
                      mapping={header[p]: f for f, ps in cmap.positions.items() for p in ps},
                      unmapped=list(cmap.unknown), ignored=list(cmap.ignored), header=header, labels=labels)
    names = [f"c{i}" for i in range(len(header))]

    def chunks(ctx: Context):
        if k == "patents":
            m = map_patents(df, cmap, names, observed_on=ctx.observed_on, lookup_publication=ctx.lookup_publication)
            if "legal_history" in cmap.positions:
                hist = _history(records, m.frames["patent"])
                if len(hist):
                    m.frames["patent_event"] = pd.concat([m.frames["patent_event"], hist], ignore_index=True)
                    m.frames["patent_event"] = m.frames["patent_event"].drop_duplicates(
                        ["patent_id", "event_date", "event"]).reset_index(drop=True)
            yield Chunk(RecordBatch(k, m.frames, rejects=m.rejects, source=path, format=NAME), m.merged,
                        m.unmatched_addresses, m.unknown_statuses)
        else:
            frames, rejects = (_trademarks if k == "trademarks" else _copyrights)(df, cmap, names)
            yield Chunk(RecordBatch(k, frames, rejects=rejects, source=path, format=NAME))

    reading.chunks = chunks
    reading.data_rows = lambda: len(records)
    return reading


def _history(records: list[dict], patent: pd.DataFrame) -> pd.DataFrame:
    """PatentLegalHistory entries → dated events (status from the legal-status table)."""
    ids = dict(zip(patent["_row"], patent["patent_id"]))
    out = []
    for i, r in enumerate(records, start=1):
        pid = ids.get(i)
        for h in r.get("PatentLegalHistory") or []:
            if not isinstance(h, dict) or pid is None:
                continue
            status, events = read_status(h.get("Desc"))
            date = read_date(str(h.get("LegalStatusDate") or ""))
            if not date:
                continue
            for ev in events or ((status,) if status in ("granted", "rejected", "withdrawn") else ()):
                out.append({"patent_id": pid, "event_date": date, "event": ev,
                            "status_after": status if ev not in ("published",) else None,
                            "note": h.get("Desc"), "_row": i})
    return pd.DataFrame(out)


def _get(df, cmap, names, fld) -> pd.Series:
    out = None
    for p in cmap.positions.get(fld, []):
        s = df[names[p]].astype("string").str.strip()
        s = s.mask(s == "")
        out = s if out is None else out.fillna(s)
    return out if out is not None else pd.Series(pd.NA, index=df.index, dtype="string")


def _first_match(table: list, text) -> str | None:
    if not isinstance(text, str):
        return None
    for pattern, code in table:
        if re.search(pattern, text):
            return code
    return None


def _trademarks(df, cmap, names):
    g = lambda f: _get(df, cmap, names, f)  # noqa: E731
    status = per_distinct(g("status_text"), lambda t: _first_match(values()["trademark_status"], t))
    tm = pd.DataFrame({
        "reg_no": g("reg_no"), "nice_class": g("nice_class"), "mark_name": g("mark_name"), "owner": g("owner"),
        "owner_address": g("owner_address"),
        "application_date": per_distinct(g("application_date"), read_date),
        "registration_date": per_distinct(g("registration_date"), read_date),
        "expiry_date": per_distinct(g("expiry_date"), read_date),
        "status": status, "_row": df["_row"],
    })
    return {"trademark": tm}, []


def _copyrights(df, cmap, names):
    g = lambda f: _get(df, cmap, names, f)  # noqa: E731
    reg = g("reg_no")
    kind = per_distinct(reg, lambda t: _first_match(values()["copyright_kind"], t))
    rejects = [Reject("enum-error", f"{v!r} is neither a software (…SR…) nor a works (…作登字…) registration number",
                      row=int(r), column=cmap.label("reg_no"), value=v, table="copyright")
               for v, r, k in zip(reg, df["_row"], kind) if isinstance(v, str) and not isinstance(k, str)]
    cr = pd.DataFrame({
        "reg_no": reg, "kind": kind, "title": g("title"), "category": g("category"), "owner": g("owner"),
        "completion_date": per_distinct(g("completion_date"), read_date),
        "registration_date": per_distinct(g("registration_date"), read_date), "_row": df["_row"],
    })
    bad_rows = {r.row for r in rejects}
    cr = cr[~cr["_row"].isin(bad_rows)]
    return {"copyright": cr}, rejects


def read(path: Path, kind: str | None = None) -> RecordBatch:
    reading = open_reading(path, kind)
    ch = next(iter(reading.chunks(Context(dt.date.today()))))
    return ch.batch


SOURCE = register(Source(NAME, "Qichacha enterprise-IP API JSON (patents, trademarks, copyrights)",
                         ("patents", "trademarks", "copyrights"), sniff, read, open_reading))
