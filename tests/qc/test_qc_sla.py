"""The worked examples of docs/qc.md ("SLA definitions"), computed by hand."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from qc_support import chat_log

from csguard.qc.sla import SlaConfig, compute_metrics

# docs/qc.md, example 1 (2024-05-01, Asia/Shanghai).
EXAMPLE_1 = [
    ("A", "10:00:00", "buyer", None, "在吗"),
    ("A", "10:00:05", "robot", None, "欢迎光临，客服马上为您服务"),
    ("A", "10:00:30", "buyer", None, "这个什么时候发货？"),
    ("A", "10:02:30", "agent", "小美", "亲，今天下午就发货哦"),
    ("A", "10:10:00", "buyer", None, "能便宜点吗"),
    ("A", "10:14:00", "agent", "小美", "[优惠券]"),
    ("B", "22:59:00", "buyer", None, "还在吗"),
    ("B", "23:02:00", "agent", "阿杰", "在的，您说"),
    ("C", "07:50:00", "buyer", None, "有人吗"),
    ("C", "08:10:00", "agent", "阿杰", "早上好，在的"),
    ("D", "07:55:00", "buyer", None, "在吗"),
    ("D", "08:01:00", "buyer", None, "怎么没人"),
    ("D", "08:03:00", "agent", "阿杰", "抱歉久等了"),
    ("E", "15:00:00", "buyer", None, "发什么快递？"),
    ("E", "15:00:10", "robot", None, "亲，默认中通快递"),
]


def rows_by_agent(rows: list[dict[str, Any]], date: str = "2024-05-01") -> dict[str | None, dict[str, Any]]:
    return {r["agent"]: r for r in rows if r["date"] == date}


def test_pdd_counts_buyers_per_day_inside_service_hours() -> None:
    rows = rows_by_agent(compute_metrics(chat_log(EXAMPLE_1), platform="pdd"))
    shop = rows[None]
    # A (late second round), B (on time at exactly 180 s), D (timed from 08:01), E (robot only) -- C is outside.
    assert shop["consultations"] == 4
    assert shop["late"] == 2
    assert shop["reply_rate_3min"] == pytest.approx(0.5)
    assert shop["unanswered"] == 1
    assert shop["avg_first_response_s"] == pytest.approx((150 + 180 + 120) / 3)
    assert shop["avg_response_s"] == pytest.approx((150 + 240 + 180 + 120) / 4)
    assert shop["robot_share"] == pytest.approx(2 / 7, abs=1e-4)
    assert shop["rounds"] == 5


def test_pdd_per_agent_rows_credit_the_replying_agent() -> None:
    rows = rows_by_agent(compute_metrics(chat_log(EXAMPLE_1), platform="pdd"))
    assert (rows["小美"]["consultations"], rows["小美"]["late"], rows["小美"]["reply_rate_3min"]) == (
        1,
        1,
        0.0,
    )
    assert (rows["阿杰"]["consultations"], rows["阿杰"]["late"], rows["阿杰"]["reply_rate_3min"]) == (
        2,
        0,
        1.0,
    )
    assert rows["阿杰"]["agent_messages"] == 3  # C's reply is sent but C's message is outside service hours
    assert rows["小美"]["robot_share"] is None


def test_douyin_counts_every_round() -> None:
    shop = rows_by_agent(compute_metrics(chat_log(EXAMPLE_1, platform="douyin"), platform="douyin"))[None]
    assert (shop["consultations"], shop["late"]) == (5, 2)  # rounds A1 A2 B D E; A2 and E late
    assert shop["reply_rate_3min"] == pytest.approx(0.6)


def test_taobao_averages_per_dialogue_capped_at_ten_minutes_any_hour() -> None:
    shop = rows_by_agent(compute_metrics(chat_log(EXAMPLE_1, platform="taobao"), platform="taobao"))[None]
    # Dialogues: A mean(150, 240) = 195; B 180; C 1200 -> capped 600; D from 07:55 = 480; E unanswered.
    assert shop["avg_response_s"] == pytest.approx((195 + 180 + 600 + 480) / 4)
    assert (shop["consultations"], shop["late"]) == (5, 4)
    assert shop["reply_rate_3min"] == pytest.approx(0.2)


# docs/qc.md, example 2: a conversation across midnight.
EXAMPLE_2 = [
    ("G", "2024-05-01 22:58:00", "buyer", None, "明天能发吗"),
    ("G", "2024-05-01 23:30:00", "robot", None, "客服已下班"),
    ("G", "2024-05-02 08:02:00", "buyer", None, "人呢"),
    ("G", "2024-05-02 08:05:00", "agent", "小美", "亲，今天发"),
    ("G", "2024-05-02 08:05:30", "robot", None, "感谢您的咨询"),
]


def test_pdd_midnight_round_is_timed_again_on_the_next_day() -> None:
    rows = compute_metrics(chat_log(EXAMPLE_2), platform="pdd")
    day1 = rows_by_agent(rows, "2024-05-01")[None]
    day2 = rows_by_agent(rows, "2024-05-02")[None]
    assert (day1["consultations"], day1["late"]) == (1, 1)  # 22:58 -> 08:05 next day
    assert (day2["consultations"], day2["late"]) == (1, 0)  # 08:02 -> 08:05 = 180 s
    assert day2["avg_response_s"] == pytest.approx(180)
    # The unanswered-by-human round of day 1 is charged to the agent who finally answered it.
    assert rows_by_agent(rows, "2024-05-01")["小美"]["late"] == 1


def test_taobao_excludes_rounds_answered_on_another_day() -> None:
    log = chat_log(
        [
            ("F", "2024-05-01 23:58:00", "buyer", None, "在吗"),
            ("F", "2024-05-02 00:01:00", "agent", "小美", "在的"),
            ("F", "2024-05-02 10:00:00", "buyer", None, "发货了吗"),
            ("F", "2024-05-02 10:01:00", "agent", "小美", "发了"),
        ],
        platform="taobao",
    )
    rows = compute_metrics(log, platform="taobao")
    assert rows_by_agent(rows, "2024-05-01")[None]["avg_response_s"] is None
    assert rows_by_agent(rows, "2024-05-02")[None]["avg_response_s"] == pytest.approx(60)


def test_service_hours_and_threshold_are_configurable() -> None:
    config = SlaConfig(threshold_s=240, service_start=time(7, 0), service_end=time(23, 0))
    shop = rows_by_agent(compute_metrics(chat_log(EXAMPLE_1), platform="pdd", config=config))[None]
    # C now counts (07:50 -> 08:10, late); D is timed from 07:55 (480 s, late); A2 (240 s) is on time.
    assert (shop["consultations"], shop["late"]) == (5, 3)


def test_window_keeps_the_last_days() -> None:
    rows = compute_metrics(chat_log(EXAMPLE_2), platform="pdd", config=SlaConfig(window_days=1))
    assert {r["date"] for r in rows} == {"2024-05-02"}


def test_all_day_counts_night_messages() -> None:
    shop = rows_by_agent(
        compute_metrics(chat_log(EXAMPLE_1), platform="pdd", config=SlaConfig(all_day=True))
    )[None]
    assert shop["consultations"] == 5  # C joins


def test_row_order_of_the_frame_does_not_matter() -> None:
    log = chat_log(EXAMPLE_1 + EXAMPLE_2)
    shuffled = log.sample(fraction=1.0, shuffle=True, seed=4)
    assert compute_metrics(shuffled, platform="pdd") == compute_metrics(log, platform="pdd")
