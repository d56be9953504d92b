"""Malicious negative reviews: classify into the platform's appeal reason, track the appeal window,
draft the factual appeal description, or a public reply when the review cannot be appealed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from csguard.errors import InvalidInput
from csguard.guard import Guard
from csguard.penalties.drafting import render_template
from csguard.penalties.review_detectors import REVIEW_DETECTORS, Review, ReviewContext
from csguard.vocab import EXTORTION

REVIEW_REASONS: tuple[str, ...] = (
    EXTORTION,
    "competitor",
    "advertising",
    "meaningless",
    "false_claim",
    "not_appealable",
)
REASON_LABELS: dict[str, str] = {
    EXTORTION: "利用评价要挟/勒索",
    "competitor": "同行恶意竞争",
    "advertising": "广告评价",
    "meaningless": "无实际含义",
    "false_claim": "消费者虚假评价",
    "not_appealable": "不符合申诉条件",
}
DEFAULT_APPEAL_WINDOW_DAYS = 30
WarningLevel = Literal["ok", "soon", "urgent", "closed"]


@dataclass(frozen=True, slots=True)
class AppealWindow:
    deadline: date
    days_left: int
    level: WarningLevel

    @property
    def message(self) -> str:
        if self.level == "closed":
            return f"申诉期已于 {self.deadline} 截止"
        if self.level == "ok":
            return f"申诉截止 {self.deadline}，剩余 {self.days_left} 天"
        return f"申诉即将截止（{self.deadline}），仅剩 {self.days_left} 天，请尽快提交"


def appeal_window(
    created: date, today: date, *, window_days: int = DEFAULT_APPEAL_WINDOW_DAYS
) -> AppealWindow:
    """The last day to appeal is ``window_days`` after the review; warn a week and two days ahead."""
    if window_days <= 0:
        raise InvalidInput("the appeal window must be at least one day", details={"field": "window_days"})
    if not 2000 <= created.year <= 2100:
        raise InvalidInput(f"review date {created} is outside 2000-2100", details={"field": "created"})
    deadline = created + timedelta(days=window_days)
    days_left = (deadline - today).days
    level: WarningLevel = (
        "closed" if days_left < 0 else "urgent" if days_left <= 2 else "soon" if days_left <= 7 else "ok"
    )
    return AppealWindow(deadline, max(days_left, 0), level)


@dataclass
class ReviewClassification:
    reason: str
    evidence: list[str] = field(default_factory=list)
    other_reasons: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return REASON_LABELS[self.reason]

    @property
    def appealable(self) -> bool:
        return self.reason != "not_appealable"


def classify_review(review: Review, context: ReviewContext, guard: Guard) -> ReviewClassification:
    """The highest-priority reason whose detector found evidence; ``not_appealable`` otherwise."""
    if not 1 <= review.rating <= 5:
        raise InvalidInput(f"rating must be 1 to 5, got {review.rating}", details={"field": "rating"})
    detectors = sorted((cls() for _, cls in REVIEW_DETECTORS.items()), key=lambda d: d.priority)
    found: list[tuple[str, list[str]]] = []
    for detector in detectors:
        evidence = detector.detect(review, context, guard)
        if evidence:
            found.append((detector.reason, evidence))
    if not found:
        return ReviewClassification("not_appealable")
    reason, evidence = found[0]
    return ReviewClassification(reason, evidence, [r for r, _ in found[1:]])


def appeal_description(review: Review, classification: ReviewClassification, *, shop_name: str) -> str:
    """The factual appeal text the platforms accept: what happened, the rule it meets, the proof."""
    if not classification.appealable:
        raise InvalidInput(
            "this review does not meet any appeal reason; use the public reply instead",
            details={"field": "reason"},
        )
    return render_template(
        "review_appeal.txt",
        shop_name=shop_name,
        review=review,
        reason=classification.reason,
        extortion=EXTORTION,
        reason_label=classification.label,
        evidence=classification.evidence,
    )


def public_reply(*, shop_name: str, topic: str = "商品使用体验") -> str:
    """A calm public answer for reviews that cannot be appealed: thanks, acknowledgement, a way forward."""
    return render_template("public_reply.txt", shop_name=shop_name, topic=topic)
