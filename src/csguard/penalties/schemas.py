"""Request and response bodies of the penalties-and-appeals API (``routes``, ``review_routes``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

from csguard.penalties.appeals import MAX_DOCUMENT_CHARS
from csguard.penalties.reviews import REVIEW_REASONS
from csguard.vocab import Category

Id = Annotated[int, Path(ge=1, le=2_147_483_647)]
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL characters
Text = Annotated[str, Field(max_length=5000, pattern=NO_NUL)]
ShortText = Annotated[str, Field(max_length=120, pattern=NO_NUL)]
State = Literal["active", "appealing", "appeal_approved", "appeal_rejected", "expired"]
Source = Literal["system_auto", "manual_review", "associated"]
# Literals nest: the outbound categories come from the vocabulary, the rest are penalty reasons.
Reason = Literal[
    Category,
    "slow_reply",
    "abnormal_login",
    "complaint",
]
Duration = Literal["10m", "24h", "3d", "7d", "permanent", "custom"]
Event = Literal["appeal", "approve", "reject"]
if TYPE_CHECKING:
    ReviewReason = str
else:
    # The reasons' one spelling is csguard.penalties.reviews (one of them is a vocabulary id).
    ReviewReason = Literal[REVIEW_REASONS]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PenaltyIn(_In):
    account: ShortText = Field(min_length=1, description="The muted CS account (platform account name).")
    source: Source
    reason: Reason
    duration: Duration
    custom_minutes: int | None = Field(default=None, ge=1, le=525_600, description="For duration 'custom'.")
    start: datetime | None = Field(default=None, description="Defaults to now; ISO 8601 with offset.")
    flagged_message_id: ShortText | None = Field(
        default=None, description="Stored chat message the platform flagged."
    )
    evidence: list[Text] = Field(default_factory=list, max_length=50)
    notes: Text = ""


class TransitionOut(BaseModel):
    event: str
    from_state: str
    to_state: str
    actor: str
    at: datetime
    note: str


class PenaltyOut(BaseModel):
    id: int
    platform: str
    account: str
    source: str
    reason: str
    duration: str
    start: datetime
    end: datetime | None
    state: str
    attempts_allowed: int
    attempts_used: int
    attempts_left: int
    countdown: str
    allowed_events: list[str]
    flagged_message_id: str | None
    evidence: list[str]
    notes: str
    history: list[TransitionOut]


class EventIn(_In):
    event: Event
    note: Text = ""


class DocumentOut(BaseModel):
    key: str
    title: str
    body: str
    tone_issues: list[dict[str, Any]]


class AppealKitIn(_In):
    agent_sent: bool | None = Field(
        default=None,
        description="Did the agent really send the flagged message? Decides the strategy; required.",
    )
    record_no: str = Field(
        default="", max_length=64, pattern=NO_NUL, description="禁言记录编号 from the platform"
    )
    shop_code: str = Field(default="", max_length=64, pattern=NO_NUL, description="店铺ID on the platform")


class AppealKitOut(BaseModel):
    penalty_id: int
    appeal_number: int
    strategy: str
    strategy_title: str
    materials: list[str]
    documents: list[DocumentOut]


class DocumentIn(_In):
    body: str = Field(max_length=MAX_DOCUMENT_CHARS, pattern=NO_NUL)


class ToneIn(_In):
    text: str = Field(max_length=MAX_DOCUMENT_CHARS, pattern=NO_NUL)


class ToneOut(BaseModel):
    issues: list[dict[str, Any]]
    neutral: str


class PlanIn(_In):
    scripts: list[Text] = Field(
        default_factory=list, max_length=100, description="The shop's auto-reply scripts."
    )


class ShareIn(_In):
    seat: ShortText
    percent: int = Field(ge=0, le=100)


class ApplyIn(_In):
    routing: list[ShareIn] | None = Field(
        default=None, max_length=200, description="Edited shares; default: as proposed."
    )


class ChecklistIn(_In):
    status: Literal["todo", "doing", "done"]


class PlanOut(BaseModel):
    penalty_id: int
    routing: list[dict[str, Any]]
    checklist: list[dict[str, Any]]
    auto_replies: list[str]
    applied_at: datetime | None


class RecoveryOut(BaseModel):
    status: Literal["not_ended", "pending", "recovering", "reached", "missed"]
    target: float | None = None
    starts: date | None = None
    deadline: date | None = None
    reached_on: date | None = None
    days: list[dict[str, Any]] = Field(default_factory=list)


class LogisticsIn(_In):
    carrier: ShortText = ""
    tracking_no: ShortText = ""
    shipped_on: date | None = None
    delivered_on: date | None = None


class ReviewIn(_In):
    order_id: ShortText = Field(min_length=1)
    rating: int = Field(ge=1, le=5)
    text: Text
    created: date
    buyer_messages: list[Text] = Field(default_factory=list, max_length=200)
    logistics: LogisticsIn | None = None
    buyer_bad_reviews_30d: int = Field(default=0, ge=0, le=10_000)
    authenticity_proof: bool = False
    packing_proof: bool = False
    topic: ShortText = "商品使用体验"


class ReviewOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: str
    rating: int
    text: str
    created: date
    reason: ReviewReason
    evidence: list[str]
    appeal_text: str
    public_reply: str
    deadline: date
    days_left: int
    warning: Literal["ok", "soon", "urgent", "closed"]
