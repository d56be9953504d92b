"""``mask_pii``: what it hides, and that its cheap gates never skip a value the patterns would mask."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csguard import privacy
from csguard.privacy import mask_pii


def _ungated(text: str) -> str:
    """Every pattern, unconditionally: what mask_pii must equal whatever its gates decide."""
    text = privacy._ID_RE.sub(lambda m: m.group(1) + "*" * 10 + m.group(3), text)
    text = privacy._PHONE_RE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    text = privacy._LANDLINE_RE.sub(lambda m: f"{m.group(1)}-****{m.group(3)}", text)
    text = privacy._EMAIL_RE.sub(lambda m: f"{m.group(1)}***{m.group(2)}", text)
    return privacy._ADDRESS_RE.sub(privacy._mask_address, text)


@pytest.mark.parametrize(
    ("text", "hidden", "kept"),
    [
        ("有事打我电话13800138000", "13800138000", "138****8000"),
        ("电话 138 1234 5678 找我", "1234", "138****5678"),
        ("电话138-1234-5678", "1234", "138****5678"),
        ("身份证320102199001012328", "19900101", "3201**********2328"),
        ("座机025-84561234", "8456", "025-****1234"),
        ("邮箱zhangsan@example.com", "zhangsan", "z***@example.com"),
        ("收件地址南京市玄武区中山路18号", "中山路18号", "南京市玄武区"),
        ("寄到幸福小区3栋2单元501室", "3栋2单元", "*"),
    ],
)
def test_personal_data_is_masked(text: str, hidden: str, kept: str) -> None:
    masked = mask_pii(text)
    assert hidden not in masked and kept in masked


@pytest.mark.parametrize("text", ["", "亲，今天下午就发货哦", "订单尾号1234，支付成功后48小时内发货", "a@b"])
def test_text_without_personal_data_is_unchanged(text: str) -> None:
    assert mask_pii(text) == text


# Pieces of every kind of value (phone, ID, landline, e-mail, address), the separators the
# patterns allow, full-width digits and ordinary text, joined at random.
_WORDS = ["138", "1380013", "8000", "3201021990", "0101232", "X", "025", "-", " ", "\u00a0", "\u200b",
          "号", "栋", "2单元", "室", "弄", "中山路", "小区", "南京市", "玄武区", "@", "zhang", "example.com",
          ".", "亲", "好的", "１３８", "０", "zhang@example.com", "13800138000", "025-84561234", "中山路18号"]  # fmt: skip
_PIECES = st.one_of(st.sampled_from(_WORDS), st.text(alphabet="0123456789", min_size=1, max_size=12))


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_the_gates_never_change_the_result(text: str) -> None:
    assert mask_pii(text) == _ungated(text)
