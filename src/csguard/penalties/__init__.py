"""Penalties and appeals: pure domain logic (no database, no web).

* ``penalties`` — 禁言 records and their state machine (transitions table, audit history).
* ``continuity`` — routing to backup seats, emergency checklist, auto-replies, recovery plan.
* ``evidence``, ``strategy``, ``drafting``, ``tone`` — the appeal kit.
* ``reviews``, ``review_detectors`` — malicious negative reviews and their appeals.
"""

from csguard.penalties.clock import Clock, FixedClock, SystemClock
from csguard.penalties.machine import (
    TRANSITIONS,
    PenaltyEvent,
    PenaltyMachine,
    PenaltyRecord,
    PenaltySource,
    PenaltyState,
    new_penalty,
)

__all__ = [
    "TRANSITIONS",
    "Clock",
    "FixedClock",
    "PenaltyEvent",
    "PenaltyMachine",
    "PenaltyRecord",
    "PenaltySource",
    "PenaltyState",
    "SystemClock",
    "new_penalty",
]
