"""Alerts: the QC module's threshold breaches (reply rate, violations, complaints), stored per shop.

``refresh_alerts`` runs QC over the shop's stored events and records each breach once
(by kind, day and agent), so calling it again after new events only adds what is new.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from csguard.errors import NotFound
from csguard.services._tx import transaction
from csguard.services.metrics import qc_result
from csguard.store.models import Alert, Shop
from csguard.store.types import utcnow
from csguard.vocab import DEFAULT_TIMEZONE

if TYPE_CHECKING:
    from csguard.qc.alerts import Alert as QcAlert


def _identity(kind: str, day: object, agent: object) -> tuple[str, str, str]:
    return (kind, str(day), str(agent or ""))


def record_alerts(session: Session, shop: Shop, found: Iterable[QcAlert]) -> int:
    """Store the breaches not stored yet; returns how many were new."""
    rows = session.scalars(select(Alert).where(Alert.shop_id == shop.id))
    known = {_identity(a.kind, a.details.get("date"), a.details.get("agent")) for a in rows}
    local = ZoneInfo(DEFAULT_TIMEZONE)
    new = []
    for alert in found:
        key = _identity(alert.kind, alert.date, alert.agent)
        if key in known:
            continue
        known.add(key)
        day = datetime.combine(date.fromisoformat(alert.date), time(0), tzinfo=local)
        new.append(
            Alert(
                shop_id=shop.id,
                ts=day,
                kind=alert.kind,
                severity=alert.level,
                title=alert.message[:200],
                details=alert.to_dict(),
            )
        )
    with transaction(session):
        session.add_all(new)
    return len(new)


def refresh_alerts(
    session: Session, shop: Shop, *, since: datetime | None = None, until: datetime | None = None
) -> int:
    """Run QC over the shop's stored events in ``[since, until)`` and record new breaches."""
    return record_alerts(session, shop, qc_result(session, shop, since=since, until=until).alerts)


def list_alerts(
    session: Session, shop_id: int, *, unacknowledged: bool = False, limit: int = 100
) -> list[Alert]:
    """Newest first."""
    query = select(Alert).where(Alert.shop_id == shop_id)
    if unacknowledged:
        query = query.where(Alert.acknowledged_at.is_(None))
    return list(session.scalars(query.order_by(Alert.ts.desc(), Alert.id.desc()).limit(limit)))


def acknowledge_alert(session: Session, shop_id: int, alert_id: int) -> Alert:
    alert = session.scalars(select(Alert).where(Alert.shop_id == shop_id, Alert.id == alert_id)).first()
    if alert is None:
        raise NotFound(f"alert {alert_id} does not exist", details={"alert_id": alert_id})
    with transaction(session):
        if alert.acknowledged_at is None:
            alert.acknowledged_at = utcnow()
    return alert
