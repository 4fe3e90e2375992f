"""Serving the app: settings → uvicorn, and the first administrator account for ``ipobs run``."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

from ipobs.web.accounts import Accounts
from ipobs.web.settings import WebSettings

ADMIN = "admin"
PASSWORD_ENV = "IPOBS_ADMIN_PASSWORD"


@dataclass
class AdminLogin:
    name: str
    password: str | None  # shown once: None when the account existed and was left unchanged
    source: str  # "created", "env", "unchanged"


def ensure_admin(settings: WebSettings) -> AdminLogin:
    """Make sure an administrator can log in.

    No ``admin`` account yet: create it with ``$IPOBS_ADMIN_PASSWORD`` or a random password
    (returned, to print once). It exists and the variable is set: set that password. Otherwise
    leave it alone.
    """
    accounts = Accounts(settings.accounts_path)
    try:
        env = os.environ.get(PASSWORD_ENV) or None
        if accounts.get(ADMIN) is None:
            password = env or secrets.token_urlsafe(9)
            accounts.add(ADMIN, "admin", password, created_by="ipobs run")
            return AdminLogin(ADMIN, None if env else password, "env" if env else "created")
        if env:
            accounts.set_password(ADMIN, env)
            accounts.update(ADMIN, role="admin", active=True)
            return AdminLogin(ADMIN, None, "env")
        return AdminLogin(ADMIN, None, "unchanged")
    finally:
        accounts.close()


def serve(settings: WebSettings, host: str = "127.0.0.1", port: int = 8000, log_level: str = "info") -> None:
    """Run the app with uvicorn until interrupted."""
    import uvicorn

    from ipobs.web.app import create_app

    app = create_app(settings)
    uvicorn.run(app, host=host, port=port, log_level=log_level, workers=1)
