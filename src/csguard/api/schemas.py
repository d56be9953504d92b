"""Request and response bodies of the API (the OpenAPI spec is generated from these)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Path, Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from csguard.vocab import (
    AGENT,
    DEFAULT_TIMEZONE,
    AccountStatus,
    Category,
    Level,
    Platform,
    Role,
    Severity,
    Verdict,
    WordKind,
)


def _sane_time(value: datetime) -> datetime:
    """Aware (naive means the shops' local zone) and inside years 1970..9000, in UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(DEFAULT_TIMEZONE))
    if not 1970 <= value.year <= 9000:
        raise ValueError("must be between the years 1970 and 9000")
    return value.astimezone(UTC)


Timestamp = Annotated[datetime, AfterValidator(_sane_time)]
# Ids fit every backend's integer column (PostgreSQL's is 32-bit); larger is simply unknown.
ObjectId = Annotated[int, Path(ge=1, le=2_147_483_647)]
Since = Annotated[Timestamp | None, Query(alias="from", description="ISO 8601 start (inclusive)")]
Until = Annotated[Timestamp | None, Query(alias="to", description="ISO 8601 end (exclusive)")]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class MessagesIn(_In):
    """Either ``text`` (one message) or ``messages`` (a batch), and optionally the platform."""

    text: str | None = Field(default=None, description="One message.")
    messages: list[str] | None = Field(default=None, description="A batch of messages (see the batch limit).")
    platform: Platform | None = Field(default=None, description="Defaults to the shop's platform.")
    agent: str | None = Field(
        default=None, max_length=120, description="The CS account sending (check) or serving (triage) the messages."
    )
    buyer_id: str | None = Field(
        default=None, max_length=120, description="The buyer of the conversation, as in chat events."
    )

    @model_validator(mode="after")
    def _one_of(self) -> MessagesIn:
        if (self.text is None) == (self.messages is None):
            raise ValueError("send exactly one of 'text' or 'messages'")
        texts = [self.text] if self.text is not None else self.messages or []
        try:  # one pass over the whole batch; JSON's \ud800 escapes can carry lone surrogates
            "".join(texts).encode("utf-8")
        except UnicodeEncodeError:
            where = "text" if self.text is not None else f"messages[{_first_unencodable(texts)}]"
            # Neither answerable as UTF-8 JSON nor storable: reject before any work is done.
            raise ValueError(f"{where} is not valid Unicode (it holds a lone surrogate)") from None
        return self


def _first_unencodable(texts: list[str]) -> int:
    for index, text in enumerate(texts):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return index
    return -1  # pragma: no cover - called only when one fails


class FindingOut(BaseModel):
    rule_id: str
    category: str
    severity: str
    start: int
    end: int
    matched: str
    normalized: str
    explanation: str
    message: str
    suggestion: str
    # The learned model's probability for a model-only finding (rule_id "model.<category>").
    score: float | None = None


class CheckOut(BaseModel):
    verdict: Verdict
    platform: str
    categories: list[str]
    findings: list[FindingOut]
    rewrite: str


class CheckBatchOut(BaseModel):
    count: int
    results: list[CheckOut]


class TriageOut(BaseModel):
    escalate: bool
    platform: str
    signals: list[str]
    findings: list[FindingOut]


class TriageBatchOut(BaseModel):
    count: int
    results: list[TriageOut]


class EventsIn(_In):
    events: list[dict[str, Any]] = Field(description="Canonical chat events (see docs/api.md).")


class IngestError(BaseModel):
    index: int
    field: str | None
    message: str


class IngestOut(BaseModel):
    accepted: int
    duplicate: int
    rejected: int
    errors: list[IngestError]


class EventOut(_Out):
    id: int
    platform: str
    conversation_id: str
    buyer_id: str
    message_id: str
    ts: datetime
    sender: str
    agent: str | None
    type: str
    text: str


class CheckLogOut(_Out):
    id: int
    ts: datetime
    kind: str
    platform: str
    verdict: str
    rule_ids: list[str]
    categories: list[str]
    text: str
    user_id: int | None
    api_key_id: int | None


class WordIn(_In):
    word: str = Field(min_length=1, max_length=200)
    kind: WordKind = "custom"
    category: Category | None = None
    severity: Severity | None = None
    note: str = Field(default="", max_length=500)


class WordPatch(_In):
    word: str | None = Field(default=None, min_length=1, max_length=200)
    kind: WordKind | None = None
    category: Category | None = None
    severity: Severity | None = None
    note: str | None = Field(default=None, max_length=500)


class WordOut(_Out):
    id: int
    word: str
    kind: str
    category: str | None
    severity: str | None
    note: str
    created_at: datetime


class AccountIn(_In):
    platform_account: str = Field(min_length=1, max_length=120)
    display_name: str = Field(default="", max_length=120)
    level: Level = "trial"
    status: AccountStatus = "active"
    is_backup: bool = False
    routing_share: int = Field(default=0, ge=0, le=100)


class AccountPatch(_In):
    platform_account: str | None = Field(default=None, min_length=1, max_length=120)
    display_name: str | None = Field(default=None, max_length=120)
    level: Level | None = None
    status: AccountStatus | None = None
    is_backup: bool | None = None
    routing_share: int | None = Field(default=None, ge=0, le=100)


class AccountOut(_Out):
    id: int
    platform_account: str
    display_name: str
    level: str
    status: str
    is_backup: bool
    routing_share: int
    created_at: datetime
    updated_at: datetime


class UserIn(_In):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=8, max_length=200)
    role: Role = AGENT
    display_name: str = Field(default="", max_length=120)


class UserPatch(_In):
    password: str | None = Field(default=None, min_length=8, max_length=200)
    role: Role | None = None
    display_name: str | None = Field(default=None, max_length=120)
    is_active: bool | None = None


class UserOut(_Out):
    id: int
    username: str
    display_name: str
    role: str
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None


class ApiKeyIn(_In):
    name: str = Field(min_length=1, max_length=120)
    role: Role = AGENT
    expires_at: Timestamp | None = Field(default=None, description="ISO 8601 (no offset: Asia/Shanghai).")


class ApiKeyOut(_Out):
    id: int
    name: str
    prefix: str
    role: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="The key itself: shown this once, never again.")


class AlertOut(_Out):
    id: int
    ts: datetime
    kind: str
    severity: str
    title: str
    conversation_id: str | None
    details: dict[str, Any]
    acknowledged_at: datetime | None


class RefreshOut(BaseModel):
    recorded: int = Field(description="New alerts stored by this refresh.")


class MeOut(BaseModel):
    shop_id: int
    shop_name: str
    platform: str
    role: str
    api_key_id: int | None


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. not_found, rate_limited.")
    message: str
    details: dict[str, Any] = Field(description="Where and what: field, index, limit, ...")


class ErrorOut(BaseModel):
    """Every error the API returns has this shape."""

    error: ErrorDetail


class HealthOut(BaseModel):
    status: str
    detail: str = ""
