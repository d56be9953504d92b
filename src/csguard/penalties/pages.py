"""禁言与申诉 and 差评申诉 pages: penalty list with countdowns, record detail with history, the
appeal kit (draft, edit, export), the continuity plan, and malicious-review appeals.

Everyone in the shop reads; owners and supervisors change. Every page checks the viewer's role
with ``page_viewer`` like the other pages; mounted by ``csguard.web.install``
under the same CSRF check as every other page.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from csguard.errors import InvalidInput, NotFound
from csguard.http.deps import SessionDep, SettingsDep
from csguard.penalties import appeals, continuity_service, review_pages, service
from csguard.penalties.machine import (
    DURATION_LABELS,
    REASON_CATEGORIES,
    REASON_LABELS,
    SOURCE_LABELS,
    STATE_LABELS,
)
from csguard.penalties.reviews import REASON_LABELS as REVIEW_REASON_LABELS
from csguard.web.auth import Viewer, page_viewer
from csguard.web.rendering import flash, render, require_manager, run_action

router = APIRouter()
EVENT_LABELS = {"appeal": "提交申诉", "approve": "申诉通过", "reject": "申诉驳回"}
HISTORY_LABELS = {**EVENT_LABELS, "reactivate": "恢复禁言", "expire": "到期解除"}
# Label tables the penalty templates read; passed per render, not as globals of the shared env.
LABELS = dict(
    PENALTY_STATES=STATE_LABELS,
    PENALTY_SOURCES=SOURCE_LABELS,
    PENALTY_REASONS={code: REASON_LABELS[code] for code in REASON_CATEGORIES},
    PENALTY_DURATIONS=DURATION_LABELS,
    PENALTY_EVENTS=EVENT_LABELS,
    PENALTY_HISTORY_EVENTS=HISTORY_LABELS,
    REVIEW_REASONS=REVIEW_REASON_LABELS,
)


# The same role check as every other page, from the navigation table.
PenaltyViewer = Annotated[Viewer, Depends(page_viewer("penalties"))]


def _back(penalty_id: int | None = None, anchor: str = "") -> RedirectResponse:
    path = "/penalties" if penalty_id is None else f"/penalties/{penalty_id}"
    return RedirectResponse(path + (f"#{anchor}" if anchor else ""), status_code=303)


def _local_start(value: str, timezone: str) -> datetime | None:
    """``datetime-local`` input in the shop's time zone (``timezone``); empty means now."""
    if not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"开始时间格式不正确：{value!r}", details={"field": "start"}) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(timezone))


@router.get("/penalties", response_class=HTMLResponse)
def penalty_list(request: Request, viewer: PenaltyViewer, db: SessionDep) -> Response:
    now = datetime.now(UTC)
    rows = service.list_penalties(db, viewer.shop_id)
    records = [(row, service.to_record(row)) for row in rows]
    seats = service.seats_of(db, viewer.shop_id)
    return render(
        request,
        "penalties/list.html",
        labels=LABELS,
        viewer=viewer,
        active="penalties",
        records=records,
        now=now,
        seats=seats,
    )


@router.post("/penalties")
def create_penalty(
    request: Request,
    viewer: PenaltyViewer,
    db: SessionDep,
    settings: SettingsDep,
    account: Annotated[str, Form(max_length=120)],
    source: Annotated[str, Form(max_length=20)],
    reason: Annotated[str, Form(max_length=40)],
    duration: Annotated[str, Form(max_length=16)],
    custom_minutes: Annotated[int | None, Form(ge=1, le=525_600)] = None,
    start: Annotated[str, Form(max_length=40)] = "",
    flagged_message_id: Annotated[str, Form(max_length=120)] = "",
    evidence: Annotated[str, Form(max_length=5000)] = "",
    notes: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    require_manager(viewer)
    created: list[int] = []

    def action() -> None:
        data = service.PenaltyInput(
            account=account,
            source=source,
            reason=reason,
            duration=duration,
            start=_local_start(start, settings.timezone),
            custom_minutes=custom_minutes,
            flagged_message_id=flagged_message_id,
            evidence=tuple(line for line in evidence.splitlines() if line.strip()),
            notes=notes,
        )
        created.append(service.create_penalty_in_shop(db, viewer.shop_id, data, settings=settings).id)

    run_action(request, action, f"已登记客服账号“{account.strip()}”的禁言记录。")
    return _back(created[0] if created else None)


@router.get("/penalties/{penalty_id}", response_class=HTMLResponse)
def penalty_detail(
    request: Request, viewer: PenaltyViewer, db: SessionDep, settings: SettingsDep, penalty_id: int
) -> Response:
    try:
        row = service.get_penalty(db, viewer.shop_id, penalty_id)
    except NotFound:
        message = "该禁言记录不存在，或不属于本店。"
        return render(request, "error.html", viewer=viewer, status_code=404, title="未找到", message=message)
    record = service.to_record(row)
    draft = appeals.latest_draft(db, viewer.shop_id, penalty_id)
    return render(
        request,
        "penalties/detail.html",
        labels=LABELS,
        viewer=viewer,
        active="penalties",
        row=row,
        record=record,
        now=datetime.now(UTC),
        events=[e for e in service.allowed_events(row) if e in EVENT_LABELS],
        draft=draft,
        tone=service.tone_of_documents(draft.documents if draft else []),
        plan=continuity_service.get_plan(db, viewer.shop_id, penalty_id),
        recovery=continuity_service.recovery_in_shop(
            db, viewer.shop_id, penalty_id, timezone=settings.timezone
        ),
    )


@router.post("/penalties/{penalty_id}/event")
def penalty_event(
    request: Request,
    viewer: PenaltyViewer,
    db: SessionDep,
    penalty_id: int,
    event: Annotated[str, Form(max_length=20)],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    require_manager(viewer)
    run_action(
        request,
        lambda: service.apply_event(db, viewer.shop_id, penalty_id, event, actor=viewer.username, note=note),
        f"已记录：{EVENT_LABELS.get(event, event)}。",
    )
    return _back(penalty_id, "history")


@router.post("/penalties/{penalty_id}/kit")
def draft_kit(
    request: Request,
    viewer: PenaltyViewer,
    db: SessionDep,
    settings: SettingsDep,
    penalty_id: int,
    agent_sent: Annotated[str, Form(max_length=8)] = "",
    record_no: Annotated[str, Form(max_length=appeals.MAX_ID_CHARS)] = "",
    shop_code: Annotated[str, Form(max_length=appeals.MAX_ID_CHARS)] = "",
) -> Response:
    require_manager(viewer)
    # The radio answer: "yes"/"no"; anything else is the unanswered question the service explains.
    sent = {"yes": True, "no": False}.get(agent_sent)
    answers = appeals.KitAnswers(sent, record_no, shop_code)
    run_action(
        request,
        lambda: appeals.draft_appeal_in_shop(
            db, viewer.shop_id, penalty_id, answers, timezone=settings.timezone
        ),
        "申诉材料已生成，可在下方修改后导出。",
    )
    return _back(penalty_id, "kit")


@router.post("/penalties/{penalty_id}/kit/{key}")
def save_document(
    request: Request,
    viewer: PenaltyViewer,
    db: SessionDep,
    penalty_id: int,
    key: str,
    body: Annotated[str, Form(max_length=appeals.MAX_DOCUMENT_CHARS)],
) -> Response:
    require_manager(viewer)
    run_action(
        request, lambda: appeals.edit_document(db, viewer.shop_id, penalty_id, key, body), "已保存修改。"
    )
    return _back(penalty_id, f"doc-{key}")


@router.get("/penalties/{penalty_id}/kit.{fmt}")
def export_kit(viewer: PenaltyViewer, db: SessionDep, penalty_id: int, fmt: str) -> Response:
    exported = appeals.export_draft(db, viewer.shop_id, penalty_id, fmt)
    # The HTML version opens in the browser for printing; the Word file downloads.
    disposition = "inline" if fmt == "html" else "attachment"
    headers = {"Content-Disposition": f'{disposition}; filename="{exported.filename}"'}
    return Response(exported.content, media_type=exported.media_type, headers=headers)


@router.post("/penalties/{penalty_id}/continuity")
def propose_plan(
    request: Request,
    viewer: PenaltyViewer,
    db: SessionDep,
    penalty_id: int,
    scripts: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    require_manager(viewer)
    lines = [line for line in scripts.splitlines() if line.strip()]
    run_action(
        request,
        lambda: continuity_service.propose_plan_in_shop(db, viewer.shop_id, penalty_id, scripts=lines),
        "已生成应急预案，请确认分流比例后启用。",
    )
    return _back(penalty_id, "continuity")


@router.post("/penalties/{penalty_id}/continuity/apply")
async def apply_plan(request: Request, viewer: PenaltyViewer, db: SessionDep, penalty_id: int) -> Response:
    require_manager(viewer)
    form = await request.form()
    shares: list[continuity_service.RouteShare] = []
    for name, value in form.multi_items():
        if isinstance(value, str) and name.startswith("share:"):
            try:
                shares.append(continuity_service.RouteShare(name.removeprefix("share:"), int(value or 0)))
            except ValueError:
                flash(request, f"操作失败：分流比例必须是整数（{name.removeprefix('share:')}）", "error")
                return _back(penalty_id, "continuity")
    run_action(
        request,
        lambda: continuity_service.apply_plan(db, viewer.shop_id, penalty_id, shares or None),
        "分流已启用，被禁言账号已标记为受限。",
    )
    return _back(penalty_id, "continuity")


@router.post("/penalties/{penalty_id}/checklist/{key}")
def checklist_status(
    request: Request,
    viewer: PenaltyViewer,
    db: SessionDep,
    penalty_id: int,
    key: str,
    status: Annotated[str, Form(max_length=16)],
) -> Response:
    require_manager(viewer)
    run_action(
        request,
        lambda: continuity_service.set_checklist_status(db, viewer.shop_id, penalty_id, key, status),
        "已更新清单状态。",
    )
    return _back(penalty_id, "continuity")


router.include_router(review_pages.router)
