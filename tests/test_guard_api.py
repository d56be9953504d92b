"""The public contract of ``csguard.Guard`` (what the CLI, the HTTP API and plugins rely on)."""

from __future__ import annotations

from functools import cache
from typing import cast

import pytest

from csguard import Guard
from csguard.errors import InputTooLarge, InvalidInput
from csguard.guard import MAX_TEXT_CHARS
from csguard.results import OUTBOUND_CATEGORIES, TRIAGE_SIGNALS, CheckResult

PLATFORMS = ("pdd", "taobao", "tmall", "douyin")

VIOLATIONS = {
    "加我微信abc123详聊": ("offsite_diversion", "block"),
    "好评返现5元": ("review_manipulation", "block"),
    "全网最好的枕头": ("absolute_claim", "warn"),
    "你是不是傻逼": ("abusive_language", "block"),
}
CLEAN = [
    "亲，今天下午就发货哦",
    "微笑服务是我们的宗旨",
    "支付成功后48小时内发货",
    "第一次购买可以放心",
    "最近天气冷注意保暖",
]


@cache
def guard(platform: str = "pdd") -> Guard:
    return Guard(platform=platform)


def assert_spans_exact(result: CheckResult) -> None:
    for f in result.findings:
        assert 0 <= f.start < f.end <= len(result.text)
        assert result.text[f.start : f.end] == f.matched


@pytest.mark.parametrize(("text", "expected"), VIOLATIONS.items())
def test_violations_get_their_category_and_verdict(text: str, expected: tuple[str, str]) -> None:
    category, verdict = expected
    result = guard().check(text)
    assert category in result.categories
    assert result.verdict == verdict
    assert_spans_exact(result)


@pytest.mark.parametrize("text", CLEAN)
def test_clean_cs_phrases_are_allowed(text: str) -> None:
    result = guard().check(text)
    assert result.verdict == "allow", result.findings
    assert result.rewrite == text


@pytest.mark.parametrize("text", [*list(VIOLATIONS), "加我微信abc123详聊，全网最好的，好评返现5元"])
def test_verdict_follows_the_worst_severity(text: str) -> None:
    result = guard().check(text)
    severities = {f.severity for f in result.findings}
    assert severities
    expected = "block" if severities & {"critical", "high"} else "warn"
    assert result.verdict == expected
    assert set(result.categories) <= set(OUTBOUND_CATEGORIES)


@pytest.mark.parametrize("text", list(VIOLATIONS))
def test_rewrite_leaves_no_flagged_term(text: str) -> None:
    result = guard().check(text)
    for f in result.findings:
        assert f.matched not in result.rewrite
    rechecked = guard().check(result.rewrite)
    assert {f.category for f in rechecked.findings}.isdisjoint(result.categories), rechecked.findings


def test_findings_carry_explanation_message_and_normalized_form() -> None:
    result = guard().check("加个V❤X详聊")
    assert result.verdict == "block"
    for f in result.findings:
        assert f.normalized and f.message and f.suggestion
        assert f.explanation  # the noise removal must be explained
    assert_spans_exact(result)


def test_custom_words_and_allow_words() -> None:
    shop = Guard(platform="pdd", custom_words=["黄片"], allow_words=["三黄片"])
    assert shop.check("本店三黄片是中药").verdict == "allow"
    flagged = shop.check("看黄片吗")
    assert flagged.verdict != "allow"
    assert "黄片" in [f.matched for f in flagged.findings]
    # allowing 三黄片 must not allow 黄片 elsewhere in the same message
    mixed = shop.check("三黄片和黄片")
    spans = [(f.start, f.end) for f in mixed.findings]
    assert (4, 6) in spans
    assert all(start >= 3 for start, _ in spans)


def test_allow_word_does_not_leak_to_other_guards() -> None:
    Guard(platform="pdd", allow_words=["微信"])
    assert guard().check("加我微信abc123详聊").verdict == "block"


@pytest.mark.parametrize(
    ("platform", "verdict"), [("pdd", "block"), ("douyin", "block"), ("taobao", "allow"), ("tmall", "allow")]
)
def test_platform_overlay_for_taobao(platform: str, verdict: str) -> None:
    assert guard(platform).check("去淘宝搜同名店铺").verdict == verdict


def test_douyin_is_normal_on_douyin() -> None:
    assert guard("douyin").check("抖音直播间见").verdict == "allow"
    assert guard("pdd").check("抖音直播间见").verdict != "allow"


def test_triage_contract() -> None:
    g = guard()
    cases = {
        "不处理我就去12315投诉你们": {"complaint_threat"},
        "给我转100块，不然给差评": {"extortion", "complaint_threat"},
        "垃圾客服，脑残": {"abuse"},
        "兼职刷单日结，加V": {"spam_ad"},
    }
    for text, signals in cases.items():
        result = g.triage(text)
        assert result.escalate, text
        assert signals <= set(result.signals), (text, result.signals)
        assert set(result.signals) <= set(TRIAGE_SIGNALS)
    calm = g.triage("退款已经收到了，谢谢")
    assert not calm.escalate and calm.signals == []


def test_too_long_input_raises_input_too_large() -> None:
    with pytest.raises(InputTooLarge) as err:
        guard().check("好" * (MAX_TEXT_CHARS + 1))
    assert str(MAX_TEXT_CHARS) in err.value.message
    assert isinstance(err.value, InvalidInput)
    with pytest.raises(InputTooLarge):
        guard().triage("好" * (MAX_TEXT_CHARS + 1))
    assert guard().check("好" * MAX_TEXT_CHARS).verdict == "allow"


@pytest.mark.parametrize("value", [None, 123, b"\xe5\xbe\xae\xe4\xbf\xa1", ["微信"]])
def test_non_string_input_raises_invalid_input(value: object) -> None:
    not_text = cast(str, value)  # what an untyped caller (JSON, plugins) may pass
    with pytest.raises(InvalidInput):
        guard().check(not_text)
    with pytest.raises(InvalidInput):
        guard().triage(not_text)


@pytest.mark.parametrize("platform", ["jd", "", "PDD ", "wechat"])
def test_unknown_platform_raises_invalid_input(platform: str) -> None:
    with pytest.raises(InvalidInput) as err:
        Guard(platform=platform)
    assert err.value.details.get("field") == "platform"


def test_result_to_dict_is_json_ready() -> None:
    import json

    payload = guard().check("加我微信abc123详聊").to_dict()
    assert set(payload) >= {"verdict", "platform", "categories", "findings", "rewrite"}
    assert json.loads(json.dumps(payload, ensure_ascii=False)) == payload
