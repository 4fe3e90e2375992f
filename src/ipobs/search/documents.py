"""Patents as search documents: read from the store, turned into tantivy documents.

One SQL query reads a patent with its applicants/owners (and their resolved entity names),
inventors and IPC codes (each list put in order by ``list_sort`` on a struct whose first fields are
the sort key: DuckDB's ``list(x ORDER BY …)`` sorted per group and took 35 of the 45 s a million
patents took to read, during which no document could be made); :func:`doc_json` fills the index fields the schema in
:mod:`ipobs.search.index` declares, as the JSON document tantivy's writer takes (so worker
processes can prepare documents in parallel). Nothing here computes a statistic.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from functools import lru_cache
from typing import Iterator

from ipobs.search import analysis as A

APPLICANT_ROLES = ("applicant", "owner")
KEY_SEP = "\t"  # applicant facet key: entity id (or "~" when unresolved) TAB display name
NONE = "none"  # facet value of a missing single-valued attribute

_SQL = """
WITH pp AS (
    SELECT x.patent_id, x.role, x.seq, x.name, x.name_norm, x.entity_id, e.name AS entity_name
    FROM patent_party x LEFT JOIN entity e ON e.entity_id = x.entity_id
    {where_party}
), parties AS (
    SELECT patent_id,
        list_transform(list_sort(list({{'r': role, 's': seq, 'name': name, 'norm': name_norm,
                                       'entity': entity_id, 'entity_name': entity_name}})
                                 FILTER (WHERE role IN ('applicant', 'owner'))),
                       v -> {{'name': v.name, 'norm': v.norm, 'entity': v.entity, 'entity_name': v.entity_name}})
            AS applicants,
        list_transform(list_sort(list({{'s': seq, 'name': name}}) FILTER (WHERE role = 'inventor')), v -> v.name)
            AS inventors
    FROM pp GROUP BY patent_id
), ipcs AS (
    SELECT patent_id,
        list_transform(list_sort(list({{'main': CASE WHEN is_main THEN 0 WHEN NOT is_main THEN 1 ELSE 2 END,
                                       'no_seq': seq IS NULL, 's': coalesce(seq, 0), 'ipc': ipc}})),
                       v -> v.ipc) AS ipcs,
        list(DISTINCT subclass) AS subclasses
    FROM patent_ipc {where_ipc} GROUP BY patent_id
)
SELECT p.patent_id, p.application_no, p.publication_no, p.grant_no, p.kind, p.filing_date,
       p.publication_date, p.grant_date, p.title, p.title_en, p.abstract, p.ipc_main, p.region_code,
       p.status, p.country, p.industry, p.synthetic,
       parties.applicants, parties.inventors, ipcs.ipcs, ipcs.subclasses
FROM patent p LEFT JOIN parties USING (patent_id) LEFT JOIN ipcs USING (patent_id)
{where_patent}
"""


def read_patents(con, ids_table: str | None = None, batch_rows: int = 20_000) -> Iterator[dict]:
    """Rows of every patent (or of those whose id is in the temp table ``ids_table``)."""
    for batch in read_batches(con, ids_table, batch_rows):
        yield from batch.to_pylist()


def read_batches(con, ids_table: str | None = None, batch_rows: int = 1_000):
    """The same rows as Arrow record batches (cheap to hand to worker processes)."""
    if ids_table:
        sub = f"IN (SELECT patent_id FROM {ids_table})"
        sql = _SQL.format(where_party=f"WHERE x.patent_id {sub}", where_ipc=f"WHERE patent_id {sub}",
                          where_patent=f"WHERE p.patent_id {sub}")
    else:
        sql = _SQL.format(where_party="", where_ipc="", where_patent="")
    yield from con.execute(sql).to_arrow_reader(batch_rows)


def _yyyymmdd(d) -> int | None:
    if d is None:
        return None
    if isinstance(d, dt.datetime):
        d = d.date()
    return d.year * 10000 + d.month * 100 + d.day


def ipc_levels(code: str) -> list[str]:
    """Every level of an IPC (or Locarno) code: H, H01, H01M, H01M10, H01M10/0525."""
    return list(_ipc_levels(code))


@lru_cache(maxsize=65536)
def _ipc_levels(code: str) -> tuple[str, ...]:
    if code.startswith("LOC"):
        head, _, _ = code.partition("-")
        return tuple(dict.fromkeys(["LOC", head, code]))
    out = [code[:1], code[:3], code[:4]]
    group = code.split("/", 1)[0]
    if len(group) > 4:
        out.append(group)
    out.append(code)
    return tuple(dict.fromkeys(c for c in out if c))


@lru_cache(maxsize=4096)
def region_chain(code: str) -> tuple[str, ...]:
    """The code and every code above it (regions.csv, else the NBS code structure)."""
    from ipobs.entities.regions import regions

    known = regions()
    chain: list[str] = []
    c: str | None = code
    while c and c in known and c not in chain:
        chain.append(c)
        c = known[c].parent
    if not chain:
        chain = [code]
        if code.isdigit():
            chain += [code[:n] for n in (9, 6, 4, 2) if n < len(code)]
    return tuple(dict.fromkeys(chain))


@lru_cache(maxsize=4096)
def region_zone(code: str | None) -> str:
    """The facet key of a region: its functional zone, else its district, else itself."""
    if not code:
        return NONE
    from ipobs.entities.regions import regions

    known = regions()
    chain = region_chain(code)
    for level in ("zone", "district"):
        for c in chain:
            if c in known and known[c].level == level:
                return c
    return code


@lru_cache(maxsize=4096)
def region_names(code: str) -> str:
    from ipobs.entities.regions import regions

    known = regions()
    names = []
    for c in region_chain(code):
        if c in known:
            names += [known[c].name, known[c].name_en, *known[c].aliases]
    return " ".join(dict.fromkeys(n for n in names if n))


@lru_cache(maxsize=4096)
def _region_name_words(code: str) -> str:
    """The fine words of a region's names (and of the regions above it), for ``region_name``."""
    names = region_names(code)
    return A.fine(names) if names else ""


@lru_cache(maxsize=65536)
def _applicant_text(names: tuple[str, ...]) -> tuple[str, str, tuple[str, ...]]:
    """(coarse words, fine words, exact names) of a patent's applicant names; firms file many
    patents, so a build segments each list of names once."""
    joined = A.normalize(" ; ".join(names))
    return (A.coarse(joined, normalized=True), A.fine(joined, normalized=True),
            tuple(A.normalize(n).strip() for n in names))


def applicant_key(party: dict) -> str:
    if party.get("entity"):
        return f"{party['entity']}{KEY_SEP}{party.get('entity_name') or party['name']}"
    return f"~{KEY_SEP}{party.get('norm') or party['name']}"


_PID_DIGITS = 15


def encode_pid(pid: str) -> int:
    """``CN201910012345`` → a u64 (two capital letters + 1–15 digits), else 0 (read the payload)."""
    if len(pid) < 3 or not ("A" <= pid[0] <= "Z" and "A" <= pid[1] <= "Z") or not pid[2:].isdigit() \
            or len(pid) - 2 > _PID_DIGITS or not pid[2:].isascii():
        return 0
    cc = (ord(pid[0]) - 65) * 26 + (ord(pid[1]) - 65)
    return ((cc * 16 + (len(pid) - 2)) << 50) | int(pid[2:])


def decode_pid(value: int) -> str | None:
    if not value:
        return None
    head, digits = value >> 50, value & ((1 << 50) - 1)
    cc, n = divmod(head, 16)
    return chr(65 + cc // 26) + chr(65 + cc % 26) + str(digits).zfill(n)


def _number(v: str | None) -> str | None:
    return None if not v else "".join(str(v).split()).replace(".", "").upper()


def payload(row: dict) -> dict:
    """The fields a result shows (stored in the index, so results need no store query)."""
    apps = row.get("applicants") or []
    return {
        "id": row["patent_id"],
        "application_no": row.get("application_no"),
        "publication_no": row.get("publication_no"),
        "grant_no": row.get("grant_no"),
        "kind": row.get("kind"),
        "filing_date": _iso(row.get("filing_date")),
        "publication_date": _iso(row.get("publication_date")),
        "grant_date": _iso(row.get("grant_date")),
        "title": row.get("title") or "",
        "title_en": row.get("title_en") or "",
        "abstract": row.get("abstract") or "",
        "applicants": [p["name"] for p in apps],
        "inventors": list(row.get("inventors") or []),
        "ipc_main": row.get("ipc_main"),
        "ipcs": list(row.get("ipcs") or [])[:20],
        "region_code": row.get("region_code"),
        "status": row.get("status"),
        "country": row.get("country"),
        "industry": row.get("industry"),
        "synthetic": bool(row.get("synthetic")),
    }


def _iso(d) -> str | None:
    if d is None:
        return None
    return (d.date() if isinstance(d, dt.datetime) else d).isoformat()


def doc_fields(row: dict) -> dict:
    """The index fields of one patent row (see the schema in :mod:`ipobs.search.index`)."""
    pid = row["patent_id"]
    d: dict = {"id": pid, "pidnum": encode_pid(pid)}
    d["nos"] = list(dict.fromkeys(filter(None, (pid, pid[2:] if pid[:2].isalpha() else None,
                                                _number(row.get("application_no")),
                                                _number(row.get("publication_no")), _number(row.get("grant_no"))))))
    for name in ("title", "abstract"):
        text = row.get(name)
        if text:
            text = A.normalize(text)
            d[name] = A.coarse(text, normalized=True)
            d[f"{name}_fine"] = A.fine(text, normalized=True)
            d[f"{name}_cjk"] = A.cjk_bigrams(text)
    if row.get("title_en"):
        d["title_en"] = row["title_en"]
    apps = row.get("applicants") or []
    names = list(dict.fromkeys(n for p in apps for n in (p["name"], p.get("entity_name")) if n))
    if names:
        d["applicant"], d["applicant_fine"], applicant_names = _applicant_text(tuple(names))
        d["applicant_name"] = list(applicant_names)
    if apps:
        d["applicant_key"] = list(dict.fromkeys(applicant_key(p) for p in apps))
        entities = list(dict.fromkeys(p["entity"] for p in apps if p.get("entity")))
        if entities:
            d["entity"] = entities
    inventors = [n for n in (row.get("inventors") or []) if n]
    if inventors:
        d["inventor"] = A.fine(" ; ".join(inventors))
        d["inventor_name"] = list(dict.fromkeys(A.normalize(n).strip() for n in inventors))
    codes = list(row.get("ipcs") or [])
    main = row.get("ipc_main")
    if main and main not in codes:
        codes.insert(0, main)
    if codes:
        d["ipc"] = list(dict.fromkeys(lv for c in codes for lv in _ipc_levels(c)))
    if main:
        d["ipc_main"] = list(_ipc_levels(main))
    subclasses = row.get("subclasses") or ([main[:4]] if main else [])
    if subclasses:
        d["ipc_sub"] = list(dict.fromkeys(subclasses))
    d["kind"] = row.get("kind") or NONE
    d["status"] = row.get("status") or NONE
    if row.get("country"):
        d["country"] = row["country"].upper()
    if row.get("industry"):
        d["industry"] = row["industry"]
    region = row.get("region_code")
    if region:
        d["region"] = list(region_chain(region))
        names = _region_name_words(region)
        if names:
            d["region_name"] = names
    d["zone"] = region_zone(region)
    for field, col in (("filed", "filing_date"), ("granted", "grant_date"), ("published", "publication_date")):
        v = _yyyymmdd(row.get(col))
        if v is not None:
            d[field] = v
    fd = row.get("filing_date")
    d["filed_year"] = fd.year if fd else 0
    d["payload"] = base64.b64encode(
        json.dumps(payload(row), ensure_ascii=False, separators=(",", ":")).encode()).decode("ascii")
    return d


def doc_json(row: dict) -> str:
    """One patent as the JSON document ``IndexWriter.add_json`` takes."""
    return json.dumps(doc_fields(row), ensure_ascii=False, separators=(",", ":"))


def docs_json(rows) -> list[str]:
    """A chunk of rows, dicts or an Arrow record batch (what a worker process turns into documents)."""
    if not isinstance(rows, list):
        rows = rows.to_pylist()
    return [doc_json(r) for r in rows]
