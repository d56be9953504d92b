"""Tables of the penalties-and-appeals area, on the shared ``Base``.

Rows mirror ``csguard.penalties`` objects; the conversions live in ``csguard.penalties.service``
so the domain never imports the store. Every row carries ``shop_id`` (directly or through its
penalty) and every query filters by it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from csguard.penalties.machine import DURATIONS, REASON_CATEGORIES, PenaltySource, PenaltyState
from csguard.penalties.reviews import REVIEW_REASONS
from csguard.store.models import Base, _in
from csguard.store.types import utcnow

PENALTY_STATES = tuple(s.value for s in PenaltyState)
PENALTY_SOURCES = tuple(s.value for s in PenaltySource)
PENALTY_DURATIONS = (*DURATIONS, "custom")


class PenaltyRow(Base):
    __tablename__ = "penalties"
    __table_args__ = (
        CheckConstraint(_in("state", PENALTY_STATES), name="state"),
        CheckConstraint(_in("source", PENALTY_SOURCES), name="source"),
        CheckConstraint(_in("reason", REASON_CATEGORIES), name="reason"),
        CheckConstraint(_in("duration", PENALTY_DURATIONS), name="duration"),
        Index("ix_penalties_shop_state", "shop_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    account: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(40))
    duration: Mapped[str] = mapped_column(String(16))
    custom_minutes: Mapped[int | None] = mapped_column(Integer, default=None)
    start: Mapped[datetime]
    end: Mapped[datetime | None] = mapped_column(default=None)
    attempts_allowed: Mapped[int] = mapped_column(Integer, default=2)
    attempts_used: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(20), default="active")
    flagged_message_id: Mapped[str | None] = mapped_column(String(120), default=None)
    evidence: Mapped[list[str]] = mapped_column(default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    history: Mapped[list[PenaltyTransitionRow]] = relationship(
        order_by="PenaltyTransitionRow.id", cascade="all, delete-orphan", lazy="selectin"
    )


class PenaltyTransitionRow(Base):
    """One audit-history line: who moved the penalty from which state to which, and when."""

    __tablename__ = "penalty_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    penalty_id: Mapped[int] = mapped_column(ForeignKey("penalties.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime]
    note: Mapped[str] = mapped_column(Text, default="")


class AppealDraftRow(Base):
    """The drafted (and seller-edited) documents of one appeal attempt."""

    __tablename__ = "appeal_drafts"
    __table_args__ = (
        UniqueConstraint("penalty_id", "appeal_number", name="uq_appeal_drafts_penalty_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    penalty_id: Mapped[int] = mapped_column(ForeignKey("penalties.id", ondelete="CASCADE"))
    appeal_number: Mapped[int] = mapped_column(Integer)
    strategy: Mapped[str] = mapped_column(String(20))
    strategy_title: Mapped[str] = mapped_column(String(120))
    materials: Mapped[list[str]] = mapped_column(default=list)
    documents: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ContinuityPlanRow(Base):
    """Routing, checklist and auto-replies proposed (and maybe applied) for one penalty."""

    __tablename__ = "continuity_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    penalty_id: Mapped[int] = mapped_column(ForeignKey("penalties.id", ondelete="CASCADE"), unique=True)
    routing: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    checklist: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    auto_replies: Mapped[list[str]] = mapped_column(default=list)
    applied_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReviewCaseRow(Base):
    """A negative review the seller recorded, its classification and drafted texts (all masked)."""

    __tablename__ = "review_cases"
    __table_args__ = (
        CheckConstraint(_in("reason", REVIEW_REASONS), name="reason"),
        CheckConstraint("rating >= 1 AND rating <= 5", name="rating"),
        Index("ix_review_cases_shop_created", "shop_id", "created"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    order_id: Mapped[str] = mapped_column(String(120))
    rating: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[date] = mapped_column(Date)
    buyer_messages: Mapped[list[str]] = mapped_column(default=list)
    logistics: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    buyer_bad_reviews_30d: Mapped[int] = mapped_column(Integer, default=0)
    authenticity_proof: Mapped[bool] = mapped_column(Boolean, default=False)
    packing_proof: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(String(20))
    evidence: Mapped[list[str]] = mapped_column(default=list)
    appeal_text: Mapped[str] = mapped_column(Text, default="")
    public_reply: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
