"""质检报告: the QC module's report over the shop's stored chat events, in the page and as
.html / .xlsx / .json downloads.

The HTML report carries Plotly's inline scripts, which the dashboard's policy forbids.
It is therefore served with its own policy that sandboxes it: scripts run, but in an
opaque origin with no access to the dashboard's cookies, storage or same-origin requests.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from csguard.http.deps import SessionDep
from csguard.services import metrics
from csguard.services.shops import get_shop
from csguard.web.auth import Viewer, page_viewer
from csguard.web.filters import DateRange, DateText, Period
from csguard.web.rendering import render

if TYPE_CHECKING:
    from csguard.services.metrics import QcResult

router = APIRouter()
QcViewer = Annotated[Viewer, Depends(page_viewer("qc"))]
REPORT_CSP = (
    "sandbox allow-scripts allow-popups; default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'unsafe-inline'; img-src data: blob:; font-src data:; frame-ancestors 'self'"
)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _run(db: SessionDep, viewer: Viewer, period: DateRange) -> QcResult:
    shop = get_shop(db, viewer.shop_id)
    return metrics.qc_result(db, shop, since=period.window.start, until=period.window.end)


def _attachment(period: DateRange, suffix: str) -> dict[str, str]:
    name = f"qc-report-{period.first.isoformat()}-{period.last.isoformat()}.{suffix}"
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get("/qc", response_class=HTMLResponse)
def qc_page(
    request: Request, viewer: QcViewer, db: SessionDep, period: Period
) -> Response:
    result = _run(db, viewer, period)
    query = f"start={period.first.isoformat()}&end={period.last.isoformat()}"
    return render(
        request,
        "qc.html",
        viewer=viewer,
        active="qc",
        period=period,
        query=query,
        result=result,
        findings_by_kind=dict(Counter(f.kind for f in result.findings).most_common()),
    )


@router.get("/qc/report.html", response_class=HTMLResponse)
def qc_report_html(
    viewer: QcViewer, db: SessionDep, period: Period, download: DateText = ""
) -> Response:
    headers = {"Content-Security-Policy": REPORT_CSP}
    if download:
        headers.update(_attachment(period, "html"))
    return HTMLResponse(metrics.qc_report_html(_run(db, viewer, period)), headers=headers)


@router.get("/qc/report.xlsx")
def qc_report_xlsx(viewer: QcViewer, db: SessionDep, period: Period) -> Response:
    content = metrics.qc_report_xlsx(_run(db, viewer, period))
    return Response(content, media_type=XLSX_TYPE, headers=_attachment(period, "xlsx"))


@router.get("/qc/report.json")
def qc_report_json(viewer: QcViewer, db: SessionDep, period: Period) -> Response:
    body = json.dumps(_run(db, viewer, period).to_json_dict(), ensure_ascii=False, default=str)
    return Response(body, media_type="application/json", headers=_attachment(period, "json"))
