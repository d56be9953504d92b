"""Negative reviews a shop records: classified, drafted (appeal text or public reply), stored masked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from csguard.errors import InvalidInput, NotFound
from csguard.guard import Guard
from csguard.penalties.models import ReviewCaseRow as ReviewCaseRow
from csguard.penalties.review_detectors import LogisticsProof as LogisticsProof
from csguard.penalties.review_detectors import Review, ReviewContext
from csguard.penalties.reviews import (
    AppealWindow,
    appeal_description,
    appeal_window,
    classify_review,
    public_reply,
)
from csguard.privacy import mask_pii
from csguard.services._tx import transaction
from csguard.services.shops import get_shop
from csguard.services.words import guard_for_shop
from csguard.store.models import Shop

MAX_BUYER_MESSAGES = 200


@dataclass(frozen=True, slots=True)
class ReviewInput:
    order_id: str
    rating: int
    text: str
    created: date
    buyer_messages: tuple[str, ...] = ()
    logistics: LogisticsProof | None = None
    buyer_bad_reviews_30d: int = 0
    authenticity_proof: bool = False
    packing_proof: bool = False
    topic: str = field(default="商品使用体验")


def record_review(session: Session, shop: Shop, data: ReviewInput, guard: Guard) -> ReviewCaseRow:
    order_id = data.order_id.strip()
    if not order_id:
        raise InvalidInput("order_id must not be empty", details={"field": "order_id"})
    if len(data.buyer_messages) > MAX_BUYER_MESSAGES:
        raise InvalidInput(
            f"at most {MAX_BUYER_MESSAGES} buyer messages", details={"field": "buyer_messages"}
        )
    if data.buyer_bad_reviews_30d < 0:
        raise InvalidInput(
            "buyer_bad_reviews_30d cannot be negative", details={"field": "buyer_bad_reviews_30d"}
        )
    appeal_window(data.created, data.created)  # validates the review date before anything is stored
    review = Review(order_id, data.rating, data.text, data.created)
    messages = [m for m in data.buyer_messages if m.strip()]
    context = ReviewContext(
        buyer_messages=messages,
        logistics=data.logistics,
        buyer_bad_reviews_30d=data.buyer_bad_reviews_30d,
        authenticity_proof=data.authenticity_proof,
        packing_proof=data.packing_proof,
    )
    result = classify_review(review, context, guard)
    masked_review = Review(order_id, data.rating, mask_pii(data.text), data.created)
    row = ReviewCaseRow(
        shop_id=shop.id,
        order_id=order_id,
        rating=data.rating,
        text=masked_review.text,
        created=data.created,
        buyer_messages=[mask_pii(m) for m in messages],
        logistics=_logistics_dict(data.logistics),
        buyer_bad_reviews_30d=data.buyer_bad_reviews_30d,
        authenticity_proof=data.authenticity_proof,
        packing_proof=data.packing_proof,
        reason=result.reason,
        evidence=result.evidence,
        appeal_text=appeal_description(masked_review, result, shop_name=shop.name)
        if result.appealable
        else "",
        public_reply="" if result.appealable else public_reply(shop_name=shop.name, topic=data.topic),
    )
    with transaction(session):
        session.add(row)
    return row


def _logistics_dict(proof: LogisticsProof | None) -> dict[str, str | None] | None:
    if proof is None:
        return None
    return {
        "carrier": proof.carrier,
        "tracking_no": proof.tracking_no,
        "shipped_on": proof.shipped_on.isoformat() if proof.shipped_on else None,
        "delivered_on": proof.delivered_on.isoformat() if proof.delivered_on else None,
    }


def list_reviews(session: Session, shop_id: int) -> list[ReviewCaseRow]:
    query = select(ReviewCaseRow).where(ReviewCaseRow.shop_id == shop_id)
    return list(session.scalars(query.order_by(ReviewCaseRow.created.desc(), ReviewCaseRow.id.desc())))


def get_review(session: Session, shop_id: int, review_id: int) -> ReviewCaseRow:
    query = select(ReviewCaseRow).where(ReviewCaseRow.shop_id == shop_id, ReviewCaseRow.id == review_id)
    row = session.scalars(query).first()
    if row is None:
        raise NotFound(f"review {review_id} does not exist", details={"review_id": review_id})
    return row


def window_of(row: ReviewCaseRow, today: date, *, window_days: int) -> AppealWindow:
    """The appeal window of ``row``; ``window_days`` is the settings' ``review_appeal_window_days``."""
    return appeal_window(row.created, today, window_days=window_days)


def delete_review(session: Session, shop_id: int, review_id: int) -> None:
    row = get_review(session, shop_id, review_id)
    with transaction(session):
        session.delete(row)


def record_review_in_shop(session: Session, shop_id: int, data: ReviewInput) -> ReviewCaseRow:
    """``record_review`` classified by the shop's own guard."""
    shop = get_shop(session, shop_id)
    return record_review(session, shop, data, guard_for_shop(session, shop))
