"""Guard checks and buyer triage made through the service, each one logged (text masked).

Logging goes to a ``CheckLogSink``: ``DirectSink`` inserts in the caller's transaction
(the batch endpoint, the CLI, tests); the API's single-check path uses the queued writer
in ``check_log_writer`` so a check does not wait for a disk write.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from csguard.guard import Guard
from csguard.privacy import mask_pii
from csguard.results import CheckResult, TriageResult
from csguard.services._tx import transaction
from csguard.services.auth import Principal
from csguard.services.words import guard_for_shop
from csguard.store.models import CheckLog, Shop
from csguard.store.types import utcnow

LogRow = dict[str, Any]
CHECK_LOG_TABLE = cast(Table, CheckLog.__table__)


class CheckLogSink(Protocol):
    def write(self, rows: list[LogRow]) -> None: ...


class DirectSink:
    """Inserts the rows in one statement and commits before returning."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def write(self, rows: list[LogRow]) -> None:
        if rows:
            with transaction(self._session):
                # A Core insert: the ORM's bulk path costs several times more per row.
                self._session.execute(insert(CHECK_LOG_TABLE), rows)


def write_check_logs(session: Session, rows: list[LogRow]) -> None:
    DirectSink(session).write(rows)


def _rows(
    shop_id: int,
    kind: str,
    platform: str,
    results: Sequence[tuple[str, str, list[str], list[str]]],
    actor: Principal | None,
) -> list[LogRow]:
    now = utcnow()
    user_id = actor.user_id if actor else None
    key_id = actor.api_key_id if actor else None
    return [
        {
            "shop_id": shop_id,
            "ts": now,
            "kind": kind,
            "user_id": user_id,
            "api_key_id": key_id,
            "platform": platform,
            "verdict": verdict,
            "rule_ids": rule_ids,
            "categories": categories,
            "text": mask_pii(text),
        }
        for text, verdict, rule_ids, categories in results
    ]


def check_texts(
    guard: Guard, shop_id: int, texts: Sequence[str], actor: Principal | None, sink: CheckLogSink
) -> list[CheckResult]:
    """Check with a Guard the caller already holds (the API's hot path) and log to ``sink``."""
    results = guard.check_batch(texts)
    logged = [(r.text, r.verdict, r.rule_ids, r.categories) for r in results]
    sink.write(_rows(shop_id, "check", guard.platform, logged, actor))
    return results


def triage_texts(
    guard: Guard, shop_id: int, texts: Sequence[str], actor: Principal | None, sink: CheckLogSink
) -> list[TriageResult]:
    """Triage with a Guard the caller already holds; logged as ``escalate`` or ``ok``."""
    results = guard.triage_batch(texts)
    logged = [
        (r.text, "escalate" if r.escalate else "ok", sorted({f.rule_id for f in r.findings}), list(r.signals))
        for r in results
    ]
    sink.write(_rows(shop_id, "triage", guard.platform, logged, actor))
    return results


def check_messages(
    session: Session,
    shop: Shop,
    texts: Sequence[str],
    platform: str | None = None,
    actor: Principal | None = None,
    sink: CheckLogSink | None = None,
) -> list[CheckResult]:
    """Check each text with the shop's Guard and log every result (masked) to ``sink``."""
    guard = guard_for_shop(session, shop, platform)
    return check_texts(guard, shop.id, texts, actor, sink or DirectSink(session))


def triage_messages(
    session: Session,
    shop: Shop,
    texts: Sequence[str],
    platform: str | None = None,
    actor: Principal | None = None,
    sink: CheckLogSink | None = None,
) -> list[TriageResult]:
    """Triage buyer messages; logged with verdict ``escalate`` or ``ok`` and the signals."""
    guard = guard_for_shop(session, shop, platform)
    return triage_texts(guard, shop.id, texts, actor, sink or DirectSink(session))


def list_check_logs(
    session: Session,
    shop_id: int,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    kind: str | None = "check",
    verdict: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[CheckLog]:
    """Newest first."""
    query = select(CheckLog).where(CheckLog.shop_id == shop_id)
    if since is not None:
        query = query.where(CheckLog.ts >= since)
    if until is not None:
        query = query.where(CheckLog.ts < until)
    if kind is not None:
        query = query.where(CheckLog.kind == kind)
    if verdict is not None:
        query = query.where(CheckLog.verdict == verdict)
    query = query.order_by(CheckLog.ts.desc(), CheckLog.id.desc()).limit(limit).offset(offset)
    return list(session.scalars(query))


def violation_counts(session: Session, shop_id: int, since: datetime | None = None) -> dict[str, int]:
    """Logged checks per violation category (a check with two categories counts in both)."""
    query = select(CheckLog.categories).where(
        CheckLog.shop_id == shop_id, CheckLog.kind == "check", CheckLog.verdict != "allow"
    )
    if since is not None:
        query = query.where(CheckLog.ts >= since)
    counts: Counter[str] = Counter()
    for categories in session.scalars(query):
        counts.update(categories)
    return dict(counts.most_common())
