"""The database as entry points meet it: migrate to head, then work in one session.

The CLI (and anything else that runs outside the HTTP app) opens the store through here, so
no translator needs to know about engines, sessionmakers or Alembic.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from csguard.store.db import make_engine, session_factory, upgrade


def migrate(database_url: str) -> None:
    """Bring the database at ``database_url`` to the newest schema (creating it if new)."""
    upgrade(database_url)


@contextmanager
def open_session(database_url: str) -> Iterator[Session]:
    """One session on the database; the engine is disposed of when the block ends."""
    engine = make_engine(database_url)
    try:
        with session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()
