"""The learned second opinion: a small linear model over hashed character n-grams.

It scores every outbound category and every triage signal of a message's compact view. The
guard adds a finding from it only where the rules found nothing in that category: it warns
above a head's ``warn`` threshold and blocks (or, for triage, escalates) only above thresholds
calibrated on held-out data (training/README.md, docs/model.md). Weights ship in this package
(``weights.bin``, int8); scoring runs in C (csrc/model.c) or, identically, in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from csguard.model.loader import shipped
from csguard.model.scorer import Head, HeadTable
from csguard.results import Finding
from csguard.vocab import CATEGORY_LABELS, Severity

__all__ = ["RULE_PREFIX", "Model", "ModelHit", "model_finding"]

RULE_PREFIX = "model."


@dataclass(frozen=True, slots=True)
class ModelHit:
    """A head at or over its warn threshold."""

    category: str
    score: float  # the head's probability, 0..1
    blocks: bool  # over the block (outbound) threshold


class Model:
    """The outbound and inbound head tables; ``Model.shipped()`` reads the packaged weights once."""

    def __init__(self, outbound: HeadTable, inbound: HeadTable) -> None:
        self.outbound = outbound
        self.inbound = inbound

    @classmethod
    def shipped(cls) -> Model:
        _, tables = shipped()
        return cls(tables["outbound"], tables["inbound"])

    @staticmethod
    def _hits(table: HeadTable, values: list[float] | None) -> list[ModelHit]:
        if values is None:
            return []
        return [
            ModelHit(head.name, head.probability(v), v >= head.block)
            for head, v in zip(table.heads, values, strict=True)
            if v >= head.warn
        ]

    def check_hits(self, compact: str) -> list[ModelHit]:
        """Outbound categories whose head reaches its warn threshold."""
        return self._hits(self.outbound, self.outbound.over_threshold(compact))

    def triage_hits(self, compact: str) -> list[ModelHit]:
        """Triage signals whose head reaches its escalation threshold."""
        return self._hits(self.inbound, self.inbound.over_threshold(compact))


def model_finding(hit: ModelHit, text: str, compact: str, *, inbound: bool = False) -> Finding:
    """The finding for a category only the model saw: the whole message, its score, plain words."""
    label = CATEGORY_LABELS.get(hit.category, hit.category)
    score = round(hit.score, 2)
    severity: Severity
    if inbound:
        explanation = f"模型判断这条买家消息很可能属于{label}（置信度 {score:.2f}），没有命中具体规则"
        message = f"模型认为这条消息可能涉及{label}，建议主管查看整段对话。"
        suggestion = "查看上下文后再决定是否介入；如判断有误，可忽略。"
        severity = "high"
    else:
        explanation = f"模型判断这句话很可能属于{label}（置信度 {score:.2f}），没有命中具体规则，请自查"
        message = f"模型认为这句话可能涉及{label}，没有命中具体的违规词。"
        suggestion = "请换一种说法，或确认没有违规后再发送。"
        severity = "high" if hit.blocks else "medium"
    return Finding(
        rule_id=RULE_PREFIX + hit.category,
        category=hit.category,
        severity=severity,
        start=0,
        end=len(text),
        matched=text,
        normalized=compact,
        explanation=explanation,
        message=message,
        suggestion=suggestion,
        score=hit.score,
    )


__all__ += ["Head", "HeadTable"]
