"""Page routers; ``csguard.web.install`` mounts each of them under the CSRF check."""

from __future__ import annotations

from fastapi import APIRouter

from csguard.web.pages import admin, agents, checker, login, overview, qc, records, words

PAGE_ROUTERS: list[APIRouter] = [
    login.router,
    overview.router,
    checker.router,
    records.router,
    agents.router,
    words.router,
    qc.router,
    admin.router,
]
