"""``create_app(settings)``: the one place that builds the application behind ``csguard serve``.

It reads nothing global except, when called without settings (uvicorn's ``--factory``), the
environment through ``get_settings()``. ``app.state`` carries what pages and routes share:
``settings``, ``engine``, ``sessions`` (a sessionmaker), ``secret_key``, ``key_cache``,
``guard_source``, ``rate_limiter`` and, while the server runs, ``check_log_writer`` (None
outside the lifespan, so tests without it log directly). The JSON API (``csguard.api``) and
the dashboard (``csguard.web``) are mounted here and never import each other.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

import csguard
from csguard import api, web
from csguard.api.fastpath import GuardSource
from csguard.http.deps import ApiKeyCache
from csguard.http.errors import install_error_handlers
from csguard.http.limits import BodySizeLimitMiddleware, TokenBucketLimiter
from csguard.services.check_log_writer import QueuedCheckLogWriter
from csguard.services.secret_key import resolve_secret_key
from csguard.settings import Settings, get_settings
from csguard.store.db import make_engine, session_factory

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
        description=api.DESCRIPTION,
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
    api.install(app)
    web.install(app)
    return app
