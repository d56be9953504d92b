"""概览: this week's and today's reply rate against the platform target, violations by
category, high-risk conversations and alerts, on one page."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from csguard.http.deps import SessionDep
from csguard.qc.sla import SlaConfig
from csguard.services import checks, dashboard, metrics
from csguard.services.shops import get_shop
from csguard.services.words import guard_for_shop
from csguard.settings import get_settings
from csguard.web import stats
from csguard.web.auth import Viewer, page_viewer
from csguard.web.filters import DEFAULT_DAYS, DateRange
from csguard.web.rendering import render

router = APIRouter()
OverviewViewer = Annotated[Viewer, Depends(page_viewer("overview"))]
RISKY_SHOWN = 10


@router.get("/", response_class=HTMLResponse)
def overview_page(request: Request, viewer: OverviewViewer, db: SessionDep) -> Response:
    today = dashboard.local_today(get_settings().timezone)
    week = DateRange(today - timedelta(days=DEFAULT_DAYS - 1), today)
    shop = get_shop(db, viewer.shop_id)
    guard = guard_for_shop(db, shop)
    rows = metrics.sla_metrics(db, shop, since=week.window.start, until=week.window.end)
    flagged = dashboard.flagged_agent_messages(db, guard, shop.id, week.window)
    risky = dashboard.risky_conversations(db, guard, shop.id, week.window)
    return render(
        request,
        "overview.html",
        viewer=viewer,
        active="overview",
        week=week,
        target=SlaConfig().target_rate,
        today_rate=stats.reply_rate(rows, day=today.isoformat()),
        week_rate=stats.reply_rate(rows),
        daily=[(r["date"], stats.reply_rate([r])) for r in rows if r["agent"] is None],
        by_category=dashboard.count_by_category(flagged),
        violations=len(flagged),
        blocked=checks.violation_counts(db, shop.id, since=week.window.start),
        risky=risky[:RISKY_SHOWN],
        risky_total=len(risky),
        alerts=dashboard.recent_alerts(db, shop.id),
    )
