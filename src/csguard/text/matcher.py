"""Multi-pattern matching behind one small interface.

The engine is swappable (the benchmark compares engines); csguard uses ahocorasick-rs with
overlapping matches, because one position can start several rules' terms ("好评返现" is both a
review term and the start of a longer phrase).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import ahocorasick_rs

from csguard.plugins import Registry


class Matcher(Protocol):
    """Finds every occurrence of every pattern; results are (pattern index, start, end)."""

    def find(self, haystack: str) -> list[tuple[int, int, int]]: ...


class AhoCorasickMatcher:
    def __init__(self, patterns: Sequence[str]) -> None:
        self._empty = not patterns
        # ahocorasick-rs refuses an empty pattern list; an empty matcher simply finds nothing.
        self._ac = ahocorasick_rs.AhoCorasick(list(patterns) or ["\x00"])

    def find(self, haystack: str) -> list[tuple[int, int, int]]:
        if self._empty:
            return []
        return self._ac.find_matches_as_indexes(haystack, overlapping=True)


MatcherFactory = type[AhoCorasickMatcher]
matchers: Registry[MatcherFactory] = Registry("matcher")
matchers.register("ahocorasick-rs")(AhoCorasickMatcher)
