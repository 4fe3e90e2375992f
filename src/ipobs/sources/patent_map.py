"""Rows of a patent export (cells already matched to canonical fields) → patent records.

Shared by every Chinese patent source (Excel/CSV exports, CNKI lists, Qichacha JSON):
numbers are parsed and check digits verified, kinds derived, dates read, names split
and normalized, IPC codes normalized, legal statuses mapped, addresses placed and the
region of attribution chosen. Work is vectorized; anything parsed is parsed once per
distinct value.

Derivations (documented in docs/importing.md):

- ``patent_id`` from the application number; without one (CNKI lists), a provisional id
  from the publication number (:func:`ipobs.sources.numbers.provisional_patent_id`).
- ``kind`` from the application number's kind digit, else the publication kind code
  (A/B/C invention, U/Y utility model, S/D design; old numbers by their first digit),
  else the 专利类型 text.
- A grant publication (B, C, U, Y, S, D) gives the grant number and date when the export
  has no separate grant columns.
- Region of attribution (CNIPA basis): the owner's address for grants announced up to
  2020-12-31, the applicant's from 2021-01-01 and for applications not granted; when the
  owner's address is unknown the applicant's is used and ``attribution_basis`` says so.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import yaml

from ipobs.entities.addresses import locate_many
from ipobs.entities.distinct import series_distinct
from ipobs.entities.names import explode_names
from ipobs.records.batch import Reject
from ipobs.records.industries import industry_of
from ipobs.sources import ipc as ipcmod
from ipobs.sources.columns import ColumnMap
from ipobs.sources.numbers import (
    KIND_CODE, NumberError, application_frame, parse_publication_no, provisional_patent_id, publication_frame,
    publication_lists,
)
from ipobs.sources.status import INACTIVE, read_status

CNIPA_BASIS_SWITCH = pd.Timestamp("2021-01-01")  # grants from this date: applicant's address
GRANT_CODES = {"B", "C", "U", "Y", "S", "D"}
DATE_FIELDS = ("filing_date", "publication_date", "grant_date", "priority_date", "pct_date", "pct_entry_date",
               "lapse_date", "invalidation_date", "status_date")
NUMBER_FIELDS = ("claims_count", "cited_by_count", "family_size")
_URL_PUB = re.compile(r"filename=([A-Za-z]{2}\d{5,12}[A-Za-z]?\d?)")
_LIST_SEP = re.compile(r"\s*(?:\||;|；|,|，|、|\n)\s*")
_DATE_A = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DATE_B = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")
_SERIAL = re.compile(r"^\d{4,5}(?:\.\d+)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# How a field is named in messages when the file has no column for it.
FIELD_LABELS = {"application_no": "申请号", "publication_no": "公开(公告)号", "grant_no": "授权公告号"}


@lru_cache(maxsize=1)
def values() -> dict:
    text = resources.files("ipobs.sources").joinpath("values.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


# ------------------------------------------------------------------ cell helpers
def per_distinct(s: pd.Series, fn, dtype="string") -> pd.Series:
    """``fn`` applied once per distinct non-missing value of ``s`` (missing stays missing)."""
    return series_distinct(s, fn, dtype)


@lru_cache(maxsize=1 << 16)
def read_date(text: str) -> str | None:
    """``YYYY-MM-DD`` for the date spellings exports use; the text itself when it is no date.

    >>> read_date("20221202"), read_date("2015/3/4 0:00:00"), read_date("2016-05-27T00:00:00+08:00")
    ('2022-12-02', '2015-03-04', '2016-05-27')
    >>> read_date("0") is None, read_date("43466")
    (True, '2019-01-01')
    """
    t = unicodedata.normalize("NFKC", text).strip()
    if t in values()["blank_tokens"] or not t:
        return None
    m = _DATE_A.match(t) or _DATE_B.match(t)
    if m:
        y, mo, d = (int(x) for x in m.groups())
        try:
            return dt.date(y, mo, d).isoformat()
        except ValueError:
            return t
    if _SERIAL.match(t):  # an Excel date serial typed as a number
        n = float(t)
        if 3653 <= n <= 73050:  # 1910 … 2099
            return (_EXCEL_EPOCH + dt.timedelta(days=int(n))).isoformat()
    return t


def _split_list(cell: str) -> tuple[str, ...]:
    return tuple(p for p in _LIST_SEP.split(unicodedata.normalize("NFKC", cell).strip()) if p)


@lru_cache(maxsize=1 << 12)
def kind_from_text(text: str) -> str | None:
    t = unicodedata.normalize("NFKC", text).lower()
    for word, kind in values()["patent_kind"]:
        if word in t:
            return kind
    return None


# ------------------------------------------------------------------ result
@dataclass
class Mapped:
    """The records of one chunk, the rows rejected before validation, and merged rows."""

    frames: dict[str, pd.DataFrame]
    rejects: list[Reject] = field(default_factory=list)
    merged: dict[str, int] = field(default_factory=lambda: {"duplicate": 0, "updated": 0})
    unmatched_addresses: pd.Series | None = None  # address → rows, for the summary
    unknown_statuses: pd.Series | None = None


class Cells:
    """Field access over a chunk: coalesces every column mapped to a field."""

    def __init__(self, df: pd.DataFrame, cmap: ColumnMap, names: list[str]):
        self.df, self.cmap, self.names = df, cmap, names

    def has(self, fld: str) -> bool:
        return bool(self.cmap.positions.get(fld))

    def label(self, fld: str) -> str:
        return self.cmap.label(fld) or FIELD_LABELS.get(fld, fld)

    def get(self, fld: str) -> pd.Series:
        out = None
        for pos in self.cmap.positions.get(fld, []):
            s = self.df[self.names[pos]].astype("string").str.strip()
            s = s.mask(s == "")
            out = s if out is None else out.fillna(s)
        if out is None:
            return pd.Series(pd.NA, index=self.df.index, dtype="string")
        return out


@lru_cache(maxsize=1 << 16)
def _industry(main_code: str) -> str | None:
    return industry_of(main_code)  # a file repeats a few thousand main codes across its chunks


def _isin(s: pd.Series, values: pd.Series) -> pd.Series:
    """``s.isin(values)`` for string columns with many values (pandas converts each value in Python)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(s.astype("string").to_numpy(dtype=object, na_value=None), type=pa.string())
    vals = pa.array(values.astype("string").dropna().unique().to_numpy(dtype=object), type=pa.string())
    hit = pc.fill_null(pc.is_in(arr, value_set=vals), False).to_numpy(zero_copy_only=False)
    return pd.Series(hit, index=s.index, dtype=bool)


def _blank_tokens(s: pd.Series) -> pd.Series:
    return s.mask(s.isin(values()["blank_tokens"]))


# ------------------------------------------------------------------ the mapping
def map_patents(df: pd.DataFrame, cmap: ColumnMap, names: list[str], *, observed_on: dt.date,
                lookup_publication=None, sheet: str | None = None) -> Mapped:
    """Map one chunk. ``lookup_publication(pub_numbers) -> {pub: patent_id}`` finds records the
    store already holds for rows that carry no application number."""
    c = Cells(df, cmap, names)
    rows = df["_row"].astype("int64")
    rejects: list[Reject] = []
    bad = pd.Series(False, index=df.index)

    def reject(mask, code, fld, vals, note_fn):
        nonlocal bad
        mask = mask & ~bad
        for i in np.flatnonzero(mask.to_numpy()):
            v = None if vals is None else vals.iloc[i]
            rejects.append(Reject(code, note_fn(v), row=int(rows.iloc[i]), column=c.label(fld),
                                  value=None if v is None or v is pd.NA else str(v), sheet=sheet))
        bad = bad | mask

    # -- numbers ---------------------------------------------------------
    app_raw = c.get("application_no")
    app = application_frame(app_raw)
    reject(app["error"].notna(), "bad-value", "application_no", app_raw, lambda v: _num_note(v))
    pub_raw = c.get("publication_no")
    if c.has("publication_url"):
        url_pub = c.get("publication_url").str.extract(_URL_PUB, expand=False).astype("string")
        pub_raw = pub_raw.fillna(url_pub)
    pub = publication_frame(pub_raw)
    reject(pub["error"].notna(), "bad-value", "publication_no", pub_raw, lambda v: _num_note(v))
    grant_raw = c.get("grant_no")
    grant = publication_frame(grant_raw)
    reject(grant["error"].notna(), "bad-value", "grant_no", grant_raw, lambda v: _num_note(v))
    code_col = c.get("kind_code").str.upper().str[:1]
    pub_code = pub["kind_code"].fillna(code_col)

    patent_id = app["patent_id"]
    need = patent_id.isna() & pub["publication_no"].notna() & ~bad
    if need.any():
        found = lookup_publication(list(pub.loc[need, "publication_no"].unique())) if lookup_publication else {}
        from_store = pub["publication_no"].map(found).astype("string")
        provisional = per_distinct(pub.loc[need, "publication_no"], provisional_patent_id)
        patent_id = patent_id.fillna(from_store.where(need)).fillna(provisional)
    reject(patent_id.isna(), "missing-cell", "application_no", None,
           lambda v: "no application number (申请号) and no publication number: the row has no key")

    # -- kind ----------------------------------------------------------------
    kind = app["kind"].fillna(pub_code.map(KIND_CODE).astype("string")).fillna(pub["kind"])
    kind = kind.fillna(per_distinct(c.get("patent_type"), kind_from_text))
    kind_text = c.get("patent_type")

    # -- dates ---------------------------------------------------------------
    # dates are read here (once per distinct text) and handed on typed; text that is no date
    # rejects its row with the column it came from, as validation would
    dates = {}
    for f in DATE_FIELDS:
        raw = _blank_tokens(c.get(f)) if c.has(f) else c.get(f)
        text = per_distinct(raw, read_date)
        typed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        reject(text.notna() & typed.isna(), "type-error", f, raw, lambda v: f"{v!r} is not a date")
        dates[f] = typed
    # utility models and designs are published once, at grant (old numbers carry no kind letter)
    is_grant_pub = (pub_code.isin(GRANT_CODES).fillna(False)
                    | (pub_code.isna() & kind.isin(["utility", "design"]).fillna(False))).astype(bool)
    grant_no = grant["publication_no"].fillna(pub["publication_no"].where(is_grant_pub))
    grant_date = dates["grant_date"].fillna(dates["publication_date"].where(is_grant_pub))
    # a B/C grant publication is not the application's first publication
    later_grant = pub_code.isin({"B", "C"}).fillna(False).astype(bool)
    publication_no = pub["publication_no"].mask(later_grant)
    publication_date = dates["publication_date"].mask(later_grant)

    # -- legal status ----------------------------------------------------------
    st_text = c.get("legal_status")
    st = per_distinct(st_text, read_status, dtype=None)
    status = pd.Series([x[0] if isinstance(x, tuple) else None for x in st], index=df.index, dtype="string")
    vt = per_distinct(c.get("validity"), read_status, dtype=None)
    status = status.fillna(pd.Series([x[0] if isinstance(x, tuple) else None for x in vt], index=df.index,
                                     dtype="string"))
    granted_evidence = grant_date.notna() | grant_no.notna()
    status = status.mask((status == INACTIVE).fillna(False).astype(bool), pd.Series(np.where(granted_evidence, "lapsed", "withdrawn"),
                                                       index=df.index, dtype="string"))
    status = status.fillna(pd.Series(np.where(granted_evidence, "granted", None), index=df.index,
                                     dtype="string").where(c.get("legal_status").isna() & c.get("validity").isna()))
    no_event = pd.Series([not (isinstance(x, tuple) and x[1]) for x in st], index=df.index)
    unknown_status = st_text[st_text.notna() & status.isna() & no_event]

    # -- classification ------------------------------------------------------------
    design = (kind == "design").fillna(False)
    all_codes = ipcmod.code_lists(c.get("ipc_all"), design=design)
    main_codes = ipcmod.code_lists(c.get("ipc_main"), design=design)
    main = pd.Series([t[0] if t else None for t in main_codes], index=df.index, dtype="string")
    main = main.fillna(pd.Series([t[0] if t else None for t in all_codes], index=df.index, dtype="string"))
    industry = per_distinct(main, _industry)

    # -- places ----------------------------------------------------------------------
    app_addr = c.get("applicant_address")
    hints = None
    if any(c.has(f) for f in ("province", "city", "district", "province_code")):
        parts = [c.get(f).fillna("") for f in ("province", "province_code", "city", "district")]
        hint = parts[0].str.cat(parts[1:], sep="").str.replace(r"\(\d+\)|\d+", "", regex=True)
        hints = hint.mask(hint == "")
    applicant_region = locate_many(app_addr, hints)
    owner_addr = c.get("owner_address")
    owner_region = locate_many(owner_addr)
    grant_ts = pd.to_datetime(grant_date, errors="coerce", format="%Y-%m-%d")
    owner_basis = (grant_ts < CNIPA_BASIS_SWITCH).fillna(False) & owner_region.notna()
    region = owner_region.where(owner_basis, applicant_region)
    basis = pd.Series(np.where(owner_basis, "owner_address",
                               np.where(applicant_region.notna(), "applicant_address", None)),
                      index=df.index, dtype="string")
    country_col = c.get("applicant_country").str.upper()
    foreign = (country_col.notna() & (country_col != "CN")) | app_addr.str.match(r"^\s*(香港|澳门|台湾|中国香港|中国澳门|中国台湾)").fillna(False)
    domestic = pd.Series(pd.NA, index=df.index, dtype="boolean")
    domestic[region.notna().to_numpy()] = True
    domestic[foreign.fillna(False).to_numpy()] = False

    pct_no = c.get("pct_application_no")
    pct = pct_no.notna() | patent_id.str.slice(6, 7).isin(["8", "9"]).fillna(False)

    patent = pd.DataFrame({
        "patent_id": patent_id,
        "application_no": app["application_no"],
        "publication_no": publication_no,
        "grant_no": grant_no,
        "kind": kind,
        "filing_date": dates["filing_date"],
        "publication_date": publication_date,
        "grant_date": grant_date,
        "priority_date": dates["priority_date"],
        "title": c.get("title"),
        "title_en": c.get("title_en"),
        "abstract": c.get("abstract").str.replace("#", " ", regex=False) if c.has("publication_url") else c.get("abstract"),
        "claims_count": _blank_tokens(c.get("claims_count")) if c.has("claims_count") else c.get("claims_count"),
        "ipc_main": main,
        "applicant_address": app_addr,
        "applicant_region": applicant_region,
        "owner_address": owner_addr,
        "owner_region": owner_region,
        "region_code": region,
        "attribution_basis": basis,
        "country": patent_id.str.slice(0, 2),
        "domestic": domestic,
        "pct": pct.astype("boolean"),
        "pct_application_no": pct_no,
        "pct_date": dates["pct_date"],
        "family_id": c.get("family_id"),
        "family_size": c.get("family_size"),
        "cited_by_count": c.get("cited_by_count"),
        "industry": industry,
        "status": status,
        "_row": rows,
    })
    if sheet:
        patent["_sheet"] = sheet
    patent["kind"] = patent["kind"].fillna(kind_text)  # unknown kind text: validate names it
    keep = ~bad
    events = _events(patent, dates, st, keep, observed_on)
    dated = [_dated_list_events(c.get(f), patent_id, rows, keep, ev)
             for f, ev in (("transfer_dates", "transferred"), ("licence_dates", "licensed"),
                           ("pledge_dates", "pledged")) if c.has(f)]
    if dated:
        events = pd.concat([events, *dated], ignore_index=True)
    parties = _parties(c, patent_id, keep, applicant_addr=app_addr, owner_addr=owner_addr)
    ipc_rows = _ipc_rows(patent_id, main, all_codes, keep)
    citations = _links(c.get("citations"), patent_id, keep, "citing_id", "cited_no")
    family = _links(c.get("family_members"), patent_id, keep, "patent_id", "member_no")
    if len(family):
        family["country"] = family["member_no"].str.slice(0, 2)
    frames = {"patent": patent[keep], "patent_party": parties, "patent_ipc": ipc_rows, "patent_event": events,
              "patent_citation": citations, "patent_family": family}
    frames, merged = _merge_same_patent(frames)
    unmatched = app_addr[keep & app_addr.notna() & applicant_region.isna()]
    return Mapped(frames, rejects, merged, unmatched.value_counts() if len(unmatched) else None,
                  unknown_status.value_counts() if len(unknown_status) else None)


def _num_note(v) -> str:
    try:
        parse_publication_no(str(v)) if v is not None else None
    except NumberError as e:
        return str(e)
    from ipobs.sources.numbers import parse_application_no

    try:
        parse_application_no(str(v))
    except NumberError as e:
        return str(e)
    return f"{v!r} is not a valid number"


def _events(patent: pd.DataFrame, dates: dict, st: pd.Series, keep: pd.Series, observed_on: dt.date) -> pd.DataFrame:
    pid = patent["patent_id"]
    kind = patent["kind"]
    status = patent["status"]
    parts = []

    def add(mask, date, event, status_after, note=None):
        m = (mask & keep & date.notna()).fillna(False).astype(bool)
        if m.any():
            ev = event[m] if isinstance(event, pd.Series) else event
            sa = status_after[m] if isinstance(status_after, pd.Series) else status_after
            parts.append(pd.DataFrame({"patent_id": pid[m], "event_date": date[m], "event": ev,
                                       "status_after": sa, "note": note, "_row": patent["_row"][m]}))

    true = pd.Series(True, index=patent.index)
    add(true, patent["filing_date"], "filed", "pending")
    add(kind == "invention", patent["publication_date"], "published", None)
    add(true, patent["grant_date"], "granted", "granted")
    ends = {"lapsed", "expired", "invalidated", "surrendered", "withdrawn", "rejected"}
    end_status = status.where(status.isin(ends).fillna(False), "lapsed")
    add(status.isin(ends).fillna(False) | dates["lapse_date"].notna(), dates["lapse_date"], end_status, end_status)
    add(true, dates["invalidation_date"], "invalidated", "invalidated")
    # the current status, when no dated event above already says it
    said = pd.Series(False, index=patent.index)
    if parts:
        ev = pd.concat(parts)
        said_ids = ev.loc[ev["status_after"].notna() & (ev["status_after"] == status.reindex(ev.index)), "patent_id"]
        said = _isin(pid, said_ids)
    needs = status.notna() & ~said & (status != "pending")
    when = dates["status_date"].fillna(pd.Timestamp(observed_on))
    observed = dates["status_date"].isna()
    add(needs & ~observed, when, status, status)
    add(needs & observed, when, status, status, "observed in the export; date of the change not given")
    if not parts:
        return pd.DataFrame(columns=["patent_id", "event_date", "event", "status_after", "note", "_row"])
    return pd.concat(parts, ignore_index=True)


def _dated_list_events(cells: pd.Series, pid: pd.Series, rows: pd.Series, keep: pd.Series, event: str) -> pd.DataFrame:
    lists = per_distinct(cells, lambda v: tuple(d for d in (read_date(x) for x in _split_list(v)) if d), dtype=None)
    ex = pd.DataFrame({"patent_id": pid, "event_date": lists, "_row": rows})[keep & cells.notna()].explode("event_date")
    ex = ex[ex["event_date"].notna()]
    ex["event"] = event
    ex["status_after"] = None
    ex["note"] = None
    return ex


def _parties(c: Cells, pid: pd.Series, keep: pd.Series, *, applicant_addr, owner_addr) -> pd.DataFrame:
    out = []
    rows = c.df["_row"]
    for fld, role in (("applicants", "applicant"), ("owners", "owner"), ("inventors", "inventor"),
                      ("agency", "agent")):
        if not c.has(fld):
            continue
        cells = c.get(fld)[keep]
        ex = explode_names(cells)
        if not len(ex):
            continue
        src = ex["src"].to_numpy()
        part = pd.DataFrame({"patent_id": pid.loc[src].to_numpy(), "role": role, "seq": ex["seq"].to_numpy(),
                             "name": ex["name"].to_numpy(), "name_norm": ex["name"].to_numpy(),
                             "_row": rows.loc[src].to_numpy()})
        if role in ("applicant", "owner"):
            addr = (applicant_addr if role == "applicant" else owner_addr).loc[src].to_numpy()
            part["address"] = np.where(part["seq"].to_numpy() == 1, addr, None)
        if role == "agent":  # "北京同辉知识产权代理事务所(普通合伙) 11357": drop the agency code
            part["name_norm"] = part["name_norm"].str.replace(r"\s*\d{5}$", "", regex=True)
            part["name"] = part["name_norm"]
        out.append(part)
    if not out:
        return pd.DataFrame(columns=["patent_id", "role", "seq", "name", "name_norm", "address", "_row"])
    return pd.concat(out, ignore_index=True)


def _ipc_rows(pid: pd.Series, main: pd.Series, all_codes: pd.Series, keep: pd.Series) -> pd.DataFrame:
    codes = [((m,) if isinstance(m, str) else ()) + tuple(x for x in t if x != m)
             for m, t in zip(main.tolist(), all_codes.tolist())]
    ex = pd.DataFrame({"patent_id": pid, "ipc": pd.Series(codes, index=pid.index, dtype=object)})[keep]
    ex = ex.explode("ipc")
    ex = ex[ex["ipc"].notna()]
    ex["seq"] = ex.groupby(level=0).cumcount() + 1
    ex["is_main"] = ex["seq"] == 1
    ex["is_main"] = ex["is_main"] & ex.index.isin(main[main.notna()].index)
    ipc = ex["ipc"].astype("string")
    # ipcmod.subclass, vectorized: LOCcc for Locarno classes, the first four characters otherwise
    ex["subclass"] = ipc.str.slice(0, 4).where(~ipc.str.startswith("LOC").fillna(False), ipc.str.slice(0, 5))
    return ex.reset_index(drop=True)


def _links(cells: pd.Series, pid: pd.Series, keep: pd.Series, id_col: str, no_col: str) -> pd.DataFrame:
    sel = cells[keep & cells.notna()]
    ex = publication_lists(sel)
    out = pd.DataFrame({id_col: pid.loc[ex["src"]].to_numpy() if len(ex) else [], no_col: ex["number"].to_numpy()})
    return out.drop_duplicates().reset_index(drop=True)


def _merge_same_patent(frames: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], dict[str, int]]:
    """Rows of one chunk that describe the same patent (A and B publications, repeated rows)
    become one record: the first row's values, blanks filled from the later rows. Later rows
    count as *updated* when they added something, else as *duplicate*."""
    pat = frames["patent"]
    merged = {"duplicate": 0, "updated": 0}
    dup = pat["patent_id"].duplicated(keep=False) & pat["patent_id"].notna()
    if dup.any():
        grp = pat[dup]
        first_mask = ~grp["patent_id"].duplicated(keep="first")
        firsts = grp[first_mask].set_index("patent_id")
        later = grp[~first_mask]
        value_cols = [col for col in pat.columns if col not in ("patent_id", "_row", "_sheet")]
        base = firsts.loc[later["patent_id"], value_cols].reset_index(drop=True)
        new = later[value_cols].reset_index(drop=True)
        added = (new.notna() & base.isna()).any(axis=1)
        merged["updated"] = int(added.sum())
        merged["duplicate"] = int((~added).sum())
        combined = grp.groupby("patent_id", sort=False).first()  # first non-missing value per column
        combined["_row"] = firsts["_row"]
        combined = combined.reset_index()
        pat = pd.concat([pat[~dup], combined], ignore_index=True)
    frames["patent"] = pat
    keys = {"patent_party": ["patent_id", "role", "seq"], "patent_ipc": ["patent_id", "ipc"],
            "patent_event": ["patent_id", "event_date", "event"], "patent_citation": ["citing_id", "cited_no"],
            "patent_family": ["patent_id", "member_no"]}
    for name, key in keys.items():
        df = frames[name]
        if len(df):
            frames[name] = df.drop_duplicates(key, keep="first").reset_index(drop=True)
    return frames, merged
