from __future__ import annotations

import pytest

from csguard.text import normalize
from csguard.text.normalize import fold


@pytest.mark.parametrize(
    ("text", "compact"),
    [
        ("微❤信", "微心信"),  # ❤ reads as 心, a sound-alike of 信 the rules know
        ("微\u200b信", "微信"),  # zero-width space deleted
        ("w e i x i n", "weixin"),
        ("ＶＸ", "vx"),  # full width and case
        ("返現", "返现"),  # traditional -> simplified (OpenCC table)
        ("寳贝", "宝贝"),  # variant character
        ("①③⑧", "138"),
        ("⑴➊❿", "1110"),
        ("壹叁捌", "138"),
        ("1️⃣2️⃣", "12"),  # keycap emoji
        ("顶jí", "顶ji"),  # tone marks stripped
        ("🐧号", "企鹅号"),
        ("五⭐好评", "五星好评"),
        ("微微微信", "微信"),  # runs of three or more collapse
        ("拼多多", "拼多多"),  # but pairs are words
        ("100%有效", "100%有效"),
    ],
)
def test_compact_form(text: str, compact: str) -> None:
    assert normalize(text).compact == compact


def test_offsets_point_back_to_the_original() -> None:
    text = "亲，加 w e i x i n：abc5566"
    n = normalize(text)
    i = n.compact.index("weixin")
    start, end = n.span_from_compact(i, i + len("weixin"))
    assert text[start:end] == "w e i x i n"


def test_offsets_survive_expansions_and_deletions() -> None:
    text = "加我🐧\u200b号"
    n = normalize(text)
    assert n.compact == "加我企鹅号"
    i = n.compact.index("企鹅号")
    start, end = n.span_from_compact(i, i + 3)
    assert text[start:end] == "🐧\u200b号"


def test_fold_keeps_length_for_plain_text() -> None:
    text = "亲，今天下午就发货哦"
    assert len(fold(text)) == len(text)


def test_maps_are_only_built_when_asked() -> None:
    n = normalize("亲，今天下午就发货哦")
    assert n._compact_map is None  # the fast path never pays for offsets
    assert len(n.compact_map) == len(n.compact)
