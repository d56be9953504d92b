"""Evidence for an appeal, assembled from the stored chat.

Events are plain dicts or objects with the canonical chat fields (shop, platform,
conversation_id, buyer_id, message_id, ts, sender, agent, type, text); this module never
imports the store. Text is masked again on the way out, so an evidence pack never carries a
buyer's phone number or address even if a caller passes raw events.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from csguard.errors import InvalidInput, NotFound
from csguard.guard import Guard
from csguard.penalties.clock import ensure_aware, format_local
from csguard.privacy import mask_pii
from csguard.vocab import SENDER_LABELS

# Later buyer lines like these show the conversation ended well (satisfaction proof).
_SATISFIED = re.compile(r"谢谢|感谢|好的|满意|好评|辛苦|没问题|收到了|解决了|赞|👍")


@dataclass(frozen=True, slots=True)
class ChatLine:
    message_id: str
    conversation_id: str
    ts: datetime
    sender: str
    agent: str
    text: str

    @property
    def sender_label(self) -> str:
        return SENDER_LABELS.get(self.sender, self.sender)

    def render(self, timezone: str) -> str:
        """One timeline line in the shop's local time (``timezone``): the reviewer compares it
        with the platform's own records, which sellers see in Beijing time."""
        who = SENDER_LABELS.get(self.sender, self.sender)
        if self.sender == "agent" and self.agent:
            who = f"{who}（{self.agent}）"
        return f"{format_local(self.ts, timezone, seconds=True)} {who}：{self.text}"


@dataclass
class EvidenceBundle:
    flagged: ChatLine
    before: list[ChatLine] = field(default_factory=list)
    after: list[ChatLine] = field(default_factory=list)
    satisfaction: list[ChatLine] = field(default_factory=list)
    guard_verdict: str = "allow"
    guard_explanation: list[str] = field(default_factory=list)
    timeline: list[ChatLine] = field(default_factory=list)

    @property
    def flagged_is_violation(self) -> bool:
        return self.guard_verdict != "allow"

    def summary_lines(self, timezone: str) -> list[str]:
        lines = ["被判定消息：" + self.flagged.render(timezone)]
        lines += ["上文：" + c.render(timezone) for c in self.before]
        lines += ["下文：" + c.render(timezone) for c in self.after]
        lines += ["买家满意反馈：" + c.render(timezone) for c in self.satisfaction]
        lines += ["规则说明：" + e for e in self.guard_explanation]
        return lines


def _get(event: Any, name: str) -> Any:
    return event.get(name) if isinstance(event, Mapping) else getattr(event, name, None)


def to_chat_line(event: Any, *, where: str = "event") -> ChatLine:
    missing = [f for f in ("message_id", "ts", "sender") if _get(event, f) in (None, "")]
    if missing:
        raise InvalidInput(
            f"{where} lacks {', '.join(missing)}", details={"where": where, "field": missing[0]}
        )
    ts = _get(event, "ts")
    if isinstance(ts, str):
        try:
            ts = datetime.fromisoformat(ts)
        except ValueError:
            raise InvalidInput(
                f"{where} has an unreadable ts {ts!r}", details={"where": where, "field": "ts"}
            ) from None
    if not isinstance(ts, datetime):
        raise InvalidInput(f"{where} has no timestamp", details={"where": where, "field": "ts"})
    return ChatLine(
        message_id=str(_get(event, "message_id")),
        conversation_id=str(_get(event, "conversation_id") or ""),
        ts=ensure_aware(ts),
        sender=str(_get(event, "sender")),
        agent=str(_get(event, "agent") or ""),
        text=mask_pii(str(_get(event, "text") or "")),
    )


def explain(text: str, guard: Guard) -> tuple[str, list[str]]:
    """The guard's verdict and, in Chinese, why the phrase is or is not a violation."""
    result = guard.check(text)
    if not result.findings:
        return "allow", [
            "按平台规则逐项检查（站外引流、诱导好评、极限词、辱骂、隐私、虚假宣传、迷信），未发现违规内容。"
        ]
    notes = []
    for f in result.findings:
        reason = f.explanation or f.message or f"属于 {f.category} 类风险"
        notes.append(f"「{f.matched}」：{reason}")
    return result.verdict, notes


def assemble_evidence(
    events: Iterable[Any], flagged_message_id: str, guard: Guard, *, context: int = 3
) -> EvidenceBundle:
    """The flagged message, ``context`` lines either side, later buyer satisfaction and the guard's reading."""
    lines = [to_chat_line(e, where=f"event {i + 1}") for i, e in enumerate(events)]
    flagged = next((c for c in lines if c.message_id == flagged_message_id), None)
    if flagged is None:
        raise NotFound(
            f"message {flagged_message_id!r} is not in the chat given", details={"field": "message_id"}
        )
    conversation = sorted(
        (c for c in lines if c.conversation_id == flagged.conversation_id), key=lambda c: c.ts
    )
    pos = next(i for i, c in enumerate(conversation) if c.message_id == flagged_message_id)
    later = conversation[pos + 1 :]
    verdict, notes = explain(flagged.text, guard)
    return EvidenceBundle(
        flagged=flagged,
        before=conversation[max(pos - context, 0) : pos],
        after=later[:context],
        satisfaction=[c for c in later if c.sender == "buyer" and _SATISFIED.search(c.text)],
        guard_verdict=verdict,
        guard_explanation=notes,
        timeline=conversation,
    )
