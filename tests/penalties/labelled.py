"""Precision/recall of the tone checker and the review classifier on the hand-labelled sets.

Run ``python tests/penalties/labelled.py`` to print the figures quoted in docs/penalties.md;
``test_labelled_sets.py`` asserts floors so a regression fails the suite.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from csguard import Guard
from csguard.penalties.review_detectors import LogisticsProof, Review, ReviewContext
from csguard.penalties.reviews import REVIEW_REASONS, classify_review
from csguard.penalties.tone import check_tone

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Score:
    label: str
    support: int
    precision: float
    recall: float


def load(name: str) -> list[dict[str, Any]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def score(label: str, pairs: Iterable[tuple[str, str]]) -> Score:
    pairs = list(pairs)
    tp = sum(1 for gold, pred in pairs if gold == label and pred == label)
    predicted = sum(1 for _, pred in pairs if pred == label)
    actual = sum(1 for gold, _ in pairs if gold == label)
    return Score(label, actual, tp / predicted if predicted else 0.0, tp / actual if actual else 0.0)


def tone_pairs(name: str = "tone_cases.jsonl") -> list[tuple[str, str]]:
    return [(str(c["flagged"]), str(bool(check_tone(c["text"])))) for c in load(name)]


def review_from_case(case: dict[str, Any]) -> tuple[Review, ReviewContext]:
    logistics = case.get("logistics")
    proof = None
    if logistics:
        proof = LogisticsProof(
            carrier=logistics["carrier"],
            tracking_no=logistics["tracking_no"],
            shipped_on=date.fromisoformat(logistics["shipped_on"]),
            delivered_on=date.fromisoformat(logistics["delivered_on"]),
        )
    review = Review("order-1", int(case["rating"]), case["text"], date.fromisoformat(case["created"]))
    context = ReviewContext(
        buyer_messages=list(case.get("buyer_messages", [])),
        logistics=proof,
        buyer_bad_reviews_30d=int(case.get("buyer_bad_reviews_30d", 0)),
        authenticity_proof=bool(case.get("authenticity_proof", False)),
        packing_proof=bool(case.get("packing_proof", False)),
    )
    return review, context


def review_pairs(guard: Guard, name: str = "review_cases.jsonl") -> list[tuple[str, str]]:
    pairs = []
    for case in load(name):
        review, context = review_from_case(case)
        pairs.append((case["label"], classify_review(review, context, guard).reason))
    return pairs


def report(tone_set: str, review_set: str, guard: Guard) -> None:
    tone = tone_pairs(tone_set)
    flagged = score("True", tone)
    print(f"{tone_set}: {len(tone)} cases, precision {flagged.precision:.2f}, recall {flagged.recall:.2f}")
    for case, (gold, pred) in zip(load(tone_set), tone, strict=True):
        if gold != pred:
            print(f"  {case['text']!r}: labelled {gold}, predicted {pred}")
    reviews = review_pairs(guard, review_set)
    print(
        f"{review_set}: {len(reviews)} cases, accuracy {sum(g == p for g, p in reviews) / len(reviews):.2f}"
    )
    print("| reason | cases | precision | recall |")
    print("|---|---|---|---|")
    for reason in REVIEW_REASONS:
        s = score(reason, reviews)
        print(f"| {reason} | {s.support} | {s.precision:.2f} | {s.recall:.2f} |")
    for case, (gold, pred) in zip(load(review_set), reviews, strict=True):
        if gold != pred:
            print(f"  {case['text']!r}: labelled {gold}, predicted {pred}")


def main() -> None:
    guard = Guard(platform="douyin")
    print("## development sets (written while building the rules)")
    report("tone_cases.jsonl", "review_cases.jsonl", guard)
    print("## hold-out sets (written after the rules were frozen, never tuned on)")
    report("tone_holdout.jsonl", "review_holdout.jsonl", guard)


if __name__ == "__main__":
    main()
