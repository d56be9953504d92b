"""Masking of buyers' personal data in anything csguard stores, logs or reports.

``mask_pii`` keeps enough to recognise the value (138****5678, 3201**********2328) and
never the whole of it. Users with the right role read originals from the source system,
never from csguard's stored copies.
"""

from __future__ import annotations

import re

# Digits may be split by spaces or dashes to dodge filters; masking must still catch them.
_SEP = r"[ \-\u00a0\u200b]?"
_PHONE_RE = re.compile(r"(?<![0-9A-Za-z])(1[3-9]\d)" + _SEP + r"(\d{4})" + _SEP + r"(\d{4})(?![0-9])")
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{4})(\d{10})(\d{3}[\dXx])(?![0-9A-Za-z])")
_LANDLINE_RE = re.compile(r"(?<![0-9])(0\d{2,3})-(\d{3,4})(\d{4})(?![0-9])")
_EMAIL_RE = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(@[A-Za-z0-9.-]+\.[A-Za-z]{2,})")
# A street address down to the door: keep the city/district, hide road and house number.
_ADDRESS_RE = re.compile(
    r"((?:[\u4e00-\u9fff]{2,8}(?:省|自治区|市))?(?:[\u4e00-\u9fff]{1,8}(?:市|区|县))?)"
    r"([\u4e00-\u9fff0-9]{1,20}(?:路|街|道|巷|弄|村|大道|小区|园|苑|花园)[\u4e00-\u9fff0-9A-Za-z\-]{0,20}?"
    r"\d+(?:号|栋|幢|楼|室|单元|弄)(?:[0-9A-Za-z\-]*(?:号|栋|幢|楼|室|单元)?)*)"
)


def _mask_address(m: re.Match[str]) -> str:
    return m.group(1) + "*" * min(len(m.group(2)), 8)


# Cheap gates: most chat lines hold no long number, no "@" and no door number, and masking runs
# on every stored message, so the full patterns only run where they can match. ``_ANY`` is the
# three gates in one scan (the union of what _LONG_NUMBER, "@" and _DOOR_NUMBER find), so a
# line without any of them costs one regex search.
_LONG_NUMBER = re.compile(r"\d[ \-\u00a0\u200b]?\d{3}[ \-\u00a0\u200b]?\d{3}")
_DOOR_NUMBER = re.compile(r"\d(?:号|栋|幢|楼|室|单元|弄)")
_ANY = re.compile(r"\d(?:[ \-\u00a0\u200b]?\d{3}[ \-\u00a0\u200b]?\d{3}|号|栋|幢|楼|室|单元|弄)|@")


def mask_pii(text: str) -> str:
    """Mask phone numbers, resident IDs, landlines, e-mail addresses and street addresses."""
    if not text or _ANY.search(text) is None:
        return text
    if _LONG_NUMBER.search(text):
        text = _ID_RE.sub(lambda m: m.group(1) + "*" * 10 + m.group(3), text)
        text = _PHONE_RE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
        text = _LANDLINE_RE.sub(lambda m: f"{m.group(1)}-****{m.group(3)}", text)
    if "@" in text:
        text = _EMAIL_RE.sub(lambda m: f"{m.group(1)}***{m.group(2)}", text)
    if _DOOR_NUMBER.search(text):
        text = _ADDRESS_RE.sub(_mask_address, text)
    return text
