"""Protection and operations: the case docket with statutory deadlines, repeat and serial
infringement, the dishonest-entity list and its checks, pledges, insurance and transactions.

Public interface (see docs/protection.md)::

    load_limits(override=None) -> dict[kind, Limit]          # statutory limits as data
    docket(store, as_of, overdue=, due_within=, department=, kind=, region=) -> (DataFrame, total)
    summary(store, as_of) -> DataFrame                        # per department and state
    on_time_by_department(store, as_of) -> DataFrame          # closed this year: on time, late, rate
    case_detail(store, case_id, as_of) -> dict | None
    check(store, name, as_of=None, purpose="pledge") -> CreditCheck
    entries(store, as_of, public=False) -> DataFrame          # the list, internal or public view
    pledge_problems(store) -> DataFrame                       # code 'not-valid-right'
    ledger(store, name, year=None) / offers(store, query=None) / yearly(store)
"""

from ipobs.protection.credit import CreditCheck, check, entries, public_view
from ipobs.protection.docket import case_detail, docket, on_time_by_department, summary
from ipobs.protection.finance import ledger, offers, pledge_problems, yearly
from ipobs.protection.limits import Limit, LimitsError, load_limits

__all__ = ["CreditCheck", "Limit", "LimitsError", "case_detail", "check", "docket", "entries", "ledger",
           "load_limits", "offers", "on_time_by_department", "pledge_problems", "public_view", "summary", "yearly"]
