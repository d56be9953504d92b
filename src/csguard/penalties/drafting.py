"""Drafting the appeal kit from Chinese templates (package data under ``domain/templates``).

A kit is a list of ``DraftDocument`` (title + body) the seller edits before exporting: the
appeal letter, the 整改承诺书, the 违规事件说明 built from the chat timeline and, from the second
attempt on, the list of extra materials. Every drafted text is run through the tone checker so
the seller sees any wording a reviewer would read as emotional.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from csguard.penalties.evidence import EvidenceBundle
from csguard.penalties.machine import DURATION_LABELS, REASON_LABELS, SOURCE_LABELS, PenaltyRecord
from csguard.penalties.strategy import SECOND_ATTEMPT_MATERIALS, AppealStrategy
from csguard.penalties.tone import ToneIssue, check_tone
from csguard.vocab import PLATFORM_LABELS


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # Plain-text documents: no HTML autoescaping here; the HTML exporter escapes on output.
    return Environment(
        loader=PackageLoader("csguard.penalties", "templates"),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_template(name: str, **values: Any) -> str:
    return _environment().get_template(name).render(**values).strip() + "\n"


@dataclass
class DraftDocument:
    key: str
    title: str
    body: str

    @property
    def tone_issues(self) -> list[ToneIssue]:
        return check_tone(self.body)


@dataclass
class AppealKit:
    record_id: str
    strategy: AppealStrategy
    appeal_number: int
    documents: list[DraftDocument] = field(default_factory=list)

    def document(self, key: str) -> DraftDocument:
        return next(d for d in self.documents if d.key == key)

    def edit(self, key: str, body: str) -> DraftDocument:
        doc = self.document(key)
        doc.body = body
        return doc


def draft_kit(
    record: PenaltyRecord,
    strategy: AppealStrategy,
    evidence: EvidenceBundle | None,
    *,
    shop_name: str,
    today: datetime,
) -> AppealKit:
    values = {
        "shop_name": shop_name,
        "record": record,
        "platform_label": PLATFORM_LABELS.get(record.platform, record.platform),
        "reason_label": REASON_LABELS.get(record.reason, record.reason),
        "source_label": SOURCE_LABELS[record.source],
        "duration_label": DURATION_LABELS.get(record.duration, record.duration),
        "strategy": strategy,
        "evidence": evidence,
        "appeal_number": record.appeal_number,
        "today": today.date().isoformat(),
    }
    docs = [DraftDocument("appeal", "申诉书", render_template("appeal.txt", **values))]
    if strategy.kind == "rectified" or record.appeal_number >= 2:
        docs.append(DraftDocument("commitment", "整改承诺书", render_template("commitment.txt", **values)))
    docs.append(DraftDocument("incident", "违规事件说明", render_template("incident.txt", **values)))
    if record.appeal_number >= 2:
        docs.append(
            DraftDocument(
                "second_attempt",
                "二次申诉补充材料清单",
                render_template("second_attempt.txt", materials=SECOND_ATTEMPT_MATERIALS, **values),
            )
        )
    return AppealKit(record.id, strategy, record.appeal_number, docs)


