"""Every API router. Other areas append one line to ``ROUTERS`` to publish theirs."""

from __future__ import annotations

from fastapi import APIRouter

from csguard.api.routes import (
    accounts,
    alerts,
    api_keys,
    check,
    events,
    health,
    insights,
    users,
    words,
)
from csguard.penalties.routes import router as penalties_router

ROUTERS: list[APIRouter] = [
    health.router,
    check.router,
    events.router,
    insights.router,
    alerts.router,
    words.router,
    accounts.router,
    users.router,
    api_keys.router,
    penalties_router,
]
