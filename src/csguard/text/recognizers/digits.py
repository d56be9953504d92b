"""Numbers people hide in chat: mobile phones, landlines, resident IDs, bank cards.

All of them start from one scan for digit runs in the folded text, where a "digit" is also a
Chinese numeral (一三八, 壹叁捌 folds to 138, ① folds to 1, 幺/洞 are 1/0 in phone talk) and up to
two separator characters (spaces, dashes, dots, emoji) may sit between digits, so
"1 5 2-0678 3451" and "①③⑧⓪..." are one run. Masked numbers (138****5678) never form a run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from csguard.text.normalize import Normalized
from csguard.text.recognizers.base import EntityHit, recognizers
from csguard.text.speedups import NATIVE

# Without the C extension: digit_runs_py below.
_c_digit_runs: Callable[[str], list[tuple[int, int, str, bool]]] | None = (
    NATIVE.digit_runs if NATIVE is not None else None
)

_DIGIT = "0-9零〇一二三四五六七八九幺洞"
_RUN_RE = re.compile(rf"[{_DIGIT}](?:[\W_]{{0,3}}[{_DIGIT}]){{6,}}")
_NOT_DIGIT = re.compile(rf"[^{_DIGIT}]")
_TO_ASCII = str.maketrans("零〇一二三四五六七八九幺洞", "0012345678910")
_ORDER_CONTEXT = re.compile(r"(订单|单号|运单|快递|物流|尾号|编号|型号|批号|货号|sku|券码)[^\d]{0,4}$")
_LANDLINE_CONTEXT = re.compile(r"(电话|座机|热线|拨打|打|联系|致电|tel|call)[^\d]{0,4}$")
_CARD_CONTEXT = re.compile(r"(卡|账号|账户|帐号|转|银行|打款|收款|汇款|户名|开户行|工行|建行|农行|中行|招行|交行)[^\d]{0,8}$")
_GROUPED = re.compile(r"\d{4}(?:[ \-]\d{4}){3}(?:[ \-]?\d{1,3})?")
_ID_CHECK_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CODES = "10x98765432"
_MOBILE_RE = re.compile(r"(?:86)?(1[3-9]\d{9})")
_ID_TAIL = re.compile(r"[\W_]{0,3}x(?![a-z])")
_ID_CONTEXT = re.compile(r"(身份证|证件|身份号|id)[^\d]{0,6}$")
_ID_SHAPE = re.compile(r"[1-8]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9x]")


@dataclass(slots=True)
class DigitRun:
    start: int  # folded coordinates
    end: int
    digits: str
    spelled: bool  # written with Chinese numerals or separated: a deliberate disguise


def digit_runs(norm: Normalized) -> list[DigitRun]:
    cached = norm.cache.get("digit_runs")
    if cached is not None:
        return cached  # type: ignore[return-value]
    if _c_digit_runs is not None:
        runs = [DigitRun(*run) for run in _c_digit_runs(norm.folded)]
    else:
        runs = digit_runs_py(norm.folded)
    norm.cache["digit_runs"] = runs
    return runs


def digit_runs_py(folded: str) -> list[DigitRun]:
    """The definition; ``csguard._scan.digit_runs`` computes the same in C (tests compare them)."""
    runs: list[DigitRun] = []
    for m in _RUN_RE.finditer(folded):
        raw = m.group()
        if "*" in folded[max(0, m.start() - 2) : m.end() + 2]:
            continue  # masked data next to the run: 138****5678 is not a number to flag
        before = folded[m.start() - 1] if m.start() else ""
        if before.isascii() and before.isalpha():
            continue  # SF1234567890123, YT..., order ids glued to letters
        digits = _NOT_DIGIT.sub("", raw).translate(_TO_ASCII)
        runs.append(DigitRun(m.start(), m.end(), digits, spelled=len(digits) != len(raw) or not raw.isascii()))
    return runs


def _prefix(norm: Normalized, run: DigitRun, width: int = 12) -> str:
    return norm.folded[max(0, run.start - width) : run.start]


def _hit(norm: Normalized, entity: str, run: DigitRun, value: str, why: str) -> EntityHit:
    start, end = norm.span_from_folded(run.start, run.end)
    if run.spelled:
        why += "；数字经过改写（中文数字/带圈数字/分隔符），已还原为 " + value
    return EntityHit(entity, start, end, value, why)


@recognizers.register("phone")
class MobilePhoneRecognizer:
    entity: ClassVar[str] = "phone"

    def analyze(self, norm: Normalized) -> list[EntityHit]:
        hits = []
        for run in digit_runs(norm):
            m = _MOBILE_RE.fullmatch(run.digits)
            if m and not _ORDER_CONTEXT.search(_prefix(norm, run)):
                hits.append(_hit(norm, "phone", run, m.group(1), "11 位手机号码（1[3-9] 开头）"))
        return hits


@recognizers.register("landline")
class LandlineRecognizer:
    entity: ClassVar[str] = "landline"

    def analyze(self, norm: Normalized) -> list[EntityHit]:
        hits = []
        for run in digit_runs(norm):
            d = run.digits
            service = len(d) == 10 and d[:3] in ("400", "800")
            area = 10 <= len(d) <= 12 and d[0] == "0" and d[1] != "0"
            if (service or area) and _LANDLINE_CONTEXT.search(_prefix(norm, run)):
                hits.append(_hit(norm, "landline", run, d, "固定电话/400 电话号码，前文有“电话/拨打”等提示"))
        return hits


def id_checksum_ok(d: str) -> bool:
    if len(d) != 18 or not d[:17].isdigit():
        return False
    total = sum(int(c) * w for c, w in zip(d[:17], _ID_CHECK_WEIGHTS, strict=True))
    month, day = int(d[10:12]), int(d[12:14])
    return _ID_CHECK_CODES[total % 11] == d[17] and 1 <= month <= 12 and 1 <= day <= 31


def luhn_ok(d: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(d)):
        n = int(c)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


@recognizers.register("id_card")
class ResidentIdRecognizer:
    entity: ClassVar[str] = "id_card"

    def analyze(self, norm: Normalized) -> list[EntityHit]:
        hits = []
        for run in digit_runs(norm):
            d = run.digits
            tail = _ID_TAIL.match(norm.folded, run.end)
            if len(d) == 17 and tail:
                d += "x"
                run = DigitRun(run.start, tail.end(), d, run.spelled)
            if len(d) != 18:
                continue
            if id_checksum_ok(d):
                hits.append(_hit(norm, "id_card", run, d, "18 位居民身份证号码（校验位正确）"))
            elif _ID_SHAPE.fullmatch(d) and _ID_CONTEXT.search(_prefix(norm, run)):
                # A mistyped check digit does not make a leaked ID harmless when the text says it is one.
                hits.append(_hit(norm, "id_card", run, d, "18 位身份证号码格式（前文提到身份证；校验位不符）"))
        return hits


@recognizers.register("bank_card")
class BankCardRecognizer:
    entity: ClassVar[str] = "bank_card"

    def analyze(self, norm: Normalized) -> list[EntityHit]:
        hits = []
        for run in digit_runs(norm):
            d = run.digits
            if not 16 <= len(d) <= 19 or _ID_SHAPE.fullmatch(d):
                continue
            prefix = _prefix(norm, run)
            if _ORDER_CONTEXT.search(prefix):
                continue
            # A bare 16-19 digit number is usually an order or tracking number (one in ten passes
            # Luhn by chance): a card needs card talk before it, or card-style 4-digit grouping.
            context = _CARD_CONTEXT.search(prefix) is not None
            grouped = _GROUPED.fullmatch(norm.folded[run.start : run.end]) is not None
            if luhn_ok(d) and (context or grouped):
                hits.append(_hit(norm, "bank_card", run, d, f"{len(d)} 位银行卡号（Luhn 校验通过）"))
            elif d.startswith("62") and context:
                hits.append(_hit(norm, "bank_card", run, d, f"{len(d)} 位银联卡号（62 开头，前文提到卡/账号/转账）"))
        return hits
