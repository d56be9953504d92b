"""Normalization with an offset map back to the original text.

Three views of one message:

* ``original`` — what the agent typed; every finding is reported in its coordinates.
* ``folded``   — per-character folding (NFKC, width, case, traditional->simplified, look-alike
  and variant characters, meaningful emoji such as 🐧 -> 企鹅), zero-width characters deleted.
  Recognizers that need punctuation (URLs, digit runs) read this view.
* ``compact``  — ``folded`` without noise (spaces, punctuation, decorative emoji) and with runs of
  one repeated CJK character collapsed. Rule terms are matched here, so "微 ❤ 信", "w e i x i n"
  and "微微信" all read as a plain term.

The folded and compact strings are built with C-level ``str.translate`` and ``re.sub``; the offset
maps are only built when something was found (clean messages never pay for them).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from csguard.text.speedups import NATIVE
from csguard.text.tables import (
    NOISE_RE,
    REPEAT_RE,
    array_tables,
    collapse_mask,
    fold_table,
    is_cjk,
    is_noise,
)

if TYPE_CHECKING:
    from csguard.text.speedups import Folder

_TABLE = fold_table()
_NOT_ONE_TO_ONE = frozenset(cp for cp, out in _TABLE.items() if len(out) != 1)

# The C extension's folder applies the same table and noise rules in one pass (tests compare them).
# Without it, str.translate and regexes do the same, slower.
FOLDER: Folder | None = NATIVE.Folder(_TABLE) if NATIVE is not None else None


def fold(text: str) -> str:
    return text.translate(_TABLE)


def compact_of(folded: str) -> str:
    return REPEAT_RE.sub(r"\1", NOISE_RE.sub("", folded))


def compact_text(text: str) -> str:
    """``compact_of(fold(text))``: the view rule terms are matched in."""
    return FOLDER.compact(text) if FOLDER is not None else compact_of(fold(text))


@lru_cache(maxsize=65536)
def normalize_term(term: str) -> str:
    """The compact form of a rule term or custom word (the same pipeline as messages)."""
    return compact_text(term)


class Normalized:
    __slots__ = ("_compact_map", "_folded_map", "_one_to_one", "cache", "compact", "folded", "original")

    def __init__(self, original: str) -> None:
        self.original = original
        self.folded = original.translate(_TABLE)
        compact = NOISE_RE.sub("", self.folded)
        self.compact = REPEAT_RE.sub(r"\1", compact) if REPEAT_RE.search(compact) else compact
        self._folded_map: list[int] | None = None
        self._compact_map: list[int] | None = None
        self._one_to_one = False
        # Recognizers share intermediate results (digit runs) through this per-message cache.
        self.cache: dict[str, object] = {}

    @classmethod
    def from_parts(cls, original: str, folded: str, compact: str, compact_map: list[int]) -> Normalized:
        """A message normalized elsewhere (the batch path) with a 1:1 fold, so folded offsets are original ones."""
        self = cls.__new__(cls)
        self.original, self.folded, self.compact = original, folded, compact
        self._compact_map = compact_map
        self._folded_map = list(range(len(original)))
        self._one_to_one = True
        self.cache = {}
        return self

    @classmethod
    def from_scan(
        cls, original: str, folded: str, compact: str, compact_map: list[int], one_to_one: bool
    ) -> Normalized:
        """A message normalized by the C scanner (engine.speedups); the folded map is built on demand."""
        self = cls.__new__(cls)
        self.original, self.folded, self.compact = original, folded, compact
        self._compact_map, self._folded_map, self._one_to_one = compact_map, None, one_to_one
        self.cache = {}
        return self

    def _build_maps(self) -> None:
        # Equal lengths alone could hide a deletion plus an expansion: check every fold is 1:1.
        one_to_one = self.folded == self.original or (
            len(self.folded) == len(self.original) and not any(ord(ch) in _NOT_ONE_TO_ONE for ch in self.original)
        )
        if one_to_one and len(self.original) < 256:  # short texts: cheaper than numpy's per-call overhead
            positions = [i for i, ch in enumerate(self.folded) if not is_noise(ch)]
            if len(positions) == len(self.compact):  # nothing was collapsed
                self._compact_map, self._folded_map = positions, list(range(len(self.original)))
                return
        t = array_tables()
        original = np.frombuffer(self.original.encode("utf-32-le"), dtype=np.uint32)
        if not t.multi[original].any():
            # Every character folds 1:1 (the usual case): vectorized, folded offsets are original ones.
            cps = t.fold1[original]
            keep = t.keep[cps]
            pos = np.flatnonzero(keep)
            drop = collapse_mask(cps[keep])
            if drop is not None:
                pos = pos[~drop]
            self._compact_map = pos.tolist()
            self._folded_map = list(range(len(self.original)))
            return
        folded_map: list[int] = []
        kept: list[tuple[str, int]] = []
        for i, ch in enumerate(self.original):
            for k in _TABLE.get(ord(ch), ch):
                folded_map.append(i)
                if not is_noise(k):
                    kept.append((k, i))
        compact_map: list[int] = []
        j = 0
        while j < len(kept):  # mirror REPEAT_RE: a run of 3+ of one CJK character keeps its first
            k, i = kept[j]
            run = j + 1
            while run < len(kept) and kept[run][0] == k:
                run += 1
            compact_map.append(i)
            if run - j < 3 or not is_cjk(k):
                compact_map.extend(idx for _, idx in kept[j + 1 : run])
            j = run
        self._folded_map, self._compact_map = folded_map, compact_map

    @property
    def compact_map(self) -> list[int]:
        """``compact_map[k]`` is the index in ``original`` of the character behind ``compact[k]``."""
        if self._compact_map is None:
            self._build_maps()
        assert self._compact_map is not None
        return self._compact_map

    @property
    def folded_map(self) -> list[int]:
        if self._folded_map is None and self._one_to_one:
            self._folded_map = list(range(len(self.original)))
        if self._folded_map is None:
            self._build_maps()
        assert self._folded_map is not None
        return self._folded_map

    def span_from_compact(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) covering compact [start, end)."""
        m = self.compact_map
        return m[start], m[end - 1] + 1

    def span_from_folded(self, start: int, end: int) -> tuple[int, int]:
        m = self.folded_map
        return m[start], m[end - 1] + 1


def normalize(text: str) -> Normalized:
    return Normalized(text)
