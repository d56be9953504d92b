"""Liveness and readiness probes (no authentication)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from csguard.api.schemas import HealthOut
from csguard.store.db import current_revision, head_revision

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=HealthOut, summary="The process is up")
async def healthz() -> HealthOut:
    return HealthOut(status="ok")


@router.get(
    "/readyz",
    response_model=HealthOut,
    responses={503: {"model": HealthOut, "description": "Database unreachable or not migrated"}},
    summary="The database is reachable and migrated to the newest revision",
)
def readyz(request: Request) -> HealthOut | JSONResponse:
    try:
        revision = current_revision(request.app.state.engine)
    except Exception as exc:  # any driver error means "not ready", never a 500
        detail = f"database unreachable: {type(exc).__name__}"
        return JSONResponse(HealthOut(status="unavailable", detail=detail).model_dump(), status_code=503)
    if revision != head_revision():
        detail = f"database at revision {revision}, expected {head_revision()}: run 'csguard init'"
        return JSONResponse(HealthOut(status="unavailable", detail=detail).model_dump(), status_code=503)
    return HealthOut(status="ok", detail=f"revision {revision}")
