"""Small pieces of the dashboard: highlighting segments, date filters, log-in throttle."""

from __future__ import annotations

import time
from datetime import date, timedelta

from csguard.results import Finding
from csguard.services.views import agent_stats, reply_rate
from csguard.web.filters import MAX_DAYS, date_range
from csguard.web.highlight import segments
from csguard.web.throttle import LoginThrottle


def _finding(start: int, end: int, text: str, severity: str = "high") -> Finding:
    return Finding("r", "offsite_diversion", severity, start, end, text[start:end], "", "", "", "")  # type: ignore[arg-type]


def test_segments_cover_the_text_once_and_carry_overlapping_findings() -> None:
    text = "加我微信号详聊"
    outer = _finding(2, 5, text, "critical")
    inner = _finding(2, 4, text, "medium")
    parts = segments(text, [outer, inner])
    assert "".join(p.text for p in parts) == text
    assert [(p.text, len(p.findings)) for p in parts] == [("加我", 0), ("微信", 2), ("号", 1), ("详聊", 0)]
    assert parts[1].severity == "critical"


def test_segments_ignore_spans_outside_the_text() -> None:
    parts = segments("你好", [_finding(1, 9, "你好" + "x" * 7)])
    assert [p.text for p in parts] == ["你好"]
    assert segments("", []) == []


ZONE = "Asia/Shanghai"


def test_date_range_defaults_swaps_and_caps() -> None:
    default = date_range("", "", ZONE)
    assert (default.last - default.first).days == 6
    assert not default.error
    swapped = date_range("2026-03-10", "2026-03-01", ZONE)
    assert (swapped.first, swapped.last) == (date(2026, 3, 1), date(2026, 3, 10))
    capped = date_range("2020-01-01", "2026-01-01", ZONE)
    assert capped.last - capped.first == timedelta(days=MAX_DAYS - 1)
    assert capped.error
    assert date_range("yesterday", "", ZONE).error
    window = date_range("2026-03-01", "2026-03-01", ZONE).window
    assert window.end - window.start == timedelta(days=1)
    assert window.start.utcoffset() == timedelta(0)
    assert window.start.hour == 16  # local midnight in Asia/Shanghai


def test_throttle_blocks_after_failures_and_forgets_after_the_window() -> None:
    throttle = LoginThrottle(max_failures=2, window_s=0.2)
    key = ("127.0.0.1", "店", "user")
    throttle.failed(key)
    assert not throttle.blocked(key)
    throttle.failed(key)
    assert throttle.blocked(key)
    assert not throttle.blocked(("127.0.0.1", "店", "other"))
    time.sleep(0.25)
    assert not throttle.blocked(key)
    throttle.failed(key)
    throttle.succeeded(key)
    throttle.failed(key)
    assert not throttle.blocked(key)


def test_throttle_memory_is_bounded() -> None:
    throttle = LoginThrottle(max_failures=5, max_keys=100)
    for number in range(1000):
        throttle.failed(("ip", "shop", f"user{number}"))
    assert len(throttle._failures) <= 100


def test_reply_rate_sums_days_and_agent_stats_weights_first_response() -> None:
    rows = [
        {"date": "2026-03-01", "agent": None, "consultations": 10, "late": 1},
        {"date": "2026-03-02", "agent": None, "consultations": 30, "late": 9},
        {
            "date": "2026-03-01",
            "agent": "a1",
            "consultations": 4,
            "late": 0,
            "avg_first_response_s": 30.0,
            "agent_messages": 9,
        },
        {
            "date": "2026-03-02",
            "agent": "a1",
            "consultations": 12,
            "late": 4,
            "avg_first_response_s": 70.0,
            "agent_messages": 20,
        },
        {
            "date": "2026-03-02",
            "agent": "ghost",
            "consultations": 0,
            "late": 0,
            "avg_first_response_s": None,
            "agent_messages": 3,
        },
    ]
    week = reply_rate(rows)
    assert (week.consultations, week.late) == (40, 10)
    assert week.rate == 0.75
    assert reply_rate(rows, day="2026-03-01").rate == 0.9
    assert reply_rate([]).rate is None
    by_name = {s.name: s for s in agent_stats(rows, [], [])}
    assert set(by_name) == {"a1", "ghost"}
    assert by_name["a1"].reply.rate == 0.75
    assert by_name["a1"].avg_first_response_s == (4 * 30 + 12 * 70) / 16
    assert by_name["a1"].agent_messages == 29
    assert by_name["ghost"].avg_first_response_s is None
