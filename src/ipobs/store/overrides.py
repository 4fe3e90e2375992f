"""Manual entity overrides (merge / split) written atomically and logged like a batch.

The entities floor decides *what* changes (which aliases, which ids); this writes it: alias
rows are upserted with ``manual = true``, references to an entity id are re-pointed in
every table that holds one, merged-away entities are folded into the kept one, and one
``import_batch`` row (kind ``entities``, format ``manual-override``) records who did it.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from datetime import datetime

import pandas as pd

from ipobs.records.schema import TABLES
from ipobs.store.batch import BatchResult


def apply_override(store, *, aliases: pd.DataFrame, repoint: list, entities: pd.DataFrame | None = None,
                   drop_entities: list[str] = (), note: str, user: str | None = None) -> BatchResult:
    """``repoint``: (table, column, old id, new id, None or (name column, [names])) tuples."""
    con = store.con
    user = user or getpass.getuser()
    sha = hashlib.sha256(json.dumps([note, str(datetime.now())]).encode()).hexdigest()
    started = datetime.now()
    res = BatchResult(None, "entities", None, sha, "committed", message=note)
    con.execute("BEGIN TRANSACTION")
    try:
        batch_id = con.execute("SELECT nextval('import_batch_seq')").fetchone()[0]
        res.batch_id = batch_id
        if entities is not None and len(entities):
            cols = [c for c in TABLES["entity"].columns if c in entities.columns]
            df = entities[cols].assign(batch_id=batch_id)
            con.register("_ov_entity", df)
            con.execute(f'INSERT INTO entity ({", ".join(df.columns)}) SELECT * FROM _ov_entity n '
                        'WHERE NOT EXISTS (SELECT 1 FROM entity o WHERE o.entity_id = n.entity_id)')
            con.unregister("_ov_entity")
            res.accepted += len(df)
        a = aliases.assign(batch_id=batch_id)[["name_norm", "entity_id", "rule", "confidence", "manual", "batch_id"]]
        con.register("_ov_alias", a)
        con.execute("DELETE FROM entity_alias WHERE name_norm IN (SELECT name_norm FROM _ov_alias)")
        con.execute("INSERT INTO entity_alias (name_norm, entity_id, rule, confidence, manual, batch_id) "
                    "SELECT * FROM _ov_alias")
        con.unregister("_ov_alias")
        res.updated += len(a)
        for table, col, old, new, names in repoint:
            if names is None:
                con.execute(f'UPDATE "{table}" SET "{col}" = ? WHERE "{col}" = ?', [new, old])
            else:
                name_col, values = names
                con.execute(f'UPDATE "{table}" SET "{col}" = ? WHERE "{col}" = ? AND "{name_col}" IN '
                            f'(SELECT unnest(?::VARCHAR[]))', [new, old, list(values)])
        for old in drop_entities:
            keep_id = aliases["entity_id"].iloc[0]
            fill = [c for c in TABLES["entity"].columns if c not in ("entity_id", "name", "kind", "batch_id")]
            sets = ", ".join(f'"{c}" = COALESCE(k."{c}", o."{c}")' for c in fill)
            con.execute(f'UPDATE entity k SET {sets} FROM entity o WHERE k.entity_id = ? AND o.entity_id = ?',
                        [keep_id, old])
            con.execute('UPDATE entity_flag SET entity_id = ? WHERE entity_id = ?', [keep_id, old])
            con.execute("DELETE FROM entity WHERE entity_id = ?", [old])
        con.execute(
            "INSERT INTO import_batch VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [batch_id, "entities", None, sha, "manual-override", "default", "committed", res.accepted, res.updated,
             0, 0, started, datetime.now(), user, None, note, False],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return res
