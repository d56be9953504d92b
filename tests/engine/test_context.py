"""Reading a hit in its sentence: clause-limited negation, word boundaries, the words around a
hit, and web addresses. Each mechanism is checked on the Guard, and on the function itself."""

from __future__ import annotations

import re

import pytest

from csguard import Guard
from csguard.engine.context import inside_link, negated, straddles, surrounded, word_pattern

PDD = Guard(platform="pdd")
WORDS = frozenset({"修改", "运费", "分开", "运营", "预约", "代收", "手机"})
NEGATORS = word_pattern(("没有", "不能", "不会", "不要"))
NOTHING = re.compile("(?!)")


def _negated(text: str, term: str) -> bool:
    start = text.index(term)
    return negated(text, start, start + len(term), negators=NEGATORS, disavowals=NOTHING)


@pytest.mark.parametrize(
    ("text", "term", "expected"),
    [
        ("我们不能加微信的", "微信", True),
        ("平台规定不能随便加微信", "微信", True),
        # Without punctuation a particle or vocative still ends the clause of the negation.
        ("没有问题的亲好评截图给我返现5元", "返现", False),
        ("没有问题哦加我微信", "微信", False),
        ("不会的您加我微信聊", "微信", False),
        ("不能用了亲加我微信", "微信", False),
        # 亲自 is no vocative.
        ("不要亲自加微信", "微信", True),
        # A negation far before the hit is about something else.
        ("没有任何质量问题您收到货以后觉得满意可以加微信", "微信", False),
    ],
)
def test_negation_reaches_only_its_clause(text: str, term: str, expected: bool) -> None:
    assert _negated(text, term) is expected


def test_negation_scope_on_the_guard() -> None:
    assert PDD.check("没有问题的亲好评截图给我返现5元").verdict == "block"
    assert PDD.check("没有问题的亲，好评截图给我返现5元").verdict == "block"
    assert PDD.check("平台规定我们不能加微信的").verdict == "allow"


@pytest.mark.parametrize(
    ("text", "term", "expected"),
    [
        ("只能修改运费哦", "改运", True),
        ("我们是分开运营的", "开运", True),
        ("需要帮您预约吗", "约吗", True),
        ("放在代收店了", "收店", True),
        ("愉快~ (手机用户", "快~ (手", True),
        ("这块玉能改运", "改运", False),
        ("戴上就能开运哦", "开运", False),
    ],
)
def test_short_terms_straddling_two_words(text: str, term: str, expected: bool) -> None:
    start = text.index(term)
    assert straddles(text, start, start + len(term), WORDS) is expected


def test_word_boundaries_on_the_guard() -> None:
    assert PDD.check("是的哦 只能修改运费 金额无法修改的").verdict == "allow"
    assert PDD.check("我们是分开运营的哦").verdict == "allow"
    assert PDD.triage("你可以帮我预约吗?").escalate is False
    assert PDD.check("这块玉能改运，戴上就行").verdict != "allow"


ROUTE = ((word_pattern(("原返", "退回")), word_pattern(("零钱", "工作日")), 8),)


@pytest.mark.parametrize(
    ("text", "term", "expected"),
    [
        ("审核通过后原返微信的哈", "微信", True),
        ("微信零钱1-3个工作日到账", "微信", True),
        ("微信、白条1-3工作日到账", "微信", True),
        ("有事微信找我", "微信", False),
        # The context must be in the hit's clause.
        ("加我微信，退款3个工作日", "微信", False),
    ],
)
def test_words_around_a_hit(text: str, term: str, expected: bool) -> None:
    start = text.index(term)
    assert surrounded(text, start, start + len(term), ROUTE) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("储蓄卡1-7个工作日，微信零钱1-3个工作日到账", "allow"),
        ("款项原路返还，微信、白条1-3工作日到账", "allow"),
        ("退款会返回到微信的哦", "allow"),
        ("这款耳机支持“微信支付”“支付宝支付”语音指令", "allow"),
        ("有事加我微信，退款3个工作日到账", "block"),
        ("退款慢的话加我微信，1-3个工作日给您转", "block"),
        ("那您直接在微信上问一下呢", "block"),
    ],
)
def test_payment_route_versus_contact(text: str, expected: str) -> None:
    assert PDD.check(text).verdict == expected


def test_couriers_named_after_a_platform() -> None:
    assert PDD.check("您这边发的是京东快递，明天就到").verdict == "allow"
    assert PDD.check("偏远地区我们走京东物流").verdict == "allow"
    assert PDD.check("京东上也有我们的店，搜同名就行").verdict == "block"


def test_terms_inside_a_web_address_are_no_words() -> None:
    url = "https://item.m.jd.com/product/1.html?utm_term=CopyURL&ShareTm=Aev4%2B%2BI2Q"
    start = url.index("2B")
    assert inside_link(url, start, start + 2)
    assert not inside_link("你个2B", 2, 4)
    assert "abuse" not in PDD.triage(url).signals


def test_buyer_product_link_is_no_spam_but_a_lure_is() -> None:
    assert PDD.triage("https://item.jd.com/1057210.html").escalate is False
    assert PDD.triage("这个有货吗 https://item.jd.com/100003226838.html").escalate is False
    assert PDD.triage("恭喜您被抽中，点击 t.cn/R9xKq2 领取").signals == ["spam_ad"]


def test_reported_speech_is_not_the_agents_act() -> None:
    assert PDD.check("请问您还是咨询刚才有人给我打电话，说没有货，让退款 问题么?").verdict == "allow"


def test_asking_for_a_phone_number_warns_and_collecting_it_for_later_blocks() -> None:
    callback = PDD.check("您留一个电话给我，我帮您反馈到专员给您回电处理")
    assert callback.verdict == "warn"
    assert [f.rule_id for f in callback.findings] == ["offsite.ask_buyer_phone"]
    assert PDD.check("亲，留个手机号给我吧，以后上新我直接短信通知您").verdict == "block"
    assert PDD.check("修改好了短信通知您可以吗").verdict == "allow"
