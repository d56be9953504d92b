"""违规记录 and 会话 views: agent messages with what inspection found in them at ingestion, and
conversations with their findings (``services.inspection`` says why findings are stored).

The web handlers only parse the query and render these objects.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from csguard.results import Finding
from csguard.services import dashboard
from csguard.services.dashboard import ConversationSummary, FlaggedMessage, Message, Window
from csguard.services.shops import get_shop
from csguard.services.words import guard_for_shop
from csguard.vocab import SENDERS

BUYER_SENDER, AGENT_SENDER = SENDERS[0], SENDERS[1]


@dataclass(frozen=True, slots=True)
class ViolationsView:
    agents: list[str]
    by_category: dict[str, int]
    by_agent: dict[str, int]
    total: int
    shown: list[FlaggedMessage]  # the newest ``dashboard.MAX_ROWS``


def violations_view(
    session: Session, shop_id: int, window: Window, *, agent: str | None, category: str | None
) -> ViolationsView:
    guard = guard_for_shop(session, get_shop(session, shop_id))
    flagged = dashboard.flagged_agent_messages(session, guard, shop_id, window, agent=agent, category=category)
    return ViolationsView(
        agents=dashboard.known_agents(session, shop_id),
        by_category=dashboard.count_by_category(flagged),
        by_agent=dashboard.count_by_agent(flagged),
        total=len(flagged),
        shown=flagged[: dashboard.MAX_ROWS],
    )


@dataclass(frozen=True, slots=True)
class ConversationsView:
    agents: list[str]
    rows: list[ConversationSummary]


def conversations_view(
    session: Session, shop_id: int, window: Window, *, agent: str | None, risky_only: bool
) -> ConversationsView:
    guard = guard_for_shop(session, get_shop(session, shop_id))
    rows = dashboard.conversation_summaries(session, guard, shop_id, window, agent=agent, risky_only=risky_only)
    return ConversationsView(agents=dashboard.known_agents(session, shop_id), rows=rows)


@dataclass(frozen=True, slots=True)
class CheckedMessage:
    """A stored message with what the Guard finds in it: findings for an agent's, signals for a buyer's."""

    message: Message
    findings: list[Finding]
    signals: list[str]


@dataclass(frozen=True, slots=True)
class ConversationView:
    conversation_id: str
    buyer_id: str
    messages: list[CheckedMessage]


def conversation_view(session: Session, shop_id: int, conversation_id: str) -> ConversationView | None:
    """None when the shop has no such conversation."""
    messages = dashboard.conversation_messages(session, shop_id, conversation_id)
    if not messages:
        return None
    guard = guard_for_shop(session, get_shop(session, shop_id))
    agents = [m for m in messages if m.sender == AGENT_SENDER]
    buyers = [m for m in messages if m.sender == BUYER_SENDER]
    found = {m.id: r.findings for m, r in zip(agents, dashboard.check_results(guard, agents), strict=True) if r}
    raised = {m.id: r.signals for m, r in zip(buyers, dashboard.triage_results(guard, buyers), strict=True) if r}
    checked = [CheckedMessage(m, found.get(m.id, []), raised.get(m.id, [])) for m in messages]
    return ConversationView(conversation_id, messages[0].buyer_id, checked)
