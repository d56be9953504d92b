"""The demo traffic generator: deterministic, exact size, every kind of trouble present."""

from __future__ import annotations

from datetime import date

from csguard import Guard
from csguard.qc.demo import AGENTS, generate_events
from csguard.qc.events import parse_event


def test_same_seed_same_events() -> None:
    first = list(generate_events(messages=500, seed=11, start=date(2024, 5, 1)))
    again = list(generate_events(messages=500, seed=11, start=date(2024, 5, 1)))
    other = list(generate_events(messages=500, seed=12, start=date(2024, 5, 1)))
    assert first == again and first != other
    assert len(first) == 500


def test_events_are_valid_and_varied(pdd_guard: Guard) -> None:
    events = list(generate_events(messages=4000, seed=1, days=7, start=date(2024, 5, 1)))
    parsed = [parse_event(e, where=f"demo:{i}") for i, e in enumerate(events)]
    assert {e.sender for e in parsed} == {"buyer", "agent", "robot"}
    assert {e.agent for e in parsed if e.agent} == {a.name for a in AGENTS}
    assert {e.ts.date().isoformat() for e in parsed} >= {f"2024-05-0{d}" for d in range(1, 8)}
    assert {"coupon", "product_card", "order_card"} <= {e.type for e in parsed}
    agent_texts = {e.text for e in parsed if e.sender == "agent"}
    buyer_texts = {e.text for e in parsed if e.sender == "buyer"}
    categories = {c for t in agent_texts for c in pdd_guard.check(t).categories}
    assert {"offsite_diversion", "review_manipulation", "absolute_claim", "abusive_language"} <= categories
    signals = {s for t in buyer_texts for s in pdd_guard.triage(t).signals}
    assert {"complaint_threat", "extortion", "abuse"} <= signals
    hours = [e.ts.hour for e in parsed if e.sender == "buyer"]
    assert sum(10 <= h < 23 for h in hours) > sum(h < 7 for h in hours) * 5  # busy days, quiet nights
