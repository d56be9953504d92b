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

from csguard.penalties.clock import add_working_days, format_day, format_local, local_moment
from csguard.penalties.evidence import EvidenceBundle
from csguard.penalties.machine import DURATION_LABELS, REASON_LABELS, SOURCE_LABELS, PenaltyRecord
from csguard.penalties.strategy import SECOND_ATTEMPT_MATERIALS, AppealFacts, AppealStrategy
from csguard.penalties.tone import ToneIssue, check_own_tone
from csguard.vocab import PLATFORM_LABELS

# How long platforms say a decision takes, in working days after submission.
DECISION_WORKING_DAYS = (1, 5)
_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一: section numbers of a Chinese document."""
    if not 0 < n < 100:
        raise ValueError(f"section number out of range: {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + ("" if ones == 0 else _DIGITS[ones])


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # Plain-text documents: no HTML autoescaping here; the HTML exporter escapes on output.
    env = Environment(
        loader=PackageLoader("csguard.penalties", "templates"),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cn"] = chinese_number
    return env


def render_template(name: str, **values: Any) -> str:
    return _environment().get_template(name).render(**values).strip() + "\n"


@dataclass
class DraftDocument:
    key: str
    title: str
    body: str

    @property
    def tone_issues(self) -> list[ToneIssue]:
        return check_own_tone(self.body)


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
    timezone: str,
    facts: AppealFacts,
) -> AppealKit:
    """Every time in the documents is local to ``timezone`` (the shop's zone), in plain Chinese."""
    local_today = local_moment(today, timezone).date()
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
        "today": format_day(local_today),
        "start_local": format_local(record.start, timezone),
        "timezone": timezone,
        "local": lambda moment: format_local(moment, timezone),
        "facts": facts,
        "due_first": format_day(add_working_days(local_today, DECISION_WORKING_DAYS[0])),
        "due_last": format_day(add_working_days(local_today, DECISION_WORKING_DAYS[1])),
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
    docs.append(DraftDocument("guide", "申诉提交指引", render_template("guide.txt", **values)))
    return AppealKit(record.id, strategy, record.appeal_number, docs)
