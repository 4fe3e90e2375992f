"""Who may do what, and what each role may see. One place; routes and tests read it.

Roles (``accounts.ROLES``):

- **admin** (the IP bureau): everything, including accounts and the audit log.
- **officer**: reads everything an analyst reads except the personal data of other departments'
  cases; imports and edits only the ledgers, cases and tasks of their own department.
- **analyst**: reads everything, edits nothing.
- **public** (anyone not logged in, or a public account): aggregates and public registers only —
  no names of natural persons who are case parties, no internal case notes, no credit entries
  that are not published, no import history.
"""

from __future__ import annotations

import pandas as pd

from ipobs.web.accounts import User

# action -> roles allowed (officers additionally limited to their department where it applies)
PERMISSIONS: dict[str, frozenset[str]] = {
    "read_internal": frozenset({"admin", "officer", "analyst"}),  # import history, ledgers in full
    "import": frozenset({"admin", "officer"}),
    "edit_department": frozenset({"admin", "officer"}),  # task reports and ledger edits
    "admin": frozenset({"admin"}),
}

# Record kinds an officer may import, and the column naming the department each row belongs to.
DEPARTMENT_KINDS: dict[str, tuple[str, str]] = {
    "programs": ("program_item", "department"),
    "cases": ("ip_case", "department"),
    "credit": ("credit_entry", "source_department"),
}

WITHHELD = "—"  # what a redacted cell shows

# In a row about a natural person, only these text columns stay visible to users without access
# to personal data; every other text column (name, respondent key, address…) is withheld.
PERSON_ROW_SAFE = frozenset({"case_id", "side", "seq", "kind", "ip_right", "department", "outcome", "region_code",
                             "is_person", "entity_kind", "status"})


class Forbidden(Exception):
    """The user is logged in but may not do this (403), or must log in first (401)."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.status = status


def allowed(user: User, action: str) -> bool:
    return user.role in PERMISSIONS[action]


def require(user: User, action: str, department: str | None = None) -> None:
    """Raise :class:`Forbidden` unless ``user`` may do ``action`` (for ``department`` when given)."""
    from ipobs.web.i18n import gettext as _

    if not allowed(user, action):
        if user.anonymous:
            raise Forbidden(_("Log in first."), 401)
        raise Forbidden(_("Your role (%(role)s) may not do this (%(action)s).") % {"role": user.role,
                                                                                "action": action})
    if department is not None and user.role == "officer" and user.department != department:
        raise Forbidden(_("You are an officer of department %(own)s, not of %(other)s.")
                        % {"own": user.department, "other": department})


def may_edit_department(user: User, department: str) -> bool:
    try:
        require(user, "edit_department", department)
    except Forbidden:
        return False
    return True


def sees_private(user: User, department: str | None = None) -> bool:
    """May see personal data and internal notes of a case handled by ``department``."""
    if user.role in ("admin", "analyst"):
        return True
    return user.role == "officer" and department is not None and department == user.department


def sees_batch(user: User, batch_user: str | None) -> bool:
    """Rejected rows may hold personal data: officers see only the batches they uploaded."""
    if user.role in ("admin", "analyst"):
        return True
    return user.role == "officer" and batch_user == user.name


def redact_frame(df: pd.DataFrame, user: User) -> tuple[pd.DataFrame, int]:
    """Records as ``user`` may see them, and how many rows were withheld entirely.

    Rules by column: ``internal_note`` (case notes) is blanked, and in a row with ``is_person``
    true (a natural-person case party) every text column but ``PERSON_ROW_SAFE`` is blanked
    (the name, a respondent key made of the name…), unless the user sees the private data of
    the row's ``department`` (when the frame has one); rows with ``public``
    false and an ``entry_id`` (unpublished credit entries) are dropped unless the user sees the
    private data of their ``source_department``.
    """
    if df is None or not len(df):
        return df, 0
    out = df.copy()
    dept = out["department"] if "department" in out.columns else None

    def private_mask(col: pd.Series | None) -> pd.Series:
        if col is None:
            return pd.Series([sees_private(user, None)] * len(out), index=out.index)
        return col.map(lambda d: sees_private(user, None if pd.isna(d) else str(d))).astype(bool)

    withheld = 0
    if "entry_id" in out.columns and "public" in out.columns:
        src = out["source_department"] if "source_department" in out.columns else None
        visible = out["public"].fillna(False).astype(bool) | private_mask(src)
        withheld = int((~visible).sum())
        out = out[visible]
        dept = out["department"] if "department" in out.columns else None
    hide = ~private_mask(dept)
    if "internal_note" in out.columns:
        out["internal_note"] = out["internal_note"].astype("object").where(~hide | out["internal_note"].isna(),
                                                                          WITHHELD)
    if "is_person" in out.columns:
        withhold = out["is_person"].fillna(False).astype(bool) & hide
        if withhold.any():
            for col in out.columns:
                if col in PERSON_ROW_SAFE or not _is_text(out[col]):
                    continue
                out[col] = out[col].astype("object").where(~withhold | out[col].isna(), WITHHELD)
    return out, withheld


def _is_text(s: pd.Series) -> bool:
    return s.dtype == object or pd.api.types.is_string_dtype(s.dtype)


def redact_rows(rows: list[dict], user: User) -> tuple[list[dict], int]:
    """:func:`redact_frame` for a list of dicts."""
    if not rows:
        return rows, 0
    df, withheld = redact_frame(pd.DataFrame(rows, dtype=object), user)
    return df.astype(object).where(df.notna(), None).to_dict(orient="records"), withheld
