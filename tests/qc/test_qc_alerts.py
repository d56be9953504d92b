"""Alert thresholds and group-robot webhooks (a local HTTP server, never the internet)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import socket
import urllib.parse

from qc_support import Hook, chat_log

from csguard import Guard
from csguard.qc.alerts import Alert, AlertThresholds, NotifyTarget, evaluate, notify
from csguard.qc.config import QcConfig
from csguard.qc.notifiers import notifiers
from csguard.qc.runner import run_qc

ALERTS = [
    Alert(
        "reply_rate",
        "critical",
        "2024-05-01",
        "s",
        None,
        0.5,
        0.8,
        "2024-05-01 全店3分钟人工回复率 50.0%，低于 80%",
    ),
    Alert("violations", "warning", "2024-05-01", "s", None, 7, 5, "2024-05-01 客服违规话术 7 条"),
]


def no_sleep(_: float) -> None:
    pass


def closed_port_url() -> str:
    """A local URL nothing listens on: a port the OS just handed out and took back."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/robot"


def test_dingtalk_markdown_with_signature(hook: Hook) -> None:
    [outcome] = notify(ALERTS, [NotifyTarget("dingtalk", hook.url, "SECret")], sleep=no_sleep)
    assert outcome.ok and outcome.attempts == 1
    path, body = hook.requests[0]
    assert body["msgtype"] == "markdown"
    assert "3分钟人工回复率" in body["markdown"]["text"] and body["markdown"]["title"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    assert query["access_token"] == ["t"]
    timestamp = query["timestamp"][0]
    expected = hmac.new(b"SECret", f"{timestamp}\nSECret".encode(), hashlib.sha256).digest()
    assert base64.b64decode(query["sign"][0]) == expected


def test_wecom_markdown(hook: Hook) -> None:
    [outcome] = notify(ALERTS, [NotifyTarget("wecom", hook.url)], sleep=no_sleep)
    assert outcome.ok
    body = hook.requests[0][1]
    assert body["msgtype"] == "markdown" and "违规话术" in body["markdown"]["content"]


def test_feishu_card_and_text_with_signature(hook: Hook) -> None:
    hook.replies = [(200, {"code": 0, "msg": "success"})]
    [outcome] = notify(ALERTS, [NotifyTarget("feishu", hook.url, "s3")], sleep=no_sleep)
    assert outcome.ok
    body = hook.requests[0][1]
    assert body["msg_type"] == "interactive"
    assert body["card"]["header"]["template"] == "red"
    key = f"{body['timestamp']}\ns3".encode()
    assert body["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    text = notifiers.get("feishu")(hook.url, style="text").payload(ALERTS, "标题")  # type: ignore[call-arg]
    assert text["msg_type"] == "text" and text["content"]["text"].startswith("标题")


def test_server_errors_are_retried_with_backoff(hook: Hook) -> None:
    hook.replies = [(500, {}), (502, {})]
    waits: list[float] = []
    [outcome] = notify(
        ALERTS, [NotifyTarget("wecom", hook.url)], retries=3, backoff_s=0.5, sleep=waits.append
    )
    assert outcome.ok and outcome.attempts == 3
    assert waits == [0.5, 1.0]


def test_failures_are_reported_not_raised(hook: Hook) -> None:
    hook.replies = [(500, {})] * 3
    [down] = notify(ALERTS, [NotifyTarget("dingtalk", hook.url)], retries=2, sleep=no_sleep)
    assert not down.ok and down.attempts == 3 and "HTTP 500" in (down.error or "")
    hook.replies = [(200, {"errcode": 310000, "errmsg": "sign not match"})]
    [refused] = notify(ALERTS, [NotifyTarget("dingtalk", hook.url)], sleep=no_sleep)
    assert not refused.ok and "310000" in (refused.error or "")
    hook.replies = [(404, {})]
    [missing] = notify(ALERTS, [NotifyTarget("wecom", hook.url)], retries=3, sleep=no_sleep)
    assert not missing.ok and missing.attempts == 1  # a client error is not retried
    [unknown] = notify(ALERTS, [NotifyTarget("pager", hook.url)], sleep=no_sleep)
    assert not unknown.ok and "pager" in (unknown.error or "")
    [closed] = notify(
        ALERTS, [NotifyTarget("wecom", closed_port_url())], retries=1, sleep=no_sleep, timeout_s=2
    )
    assert not closed.ok and closed.attempts == 2


def test_nothing_is_sent_without_alerts(hook: Hook) -> None:
    assert notify([], [NotifyTarget("wecom", hook.url)]) == []
    assert hook.requests == []


def test_thresholds_produce_alerts(pdd_guard: Guard) -> None:
    log = chat_log(
        [
            ("A", "10:00:00", "buyer", None, "在吗"),
            ("A", "10:05:00", "agent", "小美", "好评返现5元"),
            ("B", "11:00:00", "buyer", None, "不处理我就去12315投诉你们"),
            ("B", "11:01:00", "agent", "小美", "加我微信abc123详聊"),
        ]
    )
    config = QcConfig(alerts=AlertThresholds(max_violations_per_day=1, max_complaint_signals_per_day=0))
    result = run_qc(log, platform="pdd", config=config, guard=pdd_guard)
    kinds = {(a.kind, a.agent) for a in result.alerts}
    assert kinds == {
        ("reply_rate", None),
        ("agent_reply_rate", "小美"),
        ("violations", None),
        ("complaints", None),
    }
    rate = next(a for a in result.alerts if a.kind == "reply_rate")
    assert (rate.value, rate.threshold, rate.date) == (0.5, 0.8, "2024-05-01")
    relaxed = AlertThresholds(
        min_reply_rate=0.5,
        agent_min_reply_rate=None,
        max_violations_per_day=2,
        max_complaint_signals_per_day=1,
    )
    assert evaluate(result, relaxed) == []
