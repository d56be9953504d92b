"""The public check API: ``Guard(platform=...).check(text)`` and ``.triage(text)``."""

from __future__ import annotations

import re
from collections.abc import Iterable

from csguard.errors import InputTooLarge, InvalidInput
from csguard.results import CheckResult, Finding, TriageResult, verdict_for

MAX_TEXT_CHARS = 100_000
PLATFORMS = ("pdd", "taobao", "tmall", "douyin")

# TEMPORARY bootstrap engine, replaced by the rule-pack engine in this same change.
_TMP = [
    (re.compile(r"微信|vx|VX|薇信"), "offsite.wechat", "offsite_diversion", "critical"),
    (re.compile(r"好评返现"), "review.cashback", "review_manipulation", "high"),
    (re.compile(r"最好|第一"), "absolute.best", "absolute_claim", "medium"),
    (re.compile(r"傻逼|sb"), "abuse.insult", "abusive_language", "high"),
    (re.compile(r"1[3-9]\d{9}"), "contact.phone", "offsite_diversion", "critical"),
]
_TMP_TRIAGE = [
    (re.compile(r"投诉|举报|12315|差评"), "triage.complaint", "complaint_threat"),
    (re.compile(r"不然.*差评|补偿.*差评"), "triage.extortion", "extortion"),
    (re.compile(r"sb|傻X|废物"), "triage.abuse", "abuse"),
    (re.compile(r"刷单|兼职"), "triage.spam", "spam_ad"),
]


class Guard:
    def __init__(
        self,
        platform: str = "pdd",
        custom_words: Iterable[object] = (),
        allow_words: Iterable[str] = (),
    ) -> None:
        if platform not in PLATFORMS:
            raise InvalidInput(f"unknown platform {platform!r}", details={"field": "platform"})
        self.platform = platform
        self.custom_words = list(custom_words)
        self.allow_words = list(allow_words)

    def _validate(self, text: str) -> None:
        if not isinstance(text, str):
            raise InvalidInput("text must be a string", details={"field": "text"})
        if len(text) > MAX_TEXT_CHARS:
            raise InputTooLarge(
                f"text has {len(text)} characters; the maximum is {MAX_TEXT_CHARS}", details={"field": "text"}
            )

    def check(self, text: str) -> CheckResult:
        self._validate(text)
        findings = []
        for rx, rid, cat, sev in _TMP:
            for m in rx.finditer(text):
                findings.append(
                    Finding(rid, cat, sev, m.start(), m.end(), m.group(), m.group(), "", "", "")  # type: ignore[arg-type]
                )
        return CheckResult(text, self.platform, verdict_for(findings), findings, text)

    def triage(self, text: str) -> TriageResult:
        self._validate(text)
        findings = []
        for rx, rid, sig in _TMP_TRIAGE:
            for m in rx.finditer(text):
                findings.append(Finding(rid, sig, "high", m.start(), m.end(), m.group(), m.group(), "", "", ""))
        signals = sorted({f.category for f in findings})
        return TriageResult(text, self.platform, bool(signals), signals, findings)
