"""The key that signs session cookies.

Set ``CSGUARD_SECRET_KEY`` in production. With the default SQLite set-up a key is
generated once and kept next to the database file (mode 0600), so log-ins survive a
restart without any configuration; PostgreSQL deployments must set it explicitly because
several hosts have to share it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlalchemy.engine import make_url

from csguard.errors import ConfigError
from csguard.settings import Settings

KEY_FILE_NAME = "secret_key"


def resolve_secret_key(settings: Settings) -> str:
    if settings.secret_key:
        return settings.secret_key
    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite":
        raise ConfigError(
            "CSGUARD_SECRET_KEY must be set (32+ characters) when the database is not SQLite",
            details={"setting": "secret_key"},
        )
    if not url.database or url.database == ":memory:":
        return secrets.token_urlsafe(48)  # an in-memory database does not outlive the process either
    path = Path(url.database).expanduser().parent / KEY_FILE_NAME
    if path.exists():
        key = path.read_text().strip()
        if len(key) >= 32:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key
