"""违规记录 and 会话: what the agents actually sent, and the conversations it happened in.

Both read the stored chat events (masked at ingestion) and check them with the shop's
current Guard, so a new custom word also shows up in past conversations.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from csguard.http.deps import SessionDep
from csguard.services import dashboard
from csguard.services.shops import get_shop
from csguard.services.words import guard_for_shop
from csguard.web.auth import Viewer, page_viewer
from csguard.web.filters import date_range
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
    start: ShortText = "",
    end: ShortText = "",
    agent: ShortText = "",
    category: ShortText = "",
) -> Response:
    period = date_range(start, end)
    guard = guard_for_shop(db, get_shop(db, viewer.shop_id))
    flagged = dashboard.flagged_agent_messages(
        db, guard, viewer.shop_id, period.window, agent=agent or None, category=category or None
    )
    return render(
        request,
        "violations.html",
        viewer=viewer,
        active="violations",
        period=period,
        agent=agent,
        category=category,
        agents=dashboard.known_agents(db, viewer.shop_id),
        by_category=dashboard.count_by_category(flagged),
        by_agent=dashboard.count_by_agent(flagged),
        total=len(flagged),
        rows=[
            (item, segments(item.message.text, item.result.findings))
            for item in flagged[: dashboard.MAX_ROWS]
        ],
    )


@router.get("/conversations", response_class=HTMLResponse)
def conversations_page(
    request: Request,
    viewer: ConversationsViewer,
    db: SessionDep,
    start: ShortText = "",
    end: ShortText = "",
    agent: ShortText = "",
    risk: ShortText = "",
) -> Response:
    period = date_range(start, end)
    guard = guard_for_shop(db, get_shop(db, viewer.shop_id))
    rows = dashboard.conversation_summaries(
        db, guard, viewer.shop_id, period.window, agent=agent or None, risky_only=risk == "1"
    )
    return render(
        request,
        "conversations.html",
        viewer=viewer,
        active="conversations",
        period=period,
        agent=agent,
        risk=risk,
        agents=dashboard.known_agents(db, viewer.shop_id),
        rows=rows,
    )


@router.get("/conversations/{conversation_id:path}", response_class=HTMLResponse)
def conversation_detail(
    request: Request, viewer: ConversationsViewer, db: SessionDep, conversation_id: str
) -> Response:
    messages = dashboard.conversation_messages(db, viewer.shop_id, conversation_id)
    if not messages:
        return render(
            request,
            "error.html",
            viewer=viewer,
            status_code=404,
            title="会话不存在",
            message="没有找到这个会话。",
        )
    guard = guard_for_shop(db, get_shop(db, viewer.shop_id))
    shown = []
    for message in messages:
        findings = []
        signals: list[str] = []
        if message.sender == "agent" and message.text:
            findings = guard.check(message.text).findings
        elif message.sender == "buyer" and message.text:
            signals = guard.triage(message.text).signals
        shown.append((message, segments(message.text, findings), findings, signals))
    return render(
        request,
        "conversation.html",
        viewer=viewer,
        active="conversations",
        conversation_id=conversation_id,
        buyer_id=messages[0].buyer_id,
        messages=shown,
    )
