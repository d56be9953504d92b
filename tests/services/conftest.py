"""Database fixtures: every test here runs on SQLite and, when configured, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from csguard.store.db import make_engine, session_factory
from csguard.store.testing import backends, fresh_database


@pytest.fixture(params=backends())
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_factory(engine)() as session:
        yield session


@pytest.fixture
def shop(session: Session):  # type: ignore[no-untyped-def]
    from csguard.services.shops import create_shop

    return create_shop(session, "甲店", "pdd")


@pytest.fixture
def other_shop(session: Session):  # type: ignore[no-untyped-def]
    from csguard.services.shops import create_shop

    return create_shop(session, "乙店", "taobao")
