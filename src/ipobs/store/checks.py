"""Checks across records that a row-by-row validator cannot make: they need what the store
already holds. They warn (the rules accept such rows, the ledger records what was registered)
and name the source row; ``ipobs.protection.pledge_problems`` lists the same findings later.

- ``not-valid-right``: a pledged patent not in force on the pledge's registration date — its
  latest status-changing ``patent_event`` on or before that date is not ``granted``, or the
  store knows nothing of the patent.
"""

from __future__ import annotations

import pandas as pd

from ipobs.records.schema import enum_code

NOT_VALID_RIGHT = "not-valid-right"

# Parameter: a relation with pledge_id, right_no, registration_date (DATE) and any other columns.
RIGHTS_NOT_IN_FORCE = """
WITH st AS (
  SELECT pr.*, arg_max(e.status_after, e.event_date) AS status
  FROM ({relation}) pr LEFT JOIN patent_event e
    ON e.patent_id = pr.right_no AND e.status_after IS NOT NULL AND e.event_date <= pr.registration_date
  GROUP BY ALL)
SELECT * FROM st WHERE status IS DISTINCT FROM 'granted' ORDER BY pledge_id, right_no"""


def note(right_no, status, date) -> str:
    known = status is not None and not pd.isna(status)
    return f"patent {right_no} is {status if known else 'unknown to the store'} on {pd.Timestamp(date).date()}, " \
           "not in force"


def pledged_patents_not_in_force(store, batch) -> list[str]:
    """Warnings for the batch's pledged patents that were not in force when pledged."""
    rights, pledges = batch.frames.get("pledge_right"), batch.frames.get("pledge")
    if rights is None or pledges is None or rights.empty or pledges.empty or "right_no" not in rights:
        return []
    if "right_kind" in rights:  # a code or a label (专利) before validation
        r = rights[[enum_code("right_kind", str(k)) == "patent" for k in rights["right_kind"]]]
    else:
        r = rights
    keep = [c for c in ("pledge_id", "registration_date", "_row", "_sheet") if c in pledges]
    if r.empty or "pledge_id" not in keep or "registration_date" not in keep:
        return []
    rows = r[["pledge_id", "right_no"]].merge(pledges[keep].drop_duplicates("pledge_id"), on="pledge_id")
    rows = rows.assign(registration_date=pd.to_datetime(rows["registration_date"], errors="coerce"))
    rows = rows[rows["registration_date"].notna()].astype({"pledge_id": str, "right_no": str})
    if rows.empty:
        return []
    name = "_ipobs_pledge_check"
    store.con.register(name, rows)
    try:
        found = store.con.execute(RIGHTS_NOT_IN_FORCE.format(relation=f"SELECT * FROM {name}")).df()
    finally:
        store.con.unregister(name)
    out = []
    for rec in found.to_dict("records"):
        where = [f"sheet {rec['_sheet']}" if pd.notna(rec.get("_sheet")) else "",
                 f"row {int(rec['_row'])}" if pd.notna(rec.get("_row")) else f"pledge {rec['pledge_id']}"]
        out.append(f"{' '.join(w for w in where if w)} column right_no: "
                   f"{note(rec['right_no'], rec['status'], rec['registration_date'])} ({NOT_VALID_RIGHT})")
    return out


def batch_warnings(store, batch) -> list[str]:
    """Every cross-record warning for a batch about to be imported into ``store``."""
    return pledged_patents_not_in_force(store, batch)
