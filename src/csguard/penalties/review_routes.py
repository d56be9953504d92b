"""``/v1/reviews`` (malicious negative reviews) and ``/v1/tone-check``; included by ``csguard.penalties.routes.router``."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Response

from csguard.http.deps import ApiPrincipal, SessionDep, SupervisorPrincipal
from csguard.penalties import review_service, service
from csguard.penalties.schemas import Id, ReviewIn, ReviewOut, ToneIn, ToneOut

router = APIRouter(tags=["reviews"])


def review_out(row: review_service.ReviewCaseRow) -> ReviewOut:
    window = review_service.window_of(row, datetime.now(UTC).date())
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
def list_reviews(session: SessionDep, principal: ApiPrincipal) -> list[ReviewOut]:
    return [review_out(r) for r in review_service.list_reviews(session, principal.shop_id)]


@router.post("/v1/reviews", response_model=ReviewOut, status_code=201, summary="Record and classify a review")
def create_review(body: ReviewIn, session: SessionDep, principal: SupervisorPrincipal) -> ReviewOut:
    fields = body.model_dump(exclude={"logistics", "buyer_messages"})
    logistics = review_service.LogisticsProof(**body.logistics.model_dump()) if body.logistics else None
    data = review_service.ReviewInput(**fields, buyer_messages=tuple(body.buyer_messages), logistics=logistics)
    return review_out(review_service.record_review_in_shop(session, principal.shop_id, data))


@router.get("/v1/reviews/{review_id}", response_model=ReviewOut, summary="One review with its drafted texts")
def get_review(review_id: Id, session: SessionDep, principal: ApiPrincipal) -> ReviewOut:
    return review_out(review_service.get_review(session, principal.shop_id, review_id))


@router.delete("/v1/reviews/{review_id}", status_code=204, response_class=Response, summary="Delete a review")
def delete_review(review_id: Id, session: SessionDep, principal: SupervisorPrincipal) -> Response:
    review_service.delete_review(session, principal.shop_id, review_id)
    return Response(status_code=204)


@router.post("/v1/tone-check", response_model=ToneOut, summary="Flag emotional or accusatory wording")
def tone_check(body: ToneIn, principal: ApiPrincipal) -> ToneOut:
    report = service.tone_report(body.text)
    return ToneOut(issues=report.issues, neutral=report.neutral)
