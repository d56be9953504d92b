"""What the overview and agents pages (and any API that wants them) show, computed here.

The web layer renders these view objects; it neither sums metric rows nor re-checks text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from csguard.qc.sla import SlaConfig
from csguard.services import accounts, checks, dashboard, metrics
from csguard.services.dashboard import FlaggedMessage, RiskyConversation, Window, count_by_agent
from csguard.services.words import guard_for_shop
from csguard.store.models import Alert, CsAccount, Shop

RISKY_SHOWN = 10


def template_fields(view: Any) -> dict[str, Any]:
    """A view's fields by name, unconverted (``asdict`` would turn nested views into dicts)."""
    return {f.name: getattr(view, f.name) for f in fields(view)}


def shop_sla_config(shop: Shop) -> SlaConfig:
    """The SLA settings a shop is measured by (the platform defaults until shops carry their own)."""
    return SlaConfig()


@dataclass(frozen=True, slots=True)
class ReplyRate:
    """The 3-minute human reply rate over some SLA metric rows (late / consultations summed)."""

    consultations: int
    late: int

    @property
    def rate(self) -> float | None:
        return None if self.consultations == 0 else (self.consultations - self.late) / self.consultations


def reply_rate(
    rows: Iterable[dict[str, Any]], *, agent: str | None = None, day: str | None = None
) -> ReplyRate:
    """Sum the rows of one agent (None: the whole shop), optionally of one local day."""
    picked = [r for r in rows if r["agent"] == agent and (day is None or r["date"] == day)]
    return ReplyRate(
        consultations=sum(int(r["consultations"] or 0) for r in picked),
        late=sum(int(r["late"] or 0) for r in picked),
    )


@dataclass(frozen=True, slots=True)
class AgentStats:
    name: str
    account: CsAccount | None
    reply: ReplyRate
    avg_first_response_s: float | None
    agent_messages: int
    violations: int


def agent_stats(
    rows: list[dict[str, Any]], flagged: Iterable[FlaggedMessage], accounts: Iterable[CsAccount]
) -> list[AgentStats]:
    """One line per CS account and per agent seen in the metrics, accounts first."""
    violations = count_by_agent(flagged)
    by_name = {account.platform_account: account for account in accounts}
    names = list(by_name) + sorted({r["agent"] for r in rows if r["agent"]} - set(by_name))
    stats = []
    for name in names:
        own = [r for r in rows if r["agent"] == name]
        weighted = [
            (r["avg_first_response_s"], r["consultations"])
            for r in own
            if r["avg_first_response_s"] is not None
        ]
        total = sum(n for _, n in weighted)
        stats.append(
            AgentStats(
                name=name,
                account=by_name.get(name),
                reply=reply_rate(own, agent=name),
                avg_first_response_s=sum(v * n for v, n in weighted) / total if total else None,
                agent_messages=sum(int(r["agent_messages"] or 0) for r in own),
                violations=violations.get(name, 0),
            )
        )
    return stats


@dataclass(frozen=True, slots=True)
class AgentsView:
    target: float
    stats: list[AgentStats]


def agents_view(session: Session, shop: Shop, window: Window) -> AgentsView:
    rows = metrics.sla_metrics(session, shop, since=window.start, until=window.end)
    flagged = dashboard.flagged_agent_messages(session, guard_for_shop(session, shop), shop.id, window)
    return AgentsView(
        target=shop_sla_config(shop).target_rate,
        stats=agent_stats(rows, flagged, accounts.list_accounts(session, shop.id)),
    )


@dataclass(frozen=True, slots=True)
class OverviewView:
    target: float
    today_rate: ReplyRate
    week_rate: ReplyRate
    daily: list[tuple[str, ReplyRate]]
    by_category: dict[str, int]
    violations: int
    blocked: dict[str, int]
    risky: list[RiskyConversation]
    risky_total: int
    alerts: list[Alert]


def overview_view(session: Session, shop: Shop, window: Window, today: date) -> OverviewView:
    """Reply rates against the shop's target, violations, risky conversations and alerts."""
    guard = guard_for_shop(session, shop)
    rows = metrics.sla_metrics(session, shop, since=window.start, until=window.end)
    flagged = dashboard.flagged_agent_messages(session, guard, shop.id, window)
    risky = dashboard.risky_conversations(session, guard, shop.id, window)
    return OverviewView(
        target=shop_sla_config(shop).target_rate,
        today_rate=reply_rate(rows, day=today.isoformat()),
        week_rate=reply_rate(rows),
        daily=[(r["date"], reply_rate([r])) for r in rows if r["agent"] is None],
        by_category=dashboard.count_by_category(flagged),
        violations=len(flagged),
        blocked=checks.violation_counts(session, shop.id, since=window.start),
        risky=risky[:RISKY_SHOWN],
        risky_total=len(risky),
        alerts=dashboard.recent_alerts(session, shop.id),
    )
