"""Result types of the public check API (``Guard.check`` / ``Guard.triage``)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from csguard.vocab import OUTBOUND_CATEGORIES, SEVERITY_RANK, TRIAGE_SIGNALS, Severity, Verdict

# Re-exported: callers have always imported these from the results module.
__all__ = [
    "OUTBOUND_CATEGORIES",
    "SEVERITY_RANK",
    "TRIAGE_SIGNALS",
    "CheckResult",
    "Finding",
    "Severity",
    "TriageResult",
    "Verdict",
]


# Plain slotted dataclasses, not frozen ones: a frozen dataclass costs four times as much to
# construct, and a result is built for every message checked.
@dataclass(slots=True)
class Finding:
    """One hit, pointing at the exact span of the ORIGINAL text (``text[start:end] == matched``)."""

    rule_id: str
    category: str
    severity: Severity
    start: int
    end: int
    matched: str
    normalized: str
    explanation: str
    message: str
    suggestion: str
    # The model's probability for a finding of the learned second opinion (rule_id "model.…");
    # None for a rule's finding.
    score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        # By hand rather than dataclasses.asdict, which deep-copies and is the slowest part of a
        # batch response.
        return {name: getattr(self, name) for name in _FINDING_FIELDS}


_FINDING_FIELDS = tuple(f.name for f in fields(Finding))


def verdict_for(findings: list[Finding]) -> Verdict:
    """block when any finding is critical/high, warn for medium/low, else allow."""
    if not findings:
        return "allow"
    for f in findings:
        if f.severity in ("critical", "high"):
            return "block"
    return "warn"


@dataclass(slots=True)
class CheckResult:
    text: str
    platform: str
    verdict: Verdict
    findings: list[Finding] = field(default_factory=list)
    rewrite: str = ""

    @property
    def categories(self) -> list[str]:
        seen: dict[str, None] = {}
        for f in self.findings:
            seen.setdefault(f.category, None)
        return list(seen)

    @property
    def rule_ids(self) -> list[str]:
        return sorted({f.rule_id for f in self.findings})

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "platform": self.platform,
            "categories": self.categories,
            "findings": [f.to_dict() for f in self.findings],
            "rewrite": self.rewrite,
        }


@dataclass(slots=True)
class TriageResult:
    text: str
    platform: str
    escalate: bool
    signals: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "escalate": self.escalate,
            "platform": self.platform,
            "signals": self.signals,
            "findings": [f.to_dict() for f in self.findings],
        }
