"""Shop-health alerts from a QC result, and their delivery to group-robot webhooks.

Thresholds (3-minute reply rate, violations per day, complaint signals per day) turn a
``QcResult`` into ``Alert`` objects; ``notify`` posts them to DingTalk, WeCom or Feishu
(notifiers registered in ``notifiers``), retrying transient failures with backoff and
reporting what failed. Delivery never raises into the QC run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from csguard.qc.notifiers import Notifier, notifiers
from csguard.vocab import COMPLAINT_SIGNALS

if TYPE_CHECKING:
    from csguard.qc.runner import QcResult


class AlertThresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_reply_rate: float = Field(default=0.8, ge=0, le=1, description="Shop 3-minute reply rate per day.")
    agent_min_reply_rate: float | None = Field(default=0.7, ge=0, le=1, description="Per agent; None = off.")
    max_violations_per_day: int = Field(default=5, ge=0, description="Agent guard violations per day.")
    max_complaint_signals_per_day: int = Field(
        default=3, ge=0, description="Buyer complaint/extortion signals."
    )


@dataclass(frozen=True, slots=True)
class Alert:
    kind: str  # reply_rate | agent_reply_rate | violations | complaints
    level: str  # warning | critical
    date: str
    shop: str
    agent: str | None
    value: float
    threshold: float
    message: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _rate_alerts(metrics: list[dict[str, Any]], limits: AlertThresholds) -> list[Alert]:
    alerts: list[Alert] = []
    for row in metrics:
        rate = row.get("reply_rate_3min")
        if rate is None:
            continue
        agent = row.get("agent")
        limit = limits.min_reply_rate if agent is None else limits.agent_min_reply_rate
        if limit is None or rate >= limit:
            continue
        who = "全店" if agent is None else f"客服「{agent}」"
        alerts.append(
            Alert(
                kind="reply_rate" if agent is None else "agent_reply_rate",
                level="critical" if agent is None else "warning",
                date=row["date"],
                shop=row.get("shop") or "",
                agent=agent,
                value=round(rate, 4),
                threshold=limit,
                message=f"{row['date']} {who}3分钟人工回复率 {rate:.1%}，低于 {limit:.0%}"
                f"（咨询 {row['consultations']}，超时 {row['late']}）",
            )
        )
    return alerts


def _count_alerts(findings: pl.DataFrame, timezone: str, limits: AlertThresholds) -> list[Alert]:
    if findings.height == 0:
        return []
    dated = findings.with_columns(date=pl.col("ts").dt.convert_time_zone(timezone).dt.strftime("%Y-%m-%d"))
    violations = dated.filter(pl.col("kind") == "violation").group_by("date", "shop").len()
    complaints = (
        dated.filter((pl.col("kind") == "risk") & pl.col("category").is_in(COMPLAINT_SIGNALS))
        .group_by("date", "shop")
        .len()
    )
    alerts: list[Alert] = []
    for date, shop, count in violations.sort("date").iter_rows():
        if count > limits.max_violations_per_day:
            alerts.append(
                Alert(
                    "violations",
                    "critical" if count > 2 * limits.max_violations_per_day else "warning",
                    date,
                    shop,
                    None,
                    float(count),
                    float(limits.max_violations_per_day),
                    f"{date} 客服违规话术 {count} 条，超过每日 {limits.max_violations_per_day} 条的阈值",
                )
            )
    for date, shop, count in complaints.sort("date").iter_rows():
        if count > limits.max_complaint_signals_per_day:
            alerts.append(
                Alert(
                    "complaints",
                    "warning",
                    date,
                    shop,
                    None,
                    float(count),
                    float(limits.max_complaint_signals_per_day),
                    f"{date} 买家投诉/勒索信号 {count} 次，超过每日 {limits.max_complaint_signals_per_day} 次的阈值",
                )
            )
    return alerts


def evaluate(result: QcResult, thresholds: AlertThresholds | None = None) -> list[Alert]:
    """Alerts for every day (and agent) of the result that crosses a threshold."""
    limits = thresholds or result.config.alerts
    alerts = _rate_alerts(result.metrics, limits)
    alerts += _count_alerts(result.findings_frame, result.config.sla.timezone, limits)
    return sorted(alerts, key=lambda a: (a.date, a.kind, a.agent or ""))


@dataclass(frozen=True, slots=True)
class NotifyTarget:
    kind: str  # a name in ``notifiers``: dingtalk | wecom | feishu
    url: str
    secret: str | None = None


@dataclass(frozen=True, slots=True)
class NotifyOutcome:
    kind: str
    url: str
    ok: bool
    attempts: int
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _send(
    notifier: Notifier,
    payload: dict[str, Any],
    *,
    retries: int,
    backoff_s: float,
    timeout_s: float,
    sleep: Callable[[float], None],
) -> NotifyOutcome:
    import httpx

    error = "not sent"
    for attempt in range(1, retries + 2):
        try:
            response = httpx.post(notifier.signed_url(), json=payload, timeout=timeout_s)
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        else:
            if response.status_code < 300:
                problem = notifier.rejection(response)
                if problem is None:
                    return NotifyOutcome(notifier.kind, notifier.url, True, attempt)
                return NotifyOutcome(notifier.kind, notifier.url, False, attempt, problem)
            error = f"HTTP {response.status_code}: {response.text[:200]}"
            if response.status_code < 500 and response.status_code != 429:
                return NotifyOutcome(notifier.kind, notifier.url, False, attempt, error)
        if attempt <= retries:
            sleep(backoff_s * 2 ** (attempt - 1))
    return NotifyOutcome(notifier.kind, notifier.url, False, retries + 1, error)


def notify(
    alerts: list[Alert],
    targets: Iterable[NotifyTarget],
    *,
    title: str = "csguard 店铺健康提醒",
    retries: int = 3,
    backoff_s: float = 1.0,
    timeout_s: float = 10.0,
    sleep: Callable[[float], None] = time.sleep,
) -> list[NotifyOutcome]:
    """Post the alerts to every target; failures are returned, never raised."""
    outcomes: list[NotifyOutcome] = []
    if not alerts:
        return outcomes
    for target in targets:
        try:
            notifier = notifiers.get(target.kind)(target.url, target.secret)
            payload = notifier.payload(alerts, title)
        except Exception as exc:  # an unknown kind or a broken plugin: report it, keep going
            outcomes.append(NotifyOutcome(target.kind, target.url, False, 0, str(exc)))
            continue
        outcomes.append(
            _send(notifier, payload, retries=retries, backoff_s=backoff_s, timeout_s=timeout_s, sleep=sleep)
        )
    return outcomes
