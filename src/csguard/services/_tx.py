"""Transaction boundary shared by the service modules."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from csguard.errors import Conflict


@contextmanager
def transaction(
    session: Session, conflict: str = "the change conflicts with existing data"
) -> Iterator[None]:
    """Commit on success, roll back on any error; unique-key violations become ``Conflict``."""
    try:
        yield
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise Conflict(conflict) from exc
    except BaseException:
        session.rollback()
        raise
