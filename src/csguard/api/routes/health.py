"""Liveness and readiness probes (no authentication)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from csguard.api.schemas import HealthOut
from csguard.services.health import database_readiness

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
    readiness = database_readiness(request.app.state.engine)
    if not readiness.ready:
        return JSONResponse(HealthOut(status="unavailable", detail=readiness.detail).model_dump(), status_code=503)
    return HealthOut(status="ok", detail=readiness.detail)
