"""The model's features: hashed character n-grams of a message's compact view.

The compact view (``csguard.text.normalize``: folded, noise removed, repeats collapsed) is what
the rules match in, so "微 ❤ 信" and "薇信" reach the model as they reach the rules (without
ASCII digits and Latin letters: ``code_points``). Each n-gram of code points (with a start and an end marker around the text, so "短句" at the start of a
message differs from one inside a sentence) is hashed with 32-bit FNV-1a and a multiplicative mix
into ``2**bits`` buckets. A head's raw score is the sum of the int8 weights of every n-gram
occurrence and its value that sum divided by the square root of the number of n-grams (so a long
message does not pile up evidence by length alone): integer sums and one IEEE division, so the C
path (csrc/model.c) and this one agree to the bit.
"""

from __future__ import annotations

FNV_OFFSET = 0x811C9DC5
FNV_PRIME = 0x01000193
MIX = 0x9E3779B1
MASK32 = 0xFFFFFFFF
START = 0x02  # control characters never survive into the compact view, so they cannot collide
END = 0x03


def _skipped(cp: int) -> bool:
    return 0x30 <= cp <= 0x39 or 0x61 <= cp <= 0x7A or 0x41 <= cp <= 0x5A


def code_points(compact: str) -> list[int]:
    """What the model reads: the compact view without ASCII digits and Latin letters, between the
    start and end markers. Numbers, IDs, handles and model codes are the recognizers' and rules'
    job; in the composed training lines they are random slot fillers, whose characters would teach
    the model that any number or product code is a violation."""
    return [START, *(cp for cp in map(ord, compact) if not _skipped(cp)), END]


def buckets(compact: str, bits: int, nmin: int, nmax: int) -> list[int]:
    """The bucket of every n-gram occurrence (nmin <= n <= nmax), in text order."""
    cps = code_points(compact)
    shift = 32 - bits
    out: list[int] = []
    length = len(cps)
    for i in range(length):
        h = FNV_OFFSET
        for n in range(1, min(nmax, length - i) + 1):
            h = ((h ^ cps[i + n - 1]) * FNV_PRIME) & MASK32
            if n >= nmin:
                out.append(((h * MIX) & MASK32) >> shift)
    return out
