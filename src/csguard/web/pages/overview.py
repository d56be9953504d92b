"""概览: this week's and today's reply rate against the platform target, violations by
category, high-risk conversations and alerts, on one page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from csguard.http.deps import SessionDep, SettingsDep
from csguard.services import views
from csguard.services.shops import get_shop
from csguard.web.auth import Viewer, page_viewer
from csguard.web.filters import recent_days
from csguard.web.rendering import render

router = APIRouter()
OverviewViewer = Annotated[Viewer, Depends(page_viewer("overview"))]


@router.get("/", response_class=HTMLResponse)
def overview_page(request: Request, viewer: OverviewViewer, db: SessionDep, settings: SettingsDep) -> Response:
    week = recent_days(settings.timezone)
    view = views.overview_view(db, get_shop(db, viewer.shop_id), week.window, week.last)
    return render(
        request, "overview.html", viewer=viewer, active="overview", week=week, **views.template_fields(view)
    )
