"""客服: the shop's CS accounts (level, status, backup flag, routing share) next to each
agent's reply rate, first-response time and violations over a date range."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from csguard.http.deps import SessionDep
from csguard.services import accounts, views
from csguard.services.shops import get_shop
from csguard.web.auth import Viewer, page_viewer
from csguard.web.filters import Period
from csguard.web.rendering import render, run_action

router = APIRouter()
AgentsViewer = Annotated[Viewer, Depends(page_viewer("agents"))]


@router.get("/agents", response_class=HTMLResponse)
def agents_page(
    request: Request,
    viewer: AgentsViewer,
    db: SessionDep,
    period: Period,
) -> Response:
    view = views.agents_view(db, get_shop(db, viewer.shop_id), period.window)
    return render(
        request,
        "agents.html",
        viewer=viewer,
        active="agents",
        period=period,
        **views.template_fields(view),
    )


def _account_fields(level: str, status: str, backup: str, share: int, display_name: str) -> dict[str, object]:
    return {
        "level": level,
        "status": status,
        "is_backup": backup == "on",
        "routing_share": share,
        "display_name": display_name.strip(),
    }


@router.post("/agents")
def create_account(
    request: Request,
    viewer: AgentsViewer,
    db: SessionDep,
    platform_account: Annotated[str, Form(max_length=120)],
    display_name: Annotated[str, Form(max_length=120)] = "",
    level: Annotated[str, Form(max_length=16)] = "trial",
    status: Annotated[str, Form(max_length=16)] = "active",
    backup: Annotated[str, Form(max_length=8)] = "",
    share: Annotated[int, Form(ge=0, le=100)] = 0,
) -> Response:
    fields = _account_fields(level, status, backup, share, display_name)
    run_action(
        request,
        lambda: accounts.create_account(db, viewer.shop_id, platform_account, **fields),
        f"已添加客服账号“{platform_account.strip()}”。",
    )
    return RedirectResponse("/agents", status_code=303)


@router.post("/agents/{account_id}/update")
def update_account(
    request: Request,
    viewer: AgentsViewer,
    db: SessionDep,
    account_id: int,
    level: Annotated[str, Form(max_length=16)],
    status: Annotated[str, Form(max_length=16)],
    backup: Annotated[str, Form(max_length=8)] = "",
    share: Annotated[int, Form(ge=0, le=100)] = 0,
    display_name: Annotated[str, Form(max_length=120)] = "",
) -> Response:
    fields = _account_fields(level, status, backup, share, display_name)
    run_action(request, lambda: accounts.update_account(db, viewer.shop_id, account_id, **fields), "已保存。")
    return RedirectResponse("/agents", status_code=303)


@router.post("/agents/{account_id}/delete")
def delete_account(request: Request, viewer: AgentsViewer, db: SessionDep, account_id: int) -> Response:
    run_action(request, lambda: accounts.delete_account(db, viewer.shop_id, account_id), "已删除客服账号。")
    return RedirectResponse("/agents", status_code=303)
