"""Continuity while a seat is muted: routing shares, checklist, auto-replies, recovery tracking."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csguard import Guard
from csguard.errors import InvalidInput
from csguard.penalties.continuity import (
    DEFAULT_AUTO_REPLIES,
    RecoveryPlan,
    RouteShare,
    Seat,
    emergency_checklist,
    propose_routing,
    set_item_status,
    suggest_auto_replies,
    validate_routing,
)

GUARD = Guard(platform="pdd")


def test_routing_prefers_backups_weighted_by_level() -> None:
    seats = [
        Seat("cs01", "senior"),
        Seat("cs02", "mid"),
        Seat("bk1", "senior", is_backup=True),
        Seat("bk2", "junior", is_backup=True),
    ]
    shares = propose_routing("cs01", seats)
    assert shares == [RouteShare("bk1", 67), RouteShare("bk2", 33)]


def test_routing_without_backups_uses_other_active_seats_and_skips_inactive() -> None:
    seats = [
        Seat("cs01"),
        Seat("cs02", "mid"),
        Seat("cs03", "mid"),
        Seat("cs04", "senior", status="disabled"),
    ]
    assert propose_routing("cs01", seats) == [RouteShare("cs02", 50), RouteShare("cs03", 50)]


def test_routing_three_equal_seats_still_sum_to_100() -> None:
    shares = propose_routing("x", [Seat("a"), Seat("b"), Seat("c")])
    assert sorted(s.percent for s in shares) == [33, 33, 34]


def test_routing_with_no_other_seat_is_a_clear_error() -> None:
    with pytest.raises(InvalidInput, match="no active seat besides 'cs01'"):
        propose_routing("cs01", [Seat("cs01"), Seat("cs02", status="muted")])


@given(
    st.lists(
        st.tuples(st.sampled_from(["trial", "junior", "mid", "senior"]), st.booleans()),
        min_size=1,
        max_size=12,
    )
)
def test_routing_shares_always_sum_to_100(levels: list[tuple[str, bool]]) -> None:
    seats = [Seat(f"s{i}", level, is_backup=backup) for i, (level, backup) in enumerate(levels)]
    shares = propose_routing("muted", seats)
    assert sum(s.percent for s in shares) == 100
    assert all(s.percent >= 0 for s in shares)
    validate_routing(shares)


@pytest.mark.parametrize(
    ("shares", "message"),
    [
        ([RouteShare("a", 60), RouteShare("b", 30)], "sum to 100 %, got 90 %"),
        ([RouteShare("a", 120), RouteShare("b", -20)], "between 0 and 100"),
        ([RouteShare("a", 50), RouteShare("a", 50)], "appears twice"),
        ([], "at least one seat"),
    ],
)
def test_edited_routing_is_validated(shares: list[RouteShare], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        validate_routing(shares)


def test_checklist_covers_reporting_handling_notice_and_materials() -> None:
    items = emergency_checklist(
        shop_name="好物小店", account="cs01", appeal_materials=["聊天记录截图", "整改承诺书"]
    )
    keys = [i.key for i in items]
    assert keys == ["report", "handle", "routing", "robot", "notice", "materials"]
    notice = next(i for i in items if i.key == "notice").detail
    assert "好物小店" in notice and GUARD.check(notice).verdict == "allow"
    assert "整改承诺书" in next(i for i in items if i.key == "materials").detail
    assert all(i.status == "todo" for i in items)
    set_item_status(items, "report", "done")
    assert items[0].status == "done"
    with pytest.raises(InvalidInput, match="unknown checklist status"):
        set_item_status(items, "report", "finished")
    with pytest.raises(InvalidInput, match="no checklist item 'x'"):
        set_item_status(items, "x", "done")


def test_auto_reply_suggestions_keep_only_compliant_scripts() -> None:
    scripts = ["亲，今天下午就发货哦", "加我微信abc123详聊", "好评返现5元", "  "]
    assert suggest_auto_replies(scripts, GUARD) == ["亲，今天下午就发货哦"]


def test_auto_reply_falls_back_to_builtin_neutral_scripts() -> None:
    assert suggest_auto_replies(["加我微信abc123详聊"], GUARD) == list(DEFAULT_AUTO_REPLIES)


def rows(agent: str, rates: dict[str, float]) -> list[dict[str, object]]:
    return [
        {"date": d, "agent": agent, "consultations": 40, "late": 0, "reply_rate_3min": r}
        for d, r in rates.items()
    ]


def test_recovery_reached_within_target_days() -> None:
    plan = RecoveryPlan("cs01", date(2026, 11, 3))
    metric_rows = (
        rows("cs01", {"2026-11-02": 0.2, "2026-11-03": 0.6, "2026-11-04": 0.82})
        + rows("cs02", {"2026-11-03": 0.95})
        + [{"date": "2026-11-03", "agent": None, "reply_rate_3min": 0.99}]
    )
    progress = plan.track(metric_rows, today=date(2026, 11, 4))
    assert progress.status == "reached" and progress.reached_on == date(2026, 11, 4)
    assert [(d.day.isoformat(), d.meets_target) for d in progress.days] == [
        ("2026-11-03", False),
        ("2026-11-04", True),
    ]


def test_recovery_missed_after_deadline_and_pending_before_data() -> None:
    plan = RecoveryPlan("cs01", date(2026, 11, 3), target=0.8, within_days=2)
    assert plan.deadline == date(2026, 11, 4)
    assert plan.track([], today=date(2026, 11, 3)).status == "pending"
    slow = rows("cs01", {"2026-11-03": 0.5})
    assert plan.track(slow, today=date(2026, 11, 4)).status == "recovering"
    late = rows("cs01", {"2026-11-03": 0.5, "2026-11-04": 0.7, "2026-11-05": 0.9})
    assert plan.track(late, today=date(2026, 11, 6)).status == "missed"


def test_recovery_accepts_percent_rates() -> None:
    plan = RecoveryPlan("cs01", date(2026, 11, 3))
    assert plan.track(rows("cs01", {"2026-11-03": 85.0}), today=date(2026, 11, 3)).status == "reached"
