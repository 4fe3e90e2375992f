"""Operations and finance ledgers: pledges with their rights, insurance policies, transactions,
financial institutions introduced, the rights offered for transaction (项目交易展示), and the
check that a pledged patent was in force on its pledge's registration date."""

from __future__ import annotations

import pandas as pd

from ipobs.store import checks

NOT_VALID_RIGHT = checks.NOT_VALID_RIGHT

LEDGERS = {
    "pledges": ("SELECT p.*, (SELECT count(*) FROM pledge_right r WHERE r.pledge_id = p.pledge_id) AS rights "
                "FROM pledge p", "registration_date"),
    "insurance": ("SELECT * FROM insurance", "start_date"),
    "transactions": ("SELECT * FROM ip_transaction WHERE kind <> 'offer'", "txn_date"),
    "offers": ("SELECT * FROM ip_transaction WHERE kind = 'offer'", "txn_date"),
    "institutions": ("SELECT * FROM program_item WHERE program = 'financial_institution'", "start_date"),
}


def ledger(store, name: str, *, year: int | None = None, limit: int = 100, offset: int = 0
           ) -> tuple[pd.DataFrame, int]:
    """One finance ledger (newest first), optionally one year of it, and its row count."""
    if name not in LEDGERS:
        raise ValueError(f"unknown ledger {name!r}; known: {', '.join(LEDGERS)}")
    sql, date_col = LEDGERS[name]
    where, params = ("", [])
    if year is not None:
        where, params = (f" WHERE year({date_col}) = ?", [int(year)])
    base = f"SELECT * FROM ({sql}){where}"
    total = int(store.scalar(f"SELECT count(*) FROM ({base})", params))
    df = store.query(f"{base} ORDER BY {date_col} DESC LIMIT {int(limit)} OFFSET {int(offset)}", params)
    return df.drop(columns=["batch_id"], errors="ignore"), total


def yearly(store) -> pd.DataFrame:
    """Amounts per year for the charts: pledges (by right kind), insurance, transactions."""
    return store.query("""
        SELECT year(registration_date) AS year, 'pledge_' || right_kind AS series, sum(amount_yuan) AS amount_yuan,
               count(*) AS n FROM pledge GROUP BY ALL
        UNION ALL SELECT year(start_date), 'insurance', sum(amount_yuan), count(*) FROM insurance GROUP BY ALL
        UNION ALL SELECT year(txn_date), 'txn_' || kind, sum(amount_yuan), count(*) FROM ip_transaction
               GROUP BY ALL
        ORDER BY year, series""")


def pledge_problems(store, pledge_ids: list[str] | None = None) -> pd.DataFrame:
    """Pledged patents not in force on their pledge's registration date (code ``not-valid-right``;
    the check :mod:`ipobs.store.checks` also runs, as a warning with the row, on import).

    A patent is in force at D when its latest status-changing ``patent_event`` on or before D
    has status_after 'granted' (:mod:`ipobs.store.history`); a patent unknown to the store is
    reported too, since nothing shows it was in force.
    """
    flt = ""
    params: list = []
    if pledge_ids:
        flt = f" AND p.pledge_id IN ({', '.join('?' for _ in pledge_ids)})"
        params = list(pledge_ids)
    relation = ("SELECT p.pledge_id, r.right_no, p.registration_date FROM pledge p JOIN pledge_right r "
                f"USING (pledge_id) WHERE r.right_kind = 'patent'{flt}")
    df = store.query(checks.RIGHTS_NOT_IN_FORCE.format(relation=relation), params)
    df = df[["pledge_id", "right_no", "registration_date", "status"]]
    df["code"] = NOT_VALID_RIGHT
    df["note"] = [checks.note(r, s, d) for r, s, d in zip(df["right_no"], df["status"], df["registration_date"])]
    return df


def offers(store, query: str | None = None, *, limit: int = 100, offset: int = 0) -> tuple[pd.DataFrame, int]:
    """Rights offered for transaction or licence; ``query`` (search language) narrows the patents."""
    base = "SELECT * FROM ip_transaction WHERE kind = 'offer'"
    params: list = []
    if query:
        from ipobs.search import patent_ids

        ids = patent_ids(store, query)
        if not ids:
            return pd.DataFrame(columns=["txn_id"]), 0
        store.con.execute("CREATE OR REPLACE TEMP TABLE _offer_ids (patent_id VARCHAR)")
        store.con.executemany("INSERT INTO _offer_ids VALUES (?)", [[i] for i in ids])
        base += " AND right_kind = 'patent' AND right_no IN (SELECT patent_id FROM _offer_ids)"
    total = int(store.scalar(f"SELECT count(*) FROM ({base})", params))
    df = store.query(f"{base} ORDER BY txn_date DESC, txn_id LIMIT {int(limit)} OFFSET {int(offset)}", params)
    return df.drop(columns=["batch_id"], errors="ignore"), total
