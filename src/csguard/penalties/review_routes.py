"""``/v1/reviews`` (malicious negative reviews) and ``/v1/tone-check``; included by ``csguard.penalties.routes.router``."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Response

from csguard.http.deps import ApiPrincipal, SessionDep, SettingsDep, SupervisorPrincipal
from csguard.penalties import review_service, service
from csguard.penalties.schemas import Id, ReviewIn, ReviewOut, ToneIn, ToneOut

router = APIRouter(tags=["reviews"])


def review_out(row: review_service.ReviewCaseRow, *, window_days: int) -> ReviewOut:
    window = review_service.window_of(row, datetime.now(UTC).date(), window_days=window_days)
    fields = {name: getattr(row, name) for name in ("id", "order_id", "rating", "text", "created", "reason")}
    return ReviewOut(
        **fields,
        evidence=list(row.evidence),
        appeal_text=row.appeal_text,
        public_reply=row.public_reply,
        deadline=window.deadline,
        days_left=window.days_left,
        warning=window.level,
    )


@router.get("/v1/reviews", response_model=list[ReviewOut], summary="List recorded negative reviews")
def list_reviews(session: SessionDep, settings: SettingsDep, principal: ApiPrincipal) -> list[ReviewOut]:
    window_days = settings.review_appeal_window_days
    return [
        review_out(r, window_days=window_days)
        for r in review_service.list_reviews(session, principal.shop_id)
    ]


@router.post("/v1/reviews", response_model=ReviewOut, status_code=201, summary="Record and classify a review")
def create_review(
    body: ReviewIn, session: SessionDep, settings: SettingsDep, principal: SupervisorPrincipal
) -> ReviewOut:
    fields = body.model_dump(exclude={"logistics", "buyer_messages"})
    logistics = review_service.LogisticsProof(**body.logistics.model_dump()) if body.logistics else None
    data = review_service.ReviewInput(**fields, buyer_messages=tuple(body.buyer_messages), logistics=logistics)
    row = review_service.record_review_in_shop(session, principal.shop_id, data)
    return review_out(row, window_days=settings.review_appeal_window_days)


@router.get("/v1/reviews/{review_id}", response_model=ReviewOut, summary="One review with its drafted texts")
def get_review(
    review_id: Id, session: SessionDep, settings: SettingsDep, principal: ApiPrincipal
) -> ReviewOut:
    row = review_service.get_review(session, principal.shop_id, review_id)
    return review_out(row, window_days=settings.review_appeal_window_days)


@router.delete("/v1/reviews/{review_id}", status_code=204, response_class=Response, summary="Delete a review")
def delete_review(review_id: Id, session: SessionDep, principal: SupervisorPrincipal) -> Response:
    review_service.delete_review(session, principal.shop_id, review_id)
    return Response(status_code=204)


@router.post("/v1/tone-check", response_model=ToneOut, summary="Flag emotional or accusatory wording")
def tone_check(body: ToneIn, principal: ApiPrincipal) -> ToneOut:
    report = service.tone_report(body.text)
    return ToneOut(issues=report.issues, neutral=report.neutral)
