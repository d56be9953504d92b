"""Split a checked text into plain and flagged segments for the templates.

Findings may overlap (a word inside a longer phrase); a segment carries every finding
that covers it, so the page can mark it once and still list each rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from csguard.results import SEVERITY_RANK, Finding


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def severity(self) -> str:
        """The worst severity among the findings, used for the colour of the mark."""
        return max((f.severity for f in self.findings), key=lambda s: SEVERITY_RANK[s], default="low")


def segments(text: str, findings: Sequence[Finding]) -> list[Segment]:
    """Cut ``text`` at every finding boundary; segments without findings are plain text."""
    valid = [f for f in findings if 0 <= f.start < f.end <= len(text)]
    cuts = sorted({0, len(text), *(f.start for f in valid), *(f.end for f in valid)})
    result: list[Segment] = []
    for start, end in pairwise(cuts):
        covering = [f for f in valid if f.start <= start and end <= f.end]
        if result and not covering and not result[-1].findings:
            result[-1] = Segment(result[-1].text + text[start:end])
        else:
            result.append(Segment(text[start:end], covering))
    return result
