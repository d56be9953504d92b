"""QC findings over a chat log: guard violations, buyer risk, passive service, PII echo.

Each detector is a small class behind one interface (``Detector.detect`` returns a table
with ``FINDING_SCHEMA``), registered in ``detectors`` like a third-party one would be.
Everything stays columnar until the (few) findings become ``QcFinding`` objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from csguard.guard import Guard
from csguard.plugins import Registry
from csguard.privacy import mask_pii
from csguard.qc.columns import count_within, shift_within
from csguard.qc.sla import SlaConfig, conversation_frame, sla_rules, timed_rounds
from csguard.qc.textcheck import KnownHits, UniqueTextChecker
from csguard.vocab import DEFAULT_PLATFORM

FINDING_SCHEMA: dict[str, Any] = {
    "kind": pl.String,
    "category": pl.String,
    "severity": pl.String,
    "shop": pl.String,
    "conversation_id": pl.String,
    "message_id": pl.String,
    "agent": pl.String,
    "ts": pl.Datetime("us", "UTC"),
    "text": pl.String,
    "matched": pl.List(pl.String),
    "rule_ids": pl.List(pl.String),
    "note": pl.String,
    "value": pl.Float64,
    "context_sender": pl.String,
    "context_text": pl.String,
}
KINDS = ("violation", "risk", "passive", "privacy")


class PassiveConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    repeat_min_count: int = Field(default=10, ge=2, description="Same reply at least this often a day...")
    repeat_min_share: float = Field(
        default=0.2, gt=0, le=1, description="...and this share of the agent's replies."
    )
    silence_s: float = Field(
        default=600, gt=0, description="A wait this long inside service hours is a silence."
    )


@dataclass(slots=True)
class InspectContext:
    guard: Guard
    platform: str
    sla: SlaConfig = field(default_factory=SlaConfig)
    passive: PassiveConfig = field(default_factory=PassiveConfig)
    workers: int | None = None
    checker: UniqueTextChecker | None = None
    rounds: pl.DataFrame | None = None
    known_hits: KnownHits | None = None

    def timed_rounds(self, events: pl.DataFrame) -> pl.DataFrame:
        """The SLA rounds of the log (computed once per run, shared with the metrics)."""
        if self.rounds is None:
            self.rounds = timed_rounds(events, rule=sla_rules.get(self.platform)(), config=self.sla)
        return self.rounds

    def warm_up(self, events: pl.DataFrame) -> None:
        """Boot the text checker's helper processes while the caller computes other things."""
        per_sender = events.group_by("sender").agg(pl.col("text").n_unique().alias("distinct"))
        self.texts().warm_up(max(per_sender.get_column("distinct").to_list(), default=0))

    def close(self) -> None:
        """Stop the helper processes, if any were started."""
        if self.checker is not None:
            self.checker.close()
            self.checker = None

    def texts(self) -> UniqueTextChecker:
        """The run's one unique-text checker (its helper processes serve every detector)."""
        if self.checker is None:
            self.checker = UniqueTextChecker(self.guard, workers=self.workers, known=self.known_hits)
        return self.checker


class Detector:
    kind: ClassVar[str]

    def detect(self, events: pl.DataFrame, ctx: InspectContext) -> pl.DataFrame:
        raise NotImplementedError


detectors: Registry[type[Detector]] = Registry("QC detector")


@dataclass(frozen=True, slots=True)
class QcFinding:
    """One finding, linked to its conversation and message; texts are PII-masked."""

    kind: str
    category: str
    severity: str
    shop: str
    conversation_id: str
    message_id: str
    agent: str | None
    ts: str
    text: str
    matched: list[str]
    rule_ids: list[str]
    note: str
    value: float | None
    context: list[dict[str, str]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "category": self.category,
            "severity": self.severity,
            "shop": self.shop,
            "conversation_id": self.conversation_id,
            "message_id": self.message_id,
            "agent": self.agent,
            "ts": self.ts,
            "detail": {
                "text": self.text,
                "matched": self.matched,
                "rule_ids": self.rule_ids,
                "note": self.note,
                "value": self.value,
                "context": self.context,
            },
        }


def prepare_events(frame: pl.DataFrame, *, timezone: str) -> pl.DataFrame:
    """The frame in conversation order plus ``_conv``, local date, round number, previous message."""
    if "seq" in frame.columns:
        return frame
    return conversation_frame(frame).with_columns(
        date=pl.col("ts").dt.convert_time_zone(timezone).dt.date(),
        seq=count_within(pl.col("sender") == "agent"),
        context_sender=shift_within(pl.col("sender")),
        context_text=shift_within(pl.col("text")),
    )


def empty_findings() -> pl.DataFrame:
    return pl.DataFrame(schema=FINDING_SCHEMA)


def conform(frame: pl.DataFrame) -> pl.DataFrame:
    """Fill the columns a detector does not produce, in ``FINDING_SCHEMA`` order."""
    columns = [
        pl.col(name).cast(dtype) if name in frame.columns else pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in FINDING_SCHEMA.items()
    ]
    return frame.select(columns)


def findings_frame(frame: pl.DataFrame, ctx: InspectContext) -> pl.DataFrame:
    # Import the built-in detectors so they register (exactly as a plugin module would).
    from csguard.qc import detectors as _builtin  # noqa: F401

    events = prepare_events(frame, timezone=ctx.sla.timezone)
    try:
        parts = [conform(cls().detect(events, ctx)) for _, cls in detectors.items()]
    finally:
        ctx.close()
    parts = [p for p in parts if p.height]
    if not parts:
        return empty_findings()
    return pl.concat(parts).sort(["ts", "message_id", "kind", "category"])


def materialize(findings: pl.DataFrame) -> list[QcFinding]:
    """QcFinding objects with masked texts (each distinct text masked once)."""
    masked: dict[str, str] = {}

    def mask(text: str | None) -> str:
        if not text:
            return ""
        if text not in masked:
            masked[text] = mask_pii(text)
        return masked[text]

    prepared = findings.with_columns(
        pl.col("severity").fill_null("medium"),
        pl.col("note").fill_null(""),
        pl.col("ts").dt.to_string("%Y-%m-%dT%H:%M:%S%.f+00:00").fill_null(""),
    )
    columns = [prepared.get_column(name).to_list() for name in FINDING_SCHEMA]
    out: list[QcFinding] = []
    for row in zip(*columns, strict=True):
        (kind, category, severity, shop, conv, message, agent, ts, text, matched, rule_ids, note, value,
         context_sender, context_text) = row  # fmt: skip
        context = [{"sender": context_sender, "text": mask(context_text)}] if context_sender else []
        matched_masked = [mask(m) for m in matched or ()]
        out.append(
            QcFinding(
                kind,
                category,
                severity,
                shop,
                conv,
                message,
                agent,
                ts,
                mask(text),
                matched_masked,
                list(rule_ids or ()),
                note,
                value,
                context,
            )
        )
    return out


def inspect_conversations(
    frame: pl.DataFrame,
    guard: Guard,
    *,
    config: PassiveConfig | None = None,
    sla: SlaConfig | None = None,
    workers: int | None = None,
) -> list[QcFinding]:
    """All findings of the log: violations, risk, passive service and privacy."""
    platform = str(getattr(guard, "platform", DEFAULT_PLATFORM))
    ctx = InspectContext(guard, platform, sla or SlaConfig(), config or PassiveConfig(), workers)
    return materialize(findings_frame(frame, ctx))
