"""The case docket: every case with its statutory deadline, extensions, suspensions and state.

The deadline of a case is, in order of authority:

1. ``ip_case.deadline_date`` when the department's ledger records it (the same base the
   ``on_time_closure_rate`` indicator uses), else
2. the rule for its kind (:mod:`ipobs.protection.limits`) from its received or accepted date,
   working days counted on China's calendar (:mod:`ipobs.protection.workdays`);

plus the days of its ``extended`` case events and of its suspensions (a ``suspended`` event's
``days``, or else the time until the next ``resumed`` event, or until the date asked about).
Events after the date asked about are ignored, so any past docket can be rebuilt.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ipobs.protection.deadline import sql_add
from ipobs.protection.limits import Limit, load_limits
from ipobs.protection.workdays import INDEX_NAME, register_index
from ipobs.records.dates import date_or_today

STATE_LABELS = {  # state → (zh, en)
    "overdue": ("逾期未结", "overdue"), "due_soon": ("临期", "due soon"), "open": ("办理中", "open"),
    "closed_late": ("超期结案", "closed late"), "closed_on_time": ("按期结案", "closed on time"),
    "closed_no_deadline": ("结案（无期限）", "closed, no deadline"),
}
STATES = tuple(STATE_LABELS)
COLUMNS = ("case_id", "kind", "ip_right", "department", "right_no", "received_date", "accepted_date",
           "rules_deadline", "ledger_deadline", "deadline_source", "extension_days", "extension_over_limit",
           "suspension_days", "deadline", "closed_date", "outcome", "days_left", "handling_days", "days_late",
           "state", "region_code")


def _limits_sql(limits: dict[str, Limit]) -> str:
    rows = ", ".join(f"('{x.kind}', {x.limit}, '{x.unit}', '{x.basis}', '{x.runs_from}', {x.max_extension_days})"
                     for x in limits.values())
    return f"SELECT * FROM (VALUES {rows}) v(kind, n, unit, basis, runs_from, max_ext)"


def docket_sql(limits: dict[str, Limit], as_of: dt.date, where: str = "TRUE", cases: str = "TRUE") -> str:
    """The docket as of a date as one DuckDB query; parameters: due_within days, then ``where``'s.
    ``cases``: a parameter-free condition on ``ip_case c`` applied first (it must keep every case
    ``where`` would keep; it only saves work). Run it with the working-day index in place (:func:`_run`)."""
    start = "CASE WHEN l.runs_from = 'accepted' THEN COALESCE(c.accepted_date, c.received_date) " \
            "ELSE c.received_date END"
    rules = sql_add(start, "l.n", "l.unit", "l.basis", workday="we.d")
    d = f"DATE '{as_of.isoformat()}'"  # a date object's ISO form: safe to inline, and cheaper than a parameter
    return f"""
WITH lim AS ({_limits_sql(limits)}),
wd AS (SELECT * FROM {INDEX_NAME}),
ev AS (SELECT e.* FROM case_event e WHERE e.event_date <= {d}),
ext AS (SELECT case_id, CAST(SUM(COALESCE(days, 0)) AS INTEGER) AS days FROM ev WHERE status = 'extended' GROUP BY case_id),
sres AS (
  SELECT s.case_id, s.event_date, s.days, MIN(r.event_date) AS resumed
  FROM ev s LEFT JOIN ev r ON r.case_id = s.case_id AND r.status = 'resumed' AND r.event_date >= s.event_date
  WHERE s.status = 'suspended' GROUP BY s.case_id, s.event_date, s.days),
sus AS (
  SELECT case_id, CAST(SUM(COALESCE(days, date_diff('day', event_date, COALESCE(resumed, {d}))))
         AS INTEGER) AS days
  FROM sres GROUP BY case_id),
base AS (
  SELECT c.*, {rules} AS rules_deadline, l.max_ext
  FROM ip_case c LEFT JOIN lim l ON l.kind = c.kind
  LEFT JOIN wd ws ON ws.d = {start}  -- every kind: a left-side-only term here (l.basis = …) made
                                     -- DuckDB 1.5 fail now and then ("index 0 within vector of size 0")
  LEFT JOIN wd we ON we.k = ws.k + l.n AND we.w = 1
  WHERE c.received_date <= {d} AND ({cases})),
dl AS (
  SELECT b.*, COALESCE(ext.days, 0) AS extension_days, COALESCE(sus.days, 0) AS suspension_days,
         b.deadline_date AS ledger_deadline,
         CASE WHEN b.deadline_date IS NOT NULL THEN 'ledger' WHEN b.rules_deadline IS NOT NULL THEN 'rules' END
           AS deadline_source,
         CAST(COALESCE(b.deadline_date, b.rules_deadline) + CAST(COALESCE(ext.days, 0) + COALESCE(sus.days, 0)
           AS INTEGER) AS DATE) AS deadline,
         CASE WHEN b.closed_date <= {d} THEN b.closed_date END AS closed_at
  FROM base b LEFT JOIN ext USING (case_id) LEFT JOIN sus USING (case_id)),
st AS (
  SELECT dl.*, COALESCE(extension_days > max_ext, FALSE) AS extension_over_limit,
         CASE WHEN closed_at IS NULL THEN date_diff('day', {d}, deadline) END AS days_left,
         date_diff('day', received_date, closed_at) AS handling_days,
         CASE WHEN closed_at IS NOT NULL THEN date_diff('day', deadline, closed_at) END AS days_late
  FROM dl)
SELECT case_id, kind, ip_right, department, right_no, received_date, accepted_date, rules_deadline,
       ledger_deadline, deadline_source, extension_days, extension_over_limit, suspension_days, deadline,
       closed_at AS closed_date, CASE WHEN closed_at IS NOT NULL THEN outcome END AS outcome, days_left,
       handling_days, days_late,
       CASE WHEN closed_at IS NOT NULL AND deadline IS NULL THEN 'closed_no_deadline'
            WHEN closed_at IS NOT NULL AND days_late > 0 THEN 'closed_late'
            WHEN closed_at IS NOT NULL THEN 'closed_on_time'
            WHEN days_left < 0 THEN 'overdue'
            WHEN days_left <= ? THEN 'due_soon'
            ELSE 'open' END AS state,
       region_code
FROM st WHERE {where}"""


def _run(store, sql: str, params: list):
    """Execute a docket query on the store's connection, the working-day index put on it first."""
    register_index(store.con)
    return store.con.execute(sql, params)


def _where(department, kind, region, states, case_id=None) -> tuple[str, list]:
    clauses, params = [], []
    if case_id:
        clauses.append("case_id = ?")
        params.append(case_id)
    if department:
        clauses.append("department = ?")
        params.append(department)
    if kind:
        clauses.append("kind = ?")
        params.append(kind)
    if region:
        from ipobs.entities.regions import descendants

        codes = descendants(region)
        clauses.append(f"region_code IN ({', '.join('?' for _ in codes)})")
        params += list(codes)
    if states:
        clauses.append(f"state IN ({', '.join('?' for _ in states)})")
        params += list(states)
    return " AND ".join(clauses) or "TRUE", params


ORDER = ("CASE state WHEN 'overdue' THEN 0 WHEN 'due_soon' THEN 1 WHEN 'open' THEN 2 ELSE 3 END, "
         "days_left NULLS LAST, closed_date DESC NULLS LAST, case_id")


def docket(store, as_of: dt.date | None = None, *, overdue: bool = False, due_within: int | None = None,
           department: str | None = None, kind: str | None = None, region: str | None = None,
           open_only: bool = False, limit: int | None = 100, offset: int = 0,
           limits: dict[str, Limit] | None = None, case_id: str | None = None) -> tuple[pd.DataFrame, int]:
    """Cases as of ``as_of`` (default today), overdue first, and how many match.

    ``overdue`` keeps overdue open cases; ``due_within=N`` keeps open cases due within N days
    (both together keep either); ``open_only`` keeps every open case.
    """
    as_of = date_or_today(as_of)
    limits = limits if limits is not None else load_limits()
    states: list[str] = []
    if overdue:
        states.append("overdue")
    if due_within is not None:
        states.append("due_soon")
    if open_only:
        states = ["overdue", "due_soon", "open"]
    where, params = _where(department, kind, region, states, case_id)
    still_open = f"c.closed_date IS NULL OR c.closed_date > DATE '{as_of.isoformat()}'"
    sql = docket_sql(limits, as_of, where, still_open if states else "TRUE")
    head = [14 if due_within is None else int(due_within)]
    page = f" LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
    # one pass: the page and, beside each row, how many rows match
    df = _run(store, f"SELECT *, count(*) OVER () AS _total FROM ({sql}) ORDER BY {ORDER}{page}", head + params).df()
    if len(df):
        total = int(df["_total"].iloc[0])
    elif offset:
        total = int(_run(store, f"SELECT count(*) FROM ({sql})", head + params).fetchone()[0])
    else:
        total = 0
    return df.drop(columns="_total"), total


def summary(store, as_of: dt.date | None = None, *, limits: dict[str, Limit] | None = None) -> pd.DataFrame:
    """Cases per department and state as of the date (the per-department view)."""
    sql = docket_sql(limits if limits is not None else load_limits(), date_or_today(as_of))
    return _run(store, f"SELECT department, state, count(*) AS cases FROM ({sql}) GROUP BY ALL "
                       "ORDER BY department, state", [14]).df()


def on_time_by_department(store, as_of: dt.date | None = None, *,
                          limits: dict[str, Limit] | None = None) -> pd.DataFrame:
    """Cases closed from 1 January to ``as_of``, per department: on time, late, without a deadline,
    and the on-time rate = on time ÷ (on time + late) × 100, deadlines as the docket works them out
    (the ledger's, else the statutory limit of the kind, plus extensions and suspensions)."""
    as_of = date_or_today(as_of)
    first = dt.date(as_of.year, 1, 1)
    sql = docket_sql(limits if limits is not None else load_limits(), as_of,
                     "closed_date >= CAST(? AS DATE) AND closed_date <= CAST(? AS DATE)",
                     f"c.closed_date BETWEEN DATE '{first.isoformat()}' AND DATE '{as_of.isoformat()}'")
    return _run(store, f"""
        SELECT department, count(*) AS closed,
               count(*) FILTER (WHERE state = 'closed_on_time') AS on_time,
               count(*) FILTER (WHERE state = 'closed_late') AS late,
               count(*) FILTER (WHERE state = 'closed_no_deadline') AS no_deadline,
               100.0 * count(*) FILTER (WHERE state = 'closed_on_time')
                 / NULLIF(count(*) FILTER (WHERE state IN ('closed_on_time', 'closed_late')), 0) AS on_time_rate
        FROM ({sql}) GROUP BY department ORDER BY department""",
        [14, first, as_of]).df()


def case_detail(store, case_id: str, as_of: dt.date | None = None) -> dict | None:
    """One case: its docket row (deadline worked out), parties, events and the rule applied."""
    row, _total = docket(store, as_of, limit=None, case_id=case_id)
    if not len(row):
        return None
    case = row.iloc[0].to_dict()
    extra = store.query("SELECT internal_note, amount_yuan FROM ip_case WHERE case_id = ?", [case_id])
    case.update(extra.iloc[0].to_dict() if len(extra) else {})
    parties = store.query("SELECT case_id, side, seq, name, entity_id, is_person FROM case_party "
                          "WHERE case_id = ? ORDER BY side, seq", [case_id])
    events = store.query("SELECT case_id, event_date, status, days, note FROM case_event WHERE case_id = ? "
                         "ORDER BY event_date, status", [case_id])
    rule = load_limits().get(case["kind"])
    return {"case": case, "parties": parties, "events": events, "rule": rule.to_dict() if rule else None}
