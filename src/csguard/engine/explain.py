"""Human explanations (Chinese, for the agent) of why a span was flagged."""

from __future__ import annotations

import re
from functools import lru_cache

from csguard.engine.compiled import PatternRef
from csguard.rulepacks.schema import Rule
from csguard.text.normalize import fold
from csguard.text.recognizers import EntityHit
from csguard.text.tables import NOISE_RE, REPEAT_RE, TWO_WAY_SYMBOLS, is_noise

# Symbols read both as a word and as decoration (see evaluate_text); when a hit needed them to be
# decoration, the explanation says they were removed.
DECORATIVE = frozenset(TWO_WAY_SYMBOLS)
_TRIVIAL = frozenset("一您")  # folds made for matching only; not a disguise worth reporting
_KIND_LABEL = {"pinyin": "拼音", "homophone": "谐音字", "homophone+pinyin": "谐音字和拼音"}


def _visible(ch: str) -> str:
    if ch == " ":
        return "空格"
    return ch if ch.isprintable() and not ch.isspace() else f"不可见字符U+{ord(ch):04X}"


# Letters, digits and "%" only: nothing to remove, and ASCII case folding is not worth a note.
_PLAIN_ASCII = re.compile(r"[0-9A-Za-z%]+")


@lru_cache(maxsize=4096)
def _char_note(ch: str) -> tuple[str | None, str | None, str]:
    """(shown as removed, shown as folded, what it reads as) for one character."""
    out = fold(ch)
    if not out or all(is_noise(k) for k in out) or ch in DECORATIVE:
        return _visible(ch), None, ""
    if out != ch and not (ch.isascii() and out == ch.lower()) and ch not in _TRIVIAL:
        return None, f"“{ch}”→“{out}”", out
    return None, None, out


@lru_cache(maxsize=4096)
def transformations(matched: str) -> tuple[str, ...]:
    """What normalization did to the matched span: removed noise, folded characters, merged runs."""
    if _PLAIN_ASCII.fullmatch(matched):
        return ()
    if fold(matched) == matched and not NOISE_RE.search(matched) and DECORATIVE.isdisjoint(matched):
        # Nothing removed or folded (most hits on undisguised text): only runs can have been merged.
        return ("合并了重复字",) if REPEAT_RE.search(matched) else ()
    removed: list[str] = []
    folded: list[str] = []
    kept: list[str] = []
    for ch in matched:
        gone, changed, out = _char_note(ch)
        if gone is not None:
            removed.append(gone)
            continue
        if changed is not None:
            folded.append(changed)
        kept.append(out)
    notes = []
    if removed:
        shown = "、".join(dict.fromkeys(removed))
        notes.append(f"去掉了夹在字间的干扰符号（{shown}）")
    if folded:
        notes.append("字符还原：" + "，".join(dict.fromkeys(folded)))
    if REPEAT_RE.search("".join(kept)):  # the runs normalization collapses, not doubled digits
        notes.append("合并了重复字")
    return tuple(notes)


@lru_cache(maxsize=8192)  # the same words are hit in message after message
def explain_term(rule_id: str, ref: PatternRef, matched: str, compact: str, partner: str = "") -> str:
    notes = list(transformations(matched))
    if partner:  # the text between the two words of a pair is not a disguise
        notes = [n for n in notes if not n.startswith("去掉")]
    if ref.kind != "literal":
        label = _KIND_LABEL.get(ref.kind, ref.kind)
        notes.append(f"“{compact}”是“{ref.source}”的{label}写法")
    how = "；".join(notes) if notes else "原文直接出现"
    what = f"“{ref.source}”与“{partner}”同时出现" if partner else f"“{ref.source}”"
    return f"命中{what}（规则 {rule_id}）：{how}"


def explain_entity(rule: Rule, hit: EntityHit, matched: str) -> str:
    notes = transformations(matched) if hit.entity not in ("url", "address") else ()
    extra = ("；" + "；".join(notes)) if notes else ""
    return f"识别到{hit.explanation}（规则 {rule.id}）{extra}"
