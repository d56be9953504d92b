"""Street addresses down to the door (a buyer's shipping address is personal data)."""

from __future__ import annotations

import re
from typing import ClassVar

from csguard.text.normalize import Normalized
from csguard.text.recognizers.base import EntityHit, recognizers

_HOUSE = r"\d+(?:号楼|号院|号|栋|幢|楼|室|单元|弄)"
_ADDRESS_RE = re.compile(
    r"(?:[\u4e00-\u9fff]{1,8}?(?:省|自治区|市|区|县|镇|乡)){1,4}"
    r"[\u4e00-\u9fff0-9a-z]{0,16}?(?:路|街|道|巷|弄|村|大道|大街|胡同|小区|花园|公寓|大厦|广场|园|苑|里|区)"
    rf"[\u4e00-\u9fff0-9a-z]{{0,10}}?{_HOUSE}(?:[0-9a-z\-]*(?:号|栋|幢|楼|室|单元)?)*"
)
_HOUSE_RE = re.compile(_HOUSE)
# The pattern's first part is lazy but still swallows a label glued in front ("地址上海市...").
_LABEL_RE = re.compile(r"^(?:收货地址|收件地址|详细地址|家庭地址|住址|地址是|地址|住在|在)")


_UNIT_RE = re.compile(r"省|自治区|市|区|县")
_LEAD_WORDS = ("地址", "住址", "是", "在", "到", "往", "寄")


def _lead_in(match: str) -> int:
    """Length of the words glued before the address proper ("收货地址是" in "收货地址是广州市...")."""
    label = _LABEL_RE.match(match)
    cut = label.end() if label else 0
    unit = _UNIT_RE.search(match, cut)
    if unit is None:
        return cut
    prefix = match[cut : unit.start()]
    last = max((prefix.rfind(w) + len(w) for w in _LEAD_WORDS if w in prefix), default=0)
    return cut + last if unit.start() - (cut + last) >= 2 else cut


@recognizers.register("address")
class AddressRecognizer:
    entity: ClassVar[str] = "address"

    def analyze(self, norm: Normalized) -> list[EntityHit]:
        if not _HOUSE_RE.search(norm.folded):
            return []
        hits = []
        for m in _ADDRESS_RE.finditer(norm.folded):
            if "*" in norm.folded[m.start() : m.end() + 2]:
                continue
            begin = m.start() + _lead_in(m.group())
            start, end = norm.span_from_folded(begin, m.end())
            hits.append(EntityHit("address", start, end, norm.folded[begin : m.end()], "详细地址（省市区 + 路/小区 + 门牌号）"))
        return hits
