"""Per-character folding table and the noise definition shared by texts and patterns.

Folding is strictly per character (no context), so ``str.translate`` computes it in C on the
fast path and the offset map can be rebuilt later, only when a message has a hit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import numpy.typing as npt

# Characters that never carry meaning: zero-width and other format characters, variation
# selectors, combining keycap. Deleted outright (not even kept as separators).
_DELETED = [
    0x00AD, 0x034F, 0x061C, 0x180E, 0x20E3, 0xFEFF,
    *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2070), *range(0xFE00, 0xFE10),
]

# Ranges whose NFKC form is what a reader sees: full-width forms, circled/parenthesized digits and
# letters, dingbat digits, enclosed CJK, super/subscripts, mathematical letters, CJK compatibility.
_NFKC_RANGES = [
    (0x00A0, 0x024F),
    (0x2070, 0x209F),
    (0x2100, 0x218F),
    (0x2460, 0x24FF),
    (0x2776, 0x2793),
    (0x2F00, 0x2FDF),
    (0x3000, 0x3000),
    (0x3200, 0x33FF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),
    (0x1D400, 0x1D7FF),
    (0x1F100, 0x1F1FF),
]
# Dingbat negative/sans-serif circled digits have no NFKC decomposition.
_DINGBAT_DIGITS = {0x2776 + i: str(i + 1) for i in range(9)} | {0x277F: "10"}
_DINGBAT_DIGITS |= {0x2780 + i: str(i + 1) for i in range(9)} | {0x2789: "10"}
_DINGBAT_DIGITS |= {0x278A + i: str(i + 1) for i in range(9)} | {0x2793: "10"}
_DINGBAT_DIGITS |= {0x24EA: "0", 0x24FF: "0", 0x1F10B: "0", 0x1F10C: "0"}
_DINGBAT_DIGITS |= {0x24F5 + i: str(i + 1) for i in range(9)} | {0x24FE: "10"}
# Negative circled/squared letters (🅥🅧) and regional indicators (🇻🇽) have no NFKC form either.
_DINGBAT_DIGITS |= {base + i: chr(ord("a") + i) for base in (0x1F150, 0x1F170, 0x1F1E6) for i in range(26)}


def _data_pairs(name: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    text = resources.files("csguard.text").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        src, _, dst = line.partition("\t")
        pairs[src] = dst
    return pairs


def _strip_marks(s: str) -> str:
    decomposed = unicodedata.normalize("NFD", s)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_LINK_PUNCT = frozenset("\uff0e\uff0d")  # ．－


@lru_cache(maxsize=1)
def fold_table() -> dict[int, str]:
    """Map of code point -> folded text for every character that folding changes."""
    t2s = _data_pairs("t2s.tsv")
    variants = _data_pairs("variants.tsv")
    symbols = _data_pairs("symbols.tsv")

    def fold_one(c: str) -> str:
        if c in symbols:
            return symbols[c]
        c = variants.get(c, c)
        out = _DINGBAT_DIGITS.get(ord(c)) or unicodedata.normalize("NFKC", c)
        out = _strip_marks(out).lower() if out.isascii() is False and out.isalpha() else out.lower()
        out = "".join(t2s.get(ch, ch) for ch in out)
        return "".join(variants.get(ch, ch) for ch in out)

    candidates: set[str] = {chr(cp) for lo, hi in _NFKC_RANGES for cp in range(lo, hi + 1)}
    candidates |= {chr(cp) for cp in range(0x41, 0x5B)}
    candidates |= set(t2s) | set(variants) | set(symbols)
    candidates |= {chr(cp) for cp in range(0x0370, 0x0530)}  # Greek and Cyrillic capitals fold too
    table: dict[int, str] = {}
    for c in candidates:
        folded = fold_one(c)
        # Punctuation that folds to other punctuation (，->,) is noise either way: left out, it
        # keeps folded offsets equal to original ones for most messages. Except the full-width dot
        # and hyphen, which the link recognizer must see as "." and "-" (ｐｄｄ－ｆｒｅｅ．ｔｏｐ).
        if folded != c and (c in _LINK_PUNCT or not (is_noise(c) and folded and all(is_noise(k) for k in folded))):
            table[ord(c)] = folded
    for cp in _DELETED:
        table[cp] = ""
    return table


# What survives into the compact stream: word characters (CJK, letters, digits) and '%', which
# carries meaning in claims such as "100%有效". Everything else is noise an evader can insert.
NOISE_RE = re.compile(r"[^\w%]|_")
# Runs of three or more of one CJK character collapse to one ("微微微信" reads as "微信"); pairs
# stay, because doubled characters are everyday words (拼多多, 妈妈, 宝宝).
REPEAT_RE = re.compile(r"([\u3400-\u9fff])\1{2,}")


# A heart stands for 心/信 in "微❤信"/"薇❤" but is mere decoration in "唯❤品会": messages with one
# are read both ways (engine/evaluate.py).
TWO_WAY_SYMBOLS = "❤♥💗💖💕💓💞🧡💛💚💙💜🤍🖤"


@lru_cache(maxsize=65536)
def is_noise(ch: str) -> bool:
    return NOISE_RE.match(ch) is not None


def is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


# --- The same folding and noise definition as numpy lookup tables, for vectorized paths. ---

_MAX_CP = 0x110000
_DIGITISH = "0123456789零〇一二三四五六七八九幺洞"


@dataclass(frozen=True)
class ArrayTables:
    fold1: npt.NDArray[np.uint32]  # code point -> folded code point, for 1:1 folds
    multi: npt.NDArray[np.bool_]  # code points whose fold is not 1:1 (deleted or expanded)
    keep: npt.NDArray[np.bool_]  # not noise
    digit: npt.NDArray[np.bool_]


@lru_cache(maxsize=1)
def array_tables() -> ArrayTables:
    fold1 = np.arange(_MAX_CP, dtype=np.uint32)
    multi = np.zeros(_MAX_CP, dtype=bool)
    for cp, out in fold_table().items():
        if len(out) == 1:
            fold1[cp] = ord(out)
        else:
            multi[cp] = True
    keep = np.zeros(_MAX_CP, dtype=bool)
    # Python's \w is str.isalnum() plus "_" (noise here); past plane 3 nothing is a word character.
    keep[[cp for cp in range(0x40000) if chr(cp).isalnum()]] = True
    keep[ord("%")] = True
    digit = np.zeros(_MAX_CP, dtype=bool)
    digit[[ord(c) for c in _DIGITISH]] = True
    return ArrayTables(fold1, multi, keep, digit)


def collapse_mask(comp: npt.NDArray[np.uint32]) -> npt.NDArray[np.bool_] | None:
    """Positions REPEAT_RE removes: all but the first of a run of 3+ of one CJK character."""
    if comp.size < 3:
        return None
    same_prev = np.zeros(comp.size, dtype=bool)
    same_prev[1:] = comp[1:] == comp[:-1]
    if not same_prev.any():
        return None
    run_starts = np.flatnonzero(~same_prev)
    lengths = np.diff(np.append(run_starts, comp.size))
    run_len = np.repeat(lengths, lengths)
    drop = same_prev & (run_len >= 3) & (comp >= 0x3400) & (comp <= 0x9FFF)
    return drop if drop.any() else None
