"""Penalty records of one shop: create, list (expiring on read), apply life-cycle events.

The state machine itself is ``csguard.penalties.machine``; this module converts rows to domain
records and back and owns the transaction. Every function is scoped by ``shop_id``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from csguard.errors import InvalidInput, NotFound
from csguard.penalties.clock import Clock, SystemClock
from csguard.penalties.machine import (
    PenaltyMachine,
    PenaltyRecord,
    PenaltySource,
    PenaltyState,
    TransitionEntry,
    attempts_for_platform,
    new_penalty,
)
from csguard.penalties.models import PenaltyRow as PenaltyRow
from csguard.penalties.models import PenaltyTransitionRow
from csguard.penalties.tone import ToneIssue, check_own_tone, neutralize
from csguard.privacy import mask_pii
from csguard.services._tx import transaction
from csguard.services.accounts import list_accounts
from csguard.services.auth import Principal
from csguard.services.shops import get_shop
from csguard.settings import Settings
from csguard.store.models import Shop

MAX_EVIDENCE_LINES = 50


@dataclass(frozen=True, slots=True)
class PenaltyInput:
    account: str
    source: str
    reason: str
    duration: str
    start: datetime | None = None
    custom_minutes: int | None = None
    flagged_message_id: str | None = None
    evidence: tuple[str, ...] = ()
    notes: str = ""


def to_record(row: PenaltyRow) -> PenaltyRecord:
    return PenaltyRecord(
        id=str(row.id),
        platform=row.platform,
        account=row.account,
        source=PenaltySource(row.source),
        reason=row.reason,
        duration=row.duration,
        start=row.start,
        end=row.end,
        attempts_allowed=row.attempts_allowed,
        attempts_used=row.attempts_used,
        state=PenaltyState(row.state),
        evidence=list(row.evidence),
        notes=row.notes,
        history=[
            TransitionEntry(h.event, h.from_state, h.to_state, h.actor, h.at, h.note) for h in row.history
        ],
    )


def _write_back(row: PenaltyRow, record: PenaltyRecord) -> None:
    """Copy the machine's changes onto the row; history is append-only."""
    row.state = str(record.state)
    row.attempts_used = record.attempts_used
    for entry in record.history[len(row.history) :]:
        row.history.append(
            PenaltyTransitionRow(
                event=entry.event,
                from_state=entry.from_state,
                to_state=entry.to_state,
                actor=entry.actor,
                at=entry.at,
                note=entry.note,
            )
        )


def create_penalty(
    session: Session,
    shop: Shop,
    data: PenaltyInput,
    *,
    settings: Settings,
    clock: Clock | None = None,
) -> PenaltyRow:
    clock = clock or SystemClock()
    account = data.account.strip()
    if not account:
        raise InvalidInput("account must not be empty", details={"field": "account"})
    if len(data.evidence) > MAX_EVIDENCE_LINES:
        raise InvalidInput(f"at most {MAX_EVIDENCE_LINES} evidence lines", details={"field": "evidence"})
    record = new_penalty(
        id="new",
        platform=shop.platform,
        account=account,
        source=data.source,
        reason=data.reason,
        duration=data.duration,
        start=data.start or clock.now(),
        custom_minutes=data.custom_minutes,
        attempts_allowed=attempts_for_platform(shop.platform, settings.penalty_appeal_attempts),
        evidence=[mask_pii(e) for e in data.evidence if e.strip()],
        notes=mask_pii(data.notes),
    )
    row = PenaltyRow(
        shop_id=shop.id,
        platform=record.platform,
        account=record.account,
        source=str(record.source),
        reason=record.reason,
        duration=record.duration,
        custom_minutes=data.custom_minutes if data.duration == "custom" else None,
        start=record.start,
        end=record.end,
        attempts_allowed=record.attempts_allowed,
        attempts_used=0,
        state=str(record.state),
        flagged_message_id=(data.flagged_message_id or "").strip() or None,
        evidence=record.evidence,
        notes=record.notes,
    )
    with transaction(session):
        session.add(row)
    return row


def _refresh(session: Session, rows: list[PenaltyRow], machine: PenaltyMachine) -> None:
    """Expiry on read: due records become ``expired`` in one transaction before they are shown."""
    now = machine.clock.now()
    due = [r for r in rows if r.state == PenaltyState.ACTIVE.value and r.end is not None and r.end <= now]
    if not due:
        return
    with transaction(session):
        for row in due:
            _write_back(row, machine.refresh(to_record(row)))


def list_penalties(
    session: Session, shop_id: int, *, state: str | None = None, clock: Clock | None = None
) -> list[PenaltyRow]:
    query = (
        select(PenaltyRow)
        .where(PenaltyRow.shop_id == shop_id)
        .order_by(PenaltyRow.start.desc(), PenaltyRow.id.desc())
    )
    rows = list(session.scalars(query))
    _refresh(session, rows, PenaltyMachine(clock or SystemClock()))
    return [r for r in rows if state is None or r.state == state]


def get_penalty(session: Session, shop_id: int, penalty_id: int, *, clock: Clock | None = None) -> PenaltyRow:
    query = select(PenaltyRow).where(PenaltyRow.shop_id == shop_id, PenaltyRow.id == penalty_id)
    row = session.scalars(query).first()
    if row is None:
        raise NotFound(f"penalty {penalty_id} does not exist", details={"penalty_id": penalty_id})
    _refresh(session, [row], PenaltyMachine(clock or SystemClock()))
    return row


def apply_event(
    session: Session,
    shop_id: int,
    penalty_id: int,
    event: str,
    *,
    actor: str,
    note: str = "",
    clock: Clock | None = None,
) -> PenaltyRow:
    machine = PenaltyMachine(clock or SystemClock())
    row = get_penalty(session, shop_id, penalty_id, clock=machine.clock)
    record = machine.apply(to_record(row), event, actor=actor, note=mask_pii(note))
    with transaction(session):
        _write_back(row, record)
    return row


def expire_due(session: Session, *, clock: Clock | None = None) -> int:
    """Scheduler entry point across all shops: expire every due active penalty; returns how many."""
    machine = PenaltyMachine(clock or SystemClock())
    query = select(PenaltyRow).where(
        PenaltyRow.state == PenaltyState.ACTIVE.value, PenaltyRow.end <= machine.clock.now()
    )
    rows = list(session.scalars(query))
    _refresh(session, rows, machine)
    return len(rows)


def delete_penalty(session: Session, shop_id: int, penalty_id: int) -> None:
    row = get_penalty(session, shop_id, penalty_id)
    with transaction(session):
        session.delete(row)


def create_penalty_in_shop(
    session: Session, shop_id: int, data: PenaltyInput, *, settings: Settings
) -> PenaltyRow:
    return create_penalty(session, get_shop(session, shop_id), data, settings=settings)


def allowed_events(row: PenaltyRow, *, clock: Clock | None = None) -> list[str]:
    """The life-cycle events the record accepts now (the API lists them, the page shows buttons)."""
    return [str(e) for e in PenaltyMachine(clock or SystemClock()).allowed_events(to_record(row))]


@dataclass(frozen=True, slots=True)
class ToneReport:
    issues: list[dict[str, Any]]
    neutral: str


def tone_report(text: str, issues: Sequence[ToneIssue] | None = None) -> ToneReport:
    """Emotional or accusatory wording in the seller's own words of ``text`` (quotes and chat lines
    are evidence, not tone) and a neutral rewrite (``issues`` if already found)."""
    found = check_own_tone(text) if issues is None else list(issues)
    return ToneReport(issues=[i.to_dict() for i in found], neutral=neutralize(text, found))


def tone_of_documents(documents: Sequence[dict[str, Any]]) -> dict[str, list[ToneIssue]]:
    """Tone issues of each drafted document, by its key."""
    return {d["key"]: check_own_tone(d["body"]) for d in documents}


def actor_of(principal: Principal) -> str:
    """Who applied an event, as the audit history records an API caller."""
    return f"user:{principal.user_id}" if principal.user_id is not None else f"api-key:{principal.api_key_id}"


def seats_of(session: Session, shop_id: int) -> list[str]:
    """The shop's CS seats, offered when a penalty is recorded."""
    return [a.platform_account for a in list_accounts(session, shop_id)]
