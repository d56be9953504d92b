"""The C scanner (``csguard._scan``, loaded by text.speedups) and how rules hand it their patterns.

The C scanner folds, compacts and matches a message in one pass and dismisses messages whose hits
cannot lead to a finding, without creating Python objects. It decides only "nothing here" versus
"evaluate this": everything it lets through is evaluated by the same Python code as without it, so
results never depend on whether the extension was built (tests compare both paths).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from csguard.text.normalize import FOLDER
from csguard.text.speedups import NATIVE as _scan
from csguard.text.tables import TWO_WAY_SYMBOLS

if TYPE_CHECKING:
    from csguard.engine.compiled import PatternSummary

AVAILABLE = _scan is not None


def _gate(name: str) -> int:
    return int(getattr(_scan, name)) if _scan is not None else 0


# The gates scan() reports with a message worth evaluating (see csrc/scan.h).
G_ONE_TO_ONE = _gate("G_ONE_TO_ONE")
G_TERMS = _gate("G_TERMS")
# A digit run of a shape the named recognizer could accept.
G_NUMBER = {entity: _gate(f"G_{entity.upper()}") for entity in ("phone", "landline", "id_card", "bank_card")}
G_DIGITS = G_NUMBER["phone"] | G_NUMBER["landline"] | G_NUMBER["id_card"] | G_NUMBER["bank_card"]
G_ADDRESS = _gate("G_ADDRESS")
G_HANDLE = _gate("G_HANDLE")
G_URL = _gate("G_URL")
G_EMAIL = _gate("G_EMAIL")
G_ALWAYS = _gate("G_ALWAYS")
G_TWO_WAY = _gate("G_TWO_WAY")
# Gates whose recognizers also need their own trigger among the hits.
G_TRIGGERED = G_HANDLE | G_URL | G_ALWAYS
G_RECOGNIZERS = G_DIGITS | G_ADDRESS | G_TRIGGERED | G_EMAIL

# csrc/gates.c only looks for the symbols read two ways in these ranges.
assert all(0x2600 <= ord(ch) < 0x27C0 or ord(ch) >= 0x1F000 for ch in TWO_WAY_SYMBOLS)


def recognizer_gate(entity: str) -> tuple[int, bool]:
    """The gate bits under which ``entity``'s recognizer can find something, and whether it also
    needs one of its own triggers among the hits (mirrors evaluate._should_run)."""
    if entity in G_NUMBER:
        return G_NUMBER[entity], False
    if entity == "address":
        return G_ADDRESS, False
    if entity in ("qq", "wechat_id"):
        return G_HANDLE, True
    if entity == "url":
        return G_URL, True
    if entity == "email":
        return G_EMAIL | G_ALWAYS, False
    return G_ALWAYS, True


def pattern_flags(summary: PatternSummary, allow_global: bool) -> int:
    assert _scan is not None
    flags = 0
    if summary.terms:
        flags |= _scan.F_TERM
    if summary.firsts:
        flags |= _scan.F_FIRST
    if summary.thens:
        flags |= _scan.F_THEN
    if allow_global:
        flags |= _scan.F_ALLOW
    if "third_party" in summary.contexts:
        flags |= _scan.F_THIRD_PARTY
    for entity in summary.triggers:
        if entity == "address":
            flags |= _scan.T_ADDRESS
        elif entity in ("qq", "wechat_id"):
            flags |= _scan.T_HANDLE
        elif entity == "url":
            flags |= _scan.T_URL
        else:
            flags |= _scan.T_ALWAYS
    return flags


def build_scanner(patterns: list[str], flags: list[int], entities: set[str]) -> Any:
    """A C scanner, or None when the extension is not built."""
    if _scan is None or FOLDER is None:
        return None
    entity_bits = 0
    if entities.intersection(G_NUMBER):
        entity_bits |= _scan.E_DIGITS
    if "email" in entities:
        entity_bits |= _scan.E_EMAIL
    return _scan.Scanner(FOLDER, patterns, flags, entity_bits, TWO_WAY_SYMBOLS)
