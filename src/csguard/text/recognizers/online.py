"""Contact handles and links: URLs and domains, e-mail, QQ numbers and WeChat IDs in context."""

from __future__ import annotations

import re
from typing import ClassVar

from csguard.text.normalize import Normalized
from csguard.text.recognizers.base import EntityHit, recognizers

_DOT = r"(?:\s?[\[(（【]?\s?(?:\.|。|点|dot)\s?[\])）】]?\s?)"
_TLDS = (
    "com|cn|net|org|top|cc|xyz|vip|shop|club|site|info|io|me|co|ink|link|ly|tv|app|store|online|fun"
    "|wang|ren|tk|ml|so|la|im|gl|gd|hk|tw|us|biz|live|pro|icu|work|asia|mobi"
)
_URL_RE = re.compile(
    rf"(?:https?[:：]//|www{_DOT})[^\s，。！？、；“”‘’<>（）()\u4e00-\u9fff]+"
    rf"|(?<![a-z0-9@.\-])[a-z0-9](?:[a-z0-9\-]{{0,62}}[a-z0-9])?(?:{_DOT}[a-z0-9\-]{{1,63}})*{_DOT}(?:{_TLDS})"
    r"(?![a-z0-9])(?:/[a-z0-9\-._~%/?#=&+]*)?"
)
_EMAIL_RE = re.compile(r"[a-z0-9._%+\-]+(?:@|＠|艾特)[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}")
_QQ_RE = re.compile(r"(?:qq|扣扣|企鹅|球球|q)(?:号码|号|是)?([1-9]\d{4,10})(?!\d)")
_HAS_DIGIT = re.compile(r"\d")
_WECHAT_RE = re.compile(
    r"(?:微信|微心|薇信|威信|徽信|v信|vx|wx|weixin|wechat|卫星|微|薇|v)(?:号|是|号是|id)?([a-z][a-z0-9\-]{5,19})(?![a-z0-9])"
)


def _latin_edge_ok(norm: Normalized, start: int, end: int) -> bool:
    """A Latin handle must not be glued to other Latin letters in the original (vivo2023 is no 'v' + id)."""
    before = norm.original[start - 1] if start else ""
    return not (before.isascii() and before.isalpha())


@recognizers.register("url")
class UrlRecognizer:
    entity: ClassVar[str] = "url"

    def analyze(self, norm: Normalized) -> list[EntityHit]:
        hits = []
        for m in _URL_RE.finditer(norm.folded):
            start, end = norm.span_from_folded(m.start(), m.end())
            hits.append(EntityHit("url", start, end, m.group(), "网址/域名/短链接（含用“点”“dot”代替“.”的写法）"))
        return hits


@recognizers.register("email")
class EmailRecognizer:
    entity: ClassVar[str] = "email"

    def analyze(self, norm: Normalized) -> list[EntityHit]:
        hits = []
        for m in _EMAIL_RE.finditer(norm.folded):
            start, end = norm.span_from_folded(m.start(), m.end())
            hits.append(EntityHit("email", start, end, m.group(), "电子邮箱地址"))
        return hits


@recognizers.register("qq")
class QQRecognizer:
    entity: ClassVar[str] = "qq"

    def analyze(self, norm: Normalized) -> list[EntityHit]:
        hits = []
        for m in _QQ_RE.finditer(norm.compact):
            start, end = norm.span_from_compact(m.start(), m.end())
            if m.group().startswith("q") and not _latin_edge_ok(norm, start, end):
                continue
            if m.group().startswith("q") and not m.group().startswith("qq") and "号" not in m.group():
                continue  # a lone "q" is only a QQ marker as "q号"
            hits.append(EntityHit("qq", start, end, m.group(1), "QQ 号码（前面有 QQ/企鹅/🐧 等提示）"))
        return hits


@recognizers.register("wechat_id")
class WeChatIdRecognizer:
    entity: ClassVar[str] = "wechat_id"

    def analyze(self, norm: Normalized) -> list[EntityHit]:
        hits = []
        for m in _WECHAT_RE.finditer(norm.compact):
            handle = m.group(1)
            if _HAS_DIGIT.search(handle) is None:
                continue  # real IDs almost always carry digits; plain words after 微 are not IDs
            start, end = norm.span_from_compact(m.start(), m.end())
            marker = m.group()[: m.start(1) - m.start()]
            if marker[0].isascii():
                if not _latin_edge_ok(norm, start, end):
                    continue
                after_marker = norm.original[start + len(marker.rstrip("号是id")) : start + len(marker) + 1]
                if marker in ("v", "wx", "vx") and after_marker[:1].isascii() and after_marker[:1].isalpha():
                    continue  # "vivo2023": the v is part of a word, not a WeChat marker
            hits.append(EntityHit("wechat_id", start, end, handle, f"微信号“{handle}”（前面有“{marker}”提示）"))
        return hits
