"""The HTTP API (FastAPI, versioned under ``/v1``).

``csguard.http.app.create_app`` builds the application and calls ``install(app)`` to mount
the routers; ``DESCRIPTION`` heads the OpenAPI document.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from csguard.api.routes import ROUTERS
from csguard.api.schemas import ErrorOut

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


def install(app: FastAPI) -> None:
    """Add every API router to ``app``, each documenting the one error shape."""
    for router in ROUTERS:
        app.include_router(router, responses=ERROR_RESPONSES)
