"""Entity resolution: name variants → one entity, with the rule and confidence that grouped them.

A :class:`Resolver` starts from what the store already knows (``entity_alias``; manual rows
win and are never regrouped) and, for each new normalized name, either finds the entity
whose group key it shares (rule and confidence from ``names.yaml``) or opens a new entity.
Entity ids are stable: ``E`` + a hash of the group key, so the same name resolves to the
same id in any store. Manual overrides (:func:`merge`, :func:`split`) go through the store
and survive re-imports.

Examples
--------
>>> r = Resolver()
>>> a = r.resolve("天津南玻节能玻璃有限公司")
>>> b = r.resolve("天津市南玻节能玻璃有限公司")
>>> a.entity_id == b.entity_id, b.rule, b.confidence
(True, 'place-prefix', 0.95)
>>> r.resolve("王伟").rule
'person-name'
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd

from ipobs.entities.names import (
    PERSON, entity_kind, group_key, grouping_rule, name_stages, normalize_name, stages,
)

MANUAL_MERGE = "manual-merge"
MANUAL_SPLIT = "manual-split"


@dataclass(frozen=True)
class Match:
    entity_id: str
    rule: str
    confidence: float
    new_entity: bool = False


def entity_id_for(key: str) -> str:
    return "E" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


class Resolver:
    """Resolves normalized names against known aliases; remembers what it adds."""

    def __init__(self, aliases: pd.DataFrame | None = None, entities: pd.DataFrame | None = None):
        self.alias: dict[str, Match] = {}
        self.key_index: dict[str, str] = {}
        self.canonical: dict[str, str] = {}  # entity_id → canonical normalized name
        self.new_entities: dict[str, dict] = {}
        self.new_aliases: dict[str, Match] = {}
        self._canon_stages: dict[str, tuple] = {}
        if entities is not None and len(entities):
            for eid, name in zip(entities["entity_id"], entities["name"]):
                n = normalize_name(name)
                if n:
                    self.canonical.setdefault(eid, n)
        if aliases is not None and len(aliases):
            a = aliases.copy()
            a["manual"] = a["manual"].fillna(False).astype(bool)
            a = a.sort_values(["manual", "confidence"], ascending=[False, False], na_position="last")
            for n, eid, rule, conf, manual in a[["name_norm", "entity_id", "rule", "confidence", "manual"]].itertuples(
                    index=False):
                self.alias.setdefault(n, Match(eid, rule or "", float(conf) if conf == conf and conf is not None else 1.0))
                self.canonical.setdefault(eid, n)
                if rule != MANUAL_SPLIT:
                    self.key_index.setdefault(group_key(n), eid)

    @classmethod
    def from_store(cls, store) -> Resolver:
        aliases = store.query("SELECT name_norm, entity_id, rule, confidence, manual FROM entity_alias")
        entities = store.query("SELECT entity_id, name FROM entity")
        return cls(aliases, entities)

    def resolve(self, name: str) -> Match | None:
        n = normalize_name(name)
        if n is None:
            return None
        hit = self.alias.get(n)
        if hit is not None:
            return hit
        key = group_key(n)
        eid = self.key_index.get(key)
        if eid is not None:
            if key.startswith("P:"):
                m = Match(eid, PERSON.rule, PERSON.confidence)
            else:
                stage = grouping_rule(n, self.canonical.get(eid, n))
                m = Match(eid, stage.rule, stage.confidence)
        else:
            eid = entity_id_for(key)
            person = key.startswith("P:")
            first = PERSON if person else stages()[0]
            m = Match(eid, first.rule, first.confidence, new_entity=True)
            self.key_index[key] = eid
            self.canonical[eid] = n
            self.new_entities[eid] = {"entity_id": eid, "name": n, "kind": entity_kind(n)}
        self.alias[n] = m
        self.new_aliases[n] = m
        return m

    def resolve_many(self, names: pd.Series) -> pd.DataFrame:
        """``entity_id`` per name; distinct names are normalized, folded and classified as arrays."""
        import numpy as np
        import pyarrow as pa

        from ipobs.entities.names import _arrow, kinds_arrow, normalize_names_arrow, stages_arrow

        codes, uniq = pd.factorize(names.astype("string"), use_na_sentinel=True)
        try:  # the distinct names as one Arrow array, without a Python object per name
            arr = pa.array(uniq, type=pa.string())
        except (TypeError, pa.ArrowInvalid, pa.ArrowTypeError):
            arr = _arrow(list(uniq))
        norm = normalize_names_arrow(arr).to_numpy(zero_copy_only=False)
        ids = np.full(len(uniq) + 1, None, dtype=object)
        missing: dict[str, list[int]] = {}
        for i, n in enumerate(norm):
            if n is None:
                continue
            hit = self.alias.get(n)
            if hit is not None:
                ids[i] = hit.entity_id
            else:
                missing.setdefault(n, []).append(i)
        if missing:
            todo = list(missing)
            st = [a.to_numpy(zero_copy_only=False) for a in stages_arrow(_arrow(todo))]
            kinds = kinds_arrow(_arrow(todo))
            for j, n in enumerate(todo):
                stages_n = (st[0][j], st[1][j], st[2][j], st[3][j])
                m = self._resolve_new(n, stages_n, kinds[j])
                for i in missing[n]:
                    ids[i] = m.entity_id
        return pd.DataFrame({"entity_id": pd.array(ids[codes], dtype="string")}, index=names.index)

    def _resolve_new(self, n: str, stages_n: tuple, kind: str | None) -> Match:
        person = kind == "individual"
        key = "P:" + n if person else stages_n[-1]
        eid = self.key_index.get(key)
        if eid is not None:
            if person:
                m = Match(eid, PERSON.rule, PERSON.confidence)
            else:
                canon = self.canonical.get(eid, n)
                cst = self._canon_stages.get(eid)
                if cst is None:
                    cst = self._canon_stages[eid] = name_stages(canon)
                stage = stages()[-1]
                for sg, x, y in zip(stages(), stages_n, cst):
                    if x == y:
                        stage = sg
                        break
                m = Match(eid, stage.rule, stage.confidence)
        else:
            eid = entity_id_for(key)
            first = PERSON if person else stages()[0]
            m = Match(eid, first.rule, first.confidence, new_entity=True)
            self.key_index[key] = eid
            self.canonical[eid] = n
            self._canon_stages[eid] = stages_n
            self.new_entities[eid] = {"entity_id": eid, "name": n, "kind": kind}
        self.alias[n] = m
        self.new_aliases[n] = m
        return m

    def note_entity(self, entity_id: str, **values) -> None:
        """Fill blanks of a new entity (address, region) from the records that named it."""
        e = self.new_entities.get(entity_id)
        if e is not None:
            for k, v in values.items():
                if v is not None and v == v and e.get(k) is None:
                    e[k] = v

    def frames(self) -> dict[str, pd.DataFrame]:
        """The new entities and aliases, as rows of the ``entities`` record kind."""
        ent = pd.DataFrame(list(self.new_entities.values()),
                           columns=["entity_id", "name", "kind", "address", "region_code"])
        ali = pd.DataFrame(
            [{"name_norm": n, "entity_id": m.entity_id, "rule": m.rule, "confidence": m.confidence, "manual": False}
             for n, m in self.new_aliases.items()],
            columns=["name_norm", "entity_id", "rule", "confidence", "manual"])
        return {"entity": ent, "entity_alias": ali}


# ------------------------------------------------------------------ manual overrides
ENTITY_REFS = (  # (table, entity column, name column) of every record that names an entity
    ("patent_party", "entity_id", "name"),
    ("trademark", "entity_id", "owner"),
    ("copyright", "entity_id", "owner"),
    ("case_party", "entity_id", "name"),
    ("credit_entry", "entity_id", "name"),
    ("pledge", "pledgor_entity_id", "pledgor"),
    ("pledge", "pledgee_entity_id", "pledgee"),
    ("insurance", "entity_id", "insured"),
    ("program_item", "entity_id", "name"),
)


class OverrideError(ValueError):
    """A merge or split that cannot be done (unknown name, same entity…)."""


def _entity_of(store, name: str) -> tuple[str, str]:
    n = normalize_name(name)
    if n is None:
        raise OverrideError("the name is empty")
    eid = store.scalar("SELECT entity_id FROM entity_alias WHERE name_norm = ?", [n])
    if eid is None:
        raise OverrideError(f"{name!r} is not a known name (import records naming it first; "
                            f"`ipobs entities list` shows the known names)")
    return n, eid


def merge(store, keep: str, other: str, *, user: str | None = None):
    """Put every variant of ``other``'s entity under ``keep``'s entity (manual; survives re-imports)."""
    from ipobs.store.overrides import apply_override

    _, keep_id = _entity_of(store, keep)
    _, other_id = _entity_of(store, other)
    if keep_id == other_id:
        raise OverrideError(f"{keep!r} and {other!r} are already one entity ({keep_id})")
    names = store.query("SELECT name_norm FROM entity_alias WHERE entity_id = ?", [other_id])["name_norm"].tolist()
    aliases = pd.DataFrame({"name_norm": names, "entity_id": keep_id, "rule": MANUAL_MERGE, "confidence": 1.0,
                            "manual": True})
    repoint = [(t, col, other_id, keep_id, None) for t, col, _ in ENTITY_REFS]
    return apply_override(store, aliases=aliases, repoint=repoint, drop_entities=[other_id],
                          note=f"merge {other!r} ({other_id}) into {keep!r} ({keep_id})", user=user)


def split(store, name: str, *, user: str | None = None):
    """Give one name variant its own entity (manual; survives re-imports)."""
    from ipobs.store.overrides import apply_override

    n, old_id = _entity_of(store, name)
    others = store.scalar("SELECT count(*) FROM entity_alias WHERE entity_id = ? AND name_norm <> ?", [old_id, n])
    if not others:
        raise OverrideError(f"{name!r} is the only name of its entity ({old_id}); nothing to split")
    new_id = entity_id_for("split:" + n)
    entity = pd.DataFrame([{"entity_id": new_id, "name": n, "kind": entity_kind(n) or "enterprise"}])
    aliases = pd.DataFrame([{"name_norm": n, "entity_id": new_id, "rule": MANUAL_SPLIT, "confidence": 1.0,
                             "manual": True}])
    repoint = []
    for table, col, name_col in ENTITY_REFS:
        written = store.query(f'SELECT DISTINCT "{name_col}" AS v FROM "{table}" WHERE "{col}" = ?', [old_id])["v"]
        matching = [v for v in written if normalize_name(v) == n]
        if matching:
            repoint.append((table, col, old_id, new_id, (name_col, matching)))
    return apply_override(store, entities=entity, aliases=aliases, repoint=repoint,
                          note=f"split {n!r} from {old_id} into {new_id}", user=user)


# ------------------------------------------------------------------ reading
def entity_table(store, *, search: str | None = None, limit: int = 50) -> pd.DataFrame:
    """Entities with their variant count, largest groups first (``search`` filters names)."""
    where, params = "", []
    if search:
        where = "WHERE e.name ILIKE ? OR e.entity_id IN (SELECT entity_id FROM entity_alias WHERE name_norm ILIKE ?)"
        params = [f"%{search}%", f"%{search}%"]
    return store.query(
        f"SELECT e.entity_id, e.name, e.kind, e.region_code, count(a.name_norm) AS variants, "
        f"bool_or(coalesce(a.manual, false)) AS manual FROM entity e LEFT JOIN entity_alias a USING (entity_id) "
        f"{where} GROUP BY ALL ORDER BY variants DESC, e.name LIMIT {int(limit)}", params)


def variants(store, name: str) -> pd.DataFrame:
    """The name variants of the entity ``name`` belongs to."""
    _, eid = _entity_of(store, name)
    return store.query("SELECT name_norm, entity_id, rule, confidence, manual FROM entity_alias "
                       "WHERE entity_id = ? ORDER BY confidence DESC, name_norm", [eid])
