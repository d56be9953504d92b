"""A possible finding before negation, dedupe and explanation: from a term, a near-pair or an entity."""

from __future__ import annotations

from dataclasses import dataclass

from csguard.engine.compiled import PatternRef
from csguard.text.recognizers import EntityHit


@dataclass(slots=True)
class Candidate:
    rule: int  # index into CompiledRules.rules
    start: int  # original coordinates
    end: int
    ref: PatternRef | None
    entity: EntityHit | None = None
    compact: str = ""
    words: tuple[tuple[int, int], ...] = ()  # each word of a near-pair: negating either cancels the pair
    partner: str = ""  # the other word of a near-pair
