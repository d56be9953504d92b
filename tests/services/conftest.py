"""Database fixtures: every test here runs on SQLite and, when configured, on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session


@pytest.fixture
def shop(session: Session):  # type: ignore[no-untyped-def]
    from csguard.services.shops import create_shop

    return create_shop(session, "甲店", "pdd")


@pytest.fixture
def other_shop(session: Session):  # type: ignore[no-untyped-def]
    from csguard.services.shops import create_shop

    return create_shop(session, "乙店", "taobao")
