"""Detection quality on labelled sets, scored exactly like ../shared/eval/score.py does.

The shared dev sets carry the project's acceptance targets; the holdout sets here were written
independently of the rule packs to keep an eye on generalization.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from csguard import Guard

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[1].parent / "shared" / "eval"


@lru_cache(maxsize=8)
def guard(platform: str) -> Guard:
    return Guard(platform=platform)


def load(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def outbound_scores(rows: list[dict[str, object]]) -> dict[str, float]:
    viol = [r for r in rows if r["expect"] != "allow"]
    allow = [r for r in rows if r["expect"] == "allow"]
    results = {str(r["id"]): guard(str(r["platform"])).check(str(r["text"])) for r in rows}
    detected = [r for r in viol if results[str(r["id"])].verdict != "allow"]
    cat_ok = [r for r in detected if set(r["categories"]) <= set(results[str(r["id"])].categories)]  # type: ignore[arg-type]
    false_block = [r for r in allow if results[str(r["id"])].verdict == "block"]
    return {
        "violation_recall": len(detected) / len(viol),
        "false_block_rate": len(false_block) / len(allow),
        "category_accuracy": len(cat_ok) / len(viol),
    }


def inbound_scores(rows: list[dict[str, object]]) -> dict[str, float]:
    pred = {str(r["id"]): guard(str(r["platform"])).triage(str(r["text"])).escalate for r in rows}
    pos = [r for r in rows if r["escalate"]]
    tp = sum(1 for r in pos if pred[str(r["id"])])
    fp = sum(1 for r in rows if pred[str(r["id"])] and not r["escalate"])
    return {"escalation_recall": tp / len(pos), "escalation_precision": tp / (tp + fp) if tp + fp else 0.0}


SETS = [
    (SHARED / "dev_outbound.jsonl", 0.97, 0.01, 0.95),
    (HERE / "holdout_outbound.jsonl", 0.95, 0.02, 0.93),
    (HERE / "holdout2_outbound.jsonl", 0.95, 0.02, 0.93),
    (HERE / "holdout3_outbound.jsonl", 0.95, 0.02, 0.93),
    (HERE / "holdout4_outbound.jsonl", 0.95, 0.02, 0.93),
    (HERE / "holdout5_outbound.jsonl", 0.95, 0.02, 0.93),
    (HERE / "holdout6_outbound.jsonl", 0.95, 0.02, 0.93),
    (HERE / "holdout7_outbound.jsonl", 0.95, 0.02, 0.93),
    (HERE / "holdout8_outbound.jsonl", 0.95, 0.02, 0.93),
    (HERE / "holdout9_outbound.jsonl", 0.95, 0.02, 0.93),
]


@pytest.mark.parametrize(("path", "recall", "false_block", "category"), SETS, ids=lambda v: getattr(v, "name", ""))
def test_outbound_quality(path: Path, recall: float, false_block: float, category: float) -> None:
    if not path.exists():
        pytest.skip(f"{path} not present")
    s = outbound_scores(load(path))
    assert s["violation_recall"] >= recall, s
    assert s["false_block_rate"] <= false_block, s
    assert s["category_accuracy"] >= category, s


INBOUND = [
    SHARED / "dev_inbound.jsonl",
    *(HERE / f"holdout{n}_inbound.jsonl" for n in ("", "2", "3", "4", "5", "6", "7", "8", "9")),
]


@pytest.mark.parametrize("path", INBOUND, ids=lambda p: p.name)
def test_inbound_quality(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} not present")
    s = inbound_scores(load(path))
    assert s["escalation_recall"] >= 0.95, s
    assert s["escalation_precision"] >= 0.95, s
