"""Optional filters for the services' list queries: a filter left as None is no filter."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute

Q = TypeVar("Q", bound=Select[Any])


def filtered(
    query: Q,
    ts: InstrumentedAttribute[datetime],
    since: datetime | None,
    until: datetime | None,
    equal: dict[InstrumentedAttribute[Any], Any],
) -> Q:
    """``query`` limited to [since, until) on ``ts`` and to each column equal to its value."""
    if since is not None:
        query = query.where(ts >= since)
    if until is not None:
        query = query.where(ts < until)
    for column, value in equal.items():
        if value is not None:
            query = query.where(column == value)
    return query
