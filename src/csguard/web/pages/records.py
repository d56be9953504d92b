"""违规记录 and 会话: what the agents actually sent, and the conversations it happened in.

``services.records`` reads and checks the stored events; these handlers parse and render.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from csguard.http.deps import SessionDep
from csguard.services import records
from csguard.web.auth import Viewer, page_viewer
from csguard.web.filters import Period
from csguard.web.highlight import segments
from csguard.web.rendering import render

router = APIRouter()
ViolationsViewer = Annotated[Viewer, Depends(page_viewer("violations"))]
ConversationsViewer = Annotated[Viewer, Depends(page_viewer("conversations"))]
ShortText = Annotated[str, Query(max_length=120)]


@router.get("/violations", response_class=HTMLResponse)
def violations_page(
    request: Request,
    viewer: ViolationsViewer,
    db: SessionDep,
    period: Period,
    agent: ShortText = "",
    category: ShortText = "",
) -> Response:
    view = records.violations_view(
        db, viewer.shop_id, period.window, agent=agent or None, category=category or None
    )
    return render(
        request,
        "violations.html",
        viewer=viewer,
        active="violations",
        period=period,
        agent=agent,
        category=category,
        agents=view.agents,
        by_category=view.by_category,
        by_agent=view.by_agent,
        total=view.total,
        rows=[(item, segments(item.message.text, item.result.findings)) for item in view.shown],
    )


@router.get("/conversations", response_class=HTMLResponse)
def conversations_page(
    request: Request,
    viewer: ConversationsViewer,
    db: SessionDep,
    period: Period,
    agent: ShortText = "",
    risk: ShortText = "",
) -> Response:
    view = records.conversations_view(
        db, viewer.shop_id, period.window, agent=agent or None, risky_only=risk == "1"
    )
    return render(
        request,
        "conversations.html",
        viewer=viewer,
        active="conversations",
        period=period,
        agent=agent,
        risk=risk,
        agents=view.agents,
        rows=view.rows,
    )


@router.get("/conversations/{conversation_id:path}", response_class=HTMLResponse)
def conversation_detail(
    request: Request, viewer: ConversationsViewer, db: SessionDep, conversation_id: str
) -> Response:
    view = records.conversation_view(db, viewer.shop_id, conversation_id)
    if view is None:
        return render(
            request,
            "error.html",
            viewer=viewer,
            status_code=404,
            title="会话不存在",
            message="没有找到这个会话。",
        )
    shown = [
        (m.message, segments(m.message.text, m.findings), m.findings, m.signals) for m in view.messages
    ]
    return render(
        request,
        "conversation.html",
        viewer=viewer,
        active="conversations",
        conversation_id=view.conversation_id,
        buyer_id=view.buyer_id,
        messages=shown,
    )
