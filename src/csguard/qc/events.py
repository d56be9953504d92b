"""The canonical chat event: one message of a buyer/shop conversation.

The canonical JSONL line is ``{"shop", "platform", "conversation_id", "buyer_id",
"message_id", "ts", "sender", "agent", "type", "text"}``. ``ChatEvent`` validates one
record (the HTTP API, small imports); the file importers validate whole columns with the
same rules (``csguard.qc.validation``) so a million rows never become Python objects.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from csguard.errors import InvalidInput
from csguard.vocab import DEFAULT_TIMEZONE, Platform, Sender

CANONICAL_FIELDS: tuple[str, ...] = (
    "shop",
    "platform",
    "conversation_id",
    "buyer_id",
    "message_id",
    "ts",
    "sender",
    "agent",
    "type",
    "text",
)
# Cards and coupons count as human replies when an agent sends them (pdd rule).
MESSAGE_TYPES: tuple[str, ...] = (
    "text",
    "image",
    "video",
    "voice",
    "emoji",
    "file",
    "product_card",
    "order_card",
    "coupon",
    "link",
    "system",
)
REQUIRED_FIELDS: tuple[str, ...] = ("shop", "platform", "conversation_id", "message_id", "ts", "sender")


class ChatEvent(BaseModel):
    """One validated message; ``ts`` is always time-zone aware."""

    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=True)

    shop: str
    platform: Platform
    conversation_id: str
    buyer_id: str
    message_id: str
    ts: datetime
    sender: Sender
    agent: str | None = None
    type: str = "text"
    text: str = ""

    @model_validator(mode="before")
    @classmethod
    def _fill_defaults(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = {k: v for k, v in data.items() if v is not None and v != ""}
        for key in ("conversation_id", "buyer_id", "message_id", "shop", "agent"):
            if isinstance(data.get(key), int | float):
                data[key] = _id_text(data[key])
        # Exports often have no buyer column: the conversation is the buyer.
        if "buyer_id" not in data and "conversation_id" in data:
            data["buyer_id"] = data["conversation_id"]
        if isinstance(data.get("sender"), str):
            data["sender"] = data["sender"].strip().lower()
        if isinstance(data.get("type"), str):
            data["type"] = data["type"].strip().lower()
        return data

    @field_validator("ts")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            return value.replace(tzinfo=ZoneInfo(DEFAULT_TIMEZONE))
        return value

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in MESSAGE_TYPES:
            raise ValueError(f"unknown message type {value!r} (known: {', '.join(MESSAGE_TYPES)})")
        return value

    @model_validator(mode="after")
    def _agent_named(self) -> ChatEvent:
        if self.sender == "agent" and not self.agent:
            raise ValueError("agent messages need the agent account (field 'agent')")
        return self

    def to_record(self) -> dict[str, Any]:
        """The canonical JSONL record (``ts`` as ISO 8601 with offset)."""
        record = self.model_dump()
        record["ts"] = self.ts.isoformat()
        return record


def _id_text(value: int | float) -> str:
    # Spreadsheets turn ids into floats (123.0); the id is the integer.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_event(obj: dict[str, Any], *, where: str) -> ChatEvent:
    """Validate one record; the error names ``where`` (file:line or api[i]) and the field."""
    if not isinstance(obj, dict):
        raise InvalidInput(
            f"{where}: a chat event must be an object", details={"where": where, "field": None}
        )
    try:
        return ChatEvent.model_validate(obj)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or _field_named_in(first["msg"])
        message = first["msg"].removeprefix("Value error, ")
        file, _, line = where.rpartition(":")
        details: dict[str, Any] = {"where": where, "field": field, "problem": message}
        if file and line.isdigit():
            details.update(file=file, line=int(line))
        raise InvalidInput(f"{where}: field {field!r}: {message}", details=details) from None


def _field_named_in(message: str) -> str:
    # Whole-record checks have no location; the only one names the agent field.
    return "agent" if "'agent'" in message else "record"
