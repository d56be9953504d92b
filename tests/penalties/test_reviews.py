"""Malicious-review classification, appeal window and drafted texts."""

from __future__ import annotations

from datetime import date

import pytest

from csguard import Guard
from csguard.errors import InvalidInput
from csguard.penalties.review_detectors import (
    REVIEW_DETECTORS,
    LogisticsProof,
    Review,
    ReviewContext,
    normalize,
)
from csguard.penalties.reviews import appeal_description, appeal_window, classify_review, public_reply
from csguard.penalties.tone import check_tone

GUARD = Guard(platform="douyin")
DAY = date(2026, 11, 10)


def review(text: str, rating: int = 1) -> Review:
    return Review("order-88", rating, text, DAY)


@pytest.mark.parametrize(
    "line",
    [
        "不给50元补偿就不删差评",
        "给我转100块，不然给差评",
        "不给5O块补尝就不删cp",  # letter O for zero, homophone typo, pinyin initials
        "v我100，不然给你刷一星",
        "赔我二十块钱，否则差 评 伺候",
        "给个红包我就把评价改了",
        "补 偿 一 百，评 价 我 删",
    ],
)
def test_extortion_in_the_buyers_chat_including_disguised_wording(line: str) -> None:
    result = classify_review(review("质量很差"), ReviewContext(buyer_messages=["在吗", line]), GUARD)
    assert result.reason == "extortion"
    assert len(result.evidence) == 1 and line in result.evidence[0]


def test_refund_demand_with_bad_review_is_not_extortion() -> None:
    context = ReviewContext(buyer_messages=["退款的钱一直没到账，再不退就差评"])
    assert classify_review(review("退款拖着不给"), context, GUARD).reason == "not_appealable"


def test_normalize_undoes_disguises() -> None:
    assert normalize("不给５Ｏ块 补偿就不删 c p") == "不给50块补偿就不删差评"


@pytest.mark.parametrize(
    ("text", "context", "reason"),
    [
        ("想要同款的加我微信abc123", ReviewContext(), "advertising"),
        ("www.cheap-goods.top 全网最低价", ReviewContext(), "advertising"),
        ("质量不行，还是隔壁店的好，推荐大家去买", ReviewContext(), "competitor"),
        ("一般般", ReviewContext(buyer_bad_reviews_30d=4), "competitor"),
        ("做工差", ReviewContext(buyer_messages=["你们的进货价是多少？"]), "competitor"),
        ("啊啊啊啊啊", ReviewContext(), "meaningless"),
        ("asdfghjkl", ReviewContext(), "meaningless"),
        ("111111", ReviewContext(), "meaningless"),
        ("卖假货，不是正品", ReviewContext(authenticity_proof=True), "false_claim"),
        ("少发了一件", ReviewContext(packing_proof=True), "false_claim"),
        ("枕头有异味，睡了几天脖子疼", ReviewContext(), "not_appealable"),
        ("卖假货，不是正品", ReviewContext(), "not_appealable"),
    ],
)
def test_each_reason(text: str, context: ReviewContext, reason: str) -> None:
    assert classify_review(review(text), context, GUARD).reason == reason


def test_false_claim_needs_delivery_before_the_review() -> None:
    delivered = LogisticsProof("中通快递", "ZT1", date(2026, 11, 2), date(2026, 11, 4))
    result = classify_review(review("到现在都没收到货"), ReviewContext(logistics=delivered), GUARD)
    assert (
        result.reason == "false_claim"
        and "ZT1" in result.evidence[0]
        and "2026-11-04 已签收" in result.evidence[0]
    )
    late = LogisticsProof("中通快递", "ZT1", date(2026, 11, 2), date(2026, 11, 12))
    assert (
        classify_review(review("到现在都没收到货"), ReviewContext(logistics=late), GUARD).reason
        == "not_appealable"
    )


def test_other_reasons_and_masked_evidence() -> None:
    context = ReviewContext(buyer_messages=["不给50元补偿就差评，我电话13812345678"], buyer_bad_reviews_30d=5)
    result = classify_review(review("大家别买"), context, GUARD)
    assert result.reason == "extortion" and result.other_reasons == ["competitor"]
    assert "13812345678" not in "".join(result.evidence) and "138****5678" in result.evidence[0]


def test_rating_is_validated() -> None:
    with pytest.raises(InvalidInput) as err:
        classify_review(review("x", rating=6), ReviewContext(), GUARD)
    assert err.value.details["field"] == "rating"


def test_detectors_are_registered_for_every_appealable_reason() -> None:
    assert set(REVIEW_DETECTORS.names()) == {
        "extortion",
        "competitor",
        "advertising",
        "meaningless",
        "false_claim",
    }


@pytest.mark.parametrize(
    ("today", "level", "days_left"),
    [
        (date(2026, 11, 10), "ok", 30),
        (date(2026, 12, 3), "soon", 7),
        (date(2026, 12, 8), "urgent", 2),
        (date(2026, 12, 10), "urgent", 0),
        (date(2026, 12, 11), "closed", 0),
    ],
)
def test_appeal_window_warnings(today: date, level: str, days_left: int) -> None:
    window = appeal_window(DAY, today)
    assert window.deadline == date(2026, 12, 10)
    assert (window.level, window.days_left) == (level, days_left)
    assert "2026-12-10" in window.message


def test_appeal_window_is_configurable() -> None:
    assert appeal_window(DAY, DAY, window_days=7).deadline == date(2026, 11, 17)
    with pytest.raises(InvalidInput):
        appeal_window(DAY, DAY, window_days=0)


def test_appeal_description_is_factual_and_calm() -> None:
    result = classify_review(review("差"), ReviewContext(buyer_messages=["不给50元补偿就不删差评"]), GUARD)
    text = appeal_description(review("差"), result, shop_name="好物小店")
    assert "利用评价要挟/勒索" in text and "order-88" in text and "不给50元补偿就不删差评" in text
    assert check_tone(text) == []


def test_description_refused_for_unappealable_review() -> None:
    result = classify_review(review("有色差"), ReviewContext(), GUARD)
    with pytest.raises(InvalidInput, match="public reply"):
        appeal_description(review("有色差"), result, shop_name="好物小店")


def test_public_reply_is_compliant_and_polite() -> None:
    text = public_reply(shop_name="好物小店", topic="色差")
    assert "色差" in text and "好物小店" in text
    assert GUARD.check(text).verdict == "allow" and check_tone(text) == []
