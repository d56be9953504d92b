"""``/v1/events`` (ingest and read chat events), ``/v1/check-logs`` and ``/v1/me``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from csguard.api.schemas import CheckLogOut, EventOut, EventsIn, IngestOut, MeOut, Since, Until
from csguard.errors import InputTooLarge
from csguard.http.deps import ApiPrincipal, SessionDep, SupervisorPrincipal
from csguard.services.checks import list_check_logs
from csguard.services.events import ingest_events, list_events
from csguard.services.shops import get_shop

router = APIRouter(prefix="/v1", tags=["events"])


@router.post("/events", response_model=IngestOut, summary="Ingest chat events (idempotent by message id)")
def post_events(
    body: EventsIn, request: Request, session: SessionDep, principal: SupervisorPrincipal
) -> IngestOut:
    limit = request.app.state.settings.max_batch_messages
    if len(body.events) > limit:
        raise InputTooLarge(
            f"a request may carry at most {limit} events; this one has {len(body.events)}",
            details={"field": "events", "limit": limit},
        )
    result = ingest_events(session, get_shop(session, principal.shop_id), body.events)
    return IngestOut.model_validate(result.to_dict())


@router.get(
    "/events", response_model=list[EventOut], summary="Stored chat events (texts masked), oldest first"
)
def get_events(
    session: SessionDep,
    principal: ApiPrincipal,
    since: Since = None,
    until: Until = None,
    conversation_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[EventOut]:
    rows = list_events(
        session, principal.shop_id, since=since, until=until, conversation_id=conversation_id, limit=limit
    )
    return [EventOut.model_validate(e) for e in rows]


@router.get(
    "/check-logs", response_model=list[CheckLogOut], summary="Logged checks and triages, newest first"
)
def get_check_logs(
    session: SessionDep,
    principal: ApiPrincipal,
    since: Since = None,
    until: Until = None,
    kind: Annotated[str, Query(pattern="^(check|triage)$")] = "check",
    verdict: Annotated[str | None, Query(pattern="^(allow|warn|block|escalate|ok)$")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[CheckLogOut]:
    rows = list_check_logs(
        session,
        principal.shop_id,
        since=since,
        until=until,
        kind=kind,
        verdict=verdict,
        limit=limit,
        offset=offset,
    )
    return [CheckLogOut.model_validate(r) for r in rows]


@router.get("/me", response_model=MeOut, tags=["auth"], summary="Who the API key belongs to")
def me(session: SessionDep, principal: ApiPrincipal) -> MeOut:
    shop = get_shop(session, principal.shop_id)
    return MeOut(
        shop_id=shop.id,
        shop_name=shop.name,
        platform=shop.platform,
        role=principal.role,
        api_key_id=principal.api_key_id,
    )
