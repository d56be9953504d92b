from __future__ import annotations

import pytest

from csguard.text import normalize
from csguard.text.recognizers import recognizers
from csguard.text.recognizers.digits import id_checksum_ok, luhn_ok


def found(entity: str, text: str) -> list[str]:
    n = normalize(text)
    return [text[h.start : h.end] for h in recognizers.get(entity)().analyze(n)]


@pytest.mark.parametrize(
    "text",
    [
        "电话13916574820",
        "打壹叁玖贰柒陆伍捌叁零壹找我",
        "①③⑧⓪⑤⑦⑥②①④⑨",
        "1 5 2 0 6 7 8 3 4 5 1",
        "138-0013-8000",
        "一三八零零一三八零零零",
        "幺三八洞洞幺三八洞洞洞",
        "+86 138 0013 8000",
    ],
)
def test_disguised_mobile_numbers_are_found(text: str) -> None:
    assert found("phone", text)


@pytest.mark.parametrize(
    "text",
    [
        "快递单号SF1234567890123",
        "我把东西寄回去了，单号YT2345678901234",
        "订单号：240512-123456789",
        "175/92A对应L码",
        "这款活动价138元，单独购买是138元",
        "2024-05-12到货",
        "电话138****5678",
        "订单尾号13800138000",
    ],
)
def test_numbers_that_are_not_phones(text: str) -> None:
    assert not found("phone", text)


def test_resident_id_checksum() -> None:
    assert id_checksum_ok("11010519491231002x")
    assert not id_checksum_ok("110105194912310021")
    assert found("id_card", "身份证11010519491231002X")
    assert found("id_card", "身份证320106199003152328")  # wrong check digit, but said to be an ID
    assert not found("id_card", "订单110105194912310021")


def test_bank_card_luhn() -> None:
    assert luhn_ok("4111111111111111")
    assert found("bank_card", "卡号4111 1111 1111 1111")
    assert found("bank_card", "钱转到我卡上：6222 0212 3456 7890 123")  # 62 prefix + card context
    assert not found("bank_card", "订单号6222021234567890123")


def test_landline_needs_context() -> None:
    assert found("landline", "有事打电话 0571-88886666")
    assert not found("landline", "编号 0571888866661")


@pytest.mark.parametrize(
    ("entity", "text", "expected"),
    [
        ("qq", "加我QQ 1029384756", "QQ 1029384756"),
        ("qq", "加我🐧 2837465910", "🐧 2837465910"),
        ("wechat_id", "V：jiaju2023", "V：jiaju2023"),
        ("wechat_id", "卫星号 mm_shop88", "卫星号 mm_shop88"),
        ("url", "复制 t点cn/A6xYz9Kq 到浏览器", "t点cn/A6xYz9Kq"),
        ("url", "官网 www.lmjj-home.com 有", "www.lmjj-home.com"),
        ("url", "点击 ｐｄｄ－ｆｒｅｅ．ｔｏｐ 领", "ｐｄｄ－ｆｒｅｅ．ｔｏｐ"),  # full-width dot and hyphen fold
        ("email", "发 shop123@163.com", "shop123@163.com"),
        ("address", "地址上海市徐汇区漕溪北路88号，跟您", "上海市徐汇区漕溪北路88号"),
    ],
)
def test_contact_entities(entity: str, text: str, expected: str) -> None:
    assert found(entity, text) == [expected]


@pytest.mark.parametrize(
    ("entity", "text"),
    [
        ("wechat_id", "vivo2023新款"),
        ("wechat_id", "微波炉abc"),
        ("qq", "🐧造型的暖手宝"),
        ("url", "长2.5cm，宽1.5cm"),
        ("address", "地址江苏省苏州市****"),
    ],
)
def test_look_alikes_are_not_entities(entity: str, text: str) -> None:
    assert not found(entity, text)
