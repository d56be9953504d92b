"""Spelling variants of rule terms: pinyin (full and mixed with characters) and homophones.

Evaders write 返xian, kai过光, weixin, 薇信, 桃宝. Rather than listing every spelling in the packs,
a rule opts in (``pinyin: true``, ``homophones: true``) and each of its terms expands to every
mix of characters and their readings/sound-alikes. Expansion happens once, at compile time.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from importlib import resources

from csguard.text.tables import is_cjk

# Beyond this a term's expansions explode combinatorially; longer terms are rare in evasions.
MAX_EXPANDED_CHARS = 4


@lru_cache(maxsize=1)
def homophone_table() -> dict[str, str]:
    text = resources.files("csguard.text").joinpath("data").joinpath("homophones.tsv").read_text("utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            ch, _, alikes = line.partition("\t")
            table[ch] = alikes
    return table


@lru_cache(maxsize=1)
def _shipped_readings() -> dict[str, tuple[str, ...]]:
    """Readings of the characters in the shipped packs, precomputed so loading needs no pypinyin."""
    text = resources.files("csguard.text").joinpath("data").joinpath("pinyin.tsv").read_text("utf-8")
    table: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            ch, _, rs = line.partition("\t")
            table[ch] = tuple(rs.split(","))
    return table


def pypinyin_readings(ch: str) -> tuple[str, ...]:
    from pypinyin import Style, pinyin  # imported lazily: only characters outside the table pay

    got = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
    return tuple(dict.fromkeys(r for r in (got[0] if got else []) if r.isascii() and r))


@lru_cache(maxsize=8192)
def readings(ch: str) -> tuple[str, ...]:
    """Toneless pinyin readings of one character (all of them, for polyphonic characters)."""
    shipped = _shipped_readings().get(ch)
    return shipped if shipped is not None else pypinyin_readings(ch)


@lru_cache(maxsize=65536)
def expand(term: str, *, use_pinyin: bool, use_homophones: bool) -> list[tuple[str, str]]:
    """All spellings of ``term`` as (spelling, kind) pairs; the term itself comes first as 'literal'."""
    out: dict[str, str] = {term: "literal"}
    cjk = [c for c in term if is_cjk(c)]
    if not (use_pinyin or use_homophones) or len(term) < 2 or not 1 <= len(cjk) <= MAX_EXPANDED_CHARS:
        return list(out.items())
    table = homophone_table()
    options: list[list[tuple[str, str]]] = []
    for c in term:
        opts = [(c, "literal")]
        if is_cjk(c):
            if use_homophones:
                opts += [(h, "homophone") for h in table.get(c, "")]
            if use_pinyin:
                opts += [(r, "pinyin") for r in readings(c)]
        options.append(opts)
    for combo in itertools.product(*options):
        spelling = "".join(part for part, _ in combo)
        kinds = {kind for _, kind in combo if kind != "literal"}
        if spelling not in out:
            out[spelling] = "+".join(sorted(kinds)) or "literal"
    return list(out.items())
