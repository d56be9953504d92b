"""Fresh, migrated databases for tests (SQLite file, or a throw-away PostgreSQL schema).

Test suites parametrize a ``db_url`` fixture over ``sqlite_url(tmp_path)`` and, when
``CSGUARD_TEST_DATABASE_URL`` is set, ``postgres_schema_url(base)``. Each PostgreSQL
database gets a unique schema (safe under ``pytest -n 2``) that is dropped afterwards.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import text

from csguard.store.db import make_engine, upgrade

TEST_DATABASE_ENV = "CSGUARD_TEST_DATABASE_URL"
_template_cache: dict[str, Path] = {}


def postgres_base_url() -> str | None:
    return os.environ.get(TEST_DATABASE_ENV) or None


def backends() -> list[str]:
    """Backends a test suite should run on: always SQLite, PostgreSQL when configured."""
    return ["sqlite", "postgresql"] if postgres_base_url() else ["sqlite"]


def sqlite_url(folder: Path, name: str = "csguard.db") -> str:
    """A migrated SQLite file; migrations run once per process and the file is copied after."""
    target = folder / name
    template = _template_cache.get("sqlite")
    if template is None or not template.exists():
        template_dir = Path(tempfile.mkdtemp(prefix="csguard-template-"))
        atexit.register(shutil.rmtree, template_dir, True)
        template = template_dir / "template.db"
        upgrade(f"sqlite:///{template}")
        _template_cache["sqlite"] = template
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


@contextmanager
def postgres_schema_url(base_url: str) -> Iterator[str]:
    """A migrated, empty schema in the PostgreSQL database at ``base_url``; dropped on exit."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base_url else "?"
    url = f"{base_url}{sep}options={quote(f'-csearch_path={schema}')}"
    try:
        upgrade(url)
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[str]:
    """A migrated empty database URL for ``backend`` ("sqlite" or "postgresql")."""
    if backend == "sqlite":
        yield sqlite_url(folder)
        return
    base = postgres_base_url()
    if base is None:
        raise RuntimeError(f"{TEST_DATABASE_ENV} is not set")
    with postgres_schema_url(base) as url:
        yield url
