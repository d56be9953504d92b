"""Penalty (禁言) records and their life cycle as an explicit transitions table.

Pure domain logic: no database, no web. The store persists ``PenaltyRecord`` fields and the
``history`` list; the service layer calls ``PenaltyMachine.apply`` inside its transaction.

Life cycle::

    active --appeal--> appealing --approve--> appeal_approved   (lifted, 申诉成功)
                                 --reject---> appeal_rejected --reactivate--> active
    active --expire--> expired   (end time reached; permanent penalties never expire)

An appeal consumes one attempt when it is submitted, so a rejected record comes back to
``active`` with one attempt fewer; once every attempt is used no further appeal is accepted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from csguard.errors import InvalidInput, InvalidTransition
from csguard.penalties.clock import Clock, ensure_aware, format_countdown
from csguard.vocab import (
    ABSOLUTE_CLAIM,
    ABUSIVE_LANGUAGE,
    FALSE_OR_FRAUD,
    OFFSITE_DIVERSION,
    OUTBOUND_CATEGORIES,
    PRIVACY_LEAK,
    REVIEW_MANIPULATION,
    SUPERSTITION,
)

DEFAULT_APPEAL_ATTEMPTS = 2
# A penalty starting outside these years is a typo; rejecting it also keeps date arithmetic in range.
EARLIEST_START, LATEST_START = 2000, 2100
MAX_CUSTOM_MINUTES = 366 * 24 * 60
SYSTEM_ACTOR = "system"


class PenaltyState(StrEnum):
    ACTIVE = "active"
    APPEALING = "appealing"
    APPEAL_APPROVED = "appeal_approved"
    APPEAL_REJECTED = "appeal_rejected"
    EXPIRED = "expired"


class PenaltyEvent(StrEnum):
    APPEAL = "appeal"
    APPROVE = "approve"
    REJECT = "reject"
    REACTIVATE = "reactivate"
    EXPIRE = "expire"


class PenaltySource(StrEnum):
    SYSTEM_AUTO = "system_auto"  # AI risk control
    MANUAL_REVIEW = "manual_review"  # 人工判定
    ASSOCIATED = "associated"  # 关联违规: same legal person / IP / device


# The transitions table: (current state, event) -> next state. Anything not listed is illegal.
TRANSITIONS: dict[tuple[PenaltyState, PenaltyEvent], PenaltyState] = {
    (PenaltyState.ACTIVE, PenaltyEvent.APPEAL): PenaltyState.APPEALING,
    (PenaltyState.ACTIVE, PenaltyEvent.EXPIRE): PenaltyState.EXPIRED,
    (PenaltyState.APPEALING, PenaltyEvent.APPROVE): PenaltyState.APPEAL_APPROVED,
    (PenaltyState.APPEALING, PenaltyEvent.REJECT): PenaltyState.APPEAL_REJECTED,
    (PenaltyState.APPEAL_REJECTED, PenaltyEvent.REACTIVATE): PenaltyState.ACTIVE,
}

STATE_LABELS: dict[str, str] = {
    "active": "禁言中",
    "appealing": "申诉中",
    "appeal_approved": "申诉成功",
    "appeal_rejected": "申诉驳回",
    "expired": "已到期解除",
}
SOURCE_LABELS: dict[str, str] = {
    "system_auto": "系统自动判定（AI风控）",
    "manual_review": "人工判定",
    "associated": "关联违规",
}
REASON_LABELS: dict[str, str] = {
    # The platforms' penalty-notice wording, not the checker's labels (vocab.CATEGORY_LABELS).
    OFFSITE_DIVERSION: "站外引流",
    REVIEW_MANIPULATION: "诱导好评/评价操纵",
    ABSOLUTE_CLAIM: "极限词/绝对化用语",
    ABUSIVE_LANGUAGE: "辱骂/不文明用语",
    PRIVACY_LEAK: "泄露隐私",
    FALSE_OR_FRAUD: "虚假宣传/欺诈",
    SUPERSTITION: "封建迷信",
    "slow_reply": "回复超时",
    "abnormal_login": "登录异常",
    "complaint": "消费者投诉",
}
REASON_CATEGORIES: tuple[str, ...] = (*OUTBOUND_CATEGORIES, "slow_reply", "abnormal_login", "complaint")
# Named durations sellers see on the platforms; "custom" takes explicit minutes.
DURATIONS: dict[str, timedelta | None] = {
    "10m": timedelta(minutes=10),
    "24h": timedelta(hours=24),
    "3d": timedelta(days=3),
    "7d": timedelta(days=7),
    "permanent": None,
}
DURATION_LABELS: dict[str, str] = {
    "10m": "10分钟",
    "24h": "24小时",
    "3d": "3天",
    "7d": "7天",
    "permanent": "永久",
    "custom": "自定义",
}


@dataclass(frozen=True, slots=True)
class TransitionEntry:
    """One line of the audit history: who moved the record, from where to where, and when."""

    event: str
    from_state: str
    to_state: str
    actor: str
    at: datetime
    note: str = ""


@dataclass
class PenaltyRecord:
    id: str
    platform: str
    account: str
    source: PenaltySource
    reason: str
    duration: str
    start: datetime
    end: datetime | None
    attempts_allowed: int = DEFAULT_APPEAL_ATTEMPTS
    attempts_used: int = 0
    state: PenaltyState = PenaltyState.ACTIVE
    evidence: list[str] = field(default_factory=list)
    notes: str = ""
    history: list[TransitionEntry] = field(default_factory=list)

    @property
    def permanent(self) -> bool:
        return self.end is None

    @property
    def attempts_left(self) -> int:
        return max(self.attempts_allowed - self.attempts_used, 0)

    @property
    def appeal_number(self) -> int:
        """Which appeal is being prepared or decided: 1 for the first, 2 for the second..."""
        return self.attempts_used if self.state is PenaltyState.APPEALING else self.attempts_used + 1

    def remaining(self, now: datetime) -> timedelta | None:
        """Time until the mute ends; None for permanent penalties."""
        return None if self.end is None else self.end - ensure_aware(now)

    def countdown(self, now: datetime) -> str:
        if self.state is not PenaltyState.ACTIVE and self.state is not PenaltyState.APPEALING:
            return STATE_LABELS[self.state]
        return format_countdown(self.remaining(now))


def attempts_for_platform(platform: str, overrides: Mapping[str, int] | None = None) -> int:
    """Appeal attempts a platform grants per record (default 2, overridable per platform in settings)."""
    return int((overrides or {}).get(platform, DEFAULT_APPEAL_ATTEMPTS))


def new_penalty(
    *,
    id: str,
    platform: str,
    account: str,
    source: str,
    reason: str,
    duration: str,
    start: datetime,
    custom_minutes: int | None = None,
    attempts_allowed: int = DEFAULT_APPEAL_ATTEMPTS,
    evidence: list[str] | None = None,
    notes: str = "",
) -> PenaltyRecord:
    """Validate the inputs a seller types in and build an ``active`` record with its end time."""
    if source not in PenaltySource.__members__.values():
        raise InvalidInput(f"unknown penalty source {source!r}", details={"field": "source"})
    if reason not in REASON_CATEGORIES:
        raise InvalidInput(f"unknown reason category {reason!r}", details={"field": "reason"})
    if attempts_allowed < 0:
        raise InvalidInput("appeal attempts cannot be negative", details={"field": "attempts_allowed"})
    start = ensure_aware(start)
    if not EARLIEST_START <= start.year <= LATEST_START:
        raise InvalidInput(
            f"start time {start.isoformat()} is outside {EARLIEST_START}-{LATEST_START}",
            details={"field": "start"},
        )
    if duration == "custom":
        if not custom_minutes or not 0 < custom_minutes <= MAX_CUSTOM_MINUTES:
            raise InvalidInput(
                f"a custom duration needs 1 to {MAX_CUSTOM_MINUTES} minutes",
                details={"field": "custom_minutes"},
            )
        end: datetime | None = start + timedelta(minutes=custom_minutes)
    elif duration in DURATIONS:
        span = DURATIONS[duration]
        end = None if span is None else start + span
    else:
        known = ", ".join([*DURATIONS, "custom"])
        raise InvalidInput(f"unknown duration {duration!r} (known: {known})", details={"field": "duration"})
    return PenaltyRecord(
        id=id,
        platform=platform,
        account=account,
        source=PenaltySource(source),
        reason=reason,
        duration=duration,
        start=start,
        end=end,
        attempts_allowed=attempts_allowed,
        evidence=list(evidence or []),
        notes=notes,
    )


Guard = Callable[[PenaltyRecord, datetime], str | None]


def _needs_attempt_left(record: PenaltyRecord, now: datetime) -> str | None:
    if record.attempts_left <= 0:
        return f"all {record.attempts_allowed} appeal attempts are used up"
    return None


def _needs_end_reached(record: PenaltyRecord, now: datetime) -> str | None:
    if record.end is None:
        return "a permanent penalty never expires"
    if now < record.end:
        return f"the end time {record.end.isoformat()} is not reached yet"
    return None


# Conditions on top of the table; a failing guard makes the transition illegal with its reason.
GUARDS: dict[PenaltyEvent, Guard] = {
    PenaltyEvent.APPEAL: _needs_attempt_left,
    PenaltyEvent.EXPIRE: _needs_end_reached,
}


class PenaltyMachine:
    """Applies events to records through ``TRANSITIONS`` and ``GUARDS``, writing the audit history."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def allowed_events(self, record: PenaltyRecord) -> list[PenaltyEvent]:
        now = self.clock.now()
        return [
            event
            for (state, event) in TRANSITIONS
            if state is record.state and (event not in GUARDS or GUARDS[event](record, now) is None)
        ]

    def apply(self, record: PenaltyRecord, event: str, *, actor: str, note: str = "") -> PenaltyRecord:
        try:
            ev = PenaltyEvent(event)
        except ValueError:
            raise InvalidTransition(
                f"penalty {record.id}: unknown event {event!r}",
                details={"record": record.id, "state": str(record.state), "event": event},
            ) from None
        now = self.clock.now()
        target = TRANSITIONS.get((record.state, ev))
        refusal = None if target is None else (GUARDS[ev](record, now) if ev in GUARDS else None)
        if target is None or refusal is not None:
            why = refusal or f"no transition '{ev}' from state '{record.state}'"
            raise InvalidTransition(
                f"penalty {record.id}: cannot '{ev}' while '{record.state}': {why}",
                details={"record": record.id, "state": str(record.state), "event": str(ev)},
            )
        if ev is PenaltyEvent.APPEAL:
            record.attempts_used += 1
        record.history.append(TransitionEntry(str(ev), str(record.state), str(target), actor, now, note))
        record.state = target
        if target is PenaltyState.APPEAL_REJECTED:
            # A rejection puts the mute back in force at once; recorded as its own step.
            self.apply(record, PenaltyEvent.REACTIVATE, actor=SYSTEM_ACTOR, note="申诉驳回后恢复禁言状态")
        return record

    def refresh(self, record: PenaltyRecord) -> PenaltyRecord:
        """Expiry on read: an active record past its end time becomes ``expired`` (permanent never)."""
        if record.state is PenaltyState.ACTIVE and _needs_end_reached(record, self.clock.now()) is None:
            self.apply(record, PenaltyEvent.EXPIRE, actor=SYSTEM_ACTOR, note="禁言到期自动解除")
        return record

    def expire_due(self, records: list[PenaltyRecord]) -> list[PenaltyRecord]:
        """Scheduler entry point: expire every due record, return the ones that changed."""
        return [
            r
            for r in records
            if r.state is PenaltyState.ACTIVE and self.refresh(r).state is PenaltyState.EXPIRED
        ]
