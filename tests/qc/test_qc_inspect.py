"""QC findings: guard violations, buyer risk, passive service, PII echo."""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from typing import Any

import polars as pl
from qc_support import chat_log

from csguard import Guard
from csguard.qc.inspect import PassiveConfig, inspect_conversations
from csguard.qc.textcheck import UniqueTextChecker, check_unique

LOG = [
    ("V", "10:00:00", "buyer", None, "这个什么时候发货？"),
    ("V", "10:01:00", "agent", "小美", "加我微信abc123详聊"),
    ("R", "11:00:00", "buyer", None, "不处理我就去12315投诉你们"),
    ("R", "11:01:00", "agent", "阿杰", "亲，今天下午就发货哦"),
    ("Q", "12:00:00", "buyer", None, "这个枕头是什么材质的？"),
    ("Q", "12:00:30", "agent", "大伟", "亲，在的"),
    ("P", "12:10:00", "buyer", None, "在吗"),
    ("P", "12:10:20", "agent", "大伟", "亲，在的"),
    ("P2", "12:20:00", "buyer", None, "在吗"),
    ("P2", "12:20:20", "agent", "大伟", "亲，在的"),
    ("S", "14:00:00", "buyer", None, "发什么快递？"),
    ("S", "14:15:00", "agent", "阿杰", "亲，默认中通快递"),
    ("U", "15:00:00", "buyer", None, "还有货吗？"),
    ("I", "16:00:00", "buyer", None, "我的电话是13812345678，地址南京市玄武区中山路100号"),
    ("I", "16:01:00", "agent", "晓雯", "好的，13812345678 中山路100号 已登记"),
]


def findings(guard: Guard, **config: Any) -> list[dict[str, Any]]:
    found = inspect_conversations(chat_log(LOG), guard, config=PassiveConfig(**config) if config else None)
    return [f.to_dict() for f in found]


def by_category(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        out.setdefault(item["category"], []).append(item)
    return out


def test_agent_violation_links_message_and_context(pdd_guard: Guard) -> None:
    hit = [f for f in by_category(findings(pdd_guard))["offsite_diversion"] if f["conversation_id"] == "V"]
    assert len(hit) == 1
    assert hit[0]["kind"] == "violation"
    assert (hit[0]["conversation_id"], hit[0]["message_id"], hit[0]["agent"]) == ("V", "m1", "小美")
    assert hit[0]["detail"]["context"] == [{"sender": "buyer", "text": "这个什么时候发货？"}]
    assert hit[0]["severity"] in ("critical", "high")


def test_buyer_risk_links_conversation_and_message(pdd_guard: Guard) -> None:
    risk = [r for r in by_category(findings(pdd_guard))["complaint_threat"] if r["conversation_id"] == "R"]
    assert [(r["kind"], r["message_id"]) for r in risk] == [("risk", "m2")]


def test_passive_service(pdd_guard: Guard) -> None:
    found = by_category(findings(pdd_guard, repeat_min_count=3, repeat_min_share=0.5))
    # "在吗" -> "亲，在的" is a fair answer; a material question is not.
    assert [f["message_id"] for f in found["ignored_question"]] == ["m5"]
    assert found["ignored_question"][0]["detail"]["context"][0]["text"] == "这个枕头是什么材质的？"
    repeated = found["repeated_reply"]
    assert [(r["agent"], r["detail"]["value"]) for r in repeated] == [("大伟", 3.0)]
    silence = found["long_silence"]
    assert [(s["conversation_id"], s["message_id"], s["detail"]["value"]) for s in silence] == [
        ("S", "m10", 900.0)
    ]
    assert [u["conversation_id"] for u in found["unanswered"]] == ["U"]


def test_repeated_reply_needs_both_count_and_share(pdd_guard: Guard) -> None:
    assert "repeated_reply" not in by_category(findings(pdd_guard, repeat_min_count=4))


def test_agent_repeating_buyer_pii_is_found_and_masked(pdd_guard: Guard) -> None:
    items = findings(pdd_guard)
    echo = by_category(items)["buyer_pii_repeated"]
    assert [(e["kind"], e["message_id"], e["agent"]) for e in echo] == [("privacy", "m14", "晓雯")]
    dumped = json.dumps(items, ensure_ascii=False)
    assert "13812345678" not in dumped
    assert "138****5678" in dumped


def test_clean_chat_has_no_guard_findings(pdd_guard: Guard) -> None:
    log = chat_log(
        [("c", "10:00:00", "buyer", None, "在吗"), ("c", "10:00:30", "agent", "小美", "亲，今天下午就发货哦")]
    )
    assert inspect_conversations(log, pdd_guard) == []


class CountingGuard:
    """A Guard stand-in that counts calls, to prove each distinct text is checked once."""

    def __init__(self, guard: Guard) -> None:
        self.guard = guard
        self.platform = guard.platform
        self.calls: Counter[str] = Counter()

    def check(self, text: str) -> Any:
        self.calls[text] += 1
        return self.guard.check(text)

    def triage(self, text: str) -> Any:
        self.calls[text] += 1
        return self.guard.triage(text)


def test_each_distinct_text_is_checked_once(pdd_guard: Guard) -> None:
    rows = [
        (
            "c",
            f"10:{i:02d}:00",
            "agent" if i % 2 else "buyer",
            "小美" if i % 2 else None,
            "好评返现5元" if i % 2 else "在吗",
        )
        for i in range(40)
    ]
    counting = CountingGuard(pdd_guard)
    found = inspect_conversations(chat_log(rows), counting)  # type: ignore[arg-type]
    assert counting.calls == Counter({"好评返现5元": 1, "在吗": 1})
    assert sum(f.category == "review_manipulation" for f in found) == 20


class SplitBrainGuard:
    """Picklable guard stand-in that behaves differently in helper processes.

    ``in_helpers="fail"`` raises there (after a successful warm-up), ``"work"`` checks normally; this process is slowed
    down, so that the helpers' answers certainly arrive before it is done.
    """

    platform = "pdd"
    _guard: Guard | None = None

    def __init__(self, in_helpers: str) -> None:
        self.in_helpers = in_helpers
        self.creator = os.getpid()  # pickled with the guard: helpers see the test's pid

    def _real(self, text: str) -> Guard:
        if os.getpid() != self.creator and self.in_helpers == "fail" and text != "warm-up":
            raise RuntimeError("broken helper")
        if os.getpid() == self.creator:
            time.sleep(0.005)  # this process is the slow one: helpers' answers arrive in time
        if SplitBrainGuard._guard is None:
            SplitBrainGuard._guard = Guard(platform="pdd")
        return SplitBrainGuard._guard

    def check(self, text: str) -> Any:
        return self._real(text).check(text)

    def triage(self, text: str) -> Any:
        return self._real(text).triage(text)


TEXTS = pl.Series([f"加我微信abc{i}详聊" for i in range(100)] + ["全网最好的枕头", "亲，今天下午就发货哦"])


def test_helper_process_checks_like_this_process(pdd_guard: Guard) -> None:
    serial = check_unique(TEXTS, pdd_guard, mode="check", workers=1).sort("text", "category")
    with UniqueTextChecker(SplitBrainGuard("work"), workers=2, chunk=4) as checker:  # type: ignore[arg-type]
        checker.warm_up(len(TEXTS), wait=True)
        shared = checker.hits(TEXTS, mode="check").sort("text", "category")
        assert checker.helped >= 1  # the helper really checked part of the texts
    assert serial.equals(shared)
    assert set(serial["category"]) == {"offsite_diversion", "absolute_claim"}


def test_a_failing_helper_does_not_lose_texts(pdd_guard: Guard) -> None:
    serial = check_unique(TEXTS, pdd_guard, mode="check", workers=1).sort("text", "category")
    with UniqueTextChecker(SplitBrainGuard("fail"), workers=2, chunk=4) as checker:  # type: ignore[arg-type]
        checker.warm_up(len(TEXTS), wait=True)
        shared = checker.hits(TEXTS, mode="check").sort("text", "category")
        assert checker.workers == 1  # the failing helper was retired, its parts checked here
    assert serial.equals(shared)
