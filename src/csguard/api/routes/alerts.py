"""``/v1/alerts``: QC threshold breaches (reply rate, violations, complaints) of the shop."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from csguard.api.schemas import AlertOut, ObjectId, RefreshOut, Since, Until
from csguard.http.deps import ApiPrincipal, SessionDep, SupervisorPrincipal
from csguard.services import alerts
from csguard.services.shops import get_shop

router = APIRouter(prefix="/v1/alerts", tags=["alerts"])


@router.get("", response_model=list[AlertOut], summary="Stored alerts, newest first")
def list_alerts(
    session: SessionDep,
    principal: ApiPrincipal,
    unacknowledged: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AlertOut]:
    rows = alerts.list_alerts(session, principal.shop_id, unacknowledged=unacknowledged, limit=limit)
    return [AlertOut.model_validate(a) for a in rows]


@router.post("/refresh", response_model=RefreshOut, summary="Run QC over stored events and record new alerts")
def refresh(
    session: SessionDep, principal: SupervisorPrincipal, since: Since = None, until: Until = None
) -> RefreshOut:
    shop = get_shop(session, principal.shop_id)
    return RefreshOut(recorded=alerts.refresh_alerts(session, shop, since=since, until=until))


@router.post("/{alert_id}/ack", response_model=AlertOut, summary="Mark an alert as handled")
def acknowledge(alert_id: ObjectId, session: SessionDep, principal: SupervisorPrincipal) -> AlertOut:
    return AlertOut.model_validate(alerts.acknowledge_alert(session, principal.shop_id, alert_id))
