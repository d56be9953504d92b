"""The batch path must give exactly what checking each message alone gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csguard import Guard

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
SAMPLES = [
    "亲，今天下午就发货哦",
    "加个VX详聊",
    "加我🐧 2837465910",  # a multi-character fold forces the per-message path
    "她的收货地址是南京市鼓楼区中山北路200号7栋1203",
    "照片发我邮箱 shop123@163.com",
    "",
    "微\u200b信",
    "收件人何静 电话13916574820",
    "好评返現2元",
    "全网最好的枕头",
    "ꀀ",  # the batch separator itself inside a message
]


def corpus() -> list[str]:
    texts = list(SAMPLES)
    for name in ("dev_outbound.jsonl", "dev_inbound.jsonl"):
        path = EVAL / name
        if path.exists():
            texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line]
    return texts


@pytest.mark.parametrize("platform", ["pdd", "taobao", "tmall", "douyin"])
def test_check_batch_equals_check(platform: str) -> None:
    g = Guard(platform=platform)
    texts = corpus()
    assert [r.to_dict() for r in g.check_batch(texts)] == [g.check(t).to_dict() for t in texts]


def test_triage_batch_equals_triage() -> None:
    g = Guard(platform="pdd")
    texts = corpus()
    assert [r.to_dict() for r in g.triage_batch(texts)] == [g.triage(t).to_dict() for t in texts]


def test_separator_in_a_message_falls_back_safely() -> None:
    g = Guard()
    results = g.check_batch(["ꀀ加微信", "你好"])
    assert results[0].verdict == "block" and results[1].verdict == "allow"


def _pure(guard: Guard) -> Guard:
    """The same guard without the C scanner: check_batch takes the vectorized numpy path."""
    guard._outbound.scanner = None
    guard._inbound_rules().scanner = None
    return guard


@pytest.mark.parametrize("platform", ["pdd", "douyin"])
def test_vectorized_batch_path_equals_check(platform: str) -> None:
    fast, pure = Guard(platform=platform), _pure(Guard(platform=platform))
    texts = corpus()
    expected = [fast.check(t).to_dict() for t in texts]
    assert [r.to_dict() for r in pure.check_batch(texts)] == expected
    assert [pure.check(t).to_dict() for t in texts] == expected


def test_vectorized_triage_batch_equals_triage() -> None:
    fast, pure = Guard(platform="pdd"), _pure(Guard(platform="pdd"))
    texts = corpus()
    assert [r.to_dict() for r in pure.triage_batch(texts)] == [fast.triage(t).to_dict() for t in texts]
