"""Tables of the service. Every row belongs to exactly one shop (tenant).

Other areas add their own model modules on the same ``Base`` and append one import line
at the bottom of this file so metadata (and so Alembic) sees every table.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from csguard.store.types import UTCDateTime, utcnow
from csguard.vocab import ACCOUNT_STATUSES, LEVELS, ROLES, WORD_KINDS

# Deterministic constraint names keep migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
    }


def _shop_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)


class Shop(Base):
    __tablename__ = "shops"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    platform: Mapped[str] = mapped_column(String(16))
    # Bumped on every word-list change so cached Guards in any process notice it.
    words_version: Mapped[int] = mapped_column(Integer, default=0)
    # The learned classifier's second opinion (issue 10) can be switched off per shop.
    model_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("shop_id", "username", name="uq_users_shop_username"),
        CheckConstraint(_in("role", ROLES), name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = _shop_fk()
    username: Mapped[str] = mapped_column(String(80))
    display_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(default=None)


class ApiKey(Base):
    __tablename__ = "api_keys"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = _shop_fk()
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    name: Mapped[str] = mapped_column(String(120))
    # The prefix is shown in lists and used to find the row; only the hash of the secret is kept.
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class CsAccount(Base):
    """An agent seat on the platform (the account a CS agent logs in to the platform with)."""

    __tablename__ = "cs_accounts"
    __table_args__ = (
        UniqueConstraint("shop_id", "platform_account", name="uq_cs_accounts_shop_account"),
        CheckConstraint(_in("level", LEVELS), name="level"),
        CheckConstraint(_in("status", ACCOUNT_STATUSES), name="status"),
        CheckConstraint("routing_share >= 0 AND routing_share <= 100", name="routing_share"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = _shop_fk()
    platform_account: Mapped[str] = mapped_column(String(120))
    display_name: Mapped[str] = mapped_column(String(120), default="")
    level: Mapped[str] = mapped_column(String(16), default="trial")
    status: Mapped[str] = mapped_column(String(16), default="active")
    is_backup: Mapped[bool] = mapped_column(Boolean, default=False)
    routing_share: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ShopWord(Base):
    """A shop's own word: ``custom`` words are flagged, ``allow`` words are never flagged."""

    __tablename__ = "shop_words"
    __table_args__ = (
        UniqueConstraint("shop_id", "kind", "word", name="uq_shop_words_shop_kind_word"),
        CheckConstraint(_in("kind", WORD_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = _shop_fk()
    word: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    category: Mapped[str | None] = mapped_column(String(40), default=None)
    severity: Mapped[str | None] = mapped_column(String(16), default=None)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChatEvent(Base):
    """One canonical chat message; ``text`` is stored masked (buyer PII never persists)."""

    __tablename__ = "chat_events"
    __table_args__ = (
        UniqueConstraint("shop_id", "message_id", name="uq_chat_events_shop_message"),
        Index("ix_chat_events_shop_ts", "shop_id", "ts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(16))
    conversation_id: Mapped[str] = mapped_column(String(120))
    buyer_id: Mapped[str] = mapped_column(String(120))
    message_id: Mapped[str] = mapped_column(String(120))
    ts: Mapped[datetime]
    sender: Mapped[str] = mapped_column(String(16))
    agent: Mapped[str | None] = mapped_column(String(120), default=None)
    type: Mapped[str] = mapped_column(String(16), default="text")
    text: Mapped[str] = mapped_column(Text, default="")
    # What inspection found in the ORIGINAL text at ingestion (before masking), so every view
    # reads the same findings as a QC run over the uploaded log; None for rows stored earlier.
    verdict: Mapped[str | None] = mapped_column(String(16), default=None)
    findings: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CheckLog(Base):
    """One guard check or triage made through the service; ``text`` is stored masked."""

    __tablename__ = "check_logs"
    __table_args__ = (Index("ix_check_logs_shop_ts", "shop_id", "ts"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    ts: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(16), default="check")
    user_id: Mapped[int | None] = mapped_column(default=None)
    api_key_id: Mapped[int | None] = mapped_column(default=None)
    platform: Mapped[str] = mapped_column(String(16))
    verdict: Mapped[str] = mapped_column(String(16))
    rule_ids: Mapped[list[str]] = mapped_column(default=list)
    categories: Mapped[list[str]] = mapped_column(default=list)
    text: Mapped[str] = mapped_column(Text, default="")


class Alert(Base):
    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_shop_ts", "shop_id", "ts"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    ts: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(16), default="medium")
    title: Mapped[str] = mapped_column(String(200))
    conversation_id: Mapped[str | None] = mapped_column(String(120), default=None)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    acknowledged_at: Mapped[datetime | None] = mapped_column(default=None)


# Model modules of other areas (they import Base from here): append one import line each so
# Base.metadata, and so Alembic, sees their tables, e.g.
#     import csguard.penalties.models  (with a noqa for E402 and F401)
import csguard.penalties.models  # noqa: E402, F401
