"""One QC run: metrics, findings, agent scores, training topics and alerts of a chat log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

import polars as pl

from csguard.guard import Guard
from csguard.qc.alerts import Alert, evaluate
from csguard.qc.config import QcConfig
from csguard.qc.inspect import InspectContext, QcFinding, findings_frame, materialize, prepare_events
from csguard.qc.scoring import agent_table, training_topics
from csguard.qc.sla import compute_metrics, window_frame
from csguard.qc.textcheck import KnownHits

JSON_VERSION = 1


@dataclass(slots=False)
class QcResult:
    platform: str
    config: QcConfig
    metrics: list[dict[str, Any]]
    findings_frame: pl.DataFrame
    messages: int
    period: tuple[str | None, str | None]
    import_summary: dict[str, Any] | None = None
    generated_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    alerts: list[Alert] = field(default_factory=list)

    @cached_property
    def findings(self) -> list[QcFinding]:
        """Findings as objects with PII-masked texts (built on first use)."""
        return materialize(self.findings_frame)

    @cached_property
    def agents(self) -> list[dict[str, Any]]:
        return agent_table(self.metrics, self.findings_frame)

    @cached_property
    def training(self) -> list[dict[str, Any]]:
        return training_topics(self.findings_frame)

    def shop_metrics(self) -> list[dict[str, Any]]:
        return [m for m in self.metrics if m["agent"] is None]

    def to_json_dict(self) -> dict[str, Any]:
        """The documented ``--json`` structure (docs/qc.md, "JSON output")."""
        return {
            "version": JSON_VERSION,
            "platform": self.platform,
            "generated_at": self.generated_at,
            "period": {"start": self.period[0], "end": self.period[1]},
            "messages": self.messages,
            "import": self.import_summary,
            "config": self.config.model_dump(mode="json"),
            "metrics": self.metrics,
            "findings": [f.to_dict() for f in self.findings],
            "agents": self.agents,
            "training": self.training,
            "alerts": [a.to_dict() for a in self.alerts],
        }


def make_guard(platform: str, config: QcConfig, max_chars: int | None = None) -> Guard:
    return Guard(
        platform=platform, custom_words=config.custom_words, allow_words=config.allow_words, max_chars=max_chars
    )


def run_qc(
    frame: pl.DataFrame,
    *,
    platform: str,
    config: QcConfig | None = None,
    guard: Guard | None = None,
    import_summary: dict[str, Any] | None = None,
    workers: int | None = None,
    known_hits: KnownHits | None = None,
) -> QcResult:
    """Metrics, findings and alerts for one platform's chat log (a canonical frame).

    ``known_hits`` are texts already inspected (live events, at ingestion): not checked again.
    """
    config = config or QcConfig()
    guard = guard or make_guard(platform, config)
    # One prepared frame and one set of SLA rounds serve the metrics and every detector.
    events = prepare_events(window_frame(frame, config.sla), timezone=config.sla.timezone)
    ctx = InspectContext(guard, platform, config.sla, config.passive, workers, known_hits=known_hits)
    try:
        ctx.warm_up(events)  # helper processes (many distinct texts) start while the metrics run
        metrics = compute_metrics(
            events, platform=platform, config=config.sla, rounds=ctx.timed_rounds(events)
        )
        found = findings_frame(events, ctx)
    finally:
        ctx.close()
    dates = [m["date"] for m in metrics]
    result = QcResult(
        platform=platform,
        config=config,
        metrics=metrics,
        findings_frame=found,
        messages=events.height,
        period=(min(dates) if dates else None, max(dates) if dates else None),
        import_summary=import_summary,
    )
    result.alerts = evaluate(result)
    return result
