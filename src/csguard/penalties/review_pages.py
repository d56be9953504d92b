"""差评申诉 pages: recorded malicious negative reviews, their appeal windows and drafted texts.

Included by ``csguard.penalties.pages.router``; owners and supervisors record, everyone reads.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from csguard.errors import InvalidInput
from csguard.http.deps import SessionDep, SettingsDep
from csguard.penalties import review_service
from csguard.penalties.reviews import REASON_LABELS
from csguard.web.auth import Viewer, page_viewer
from csguard.web.rendering import render, require_manager, run_action

router = APIRouter()
# The one label table reviews.html reads; passed per render, not as a global of the shared env.
LABELS = dict(REVIEW_REASONS=REASON_LABELS)
ReviewViewer = Annotated[Viewer, Depends(page_viewer("reviews"))]


@router.get("/reviews", response_class=HTMLResponse)
def review_list(request: Request, viewer: ReviewViewer, db: SessionDep, settings: SettingsDep) -> Response:
    today = datetime.now(UTC).date()
    window_days = settings.review_appeal_window_days
    rows = [
        (r, review_service.window_of(r, today, window_days=window_days))
        for r in review_service.list_reviews(db, viewer.shop_id)
    ]
    return render(
        request,
        "penalties/reviews.html",
        viewer=viewer,
        active="reviews",
        rows=rows,
        today=today,
        labels=LABELS,
    )


def _optional_date(value: str, field: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"日期格式不正确：{value!r}", details={"field": field}) from None


@router.post("/reviews")
def create_review(
    request: Request,
    viewer: ReviewViewer,
    db: SessionDep,
    order_id: Annotated[str, Form(max_length=120)],
    rating: Annotated[int, Form(ge=1, le=5)],
    created: Annotated[str, Form(max_length=20)],
    text: Annotated[str, Form(max_length=5000)] = "",
    buyer_messages: Annotated[str, Form(max_length=20_000)] = "",
    carrier: Annotated[str, Form(max_length=120)] = "",
    tracking_no: Annotated[str, Form(max_length=120)] = "",
    shipped_on: Annotated[str, Form(max_length=20)] = "",
    delivered_on: Annotated[str, Form(max_length=20)] = "",
    bad_reviews: Annotated[int, Form(ge=0, le=10_000)] = 0,
    authenticity_proof: Annotated[str, Form(max_length=8)] = "",
    packing_proof: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    require_manager(viewer)

    def action() -> None:
        created_on = _optional_date(created, "created")
        if created_on is None:
            raise InvalidInput("请填写评价日期", details={"field": "created"})
        delivered = _optional_date(delivered_on, "delivered_on")
        proof = review_service.LogisticsProof(carrier, tracking_no, _optional_date(shipped_on, "shipped_on"), delivered)
        data = review_service.ReviewInput(
            order_id=order_id,
            rating=rating,
            text=text,
            created=created_on,
            buyer_messages=tuple(buyer_messages.splitlines()),
            logistics=proof if (delivered or tracking_no.strip()) else None,
            buyer_bad_reviews_30d=bad_reviews,
            authenticity_proof=authenticity_proof == "on",
            packing_proof=packing_proof == "on",
        )
        review_service.record_review_in_shop(db, viewer.shop_id, data)

    run_action(request, action, f"已登记订单 {order_id.strip()} 的评价并完成判定。")
    return RedirectResponse("/reviews", status_code=303)
