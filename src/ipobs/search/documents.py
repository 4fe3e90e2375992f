"""Patents as search documents: read from the store, turned into tantivy documents.

One SQL query reads a patent with its applicants/owners (and their resolved entity names),
inventors and IPC codes (each list put in order by ``list_sort`` on a struct whose first fields are
the sort key: DuckDB's ``list(x ORDER BY …)`` sorted per group and took 35 of the 45 s a million
patents took to read, during which no document could be made). The same query writes every index
field that needs no segmentation (numbers, IPC levels, facet keys, dates, the stored payload) as the
start of the JSON document tantivy's writer takes (``head``); :func:`docs_json` adds the segmented
text, the applicant and inventor names and the region fields in Python, a batch at a time, in worker
processes during a build. (Made field by field in Python, a patent took a worker 0.41 ms of CPU;
now 0.19 ms, and DuckDB about 0.03 ms more.) The schema is in :mod:`ipobs.search.index`. Nothing
here computes a statistic.
"""

from __future__ import annotations

from functools import lru_cache
from json.encoder import encode_basestring as _quote  # a str as a JSON string, ensure_ascii=False
from typing import Iterator

from ipobs.search import analysis as A

KEY_SEP = "\t"  # applicant facet key: entity id (or "~" when unresolved) TAB display name
NONE = "none"  # facet value of a missing single-valued attribute
PAYLOAD_ITEMS = 20  # IPC codes a result shows

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
), patents AS (
    SELECT p.patent_id, p.application_no, p.publication_no, p.grant_no, p.kind, p.filing_date,
           p.publication_date, p.grant_date, p.title, p.title_en, p.abstract, p.ipc_main, p.region_code,
           p.status, p.country, p.industry, p.synthetic,
           parties.applicants, parties.inventors, ipcs.ipcs, ipcs.subclasses
    FROM patent p LEFT JOIN parties USING (patent_id) LEFT JOIN ipcs USING (patent_id)
    {where_patent}
)
{select}
"""


# ---------------------------------------------------------------- the fields SQL writes
def _distinct(items: str) -> str:
    """SQL: the list's non-empty items, each once, in first-seen order (Python's ``dict.fromkeys``)."""
    return f"list_filter({items}, (x, i) -> x IS NOT NULL AND x <> '' AND list_position({items}, x) = i)"


def _levels(code: str) -> str:
    """SQL: every level of an IPC (or Locarno) code: H, H01, H01M, H01M10, H01M10/0525
    (LOC, LOC(15), LOC(15)-01 for a Locarno class)."""
    group = f"split_part({code}, '/', 1)"
    return (f"CASE WHEN starts_with({code}, 'LOC') THEN ['LOC', split_part({code}, '-', 1), {code}] "
            f"ELSE [{code}[1:1], {code}[1:3], {code}[1:4], CASE WHEN length({group}) > 4 THEN {group} END, "
            f"{code}] END")


def _field(name: str, value: str) -> str:
    """SQL: ``,"name":`` and the value as JSON; NULL (no field: ``concat`` skips it) for a NULL value."""
    return f"""',"{name}":' || to_json({value})"""


def _date_number(col: str) -> str:
    """SQL: a date as the integer YYYYMMDD (what the range fields hold)."""
    return f"year({col}) * 10000 + month({col}) * 100 + day({col})"


# an application/publication number as searched: without spaces (those Python's str.split cuts on)
# or dots, in upper case
_SPACES = (r"[\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
           r"\x{202f}\x{205f}\x{3000}]+")


def _number(col: str) -> str:
    return f"upper(replace(regexp_replace({col}, '{_SPACES}', '', 'g'), '.', ''))"


# the patent id as a u64 (decode_pid reads it back): two capital letters, then 1-15 ASCII digits;
# 0 for any other id (a result then reads its id from the payload)
_PIDNUM = """CASE WHEN regexp_full_match(patent_id, '[A-Z]{2}[0-9]{1,15}') THEN
    ((((ascii(patent_id[1]) - 65) * 26 + ascii(patent_id[2]) - 65) * 16 + length(patent_id) - 2)::UBIGINT << 50)
    | patent_id[3:]::UBIGINT ELSE 0 END"""
_PARTY_KEY = ("CASE WHEN coalesce(v.entity, '') <> '' "
              "THEN v.entity || chr(9) || coalesce(nullif(v.entity_name, ''), v.name) "
              "ELSE '~' || chr(9) || coalesce(nullif(v.norm, ''), v.name) END")
# lists as made (NAME_all), before _distinct drops empty and repeated items (NAME_list)
_LISTS = {
    "nos": (r"[patent_id, CASE WHEN regexp_full_match(left(patent_id, 2), '\pL+') THEN patent_id[3:] END, "
            f"{_number('application_no')}, {_number('publication_no')}, {_number('grant_no')}]"),
    "applicant_key": f"list_transform(applicants, v -> {_PARTY_KEY})",
    "entity": "list_transform(applicants, v -> v.entity)",
    # the main IPC first when the list lacks it, then every level of every code
    "ipc": ("flatten(list_transform(CASE WHEN coalesce(ipc_main, '') <> '' AND NOT list_contains("
            f"coalesce(ipcs, []), ipc_main) THEN list_prepend(ipc_main, ipcs) ELSE ipcs END, c -> {_levels('c')}))"),
    "ipc_main": f"CASE WHEN ipc_main <> '' THEN {_levels('ipc_main')} END",
    "ipc_sub": "coalesce(subclasses, CASE WHEN ipc_main <> '' THEN [ipc_main[1:4]] END)",
    "names": "flatten(list_transform(applicants, v -> [v.name, v.entity_name]))",  # docs_json segments them
}
# the fields a result shows (stored in the index, so results need no store query)
_PAYLOAD = f"""{{'id': patent_id, 'application_no': application_no, 'publication_no': publication_no,
    'grant_no': grant_no, 'kind': kind, 'filing_date': filing_date, 'publication_date': publication_date,
    'grant_date': grant_date, 'title': coalesce(title, ''), 'title_en': coalesce(title_en, ''),
    'abstract': coalesce(abstract, ''), 'applicants': coalesce(list_transform(applicants, v -> v.name), []),
    'inventors': coalesce(inventors, []), 'ipc_main': ipc_main, 'ipcs': coalesce(ipcs[1:{PAYLOAD_ITEMS}], []),
    'region_code': region_code, 'status': status, 'country': country, 'industry': industry,
    'synthetic': coalesce(synthetic, false)}}"""
_HEAD = ", ".join([
    """'{"id":' || to_json(patent_id)""",
    f"""',"pidnum":' || ({_PIDNUM})""",
    *(_field(name, f"CASE WHEN len({name}_list) > 0 THEN {name}_list END") for name in _LISTS if name != "names"),
    _field("title_en", "nullif(title_en, '')"),
    _field("kind", f"coalesce(nullif(kind, ''), '{NONE}')"),
    _field("status", f"coalesce(nullif(status, ''), '{NONE}')"),
    _field("country", "upper(nullif(country, ''))"),
    _field("industry", "nullif(industry, '')"),
    _field("filed", _date_number("filing_date")),
    _field("granted", _date_number("grant_date")),
    _field("published", _date_number("publication_date")),
    _field("filed_year", "coalesce(year(filing_date), 0)"),
    f"""',"payload":"' || to_base64(encode(to_json({_PAYLOAD}))) || '"'""",
])
# what docs_json takes: the head (a JSON object not yet closed), and what Python segments or looks up
_DOCS = f"""SELECT concat({_HEAD}) AS head, title, abstract, region_code, inventors, names_list AS names FROM (
    SELECT *, {", ".join(f"{_distinct(f'{name}_all')} AS {name}_list" for name in _LISTS)} FROM (
        SELECT *, {", ".join(f"{sql} AS {name}_all" for name, sql in _LISTS.items())} FROM patents))"""


def _sql(select: str, ids_table: str | None) -> str:
    if not ids_table:
        return _SQL.format(select=select, where_party="", where_ipc="", where_patent="")
    sub = f"IN (SELECT patent_id FROM {ids_table})"
    return _SQL.format(select=select, where_party=f"WHERE x.patent_id {sub}", where_ipc=f"WHERE patent_id {sub}",
                       where_patent=f"WHERE p.patent_id {sub}")


def read_patents(con, ids_table: str | None = None, batch_rows: int = 20_000) -> Iterator[dict]:
    """Every patent (or those whose id is in the temp table ``ids_table``) with its ordered
    applicants, inventors and IPC codes, as dicts (what the documents are made of)."""
    for batch in con.execute(_sql("SELECT * FROM patents", ids_table)).to_arrow_reader(batch_rows):
        yield from batch.to_pylist()


def read_batches(con, ids_table: str | None = None, batch_rows: int = 1_000):
    """What :func:`docs_json` takes, as Arrow record batches (cheap to hand to worker processes)."""
    yield from con.execute(_sql(_DOCS, ids_table)).to_arrow_reader(batch_rows)


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


def decode_pid(value: int) -> str | None:
    if not value:
        return None
    head, digits = value >> 50, value & ((1 << 50) - 1)
    cc, n = divmod(head, 16)
    return chr(65 + cc // 26) + chr(65 + cc % 26) + str(digits).zfill(n)


# ------------------------------------------------------------ the fields Python writes
def _json_list(items) -> str:
    return "[" + ",".join(map(_quote, items)) + "]"


@lru_cache(maxsize=65536)
def _applicant_json(names: tuple[str, ...]) -> str:
    """The applicant fields of a list of names (firms file many patents: made once per list)."""
    joined = A.normalize(" ; ".join(names))
    exact = list(dict.fromkeys(A.normalize(n).strip() for n in names))
    return (f',"applicant":{_quote(A.coarse(joined, normalized=True))}'
            f',"applicant_fine":{_quote(A.fine(joined, normalized=True))},"applicant_name":{_json_list(exact)}')


@lru_cache(maxsize=4096)
def _region_json(code: str | None) -> str:
    """The region fields: the code and those above it, their names' words, the facet's zone."""
    out = ""
    if code:
        out += f',"region":{_json_list(region_chain(code))}'
        words = _region_name_words(code)
        if words:
            out += f',"region_name":{_quote(words)}'
    return out + f',"zone":{_quote(region_zone(code))}'


def _inventor_json(inventors) -> str:
    names = [n for n in inventors or () if n]
    if not names:
        return ""
    exact = list(dict.fromkeys(A.normalize(n).strip() for n in names))
    return f',"inventor":{_quote(A.fine(" ; ".join(names)))},"inventor_name":{_json_list(exact)}'


def docs_json(batch) -> list[str]:
    """The JSON documents ``IndexWriter.add_json`` takes, for an Arrow batch of :func:`read_batches`."""
    cols = batch.to_pydict()
    texts = {name: [A.normalize(t) if t else None for t in cols[name]] for name in ("title", "abstract")}
    pairs = {name: A.cjk_bigrams_many([t or "" for t in ts]) for name, ts in texts.items()}
    out = []
    for i, head in enumerate(cols["head"]):
        parts = [head]
        for name, ts in texts.items():
            text = ts[i]
            if text:
                parts.append(f',"{name}":{_quote(A.coarse(text, normalized=True))}'
                             f',"{name}_fine":{_quote(A.fine(text, normalized=True))}'
                             f',"{name}_cjk":{_quote(pairs[name][i])}')
        names = cols["names"][i]
        if names:
            parts.append(_applicant_json(tuple(names)))
        parts.append(_inventor_json(cols["inventors"][i]))
        parts.append(_region_json(cols["region_code"][i]))
        parts.append("}")
        out.append("".join(parts))
    return out
