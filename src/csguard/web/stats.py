"""Per-agent and per-period figures the pages show, summed from SLA metric rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from csguard.services.dashboard import FlaggedMessage, count_by_agent
from csguard.store.models import CsAccount


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
