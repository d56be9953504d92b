"""The penalty state machine: every allowed and every illegal transition, expiry, attempts, audit."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from csguard.errors import InvalidInput, InvalidTransition
from csguard.penalties.clock import FixedClock
from csguard.penalties.machine import (
    GUARDS,
    TRANSITIONS,
    PenaltyEvent,
    PenaltyMachine,
    PenaltyRecord,
    PenaltyState,
    attempts_for_platform,
    new_penalty,
)

START = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def make(duration: str = "24h", **kw: object) -> PenaltyRecord:
    values: dict[str, object] = {
        "id": "pen-1",
        "platform": "pdd",
        "account": "cs01",
        "source": "system_auto",
        "reason": "offsite_diversion",
        "duration": duration,
        "start": START,
    }
    values.update(kw)
    return new_penalty(**values)  # type: ignore[arg-type]


def in_state(state: PenaltyState, clock: FixedClock, duration: str = "24h") -> PenaltyRecord:
    """Drive a fresh record into ``state`` through legal events only."""
    record = make(duration)
    machine = PenaltyMachine(clock)
    paths = {
        PenaltyState.ACTIVE: [],
        PenaltyState.APPEALING: ["appeal"],
        PenaltyState.APPEAL_APPROVED: ["appeal", "approve"],
        PenaltyState.EXPIRED: [],
    }
    for event in paths[state]:
        machine.apply(record, event, actor="tester")
    if state is PenaltyState.EXPIRED:
        clock.set(START + timedelta(days=2))
        machine.apply(record, "expire", actor="tester")
    return record


def test_table_is_exactly_the_documented_life_cycle() -> None:
    assert {(s.value, e.value, t.value) for (s, e), t in TRANSITIONS.items()} == {
        ("active", "appeal", "appealing"),
        ("active", "expire", "expired"),
        ("appealing", "approve", "appeal_approved"),
        ("appealing", "reject", "appeal_rejected"),
        ("appeal_rejected", "reactivate", "active"),
    }


REACHABLE = [PenaltyState.ACTIVE, PenaltyState.APPEALING, PenaltyState.APPEAL_APPROVED, PenaltyState.EXPIRED]


@pytest.mark.parametrize(
    ("state", "event"),
    [(s, e) for s, e in itertools.product(REACHABLE, PenaltyEvent) if (s, e) not in TRANSITIONS],
    ids=lambda v: str(v),
)
def test_every_illegal_transition_raises_naming_record_state_and_event(
    state: PenaltyState, event: PenaltyEvent
) -> None:
    clock = FixedClock(START)
    record = in_state(state, clock)
    history_before = list(record.history)
    with pytest.raises(InvalidTransition) as err:
        PenaltyMachine(clock).apply(record, event, actor="tester")
    message = str(err.value)
    assert "pen-1" in message and f"'{state}'" in message and f"'{event}'" in message
    assert err.value.details == {"record": "pen-1", "state": str(state), "event": str(event)}
    assert err.value.status_code == 409
    assert record.state is state and record.history == history_before


def test_illegal_events_from_appeal_rejected_state() -> None:
    # appeal_rejected is left at once by the automatic reactivate; checked on a record placed there.
    clock = FixedClock(START)
    record = make()
    record.state = PenaltyState.APPEAL_REJECTED
    machine = PenaltyMachine(clock)
    for event in PenaltyEvent:
        if event is PenaltyEvent.REACTIVATE:
            continue
        with pytest.raises(InvalidTransition, match="appeal_rejected"):
            machine.apply(record, event, actor="tester")
    machine.apply(record, "reactivate", actor="tester")
    assert record.state is PenaltyState.ACTIVE


def test_allowed_transitions_are_each_reachable_and_audited() -> None:
    clock = FixedClock(START)
    machine = PenaltyMachine(clock)
    covered: set[tuple[str, str]] = set()
    # Path 1: appeal -> reject (-> reactivate) -> appeal -> approve.
    record = make()
    for event, actor in [
        ("appeal", "owner"),
        ("reject", "supervisor"),
        ("appeal", "owner"),
        ("approve", "supervisor"),
    ]:
        clock.advance(timedelta(minutes=5))
        machine.apply(record, event, actor=actor, note=f"{event} note")
    covered |= {(h.from_state, h.event) for h in record.history}
    assert record.state is PenaltyState.APPEAL_APPROVED
    assert [(h.event, h.from_state, h.to_state, h.actor) for h in record.history] == [
        ("appeal", "active", "appealing", "owner"),
        ("reject", "appealing", "appeal_rejected", "supervisor"),
        ("reactivate", "appeal_rejected", "active", "system"),
        ("appeal", "active", "appealing", "owner"),
        ("approve", "appealing", "appeal_approved", "supervisor"),
    ]
    assert [h.at for h in record.history] == [START + timedelta(minutes=m) for m in (5, 10, 10, 15, 20)]
    # Path 2: expiry.
    expiring = make()
    clock.set(START + timedelta(hours=24))
    machine.apply(expiring, "expire", actor="scheduler")
    covered |= {(h.from_state, h.event) for h in expiring.history}
    assert covered == {(s.value, e.value) for s, e in TRANSITIONS}


def test_unknown_event_is_an_invalid_transition() -> None:
    with pytest.raises(InvalidTransition, match="unknown event 'lift'"):
        PenaltyMachine(FixedClock(START)).apply(make(), "lift", actor="x")


def test_attempts_run_out_after_two_rejections() -> None:
    clock = FixedClock(START)
    machine = PenaltyMachine(clock)
    record = make()
    assert record.attempts_left == 2
    for left in (1, 0):
        machine.apply(record, "appeal", actor="owner")
        machine.apply(record, "reject", actor="platform")
        assert record.state is PenaltyState.ACTIVE and record.attempts_left == left
    assert PenaltyEvent.APPEAL not in machine.allowed_events(record)
    with pytest.raises(InvalidTransition, match="all 2 appeal attempts are used up"):
        machine.apply(record, "appeal", actor="owner")


def test_attempts_allowed_follow_platform_setting() -> None:
    assert attempts_for_platform("pdd") == 2
    assert attempts_for_platform("douyin", {"douyin": 1}) == 1
    clock = FixedClock(START)
    record = make(attempts_allowed=1)
    machine = PenaltyMachine(clock)
    machine.apply(record, "appeal", actor="o")
    machine.apply(record, "reject", actor="p")
    with pytest.raises(InvalidTransition, match="used up"):
        machine.apply(record, "appeal", actor="o")


@pytest.mark.parametrize(
    ("duration", "custom", "span"),
    [
        ("10m", None, timedelta(minutes=10)),
        ("24h", None, timedelta(hours=24)),
        ("3d", None, timedelta(days=3)),
        ("7d", None, timedelta(days=7)),
        ("custom", 90, timedelta(minutes=90)),
    ],
)
def test_expiry_on_read_exactly_at_end_time(duration: str, custom: int | None, span: timedelta) -> None:
    clock = FixedClock(START)
    machine = PenaltyMachine(clock)
    record = make(duration, custom_minutes=custom)
    assert record.end == START + span
    clock.set(START + span - timedelta(seconds=1))
    assert machine.refresh(record).state is PenaltyState.ACTIVE
    with pytest.raises(InvalidTransition, match="not reached yet"):
        machine.apply(record, "expire", actor="x")
    clock.set(START + span)
    assert machine.refresh(record).state is PenaltyState.EXPIRED
    assert record.history[-1].actor == "system" and record.history[-1].at == START + span
    assert record.countdown(clock.now()) == "已到期解除"


def test_permanent_penalty_never_expires() -> None:
    clock = FixedClock(START)
    machine = PenaltyMachine(clock)
    record = make("permanent")
    clock.set(START + timedelta(days=3650))
    assert machine.refresh(record).state is PenaltyState.ACTIVE
    assert machine.expire_due([record]) == []
    with pytest.raises(InvalidTransition, match="permanent penalty never expires"):
        machine.apply(record, "expire", actor="x")
    assert record.countdown(clock.now()) == "永久"


def test_scheduler_expires_only_due_active_records() -> None:
    clock = FixedClock(START)
    machine = PenaltyMachine(clock)
    short, long_, appealing = make("10m"), make("7d"), make("10m")
    machine.apply(appealing, "appeal", actor="o")
    clock.advance(timedelta(hours=1))
    assert machine.expire_due([short, long_, appealing]) == [short]
    assert appealing.state is PenaltyState.APPEALING  # a pending appeal is decided by the platform first


def test_countdown_text() -> None:
    record = make("3d")
    assert record.countdown(START) == "3天0小时"
    assert record.countdown(START + timedelta(days=2, hours=23, minutes=30)) == "30分钟"
    assert record.countdown(START + timedelta(days=2, hours=20)) == "4小时0分钟"


@pytest.mark.parametrize(
    ("field", "value"),
    [("source", "robot"), ("reason", "rudeness"), ("duration", "2w"), ("attempts_allowed", -1)],
)
def test_bad_input_names_the_field(field: str, value: object) -> None:
    with pytest.raises(InvalidInput) as err:
        make(**{field: value})
    assert err.value.details["field"] == field


def test_custom_duration_needs_minutes() -> None:
    with pytest.raises(InvalidInput) as err:
        make("custom")
    assert err.value.details["field"] == "custom_minutes"


def test_guards_only_on_appeal_and_expire() -> None:
    assert set(GUARDS) == {PenaltyEvent.APPEAL, PenaltyEvent.EXPIRE}


def test_appeal_number_counts_the_attempt_in_progress() -> None:
    machine = PenaltyMachine(FixedClock(START))
    record = make()
    assert record.appeal_number == 1
    machine.apply(record, "appeal", actor="o")
    assert record.appeal_number == 1
    machine.apply(record, "reject", actor="p")
    assert record.appeal_number == 2
