"""Ingesting canonical chat events, idempotently by message id (per shop).

Records are validated with the QC importer's rules, one by one: good records are
stored even when others in the same request are rejected, and every rejection says which
record and field. Each message is inspected on its original text (``services.inspection``),
then stored masked with its findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from csguard.errors import Conflict
from csguard.guard import Guard
from csguard.privacy import mask_pii
from csguard.qc.importers import import_records
from csguard.services._query import filtered
from csguard.services._tx import transaction
from csguard.services.inspection import inspect_event
from csguard.services.words import guard_for_shop
from csguard.store.models import ChatEvent, Shop

_LOOKUP_CHUNK = 500


@dataclass
class IngestResult:
    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "accepted": self.accepted,
            "duplicate": self.duplicate,
            "rejected": self.rejected,
            "errors": self.errors,
        }


def _existing_ids(session: Session, shop_id: int, message_ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(message_ids), _LOOKUP_CHUNK):
        chunk = message_ids[start : start + _LOOKUP_CHUNK]
        query = select(ChatEvent.message_id).where(
            ChatEvent.shop_id == shop_id, ChatEvent.message_id.in_(chunk)
        )
        found.update(session.scalars(query))
    return found


def _own_records(shop: Shop, records: Sequence[Any], result: IngestResult) -> tuple[list[Any], list[int]]:
    """Drop records naming another shop (an error each); the rest keep their request index."""
    kept: list[Any] = []
    positions: list[int] = []
    for index, record in enumerate(records):
        if isinstance(record, dict) and record.get("shop") not in (None, "", shop.name):
            result.rejected += 1
            result.errors.append({"index": index, "field": "shop", "message": "the event names another shop"})
            continue
        kept.append(record)
        positions.append(index)
    return kept, positions


class _Inspector:
    """Inspects each distinct (sender, text) once: chat logs repeat their templates."""

    def __init__(self, session: Session, shop: Shop) -> None:
        self.session, self.shop = session, shop
        self.guard: Guard | None = None  # built on first use: a request of duplicates needs none
        self.seen: dict[tuple[str, str], tuple[str | None, list[dict[str, Any]] | None]] = {}

    def __call__(self, sender: str, text: str) -> tuple[str | None, list[dict[str, Any]] | None]:
        key = (sender, text)
        if key not in self.seen:
            if self.guard is None:
                self.guard = guard_for_shop(self.session, self.shop)
            self.seen[key] = inspect_event(self.guard, sender, text)
        return self.seen[key]


def _row(shop_id: int, event: dict[str, Any], inspect: _Inspector) -> dict[str, Any]:
    verdict, findings = inspect(event["sender"], event["text"] or "")
    return {
        "shop_id": shop_id,
        "platform": event["platform"],
        "conversation_id": event["conversation_id"],
        "buyer_id": event["buyer_id"] or event["conversation_id"],
        "message_id": event["message_id"],
        "ts": event["ts"],
        "sender": event["sender"],
        "agent": event["agent"],
        "type": event["type"] or "text",
        "text": mask_pii(event["text"] or ""),
        "verdict": verdict,
        "findings": findings,
    }


def ingest_events(
    session: Session, shop: Shop, records: Sequence[Any], *, _retry: bool = True
) -> IngestResult:
    """Store new events; a message id already stored (or repeated in the request) is a duplicate.

    Validation is the QC importer's (``import_records``), so the API accepts exactly what
    a file import accepts.
    """
    result = IngestResult()
    kept, positions = _own_records(shop, records, result)
    imported = import_records(kept, source="events", default_shop=shop.name, default_platform=shop.platform)
    result.rejected += imported.rejected
    result.duplicate += imported.duplicate
    for error in imported.errors:
        index = positions[error.line - 1] if 0 < error.line <= len(positions) else error.line - 1
        result.errors.append({"index": index, "field": error.field, "message": error.message})
    result.errors.sort(key=lambda e: e["index"])
    events = list(imported.frame.iter_rows(named=True))
    seen = _existing_ids(session, shop.id, [e["message_id"] for e in events])
    rows = []
    inspect = _Inspector(session, shop)
    for event in events:
        if event["message_id"] in seen:
            result.duplicate += 1
            continue
        seen.add(event["message_id"])
        rows.append(_row(shop.id, event, inspect))
    if rows:
        try:
            with transaction(session, "events were stored concurrently; send the request again"):
                session.execute(insert(ChatEvent), rows)
        except Conflict:
            if not _retry:
                raise
            # Another request stored some of the same ids between our read and write:
            # a second pass sees them as duplicates, so retrying is always safe.
            return ingest_events(session, shop, records, _retry=False)
    result.accepted = len(rows)
    return result


def list_events(
    session: Session,
    shop_id: int,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    conversation_id: str | None = None,
    agent: str | None = None,
    limit: int | None = None,
) -> list[ChatEvent]:
    """Oldest first; every filter optional."""
    query = select(ChatEvent).where(ChatEvent.shop_id == shop_id)
    equal = {ChatEvent.conversation_id: conversation_id, ChatEvent.agent: agent}
    query = filtered(query, ChatEvent.ts, since, until, equal)
    query = query.order_by(ChatEvent.ts, ChatEvent.id)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def event_records(events: Iterable[ChatEvent], shop_name: str) -> list[dict[str, Any]]:
    """Stored events as canonical records (what the QC module reads)."""
    return [
        {
            "shop": shop_name,
            "platform": e.platform,
            "conversation_id": e.conversation_id,
            "buyer_id": e.buyer_id,
            "message_id": e.message_id,
            "ts": e.ts,
            "sender": e.sender,
            "agent": e.agent,
            "type": e.type,
            "text": e.text,
        }
        for e in events
    ]
