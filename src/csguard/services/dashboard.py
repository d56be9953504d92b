"""Read-side queries behind the dashboard pages (violations, risky conversations, alerts).

Everything is scoped by shop id. Findings come from inspection at ingestion, on the original
text (``services.inspection``); only rows stored before that existed are checked here, from
their masked text, each UNIQUE text once with the shop's Guard.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from csguard.guard import Guard
from csguard.results import CheckResult, TriageResult
from csguard.services.inspection import check_result as stored_check
from csguard.services.inspection import triage_result as stored_triage
from csguard.store.models import Alert, ChatEvent, CsAccount
from csguard.vocab import HIGH_RISK_SIGNALS

MAX_ROWS = 500


@dataclass(frozen=True, slots=True)
class Window:
    """[start, end) in UTC, built from whole local days."""

    start: datetime
    end: datetime

    @classmethod
    def days(cls, first: date, last: date, tz: str) -> Window:
        zone = ZoneInfo(tz)
        start = datetime.combine(first, time.min, zone)
        end = datetime.combine(last + timedelta(days=1), time.min, zone)
        return cls(start.astimezone(UTC), end.astimezone(UTC))


def local_today(tz: str) -> date:
    return datetime.now(ZoneInfo(tz)).date()


@dataclass(frozen=True, slots=True)
class Message:
    id: int
    ts: datetime
    conversation_id: str
    buyer_id: str
    message_id: str
    sender: str
    agent: str | None
    type: str
    text: str
    verdict: str | None = None  # inspection at ingestion; None for rows stored before it existed
    findings: list[dict[str, Any]] | None = None


@dataclass(frozen=True, slots=True)
class FlaggedMessage:
    message: Message
    result: CheckResult


@dataclass(slots=True)
class RiskyConversation:
    conversation_id: str
    buyer_id: str
    last_ts: datetime
    signals: set[str] = field(default_factory=set)
    messages: list[Message] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ConversationSummary:
    conversation_id: str
    buyer_id: str
    first_ts: datetime
    last_ts: datetime
    messages: int
    agent: str | None
    violations: int
    signals: tuple[str, ...]


_COLUMNS = (
    ChatEvent.id,
    ChatEvent.ts,
    ChatEvent.conversation_id,
    ChatEvent.buyer_id,
    ChatEvent.message_id,
    ChatEvent.sender,
    ChatEvent.agent,
    ChatEvent.type,
    ChatEvent.text,
    ChatEvent.verdict,
    ChatEvent.findings,
)


def _messages(query: Select, session: Session) -> list[Message]:
    return [Message(*row) for row in session.execute(query)]


def _event_query(shop_id: int, window: Window, sender: str | None, agent: str | None) -> Select:
    query: Select = select(*_COLUMNS).where(
        ChatEvent.shop_id == shop_id, ChatEvent.ts >= window.start, ChatEvent.ts < window.end
    )
    if sender is not None:
        query = query.where(ChatEvent.sender == sender)
    if agent:
        query = query.where(ChatEvent.agent == agent)
    return query.order_by(ChatEvent.ts.desc(), ChatEvent.id.desc())


def check_results(guard: Guard, messages: Sequence[Message]) -> list[CheckResult | None]:
    """Each agent message's result (None for an empty one): stored, or checked once per text."""
    unchecked = list({m.text for m in messages if m.text and m.findings is None})
    checked = dict(zip(unchecked, guard.check_batch(unchecked), strict=True))
    return [(stored_check(guard, m) if m.findings is not None else checked[m.text]) if m.text else None
            for m in messages]  # fmt: skip


def triage_results(guard: Guard, messages: Sequence[Message]) -> list[TriageResult | None]:
    """Each buyer message's triage (None for an empty one): stored, or triaged once per text."""
    unchecked = list({m.text for m in messages if m.text and m.findings is None})
    triaged = dict(zip(unchecked, guard.triage_batch(unchecked), strict=True))
    return [(stored_triage(guard, m) if m.findings is not None else triaged[m.text]) if m.text else None
            for m in messages]  # fmt: skip


def flagged_agent_messages(
    session: Session,
    guard: Guard,
    shop_id: int,
    window: Window,
    *,
    agent: str | None = None,
    category: str | None = None,
) -> list[FlaggedMessage]:
    """Agent messages in the window that the shop's Guard flags, newest first."""
    messages = _messages(_event_query(shop_id, window, "agent", agent), session)
    flagged = []
    for message, result in zip(messages, check_results(guard, messages), strict=True):
        if result is None or not result.findings:
            continue
        if category and category not in result.categories:
            continue
        flagged.append(FlaggedMessage(message, result))
    return flagged


def count_by_category(flagged: Iterable[FlaggedMessage]) -> dict[str, int]:
    """Messages per category (a message with two categories counts in both), most first."""
    counts: Counter[str] = Counter()
    for item in flagged:
        counts.update(item.result.categories)
    return dict(counts.most_common())


def count_by_agent(flagged: Iterable[FlaggedMessage]) -> dict[str, int]:
    return dict(Counter(item.message.agent or "" for item in flagged).most_common())


def risky_conversations(
    session: Session, guard: Guard, shop_id: int, window: Window, *, agent: str | None = None
) -> list[RiskyConversation]:
    """Conversations whose buyer complained, threatened or extorted, latest first."""
    buyer_messages = _messages(_event_query(shop_id, window, "buyer", None), session)
    risky: dict[str, RiskyConversation] = {}
    for message, result in zip(buyer_messages, triage_results(guard, buyer_messages), strict=True):
        signals = HIGH_RISK_SIGNALS.intersection(result.signals) if result else set()
        if not signals:
            continue
        entry = risky.setdefault(
            message.conversation_id, RiskyConversation(message.conversation_id, message.buyer_id, message.ts)
        )
        entry.signals.update(signals)
        entry.messages.append(message)
    if agent:
        served = set(
            session.scalars(
                select(ChatEvent.conversation_id)
                .where(
                    ChatEvent.shop_id == shop_id,
                    ChatEvent.agent == agent,
                    ChatEvent.conversation_id.in_(list(risky)),
                )
                .distinct()
            )
        )
        risky = {cid: item for cid, item in risky.items() if cid in served}
    return sorted(risky.values(), key=lambda item: item.last_ts, reverse=True)


def conversation_summaries(
    session: Session,
    guard: Guard,
    shop_id: int,
    window: Window,
    *,
    agent: str | None = None,
    risky_only: bool = False,
    limit: int = MAX_ROWS,
) -> list[ConversationSummary]:
    """One row per conversation active in the window, latest activity first."""
    in_window = (ChatEvent.shop_id == shop_id, ChatEvent.ts >= window.start, ChatEvent.ts < window.end)
    query = (
        select(
            ChatEvent.conversation_id,
            func.min(ChatEvent.buyer_id),
            func.min(ChatEvent.ts),
            func.max(ChatEvent.ts),
            func.count(),
            func.max(ChatEvent.agent),
        )
        .where(*in_window)
        .group_by(ChatEvent.conversation_id)
        .order_by(func.max(ChatEvent.ts).desc())
    )
    if agent:
        served = select(ChatEvent.conversation_id).where(*in_window, ChatEvent.agent == agent)
        query = query.where(ChatEvent.conversation_id.in_(served))
    risky = {item.conversation_id: item for item in risky_conversations(session, guard, shop_id, window)}
    if risky_only:
        query = query.where(ChatEvent.conversation_id.in_(list(risky)))
    violations = Counter(
        item.message.conversation_id for item in flagged_agent_messages(session, guard, shop_id, window)
    )
    rows = []
    for conversation_id, buyer_id, first_ts, last_ts, count, main_agent in session.execute(
        query.limit(limit)
    ):
        signals = tuple(sorted(risky[conversation_id].signals)) if conversation_id in risky else ()
        rows.append(
            ConversationSummary(
                conversation_id,
                buyer_id,
                first_ts,
                last_ts,
                count,
                main_agent,
                violations[conversation_id],
                signals,
            )
        )
    return rows


def conversation_messages(session: Session, shop_id: int, conversation_id: str) -> list[Message]:
    """Every stored message of one conversation of this shop, oldest first (empty if unknown)."""
    query = (
        select(*_COLUMNS)
        .where(ChatEvent.shop_id == shop_id, ChatEvent.conversation_id == conversation_id)
        .order_by(ChatEvent.ts, ChatEvent.id)
        .limit(5 * MAX_ROWS)
    )
    return _messages(query, session)


def recent_alerts(session: Session, shop_id: int, limit: int = 20) -> list[Alert]:
    query = select(Alert).where(Alert.shop_id == shop_id).order_by(Alert.ts.desc(), Alert.id.desc())
    return list(session.scalars(query.limit(limit)))


def known_agents(session: Session, shop_id: int) -> list[str]:
    """Agent names for filter menus: CS accounts plus anyone who answered in the chat logs."""
    logged = session.scalars(
        select(ChatEvent.agent).where(ChatEvent.shop_id == shop_id, ChatEvent.agent.is_not(None)).distinct()
    )
    seats = session.scalars(select(CsAccount.platform_account).where(CsAccount.shop_id == shop_id))
    return sorted({name for name in [*logged, *seats] if name})
