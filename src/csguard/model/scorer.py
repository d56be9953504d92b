"""Scores of one table of heads (the outbound categories, or the triage signals).

A head's raw score is the sum of the int8 weights of every n-gram bucket of the compact text
(features.py); its value is that sum divided by the square root of the number of n-grams, and its
probability ``sigmoid(bias + scale * value)``. Thresholds are values, compared in C without a
Python object per message; the pure-Python path below does the same integer sums and the same
IEEE division, so both give the same floats to the bit (tests compare them on thousands of texts).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

from csguard.model.features import buckets, code_points

NATIVE: ModuleType | None
try:
    import csguard._model as NATIVE
except ImportError:  # built without a C compiler: the same numbers, computed in Python
    NATIVE = None


@dataclass(frozen=True, slots=True)
class Head:
    """One category or signal: how its value turns into a probability, and its thresholds."""

    name: str
    bias: float
    scale: float
    warn: float  # the lowest value that reports the message (a warning, or an escalation)
    block: float  # the lowest value that blocks (outbound); equal to warn for triage

    def probability(self, value: float) -> float:
        return 1.0 / (1.0 + math.exp(-(self.bias + self.scale * value)))


class HeadTable:
    """A table of heads sharing one hashed n-gram space."""

    def __init__(
        self, heads: tuple[Head, ...], weights: bytes, bits: int, nmin: int, nmax: int, min_chars: int = 0
    ) -> None:
        if len(weights) != (1 << bits) * len(heads):
            raise ValueError("weights do not match 2**bits rows of one weight per head")
        self.heads = heads
        self.bits, self.nmin, self.nmax = bits, nmin, nmax
        # Fewer characters than this left to read (a bare number, a link, "亲"): the model abstains.
        self.min_chars = min_chars
        self._weights = array("b", weights)
        thresholds = [h.warn for h in heads]
        self._native = (
            NATIVE.Table(weights, len(heads), bits, nmin, nmax, thresholds, min_chars)
            if NATIVE is not None
            else None
        )

    @property
    def gate(self) -> Callable[[str], object]:
        """``over_threshold`` as the fastest callable there is: None when no head fires."""
        return self._native.score if self._native is not None else self.over_threshold_python

    @property
    def native(self) -> bool:
        return self._native is not None

    def raw_python(self, compact: str) -> tuple[list[int], int]:
        """Every head's integer sum and the number of n-grams, in Python (the reference for C)."""
        nheads = len(self.heads)
        sums = [0] * nheads
        weights = self._weights
        found = buckets(compact, self.bits, self.nmin, self.nmax)
        for bucket in found:
            row = bucket * nheads
            for k in range(nheads):
                sums[k] += weights[row + k]
        return sums, len(found)

    def raw(self, compact: str) -> tuple[list[int], int]:
        if self._native is not None:
            sums, ngrams = self._native.raw(compact)
            return list(sums), ngrams
        return self.raw_python(compact)

    def values_python(self, compact: str) -> list[float]:
        sums, ngrams = self.raw_python(compact)
        root = math.sqrt(ngrams)
        return [s / root for s in sums]

    def values(self, compact: str) -> list[float]:
        if self._native is not None:
            return list(self._native.values(compact))
        return self.values_python(compact)

    def over_threshold_python(self, compact: str) -> list[float] | None:
        """``over_threshold`` in Python (the reference the C path must equal)."""
        if len(code_points(compact)) - 2 < self.min_chars:
            return None
        values = self.values_python(compact)
        return values if any(v >= h.warn for v, h in zip(values, self.heads, strict=True)) else None

    def over_threshold(self, compact: str) -> list[float] | None:
        """Every head's value when one of them reaches its ``warn`` threshold, else None (also
        when fewer than ``min_chars`` characters are left for the model to read)."""
        if self._native is not None:
            found = self._native.score(compact)
            return None if found is None else list(found)
        return self.over_threshold_python(compact)
