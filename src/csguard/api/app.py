"""``create_app()``: the FastAPI application behind ``csguard serve``.

``app.state`` carries what pages and routes share: ``settings``, ``engine``, ``sessions``
(a sessionmaker), ``secret_key``, ``key_cache``, ``guard_source``, ``rate_limiter`` and, while the server
runs, ``check_log_writer`` (None outside the lifespan, so tests without it log directly).
"""

from __future__ import annotations

import gc
import importlib.util
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

import csguard
from csguard.http.deps import ApiKeyCache
from csguard.api.errors import install_error_handlers
from csguard.api.fastpath import GuardSource
from csguard.api.limits import BodySizeLimitMiddleware, TokenBucketLimiter
from csguard.api.routes import ROUTERS
from csguard.api.schemas import ErrorOut
from csguard.services.check_log_writer import QueuedCheckLogWriter
from csguard.services.secret_key import resolve_secret_key
from csguard.settings import Settings, get_settings
from csguard.store.db import make_engine, session_factory

DESCRIPTION = """csguard's HTTP API: pre-send checks, buyer triage, chat-event ingest, SLA metrics,
QC findings and the shop's word lists, CS accounts, users and API keys.
Authenticate with `Authorization: Bearer csg_...`; every request is scoped to the key's shop.
Errors always look like `{"error": {"code", "message", "details"}}`."""

# Documented on every route so clients (and schemathesis) know the one error shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": description}
    for status, description in {
        400: "Bad request",
        401: "Missing, wrong, revoked or expired API key",
        403: "The key's role may not do this",
        404: "Not found in the caller's shop",
        409: "Conflicts with existing data",
        413: "Body, batch or text too large",
        422: "Invalid input; details.errors lists each field",
        429: "Rate limit exceeded; see Retry-After",
    }.items()
}

_heap_frozen = False


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    # Everything loaded so far (rule packs, SQLAlchemy, polars) lives for the whole process:
    # freezing it keeps the cyclic GC from re-scanning it during requests (p99 latency).
    global _heap_frozen
    if not _heap_frozen:
        gc.collect()
        gc.freeze()
        _heap_frozen = True
    if settings.check_log_mode == "queued":
        app.state.check_log_writer = QueuedCheckLogWriter(
            app.state.sessions, flush_interval=settings.check_log_flush_seconds
        )
    try:
        yield
    finally:
        writer = app.state.check_log_writer
        app.state.check_log_writer = None
        if writer is not None:
            writer.close()  # writes every queued check log before the process exits
        app.state.engine.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="csguard",
        version=csguard.__version__,
        description=DESCRIPTION,
        lifespan=_lifespan,
    )
    engine = make_engine(settings.database_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    app.state.secret_key = resolve_secret_key(settings)
    app.state.key_cache = ApiKeyCache(settings.api_key_cache_seconds)
    app.state.rate_limiter = TokenBucketLimiter(settings.rate_limit_per_second, settings.rate_limit_burst)
    app.state.guard_source = GuardSource(app.state.sessions, settings.api_key_cache_seconds)
    app.state.check_log_writer = None
    install_error_handlers(app)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    for router in ROUTERS:
        app.include_router(router, responses=ERROR_RESPONSES)
    if importlib.util.find_spec("csguard.web") is not None:
        from csguard import web

        install = getattr(web, "install", None)
        if install is not None:
            install(app)
    return app
