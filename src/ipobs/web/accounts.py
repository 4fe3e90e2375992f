"""Accounts, sessions, login throttling, the audit log and department task reports.

They live in a small SQLite file next to the store (``<db>.accounts.sqlite``), not in DuckDB:

- rebuilding or replacing the store (``ipobs demo --force``, a restored backup) keeps accounts
  and the audit trail;
- they are many tiny writes (a session per login, a row per failed login), which SQLite's
  row store and WAL journal handle without touching the analytical file;
- the store can then be served read-only (a public mirror) with logins still working.

Passwords are argon2id hashes; session tokens are stored only as SHA-256 digests, so a copy of
this file does not let anyone log in.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

def N_(message: str) -> str:
    """Marks a label for the message catalogs; it is translated where it is shown."""
    return message


ROLES: dict[str, str] = {
    "admin": N_("administrator (IP bureau)"),
    "officer": N_("department officer"),
    "analyst": N_("analyst"),
    "public": N_("public"),
}

TASK_PROGRESS: dict[str, str] = {
    "not_started": N_("not started"),
    "in_progress": N_("in progress"),
    "done": N_("done"),
    "delayed": N_("delayed"),
}

DDL = """
CREATE TABLE IF NOT EXISTS account (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    department TEXT,
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by TEXT
);
CREATE TABLE IF NOT EXISTS session (
    token_sha256 TEXT PRIMARY KEY,
    account TEXT NOT NULL REFERENCES account(name),
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ip TEXT
);
CREATE TABLE IF NOT EXISTS login_failure (account TEXT NOT NULL, ip TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS login_failure_key ON login_failure (account, ip, at);
CREATE TABLE IF NOT EXISTS audit (
    audit_id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    account TEXT,
    role TEXT,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT,
    ip TEXT
);
CREATE TABLE IF NOT EXISTS task_report (
    report_id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id TEXT NOT NULL,
    department TEXT NOT NULL,
    progress TEXT NOT NULL,
    note TEXT,
    account TEXT NOT NULL,
    at TEXT NOT NULL
);
"""


class AccountError(ValueError):
    """A bad account request (unknown role, missing department, duplicate name…)."""


@dataclass(frozen=True)
class User:
    name: str | None  # None: an anonymous visitor
    role: str
    department: str | None = None
    csrf: str | None = None  # the session's CSRF token

    @property
    def anonymous(self) -> bool:
        return self.name is None

    def to_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "department": self.department}


ANONYMOUS = User(None, "public")


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _iso(d: datetime) -> str:
    return d.isoformat(sep=" ")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    """The accounts file. Thread-safe: each thread gets its own SQLite connection."""

    def __init__(self, path: str | Path, *, session_hours: float = 12.0, max_failures: int = 5,
                 window_minutes: int = 15):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.session_hours = session_hours
        self.max_failures = max_failures
        self.window = timedelta(minutes=window_minutes)
        self._local = threading.local()
        self._hasher = PasswordHasher()
        con = self._con()
        con.executescript(DDL)

    def use_hasher(self, hasher: PasswordHasher) -> None:
        """Other argon2 parameters (tests use cheap ones; production keeps the library's defaults)."""
        self._hasher = hasher
        self._dummy = None

    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            con.row_factory = sqlite3.Row
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA foreign_keys=ON")
            self._local.con = con
        return con

    # -- accounts ---------------------------------------------------------------
    def add(self, name: str, role: str, password: str, *, department: str | None = None,
            created_by: str | None = None, departments: dict | None = None) -> User:
        """Create an account. Officers need a department (an id of the plan's departments)."""
        name = (name or "").strip()
        if not name or len(name) > 64 or any(c.isspace() for c in name):
            raise AccountError("an account name is 1–64 characters without spaces")
        self._check_role(role, department, departments)
        if len(password or "") < 8:
            raise AccountError("a password needs at least 8 characters")
        if self.get(name) is not None:
            raise AccountError(f"account {name!r} already exists")
        self._con().execute(
            "INSERT INTO account VALUES (?,?,?,?,1,?,?)",
            [name, role, department if role == "officer" else None, self._hasher.hash(password),
             _iso(_now()), created_by],
        )
        return User(name, role, department if role == "officer" else None)

    @staticmethod
    def _check_role(role: str, department: str | None, departments: dict | None) -> None:
        if role not in ROLES:
            raise AccountError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
        if role == "officer":
            if not department:
                raise AccountError("a department officer needs --department (a department id of the plan)")
            if departments is not None and department not in departments:
                raise AccountError(f"unknown department {department!r}; known: {', '.join(sorted(departments))}")

    def update(self, name: str, *, role: str | None = None, department: str | None = None,
               active: bool | None = None, departments: dict | None = None) -> None:
        row = self.get(name)
        if row is None:
            raise KeyError(name)
        role = role or row["role"]
        department = department if department is not None else row["department"]
        self._check_role(role, department, departments)
        self._con().execute(
            "UPDATE account SET role = ?, department = ?, active = COALESCE(?, active) WHERE name = ?",
            [role, department if role == "officer" else None, None if active is None else int(active), name],
        )
        if active is False or role != row["role"]:
            self.end_sessions(name)

    def set_password(self, name: str, password: str) -> None:
        if len(password or "") < 8:
            raise AccountError("a password needs at least 8 characters")
        cur = self._con().execute("UPDATE account SET password_hash = ? WHERE name = ?",
                                  [self._hasher.hash(password), name])
        if cur.rowcount == 0:
            raise KeyError(name)
        self.end_sessions(name)

    def get(self, name: str) -> dict | None:
        row = self._con().execute(
            "SELECT name, role, department, active, created_at, created_by FROM account WHERE name = ?", [name]
        ).fetchone()
        return None if row is None else dict(row)

    def list(self) -> list[dict]:
        rows = self._con().execute(
            "SELECT name, role, department, active, created_at, created_by FROM account ORDER BY name"
        ).fetchall()
        return [dict(r) for r in rows]

    def has_role(self, role: str) -> bool:
        return self._con().execute("SELECT 1 FROM account WHERE role = ? LIMIT 1", [role]).fetchone() is not None

    # -- login ------------------------------------------------------------------
    def throttled(self, name: str, ip: str) -> bool:
        """True when this account has failed ``max_failures`` times from this address in the window."""
        since = _iso(_now() - self.window)
        n = self._con().execute(
            "SELECT count(*) FROM login_failure WHERE account = ? AND ip = ? AND at >= ?", [name, ip, since]
        ).fetchone()[0]
        return n >= self.max_failures

    def verify(self, name: str, password: str, ip: str) -> User | None:
        """The user when the password is right; records a failure otherwise."""
        row = self._con().execute(
            "SELECT role, department, password_hash, active FROM account WHERE name = ?", [name]
        ).fetchone()
        ok = False
        if row is not None and row["active"]:
            try:
                ok = self._hasher.verify(row["password_hash"], password or "")
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                ok = False
        else:
            # same cost as a real check, so timing does not tell which names exist
            try:
                self._hasher.verify(self._dummy_hash(), password or "")
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                pass
        if not ok:
            self._con().execute("INSERT INTO login_failure VALUES (?,?,?)", [name, ip, _iso(_now())])
            return None
        self._con().execute("DELETE FROM login_failure WHERE account = ? AND ip = ?", [name, ip])
        if self._hasher.check_needs_rehash(row["password_hash"]):
            self.set_password(name, password)
        return User(name, row["role"], row["department"])

    def _dummy_hash(self) -> str:
        h = getattr(self, "_dummy", None)  # a hash to verify against when the account does not exist
        if h is None:
            h = self._dummy = self._hasher.hash(secrets.token_hex(8))
        return h

    # -- sessions ---------------------------------------------------------------
    def start_session(self, user: User, ip: str | None = None) -> tuple[str, User]:
        """A new random session token (what the cookie holds) and the user with its CSRF token."""
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(24)
        now = _now()
        self._con().execute(
            "INSERT INTO session VALUES (?,?,?,?,?,?)",
            [_digest(token), user.name, csrf, _iso(now), _iso(now + timedelta(hours=self.session_hours)), ip],
        )
        return token, User(user.name, user.role, user.department, csrf)

    def session_user(self, token: str | None) -> User | None:
        if not token:
            return None
        row = self._con().execute(
            "SELECT a.name, a.role, a.department, a.active, s.csrf, s.expires_at FROM session s "
            "JOIN account a ON a.name = s.account WHERE s.token_sha256 = ?",
            [_digest(token)],
        ).fetchone()
        if row is None or not row["active"] or row["expires_at"] < _iso(_now()):
            return None
        return User(row["name"], row["role"], row["department"], row["csrf"])

    def end_session(self, token: str | None) -> None:
        if token:
            self._con().execute("DELETE FROM session WHERE token_sha256 = ?", [_digest(token)])

    def end_sessions(self, name: str) -> None:
        self._con().execute("DELETE FROM session WHERE account = ?", [name])

    def purge_expired(self) -> None:
        now = _now()
        self._con().execute("DELETE FROM session WHERE expires_at < ?", [_iso(now)])
        self._con().execute("DELETE FROM login_failure WHERE at < ?", [_iso(now - self.window)])

    # -- audit ------------------------------------------------------------------
    def audit(self, user: User, action: str, target: str | None = None, detail: dict | None = None,
              ip: str | None = None) -> None:
        """Record who did what, when."""
        self._con().execute(
            "INSERT INTO audit (at, account, role, action, target, detail, ip) VALUES (?,?,?,?,?,?,?)",
            [_iso(_now()), user.name, user.role, action, target,
             None if detail is None else json.dumps(detail, ensure_ascii=False, default=str), ip],
        )

    def audit_log(self, *, limit: int = 100, offset: int = 0, account: str | None = None,
                  action: str | None = None) -> tuple[list[dict], int]:
        where, params = [], []
        if account:
            where.append("account = ?")
            params.append(account)
        if action:
            where.append("action = ?")
            params.append(action)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        total = self._con().execute(f"SELECT count(*) FROM audit {clause}", params).fetchone()[0]
        rows = self._con().execute(
            f"SELECT audit_id, at, account, role, action, target, detail, ip FROM audit {clause} "
            "ORDER BY audit_id DESC LIMIT ? OFFSET ?", [*params, limit, offset]
        ).fetchall()
        out = []
        for r in rows:
            d = dict(r)
            d["detail"] = json.loads(d["detail"]) if d["detail"] else None
            out.append(d)
        return out, total

    # -- department task reports -------------------------------------------------
    def report_task(self, user: User, task_id: str, department: str, progress: str, note: str | None) -> dict:
        if progress not in TASK_PROGRESS:
            raise AccountError(f"unknown progress {progress!r}; one of {', '.join(TASK_PROGRESS)}")
        at = _iso(_now())
        self._con().execute(
            "INSERT INTO task_report (task_id, department, progress, note, account, at) VALUES (?,?,?,?,?,?)",
            [task_id, department, progress, (note or "").strip()[:2000] or None, user.name, at],
        )
        return {"task_id": task_id, "department": department, "progress": progress, "note": note,
                "account": user.name, "at": at}

    def task_reports(self, task_id: str | None = None) -> list[dict]:
        """Every report, newest first (optionally of one task)."""
        sql = "SELECT task_id, department, progress, note, account, at FROM task_report"
        params: list = []
        if task_id:
            sql += " WHERE task_id = ?"
            params.append(task_id)
        rows = self._con().execute(sql + " ORDER BY report_id DESC", params).fetchall()
        return [dict(r) for r in rows]

    def latest_task_reports(self) -> dict[tuple[str, str], dict]:
        """(task_id, department) → the latest report."""
        out: dict[tuple[str, str], dict] = {}
        for r in self.task_reports():
            out.setdefault((r["task_id"], r["department"]), r)
        return out

    def close(self) -> None:
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.con = None
