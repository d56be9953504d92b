"""``/v1/metrics`` (SLA by day and agent) and ``/v1/qc/...`` (findings and the report)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from csguard.api.schemas import Since, Until
from csguard.http.deps import ApiPrincipal, SessionDep
from csguard.services import metrics as metrics_service
from csguard.services.metrics import qc_result, sla_metrics
from csguard.services.shops import get_shop

router = APIRouter(prefix="/v1", tags=["insights"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/metrics", summary="SLA metrics per day, for the shop (agent null) and per agent")
def metrics(
    session: SessionDep,
    principal: ApiPrincipal,
    since: Since = None,
    until: Until = None,
    agent: Annotated[str | None, Query(max_length=120, description="Only this agent's rows")] = None,
) -> list[dict[str, Any]]:
    shop = get_shop(session, principal.shop_id)
    return sla_metrics(session, shop, since=since, until=until, agent=agent)


@router.get("/qc/findings", summary="QC findings and metrics over the shop's stored events")
def qc_findings(
    session: SessionDep, principal: ApiPrincipal, since: Since = None, until: Until = None
) -> dict[str, Any]:
    result = qc_result(session, get_shop(session, principal.shop_id), since=since, until=until)
    payload: dict[str, Any] = result.to_json_dict()
    return payload


@router.get(
    "/qc/report.html",
    response_model=None,
    responses={
        200: {"content": {"text/html": {"schema": {"type": "string"}}}, "description": "The report page"}
    },
    summary="The QC report as a self-contained HTML page",
)
def qc_report_html(
    session: SessionDep, principal: ApiPrincipal, since: Since = None, until: Until = None
) -> HTMLResponse:
    result = qc_result(session, get_shop(session, principal.shop_id), since=since, until=until)
    return HTMLResponse(metrics_service.qc_report_html(result))


@router.get(
    "/qc/report.xlsx",
    response_model=None,
    responses={
        200: {
            "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
            "description": "The QC report workbook",
        }
    },
    summary="The QC report as an Excel workbook",
)
def qc_report_xlsx(
    session: SessionDep, principal: ApiPrincipal, since: Since = None, until: Until = None
) -> Response:
    result = qc_result(session, get_shop(session, principal.shop_id), since=since, until=until)
    body = metrics_service.qc_report_xlsx(result)
    headers = {"Content-Disposition": 'attachment; filename="qc-report.xlsx"'}
    return Response(body, media_type=XLSX, headers=headers)
