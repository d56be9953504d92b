"""The optional C hot path (``csguard._scan``) must never change a result.

``engine/speedups.py`` promises that checks give the same findings whether or not the extension
was built. These tests hold the C code to that promise against pure Python:

1. ``Folder.normalize`` against ``Normalized`` and an independent per-character reference;
2. ``Scanner.find`` against ahocorasick-rs (overlapping), order included (evaluation picks the
   first near-partner and context marker, so the order of hits can change a finding);
3. end-to-end findings with the scanner and with ``scanner = None`` (the pure-Python path) on
   every shipped example and on generated messages built from real violations;
4. ``scan()`` returning None (the message is dismissed unevaluated) only where pure Python finds
   nothing, on messages full of near-miss numbers, addresses, handles, links and e-mails.

The C-specific tests skip without the extension; CI sets CSGUARD_REQUIRE_SPEEDUPS=1 so that a
failed build is noticed instead of silently skipping them.
"""

from __future__ import annotations

import copy
import json
import os
from functools import cache, lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

import ahocorasick_rs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from csguard import Guard
from csguard.engine import speedups
from csguard.engine.compiled import CompiledRules
from csguard.engine.evaluate import evaluate_text
from csguard.results import Finding
from csguard.rulepacks.loader import all_rules
from csguard.text.normalize import FOLDER, Normalized
from csguard.text.tables import NOISE_RE, REPEAT_RE, fold_table

HERE = Path(__file__).resolve()
DEV_EVAL = HERE.parents[2].parent / "shared" / "eval"
HOLDOUT_EVAL = HERE.parents[1] / "eval"

FAST = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def _folder() -> Any:
    assert FOLDER is not None, "csguard._scan did not build"
    return FOLDER


@pytest.fixture(scope="module")
def scan() -> ModuleType:
    return pytest.importorskip("csguard._scan")


def test_speedups_built_when_required() -> None:
    """CI sets CSGUARD_REQUIRE_SPEEDUPS=1: a C build that failed (optional=True) must not go unnoticed."""
    if os.environ.get("CSGUARD_REQUIRE_SPEEDUPS") != "1":
        pytest.skip("set CSGUARD_REQUIRE_SPEEDUPS=1 to insist on the C extension")
    assert speedups.AVAILABLE, (
        "csguard._scan did not build or import; run `pip install -e .` with a C compiler"
    )
    assert Guard(platform="pdd").compiled.scanner is not None


# ---------------------------------------------------------------- reference normalization

_TABLE = fold_table()


def reference_views(text: str) -> tuple[str, str, list[int]]:
    """Folded, compact and compact map, one character at a time (independent of normalize.py's fast paths)."""
    folded = text.translate(_TABLE)
    kept = [
        (out, i)
        for i, ch in enumerate(text)
        for out in _TABLE.get(ord(ch), ch)
        if NOISE_RE.fullmatch(out) is None
    ]
    compact: list[str] = []
    compact_map: list[int] = []
    j = 0
    while j < len(kept):  # a run of 3+ of one CJK character keeps its first
        ch = kept[j][0]
        run = j
        while run < len(kept) and kept[run][0] == ch:
            run += 1
        stop = j + 1 if run - j >= 3 and "\u3400" <= ch <= "\u9fff" else run
        for k in range(j, stop):
            compact.append(kept[k][0])
            compact_map.append(kept[k][1])
        j = run
    joined = "".join(compact)
    assert joined == REPEAT_RE.sub(r"\1", NOISE_RE.sub("", folded)), "reference out of step with tables.py"
    return folded, joined, compact_map


def _one_to_one(text: str) -> bool:
    return all(len(_TABLE.get(ord(ch), ch)) == 1 for ch in text)


# ---------------------------------------------------------------- strategies

# fmt: off
FOLD_PIECES = [
    "微", "信", "微信", "淘宝", "淘寶", "號", "碼", "電話", "聯繫", "拼多多", "抖音", "ＡＢＣ", "ａｂｃ",
    "１２３", "，", "．", "＠", "：", "（", "）", "①", "⑴", "➊", "❶", "⓪", "⑩", "⒈", "⑳", "㉑", "🄰", "🅥",
    "🇻🇽", "🐧", "❤", "♥", "💗", "❤\ufe0f", "1\ufe0f\u20e3", "#\ufe0f\u20e3", "😊", "👍", "\u200b", "\u200c",
    "\u200d", "\ufeff", "\u2060", "\u00ad", "\ufe0f", "\u20e3", "\u0301", "\u0308", "e\u0301", "é", "Ä",
    "ß", "İ", "ﬁ", "㎏", "㈱", "ℌ", "Ω", "Σ", "Я", "ǅ", " ", "\u3000", "\u0009", "\u000a", "_", "%", "*",
    "@", ".", "。", "-", "—", "~", "！", "？", "/", "a", "B", "z", "V", "X", "wx", "QQ", "sb", "SB", "𝟏",
    "𝐀", "𠀀", "𠀁", "😀", "一", "二", "幺", "洞", "零", "〇", "壹", "贰", "捌",
]
# fmt: on
REPEATABLE = "微信薇淘宝哈好𠀀a1😊一"


def _repeat(pair: tuple[str, int]) -> str:
    return pair[0] * pair[1]


repeated_runs = st.tuples(st.sampled_from(REPEATABLE), st.integers(2, 6)).map(_repeat)
fold_piece = st.one_of(
    st.sampled_from(FOLD_PIECES),
    repeated_runs,
    st.text(max_size=3),  # any code point (hypothesis leaves out surrogates)
    st.text(alphabet="微信淘宝❤ ①a1\u200b", max_size=6),
)
short_messy = st.lists(fold_piece, max_size=40).map("".join)
# Long messages take numpy and other paths in Normalized (>= 256 characters).
messy_text = st.one_of(
    short_messy,
    st.tuples(short_messy, st.integers(8, 40)).map(_repeat),
)

DIGITS = "0123456789"
CN_DIGITS = {
    "0": "0零〇洞⓪０",
    "1": "1一幺①１➊",
    "2": "2二②２❷",
    "3": "3三③３",
    "4": "4四④４",
    "5": "5五⑤５",
    "6": "6六⑥６",
    "7": "7七⑦７",
    "8": "8八⑧８捌",
    "9": "9九⑨９",
}
# fmt: off
SEPARATORS = [
    "", "", "", " ", "-", "  ", ".", "—", "❤", "_", "\u200b", "、", " - ", "/", "~", "😊", "。", "   ",
]
# fmt: on
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _luhn_complete(body: str) -> str:
    total = 0
    for i, c in enumerate(reversed(body)):
        n = int(c)
        if i % 2 == 0:  # doubled once the check digit is appended
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return body + str((10 - total % 10) % 10)


def _id_complete(body: str) -> str:
    return body + "10x98765432"[sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]


# fmt: off
NUMBER_KINDS = ("mobile", "mobile86", "landline", "service", "id17", "id18", "luhn", "unionpay", "plain", "plain")
# fmt: on
KIND_CONTEXT = {
    "mobile": ["手机", "电话", "联系人张三", "她的手机号", "加我", "找王经理", "订单号", ""],
    "mobile86": ["手机", "电话", "+", "她的手机号", ""],
    "landline": ["电话", "拨打", "座机", "热线", "tel", "售后热线", "联系", "订单号"],
    "service": ["电话", "拨打", "座机", "热线", "tel", "售后热线", "致电", "尾号"],
    "id17": ["身份证", "身份证号", "证件号", "她的身份证", "id", ""],
    "id18": ["身份证", "身份证号", "证件号", "她的身份证", ""],
    "luhn": ["卡号", "银行卡", "转账到", "她的银行卡号", "账号", "工行", "单号", ""],
    "unionpay": ["卡号", "银行卡", "转账到", "她的银行卡号", "账号", "开户行", ""],
}


@st.composite
def digit_strings(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(NUMBER_KINDS))

    def rand(n: int) -> str:
        return draw(st.text(DIGITS, min_size=n, max_size=n))

    if kind == "mobile":
        d = "1" + draw(st.sampled_from("3456789")) + rand(9)
    elif kind == "mobile86":
        d = "861" + draw(st.sampled_from("3456789")) + rand(9)
    elif kind == "landline":
        d = "0" + draw(st.sampled_from("123456789")) + rand(draw(st.integers(8, 10)))
    elif kind == "service":
        d = draw(st.sampled_from(["400", "800"])) + rand(7)
    elif kind == "id17":
        d = draw(st.sampled_from("12345678")) + rand(5) + draw(st.sampled_from(["19", "20"])) + rand(2)
        d += draw(st.sampled_from(["01", "07", "12"])) + draw(st.sampled_from(["01", "15", "31"])) + rand(3)
    elif kind == "id18":
        d = draw(st.sampled_from("12345678")) + rand(5) + draw(st.sampled_from(["19", "20"])) + rand(2)
        d = _id_complete(
            d
            + draw(st.sampled_from(["01", "07", "12"]))
            + draw(st.sampled_from(["01", "15", "31"]))
            + rand(3)
        )
    elif kind == "luhn":
        d = _luhn_complete(rand(draw(st.integers(15, 18))))
    elif kind == "unionpay":
        d = "62" + rand(draw(st.integers(14, 17)))
    else:
        d = rand(draw(st.integers(7, 20)))
    # Near misses: one digit more or fewer than a recognizer's length.
    tweak = draw(st.sampled_from(["", "", "", "", "drop", "add"]))
    if tweak == "drop" and len(d) > 7:
        d = d[:-1]
    elif tweak == "add":
        d += draw(st.sampled_from(DIGITS))
    spelling = draw(st.sampled_from(["ascii", "ascii", "ascii", "mixed"]))
    chars = [draw(st.sampled_from(CN_DIGITS[c])) if spelling == "mixed" and c in CN_DIGITS else c for c in d]
    if kind == "id17" and draw(st.booleans()):
        chars.append(draw(st.sampled_from(["x", "X", " x", "-x", "xa", "Ｘ"])))
    sep = draw(st.sampled_from(SEPARATORS))
    every = draw(st.integers(1, 5))
    out = ""
    for i, ch in enumerate(chars):
        out += ch
        if i + 1 < len(chars) and (i + 1) % every == 0:
            out += sep if draw(st.integers(0, 9)) else draw(st.sampled_from(SEPARATORS))
    # A "*" up to two characters away masks the run; three away it does not.
    prefix = draw(st.sampled_from(["", "", "", "SF", "a", "*", "**", "* ", "*  ", "*ab", "No.", "#", "+"]))
    suffix = draw(st.sampled_from(["", "", "", "*", " *", "  *", "a *", "号", "元", "a", "x", "*x"]))
    if draw(st.integers(0, 9)) < 7:  # a context that suits the shape, so the recognizer can fire
        prefix = (
            draw(st.sampled_from(KIND_CONTEXT.get(kind, NUMBER_CONTEXT)))
            + draw(st.sampled_from(["", " ", "：", "是"]))
            + prefix
        )
    return prefix + out + suffix


# fmt: off
NUMBER_CONTEXT = [
    "", "", "电话", "拨打", "打", "手机", "手机号", "座机", "热线", "联系", "tel", "卡号", "银行卡",
    "转账到", "账号", "户名", "身份证", "身份证号", "证件号", "id", "订单号", "尾号", "单号", "快递",
    "编号", "货号", "联系人张三", "找王经理", "李女士", "加我", "微信", "v", "vx", "qq", "扣扣号码", "🐧",
    "地址", "是",
]
ADDRESS_HEADS = [
    "南京市玄武区中山路", "上海市浦东新区世纪大道", "北京市朝阳区建国路", "广东省深圳市南山区科技园路",
    "杭州市西湖区文三路", "江苏省苏州市工业园区星湖街", "成都市武侯区人民南路", "重庆市渝中区解放碑",
    "浙江省杭州市余杭区", "某某小区", "阳光花园", "",
]
# fmt: on
HOUSE_UNITS = ["号", "号楼", "号院", "栋", "幢", "楼", "室", "单元", "弄"]


@st.composite
def addresses(draw: st.DrawFn) -> str:
    lead = [
        "",
        "",
        "地址",
        "收货地址是",
        "住在",
        "寄到",
        "送到",
        "她的收货地址是",
        "那位买家住",
        "收件人李四 13812345678 ",
    ]
    out = draw(st.sampled_from(lead)) + draw(st.sampled_from(ADDRESS_HEADS))
    for _ in range(draw(st.integers(1, 4))):
        number = draw(st.sampled_from(["18", "3", "2", "501", "１８", "十八", "一", "7", "100", "٣"]))
        out += draw(st.sampled_from(["", "", " ", "-"])) + number + draw(st.sampled_from(HOUSE_UNITS))
    return out


# fmt: off
HANDLE_MARKERS = [
    "微", "薇", "威", "徽", "v", "V", "Ｖ", "wx", "vx", "VX", "weixin", "wechat", "卫星", "微信", "微信号",
    "微信号是", "v信", "威信", "微❤信", "薇❤", "加v", "qq", "QQ", "扣扣", "扣扣号码", "企鹅", "🐧", "球球",
    "q号", "Q号码", "q", "vivo", "dv",
]
# fmt: on


@st.composite
def handles(draw: st.DrawFn) -> str:
    marker = draw(st.sampled_from(HANDLE_MARKERS))
    sep = draw(st.sampled_from(["", "", ":", "：", " ", "号", "是", "号是", "id", "：  ", "❤", "是多少"]))
    kind = draw(st.sampled_from(["qq", "wechat", "word"]))
    if kind == "qq":
        handle = draw(st.sampled_from("123456789")) + draw(st.text(DIGITS, min_size=3, max_size=11))
    elif kind == "wechat":
        handle = draw(st.sampled_from("abcxyzKW")) + draw(
            st.text("abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=2, max_size=20)
        )
    else:
        handle = draw(st.sampled_from(["abcdef", "hello", "信息", "笑服务", "2023", "a1", "1", "ab12"]))
    return marker + sep + handle


# fmt: off
LINKS = [
    "www.taobao.com", "t.cn/AbC1", "abc点com", "abc dot cn", "https://x.y/z", "http://a.cn", "douyin。com",
    "shop123.vip", "abc@qq.com", "abc艾特163.com", "abc＠gmail．com", "name.surname@corp.cn", "@", "a@b",
    "点", "dot", "www", "http", "xx.top", "vx.com", "abc . com", "abc（点）cn", "taobao.com",
    "pinduoduo.com", "yangkeduo.com", "1.5", "3.8折", "。。。", "abc 【 点 】 com", "abc [ dot ] cn",
    "abc ( . ) net", "a.b", "1.2.3", "v1.0",
]
VIOLATIONS = [
    "微信", "VX", "vx", "加我", "加我微信", "好评返现", "五星好评返现", "返现", "最好", "第一", "全网最低",
    "国家级", "100%有效", "根治", "包治百病", "开光", "转运", "傻逼", "SB", "sb", "淘宝", "拼多多", "抖音",
    "1 3 8 0 0 1 3 8 0 0 0", "13800138000", "12315", "投诉", "曝光", "差评", "消协", "举报", "滚", "神经病",
    "❤", "微❤信", "薇❤", "唯❤品会", "订单号", "尾号", "私聊", "线下交易", "支付宝", "转账", "退款", "刷单",
    "微笑", "微信支付", "最好的服务", "第一时间", "内部价", "威信", "徽信", "卫星", "v信", "扣扣", "🐧",
]
# fmt: on
TLDS = ["com", "cn", "net", "top", "vip", "shop", "me", "io", "co", "xyz", "abc", "x", "中文", "123", "c0m"]
# fmt: off
LINK_WRAPS = [
    "", "", "", " ", "(", " (", "( ", " ( ", "【", "【 ", " [ ", "（", ")", " )", ") ", " ) ", "】", " ] ",
    "）",
]
# fmt: on


@st.composite
def links(draw: st.DrawFn) -> str:
    """Domains, links and e-mails spelled the ways people hide them (brackets, spaces, 点/dot)."""
    label = draw(st.text("abcxyz019-", min_size=1, max_size=8))
    out = draw(st.sampled_from(["", "", "", "www", "http://", "https://", "www.", "WWW ", "h t t p"])) + label
    for _ in range(draw(st.integers(1, 3))):
        dot = draw(st.sampled_from([".", ".", "。", "点", "dot", "DOT", "．", "丶", "d0t", ",", ""]))
        out += (
            draw(st.sampled_from(LINK_WRAPS[:10]))
            + dot
            + draw(st.sampled_from(LINK_WRAPS[:4] + LINK_WRAPS[10:]))
        )
        out += draw(st.sampled_from([*TLDS, label]))
    out += draw(st.sampled_from(["", "", "/abc", "/?id=1", "中文", " 哦", "a1"]))
    if draw(st.booleans()):
        out = (
            draw(st.text("abc.-_1", min_size=1, max_size=6))
            + draw(st.sampled_from(["@", "＠", "艾特", " @ "]))
            + out
        )
    return out


# fmt: off
NOISE = [
    "", " ", "  ", "，", "。", "！", "~", "😊", "🐧", "\u200b", "\ufeff", "\u0301", "ｗ", "①",
    "1\ufe0f\u20e3", "_", "*", "—", "/", "亲", "您好", "呢", "哈哈", "的", "\u000a", "【", "】",
]
# fmt: on


@lru_cache(maxsize=1)
def example_texts() -> tuple[str, ...]:
    return tuple(
        text
        for _, rule in all_rules()
        for kind in ("match", "no_match")
        for text in getattr(rule.examples, kind)
    )


@st.composite
def example_slices(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(example_texts()))
    a, b = draw(st.integers(0, len(text))), draw(st.integers(0, len(text)))
    return text[min(a, b) : max(a, b)]


message_piece = st.one_of(
    st.sampled_from(VIOLATIONS),
    st.sampled_from(NOISE),
    st.sampled_from(LINKS),
    st.sampled_from(NUMBER_CONTEXT),
    digit_strings(),
    addresses(),
    handles(),
    links(),
    example_slices(),
    fold_piece,
)
messages = st.lists(message_piece, min_size=1, max_size=8).map("".join)
# Messages built around the things the scanner's gates decide on (numbers, addresses, handles, links).
gated_piece = st.one_of(
    st.tuples(st.sampled_from(NUMBER_CONTEXT), st.sampled_from(NOISE), digit_strings()).map("".join),
    digit_strings(),
    addresses(),
    handles(),
    links(),
    st.sampled_from(LINKS),
    st.sampled_from(NOISE),
    st.sampled_from(NUMBER_CONTEXT),
)
gated_messages = st.lists(gated_piece, min_size=1, max_size=5).map("".join)


# ---------------------------------------------------------------- rule sets with and without the scanner

OUTBOUND = ("pdd", "taobao", "douyin", "tmall", "pdd+custom")
INBOUND = ("pdd", "taobao", "douyin", "tmall")
CONFIGS = [("outbound", name) for name in OUTBOUND] + [("inbound", name) for name in INBOUND]
CUSTOM: dict[str, Any] = {
    "custom_words": [
        "加我",
        "内部价",
        "V信",
        {"word": "私聊", "category": "offsite_diversion", "severity": "medium"},
    ],
    "allow_words": ["微信支付", "最好的服务", "第一时间", "淘宝网"],
}


@cache
def guard_pair(name: str) -> tuple[Guard, Guard]:
    """The same guard twice; the second runs pure Python (its compiled rule sets have no scanner)."""
    platform, _, extra = name.partition("+")
    kwargs = CUSTOM if extra == "custom" else {}
    fast, slow = Guard(platform=platform, **kwargs), Guard(platform=platform, **kwargs)
    slow.compiled.scanner = None
    slow._inbound_rules().scanner = None
    return fast, slow


@cache
def compiled_pair(direction: str, name: str) -> tuple[CompiledRules, CompiledRules]:
    """One compiled rule set, and a shallow copy of it with the scanner removed."""
    fast = guard_pair(name)[0]
    c = fast.compiled if direction == "outbound" else fast._inbound_rules()
    assert c.scanner is not None, "the extension imports, but the compiled rules have no scanner"
    pure = copy.copy(c)
    pure.scanner = None
    return c, pure


def _rows(findings: list[Finding]) -> list[tuple[object, ...]]:
    return [
        (
            f.rule_id,
            f.category,
            f.severity,
            f.start,
            f.end,
            f.matched,
            f.normalized,
            f.explanation,
            f.message,
            f.suggestion,
        )
        for f in findings
    ]


def parity_problems(direction: str, name: str, text: str) -> list[str]:
    """Every way the C path differs from pure Python on this message (empty when they agree)."""
    problems: list[str] = []
    c, pure = compiled_pair(direction, name)
    scanned = c.scanner.scan(text)
    with_c, without_c = _rows(evaluate_text(c, text)), _rows(evaluate_text(pure, text))
    if with_c != without_c:
        problems.append(f"evaluate_text: with C {with_c} != pure {without_c}")
    if scanned is None and without_c:
        problems.append(f"scan() dismissed the message, but pure Python finds {without_c}")
    fast_g, slow_g = guard_pair(name)
    if direction == "outbound" and (a := fast_g.check(text)) != (b := slow_g.check(text)):
        problems.append(f"Guard.check: with C {a!r} != pure {b!r}")
    if direction == "inbound" and (x := fast_g.triage(text)) != (y := slow_g.triage(text)):
        problems.append(f"Guard.triage: with C {x!r} != pure {y!r}")
    if scanned is not None:
        problems += scan_contract_problems(c, text, scanned)
    return [f"{direction}/{name} {text!r}: {p}" for p in problems]


def scan_contract_problems(c: CompiledRules, text: str, scanned: tuple[Any, ...]) -> list[str]:
    """scan() returns the same views and hits the Python path computes for itself."""
    problems: list[str] = []
    folded, compact, compact_map, hits, gates = scanned
    ref = reference_views(text)
    if (folded, compact, compact_map) != ref:
        problems.append(f"scan views {(folded, compact, compact_map)} != reference {ref}")
        return problems
    norm = Normalized(text)
    expected = [(pi, cs, ce, *norm.span_from_compact(cs, ce)) for pi, cs, ce in c.matcher.find(compact)]
    if [tuple(h) for h in hits] != expected:
        problems.append(f"scan hits {hits} != ahocorasick-rs hits {expected}")
    if bool(gates & speedups.G_ONE_TO_ONE) != _one_to_one(text):
        problems.append(
            f"G_ONE_TO_ONE is {bool(gates & speedups.G_ONE_TO_ONE)}, text folds 1:1: {_one_to_one(text)}"
        )
    return problems


def assert_parity(text: str) -> None:
    problems = [p for direction, name in CONFIGS for p in parity_problems(direction, name, text)]
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- 1. Folder == Normalized

FOLD_EXAMPLES = [
    "",
    " ",
    "微微微信",
    "微微信",
    "微 微 微 信",
    "微\u200b微\ufeff微信信信信",
    "加我 微 ❤ 信",
    "①③⑧⑴⑵➊❶⓪⑩⒈⑳",
    "１３８ＡＢＣ＠ｑｑ．ｃｏｍ",
    "🐧12345🐧🐧🐧",
    "1\ufe0f\u20e33\ufe0f\u20e38\ufe0f\u20e3#\ufe0f\u20e3",
    "淘寶號碼電話聯繫",
    "e\u0301\u0308é İstanbul ﬁ ß ㎏㈱",
    "𠀀𠀀𠀀𠀁 😀😀😀 𝟏𝟐𝟑 𝐀𝐁",
    "🅥🅧 🇻🇽 ℌ Ω Я",
    "___%%%***",
    "亲～好评返现哦！！！",
    "南京市玄武区中山路18号3栋2单元",
    ("微微微信 ①⑵➌ 🐧 淘寶 ＶＸ \u200b" * 30),
    "a" * 300,
    "微" * 300,
]


@pytest.mark.parametrize("text", FOLD_EXAMPLES)
def test_folder_examples(scan: ModuleType, text: str) -> None:
    norm = Normalized(text)
    got = _folder().normalize(text)
    assert got == reference_views(text)
    assert got == (norm.folded, norm.compact, norm.compact_map)


@settings(FAST, max_examples=300)
@given(messy_text)
def test_folder_matches_python(scan: ModuleType, text: str) -> None:
    norm = Normalized(text)
    got = _folder().normalize(text)
    assert got == reference_views(text)
    assert got == (norm.folded, norm.compact, norm.compact_map)


@settings(FAST, max_examples=200)
@given(st.text(max_size=80))
def test_folder_matches_python_any_text(scan: ModuleType, text: str) -> None:
    norm = Normalized(text)
    assert (
        _folder().normalize(text)
        == reference_views(text)
        == (norm.folded, norm.compact, norm.compact_map)
    )


# ---------------------------------------------------------------- 2. Scanner.find == ahocorasick-rs

SMALL_ALPHABET = "ab微信𠀀"


def _ac_rs(patterns: list[str], text: str) -> list[tuple[int, int, int]]:
    found = ahocorasick_rs.AhoCorasick(patterns).find_matches_as_indexes(text, overlapping=True)
    return [(p, start, end) for p, start, end in found]


def _c_find(scan: ModuleType, patterns: list[str], text: str) -> list[tuple[int, int, int]]:
    scanner = scan.Scanner(_folder(), patterns, [0] * len(patterns), 0, "")
    return [(p, start, end) for p, start, end in scanner.find(text)]


@pytest.mark.parametrize(
    ("patterns", "text"),
    [
        (["a", "aa", "aaa"], "aaaa"),  # nested and overlapping
        (["he", "she", "his", "hers"], "ushers"),
        (["微信", "微", "信", "微信号", "信号"], "加微信号微信"),
        (["ab", "b", "bab", "abab"], "ababab"),
        (["xyz"], "abc"),  # no hits
        (["xyz"], ""),
        (["𠀀", "𠀀a", "a𠀀"], "𠀀a𠀀a"),  # astral characters count as one index
    ],
)
def test_find_examples(scan: ModuleType, patterns: list[str], text: str) -> None:
    assert _c_find(scan, patterns, text) == _ac_rs(patterns, text)


def test_empty_scanner(scan: ModuleType) -> None:
    scanner = scan.Scanner(_folder(), [], [], 0, "")
    assert scanner.find("微信 abc") == []
    assert scanner.scan("微信 abc 13800138000") is None


@settings(FAST, max_examples=400)
@given(
    st.lists(st.text(SMALL_ALPHABET, min_size=1, max_size=5), min_size=1, max_size=12, unique=True),
    st.text(SMALL_ALPHABET + "x ", max_size=40),
)
def test_find_matches_ahocorasick_rs(scan: ModuleType, patterns: list[str], text: str) -> None:
    got, want = _c_find(scan, patterns, text), _ac_rs(patterns, text)
    assert sorted(got) == sorted(want)
    assert got == want, "same hits, different order (evaluation takes the first near-partner and marker)"


@settings(FAST, max_examples=100)
@given(
    st.lists(st.text(min_size=1, max_size=6), min_size=1, max_size=30, unique=True),
    st.text(max_size=60),
    st.data(),
)
def test_find_matches_ahocorasick_rs_any_text(
    scan: ModuleType, patterns: list[str], noise: str, data: st.DataObject
) -> None:
    # Plant some patterns in the text so there is something to find.
    planted = data.draw(st.lists(st.sampled_from(patterns), max_size=6))
    text = noise + "".join(planted) + noise[::-1]
    got, want = _c_find(scan, patterns, text), _ac_rs(patterns, text)
    assert sorted(got) == sorted(want)
    assert got == want


@settings(FAST, max_examples=150)
@given(messages)
def test_find_matches_matcher_on_real_patterns(scan: ModuleType, text: str) -> None:
    for direction, name in (("outbound", "pdd"), ("inbound", "douyin"), ("outbound", "pdd+custom")):
        c, _ = compiled_pair(direction, name)
        compact = Normalized(text).compact
        assert [tuple(h) for h in c.scanner.find(compact)] == [tuple(h) for h in c.matcher.find(compact)]


# ---------------------------------------------------------------- 3. end to end on real messages


def _jsonl_texts(paths: list[Path]) -> list[str]:
    return [
        json.loads(line)["text"]
        for path in paths
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def corpus(source: str) -> list[str]:
    if source == "dev":
        paths = sorted(DEV_EVAL.glob("dev_*bound.jsonl"))
        if not paths:
            pytest.skip(f"no dev set at {DEV_EVAL}")
        return _jsonl_texts(paths)
    if source == "holdout":
        paths = sorted(HOLDOUT_EVAL.glob("holdout*_*.jsonl"))
        assert paths, f"no holdout sets in {HOLDOUT_EVAL}"
        return _jsonl_texts(paths)
    return list(example_texts())


@pytest.mark.parametrize(("direction", "name"), CONFIGS)
@pytest.mark.parametrize("source", ["dev", "holdout", "rule_examples"])
def test_corpus_parity(scan: ModuleType, source: str, direction: str, name: str) -> None:
    texts = corpus(source)
    assert texts
    problems = [p for text in texts for p in parity_problems(direction, name, text)]
    assert not problems, f"{len(problems)} disagreements, first ones:\n" + "\n".join(problems[:10])


@settings(FAST, max_examples=250)
@given(messages)
@example("加我微❤信 1 3 8 0 0 1 3 8 0 0 0 好评返现")
@example("南京市玄武区中山路18号 联系人张三 13800138000")
@example("亲，最好的服务，微信支付也可以哦")
@example("扣扣 12345678 或者 v：abc12345 或 🐧 987654321")
@example("订单号 1234567890123456 尾号 12315")
@example("唯❤品会 淘宝网 www.taobao.com abc@qq.com")
def test_generated_message_parity(scan: ModuleType, text: str) -> None:
    assert_parity(text)


@settings(FAST, max_examples=15)
@given(st.lists(messages, min_size=6, max_size=20).map(" ".join))
def test_long_message_parity(scan: ModuleType, text: str) -> None:
    """Long messages: many hits (the scanner's shortcuts past 64 hits), offset maps past 256 characters."""
    assert_parity(text)


# ---------------------------------------------------------------- 4. scan() None only when nothing can be found


@settings(FAST, max_examples=400)
@given(gated_messages)
@example("电话 400-123-4567")
@example("卡号 6222 0212 3456 7890 123")
@example("身份证 11010519491231002x")
@example("身份证 1101051949123100 2 X")
@example("住在南京市玄武区中山路18号3栋2单元")
@example("微信号是abc123")
@example("vivo2023 v 12")
@example("abc点com")
@example("abc艾特163.com")
@example("a @ b")
@example("SF1234567890123")
@example("138****5678")
@example("电话13800138000  *")
@example("*  13800138000 是她的手机")
@example("售后热线 800-820-8820")
@example("住在上海市黄浦区南京东路100弄")
@example("a.------.com")
@example("abc 【 点 】 com")
def test_dismissed_messages_have_no_findings(scan: ModuleType, text: str) -> None:
    for direction, name in CONFIGS:
        c, pure = compiled_pair(direction, name)
        if c.scanner.scan(text) is None:
            found = _rows(evaluate_text(pure, text))
            assert found == [], f"{direction}/{name}: scan() dismissed {text!r}, pure Python finds {found}"
    assert_parity(text)
