"""Canonical rows of one chunk of simulated patents (consecutive in filing date): the ``patents`` kind.

Tables: patent, patent_party (applicants with the messy name variants exports carry,
owners, inventors, agents), patent_ipc, patent_event (the legal-status history),
patent_citation and patent_family.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ipobs.demo.codes import application_numbers
from ipobs.demo.config import calibration, end_date, vocab
from ipobs.demo.entities import ACADEMIC, AGENCY, ENTERPRISE, INDIVIDUAL, EntityPool, industry_labels, person_names
from ipobs.demo.patents import (
    DESIGN, END_EVENTS, EXPIRED, GRANTED, INVENTION, KINDS, LAPSED, NAT, OWNER_BASIS_UNTIL, PENDING, REJECTED,
    UTILITY, WITHDRAWN, PatentSim, Topics,
)
from ipobs.demo.strings import cat, column, const, digits, labels, pick, text_column, where
from ipobs.demo.text import TopicVocab, titles_and_abstracts

FAMILY_OFFICES = np.array(["US", "EP", "JP", "KR"])
FAMILY_WEIGHTS = np.array([0.45, 0.25, 0.18, 0.12])


class Context:
    """What every chunk needs: the simulation, entities, vocabularies, inventor names."""

    def __init__(self, seed: int, sim: PatentSim, pool: EntityPool, tp: Topics, pledges=None):
        self.seed = seed
        self.sim = sim
        self.pool = pool
        self.tp = tp
        self.tv = TopicVocab(tp)
        from ipobs.demo.config import stream

        rng = stream(seed, "patents", "people")
        n_people = max(2000, int(len(sim) * 0.4))
        self.people = person_names(rng, n_people)
        self.filings = np.bincount(sim.applicant, minlength=len(pool))
        # every published patent's number, for citations
        self.pub_no = _publication_no(sim)
        self.ids, self.app_no = application_numbers(sim.number12)
        self.pledges = pledges  # (patent index, pledged date, released date or NaT)
        agencies = pool.of(AGENCY)
        self.agencies = agencies
        self.agency_p = pool.weight[agencies] / pool.weight[agencies].sum()


def _publication_no(sim: PatentSim) -> pa.Array:
    """CN + 9 digits + A (published invention application), U (utility), S (design)."""
    letter = np.array(["A", "U", "S"])[sim.kind]
    has = sim.pub_serial > 0
    return where(~has, None, cat("CN", digits(np.where(has, sim.pub_serial, 0), 9), pa.array(letter)))


def _grant_no(sim: PatentSim, rows: np.ndarray) -> pa.Array:
    """Grant publication numbers: invention B shares its A number; utility/design numbers are the grant's."""
    g = sim.granted[rows]
    letter = np.array(["B", "U", "S"])[sim.kind[rows]]
    return where(~g, None, cat("CN", digits(np.where(g, sim.pub_serial[rows], 0), 9), pa.array(letter)))


def chunk_frames(ctx: Context, rows: np.ndarray, rng) -> dict[str, pd.DataFrame]:
    """All tables of the patents kind for the patents ``rows`` of the simulation."""
    sim, pool = ctx.sim, ctx.pool
    n = len(rows)
    kind = sim.kind[rows]
    topic = sim.topic[rows].astype(np.int64)
    app = sim.applicant[rows]
    owner = sim.owner()[rows]
    granted = sim.granted[rows]
    grant = np.where(granted, sim.decision[rows], NAT)
    end_d = end_date()

    # ---- classification: IPC from the topic, Locarno for designs
    ipc_list = [c for t in ctx.tp.ipc for c in t]
    ipc_off = np.cumsum([0] + [len(t) for t in ctx.tp.ipc])[:-1]
    ipc_cnt = np.array([len(t) for t in ctx.tp.ipc])
    main_j = np.floor(rng.random(n) * ipc_cnt[topic]).astype(np.int64)
    main_ipc = pick(ipc_list, ipc_off[topic] + main_j)
    loc_code, loc_title = _locarno(rng, ctx, sim.industry[rows])
    is_design = kind == DESIGN
    ipc_main = pc.if_else(pa.array(is_design), loc_code, main_ipc)

    title, abstract, title_en = titles_and_abstracts(rng, ctx.tv, kind, topic, loc_title)
    has_en = rng.random(n) < calibration()["patents"]["title_en_share"]
    claims = np.select([kind == INVENTION, kind == UTILITY],
                       [np.clip(rng.poisson(9.0, n) + 1, 1, 30), np.clip(rng.poisson(4.5, n) + 1, 1, 10)], 1)

    # ---- parties and places
    a_var = pool.choose_variant(rng, app)
    app_addr = pool.address.take(pa.array(app))
    app_region = pool.region[app]
    own_addr = pool.address.take(pa.array(owner))
    own_region = pool.region[owner]
    by_owner = granted & (grant <= OWNER_BASIS_UNTIL)
    region = np.where(by_owner, own_region, app_region)
    basis = np.where(by_owner, "owner_address", "applicant_address")
    status = _status(sim, rows)

    # ---- PCT, family, citations
    pct = sim.pct[rows]
    pct_year = sim.pct_date[rows].astype("datetime64[Y]").astype(np.int64) + 1970
    pct_no = where(~pct, None, cat("PCT/CN", digits(np.where(pct, pct_year, 0)), "/", digits(sim.pct_serial[rows], 6)))
    fam = _family(rng, sim, rows, pool)
    family_size = 1 + np.bincount(fam["i"], minlength=n)
    foreign_granted = np.bincount(fam["i"], weights=fam["granted"], minlength=n) > 0
    has_family = family_size > 1
    ids = ctx.ids.take(pa.array(rows))

    patent = pd.DataFrame({
        "patent_id": column(ids),
        "application_no": column(ctx.app_no.take(pa.array(rows))),
        "publication_no": column(ctx.pub_no.take(pa.array(rows))),
        "grant_no": column(_grant_no(sim, rows)),
        "kind": labels(list(KINDS), kind),
        "filing_date": sim.filing[rows],
        "publication_date": sim.pub[rows],
        "grant_date": grant,
        "priority_date": sim.filing[rows],
        "title": column(title),
        "title_en": column(title_en, missing=~has_en),
        "abstract": column(abstract),
        "claims_count": claims,
        "ipc_main": column(ipc_main),
        "applicant_address": column(app_addr),
        "applicant_region": text_column(app_region),
        "owner_address": column(own_addr, missing=~granted),
        "owner_region": text_column(np.where(granted, own_region, None)),
        "region_code": text_column(region),
        "attribution_basis": labels(["applicant_address", "owner_address"], by_owner.astype(np.int64)),
        "country": const("CN", n),
        "domestic": pool.country[app] == "CN",
        "pct": pct,
        "pct_application_no": column(pct_no),
        "pct_date": sim.pct_date[rows],
        "family_id": column(cat("F", ids), missing=~has_family),
        "family_size": family_size,
        "foreign_family": foreign_granted,
        "cited_by_count": sim.cited_by[rows],
        "industry": text_column(industry_labels(sim.industry[rows])),
        "status": text_column(status),
        "synthetic": True,
    })

    party = _parties(rng, ctx, rows, ids, a_var, app, owner, granted)
    ipc = _ipc_rows(rng, ctx, rows, ids, topic, main_j, ipc_list, ipc_off, ipc_cnt, is_design, loc_code)
    events = _events(ctx, rows, ids, end_d)
    citation = _citations(ctx, rows)
    family = pd.DataFrame({
        "patent_id": column(ids.take(pa.array(fam["i"]))),
        "member_no": column(fam["no"]),
        "country": text_column(fam["country"]),
        "granted": fam["granted"].astype(bool),
    })
    return {"patent": patent, "patent_party": party, "patent_ipc": ipc, "patent_event": events,
            "patent_citation": citation, "patent_family": family}


def _status(sim: PatentSim, rows: np.ndarray) -> np.ndarray:
    """Current status: the latest status-changing event up to the end date."""
    out = np.full(len(rows), "pending", dtype=object)
    oc = sim.outcome[rows]
    out[oc == GRANTED] = "granted"
    out[oc == REJECTED] = "rejected"
    out[oc == WITHDRAWN] = "withdrawn"
    end_code = sim.end_code[rows]
    ended = end_code > 0
    out[ended] = np.array(END_EVENTS, dtype=object)[end_code[ended]]
    restored = ~np.isnat(sim.restored[rows])
    out[restored] = "granted"
    end2 = sim.end2_code[rows]
    out[end2 > 0] = np.array(END_EVENTS, dtype=object)[end2[end2 > 0]]
    return out


def _locarno(rng, ctx: Context, industry: np.ndarray) -> tuple[pa.Array, pa.Array]:
    """A Locarno code (LOC14-03) and a product title per row from the industry's classes."""
    v = vocab()
    products = v["locarno_products"]
    variants = v["design_variants"]
    n = len(industry)
    codes = np.empty(n, dtype=object)
    prod = np.empty(n, dtype=object)
    for ind, classes in ctx.tp.locarno.items():
        rows = np.flatnonzero(industry == ind)
        if not len(rows) or not classes:
            continue
        cls = np.array(classes, dtype=object)[rng.integers(0, len(classes), len(rows))]
        for c in classes:
            sub_rows = rows[cls == c]
            info = products[c]
            subs = np.array(info["sub"], dtype=object)[rng.integers(0, len(info["sub"]), len(sub_rows))]
            codes[sub_rows] = "LOC" + c + "-" + subs
            prod[sub_rows] = np.array(info["products"], dtype=object)[rng.integers(0, len(info["products"]), len(sub_rows))]
    with_variant = rng.random(n) < 0.45
    var = pick(variants, rng.integers(0, len(variants), n))
    prod_a = pa.array(prod, type=pa.string())
    title = where(with_variant, cat(prod_a, "（", var, "）"), prod_a)
    return pa.array(codes, type=pa.string()), title


def _parties(rng, ctx: Context, rows, ids, a_var, app, owner, granted) -> pd.DataFrame:
    sim, pool = ctx.sim, ctx.pool
    n = len(rows)
    co = sim.co_applicant[rows]
    transferred = sim.new_owner[rows] >= 0
    frames = []

    def block(idx, role, seq, names, norms, ents, country, address):
        frames.append(pd.DataFrame({
            "patent_id": column(ids.take(pa.array(idx))),
            "role": const(role, len(idx)),
            "seq": seq,
            "name": column(names),
            "name_norm": column(norms),
            "entity_id": column(pool.ids.take(pa.array(ents))) if ents is not None else None,
            "country": text_column(np.broadcast_to(np.asarray(country, dtype=object), len(idx))),
            "address": column(address) if address is not None else None,
        }))

    # applicants (as written: a variant of the entity's name)
    block(np.arange(n), "applicant", 1, pool.var_name.take(pa.array(a_var)), pool.var_norm.take(pa.array(a_var)), app,
          pool.country[app], pool.address.take(pa.array(app)))
    c_rows = np.flatnonzero(co >= 0)
    if len(c_rows):
        cv = pool.choose_variant(rng, co[c_rows])
        block(c_rows, "applicant", 2, pool.var_name.take(pa.array(cv)), pool.var_norm.take(pa.array(cv)), co[c_rows],
              pool.country[co[c_rows]], pool.address.take(pa.array(co[c_rows])))
    # owners of granted patents (current owner; co-owner unless transferred)
    g_rows = np.flatnonzero(granted)
    if len(g_rows):
        ov = pool.choose_variant(rng, owner[g_rows], messy=0.15)
        block(g_rows, "owner", 1, pool.var_name.take(pa.array(ov)), pool.var_norm.take(pa.array(ov)), owner[g_rows],
              pool.country[owner[g_rows]], pool.address.take(pa.array(owner[g_rows])))
        co_own = g_rows[(co[g_rows] >= 0) & ~transferred[g_rows]]
        if len(co_own):
            cv = pool.choose_variant(rng, co[co_own], messy=0.15)
            block(co_own, "owner", 2, pool.var_name.take(pa.array(cv)), pool.var_norm.take(pa.array(cv)), co[co_own],
                  pool.country[co[co_own]], pool.address.take(pa.array(co[co_own])))
    # inventors: a per-applicant pool of people, so the same names recur within a firm
    kind = sim.kind[rows]
    is_person = pool.cls[app] == INDIVIDUAL
    k = np.select([kind == INVENTION, kind == UTILITY], [rng.integers(1, 7, n), rng.integers(1, 5, n)], rng.integers(1, 3, n))
    k = np.where(is_person, np.minimum(k, 2), k)
    inv_i = np.repeat(np.arange(n), k)
    seq = np.arange(len(inv_i)) - np.repeat(np.cumsum(k) - k, k) + 1
    team = np.clip(3 + 2 * np.sqrt(ctx.filings[app]), 3, 600).astype(np.int64)
    member = np.floor(rng.random(len(inv_i)) * team[inv_i]).astype(np.int64)
    person = (app[inv_i].astype(np.int64) * 7919 + member * 104729 + ctx.seed) % len(ctx.people)
    inv_names = ctx.people.take(pa.array(person))
    # an individual applicant is the first inventor
    first_self = is_person[inv_i] & (seq == 1)
    inv_names = pc.if_else(pa.array(first_self), pool.name.take(pa.array(app[inv_i])), inv_names)
    frames.append(pd.DataFrame({
        "patent_id": column(ids.take(pa.array(inv_i))), "role": const("inventor", len(inv_i)), "seq": seq,
        "name": column(inv_names), "name_norm": column(inv_names),
        "entity_id": column(where(first_self, pool.ids.take(pa.array(app[inv_i])), None)),
        "country": text_column(pool.country[app[inv_i]]), "address": None,
    }))
    # patent agencies
    agent_p = calibration()["patents"]["agent_share"] * np.where(is_person, 0.5, 1.0)
    ag_rows = np.flatnonzero(rng.random(n) < agent_p)
    if len(ag_rows):
        ag = rng.choice(ctx.agencies, len(ag_rows), p=ctx.agency_p)
        block(ag_rows, "agent", 1, pool.name.take(pa.array(ag)), pool.var_norm.take(pa.array(pool.var_start[ag])), ag,
              "CN", pool.address.take(pa.array(ag)))
    return pd.concat(frames, ignore_index=True)


def _ipc_rows(rng, ctx, rows, ids, topic, main_j, ipc_list, ipc_off, ipc_cnt, is_design, loc_code) -> pd.DataFrame:
    n = len(rows)
    kind = ctx.sim.kind[rows]
    extra = np.select([kind == INVENTION, kind == UTILITY], [rng.integers(0, 4, n), rng.integers(0, 3, n)], 0)
    extra = np.minimum(extra, ipc_cnt[topic] - 1)
    sec_i = np.repeat(np.arange(n), extra)
    step = np.arange(len(sec_i)) - np.repeat(np.cumsum(extra) - extra, extra) + 1
    sec_j = (main_j[sec_i] + step) % ipc_cnt[topic[sec_i]]
    codes = pick(ipc_list, ipc_off[topic[sec_i]] + sec_j)
    main_code = pc.if_else(pa.array(is_design), loc_code, pick(ipc_list, ipc_off[topic] + main_j))
    all_i = np.concatenate([np.arange(n), sec_i])
    all_codes = pa.concat_arrays([main_code, codes])
    subclass = pc.if_else(pc.starts_with(all_codes, "LOC"), pc.utf8_slice_codeunits(all_codes, 0, 5),
                          pc.utf8_slice_codeunits(all_codes, 0, 4))
    return pd.DataFrame({
        "patent_id": column(ids.take(pa.array(all_i))),
        "ipc": column(all_codes),
        "subclass": column(subclass),
        "seq": np.concatenate([np.ones(n, np.int64), step + 1]),
        "is_main": np.concatenate([np.ones(n, bool), np.zeros(len(sec_i), bool)]),
    })


def _events(ctx: Context, rows, ids, end_d) -> pd.DataFrame:
    sim = ctx.sim
    n = len(rows)
    idx, dates, names, status = [], [], [], []

    def add(mask, d, event, after):
        m = mask & ~np.isnat(d) & (d <= end_d)
        sel = np.flatnonzero(m)
        idx.append(sel)
        dates.append(d[sel])
        names.append(np.full(len(sel), event, dtype=object))
        status.append(np.full(len(sel), after, dtype=object))

    everything = np.ones(n, bool)
    oc = sim.outcome[rows]
    dec = sim.decision[rows]
    add(everything, sim.filing[rows], "filed", "pending")
    add(sim.kind[rows] == INVENTION, sim.pub[rows], "published", None)
    add(oc == GRANTED, dec, "granted", "granted")
    add(oc == REJECTED, dec, "rejected", "rejected")
    add(oc == WITHDRAWN, dec, "withdrawn", "withdrawn")
    ec = sim.end_code[rows]
    for code in range(1, len(END_EVENTS)):
        add(ec == code, sim.end[rows], END_EVENTS[code], END_EVENTS[code])
    add(everything, sim.restored[rows], "restored", "granted")
    e2 = sim.end2_code[rows]
    for code in (LAPSED, EXPIRED):
        add(e2 == code, sim.end2[rows], END_EVENTS[code], END_EVENTS[code])
    add(everything, sim.transfer[rows], "transferred", None)
    add(everything, sim.licence[rows], "licensed", None)
    if ctx.pledges is not None:
        p_idx, p_from, p_to = ctx.pledges
        pos = np.searchsorted(rows, p_idx)
        inside = (pos < n) & (rows[np.minimum(pos, n - 1)] == p_idx)
        local = np.full(n, NAT)
        local_to = np.full(n, NAT)
        local[pos[inside]] = p_from[inside]
        local_to[pos[inside]] = p_to[inside]
        add(everything, local, "pledged", None)
        add(everything, local_to, "pledge_released", None)
    i = np.concatenate(idx)
    return pd.DataFrame({
        "patent_id": column(ids.take(pa.array(i))),
        "event_date": np.concatenate(dates),
        "event": text_column(np.concatenate(names)),
        "status_after": text_column(np.concatenate(status)),
        "note": None,
    })


def _citations(ctx: Context, rows) -> pd.DataFrame:
    sim = ctx.sim
    lo, hi = np.searchsorted(sim.cite_from, [rows[0], rows[-1] + 1]) if len(rows) else (0, 0)
    # a chunk is a contiguous range of the simulation (sorted by filing date); so is cite_from
    sel = np.arange(lo, hi)
    sel = sel[np.isin(sim.cite_from[sel], rows)]
    citing, cited = sim.cite_from[sel], sim.cite_to[sel]
    return pd.DataFrame({
        "citing_id": column(ctx.ids.take(pa.array(citing))),
        "cited_no": column(ctx.pub_no.take(pa.array(cited))),
        "cited_id": column(ctx.ids.take(pa.array(cited))),
        "category": labels(["applicant", "examiner"], sim.cite_examiner[sel].astype(np.int64)),
    })


def _family(rng, sim: PatentSim, rows: np.ndarray, pool: EntityPool) -> dict:
    """Foreign family members: PCT filings enter 1–4 offices; some large firms file abroad directly."""
    n = len(rows)
    end_d = end_date()
    pct = sim.pct[rows]
    paris = (~pct & (sim.kind[rows] == INVENTION) & pool.top[sim.applicant[rows]]
             & (rng.random(n) < calibration()["patents"]["family_paris_share"]))
    base = np.where(pct, sim.pct_date[rows], sim.filing[rows])
    national = base + np.where(pct, 900, 360).astype("timedelta64[D]")  # 30 months after PCT / 12 after filing
    eligible = (pct | paris) & (national <= end_d)
    k = np.where(pct, 1 + rng.binomial(3, 0.4, n), 1) * eligible
    i = np.repeat(np.arange(n), k)
    slot = np.arange(len(i)) - np.repeat(np.cumsum(k) - k, k)
    # distinct offices per patent: a random rotation of the office list
    start = rng.choice(len(FAMILY_OFFICES), n, p=FAMILY_WEIGHTS)
    office = FAMILY_OFFICES[(start[i] + slot) % len(FAMILY_OFFICES)]
    years_since = (end_d - national[i]).astype("timedelta64[D]").astype(float) / 365.25
    granted = rng.random(len(i)) < np.clip(0.2 + 0.15 * years_since, 0, 0.75)
    y = national[i].astype("datetime64[Y]").astype(np.int64) + 1970
    serial = rng.integers(10_000, 999_999, len(i))
    no = _member_numbers(office, y, serial, granted)
    return {"i": i, "country": office.astype(object), "granted": granted.astype(float), "no": no}


def _member_numbers(office, year, serial, granted) -> pa.Array:
    """Publication numbers in each office's style (US2021123456A1, EP3912345B1, JP2021123456A, KR1020210012345A)."""
    y = digits(year)
    s6 = digits(serial, 6)
    us = cat("US", y, s6, where(granted, "B2", "A1"))
    ep = cat("EP", digits(3_000_000 + serial), where(granted, "B1", "A1"))
    jp = cat("JP", y, s6, where(granted, "B2", "A"))
    kr = cat("KR10", y, "0", s6, where(granted, "B1", "A"))
    out = us
    for code, val in (("EP", ep), ("JP", jp), ("KR", kr)):
        out = pc.if_else(pa.array(office == code), val, out)
    return out


__all__ = ["Context", "chunk_frames", "PENDING", "ACADEMIC", "ENTERPRISE"]
