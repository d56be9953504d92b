"""Appeal kits of a shop's penalties: draft from the stored chat, edit, export.

One draft per appeal attempt (``appeal_number``); drafting again for the same attempt
replaces it, so the seller can start over after adding the flagged message.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from csguard.errors import Conflict, InvalidInput, NotFound
from csguard.guard import Guard
from csguard.penalties.clock import Clock, SystemClock
from csguard.penalties.documents import export_kit
from csguard.penalties.drafting import DraftDocument, draft_kit
from csguard.penalties.evidence import EvidenceBundle, assemble_evidence
from csguard.penalties.models import AppealDraftRow, PenaltyRow
from csguard.penalties.service import get_penalty, to_record
from csguard.penalties.strategy import AppealFacts, choose_strategy
from csguard.penalties.tone import ToneIssue, check_own_tone
from csguard.services._tx import transaction
from csguard.services.shops import get_shop
from csguard.services.words import guard_for_shop
from csguard.store.models import ChatEvent, Shop

MAX_DOCUMENT_CHARS = 20_000
MAX_ID_CHARS = 64
AGENT_SENT_QUESTION = "被判定的消息是否确实由本店客服发出？请先回答“是”或“否”，再生成申诉材料。"


@dataclass(frozen=True, slots=True)
class KitAnswers:
    """The seller's answers the kit is drafted from (``agent_sent`` None: not answered yet)."""

    agent_sent: bool | None
    record_no: str = ""
    shop_code: str = ""


@dataclass(frozen=True, slots=True)
class ExportedFile:
    content: bytes
    media_type: str
    filename: str


def conversation_of(session: Session, shop_id: int, message_id: str) -> list[ChatEvent]:
    """Every stored event of the conversation holding ``message_id`` (empty when unknown)."""
    flagged = session.scalars(
        select(ChatEvent).where(ChatEvent.shop_id == shop_id, ChatEvent.message_id == message_id)
    ).first()
    if flagged is None:
        return []
    query = (
        select(ChatEvent)
        .where(ChatEvent.shop_id == shop_id, ChatEvent.conversation_id == flagged.conversation_id)
        .order_by(ChatEvent.ts, ChatEvent.id)
    )
    return list(session.scalars(query))


def evidence_for(session: Session, row: PenaltyRow, guard: Guard) -> EvidenceBundle | None:
    if not row.flagged_message_id:
        return None
    events = conversation_of(session, row.shop_id, row.flagged_message_id)
    return assemble_evidence(events, row.flagged_message_id, guard) if events else None


def first_offence(session: Session, row: PenaltyRow) -> bool:
    """No earlier penalty of the same reason in this shop's record: the 初犯 argument applies."""
    query = select(PenaltyRow.id).where(
        PenaltyRow.shop_id == row.shop_id,
        PenaltyRow.reason == row.reason,
        PenaltyRow.id != row.id,
        PenaltyRow.start < row.start,
    )
    return session.scalars(query.limit(1)).first() is None


def _facts(answers: KitAnswers, evidence: EvidenceBundle | None, first: bool) -> AppealFacts:
    if answers.agent_sent is None:
        raise InvalidInput(AGENT_SENT_QUESTION, details={"field": "agent_sent"})
    for field_name, value in (("record_no", answers.record_no), ("shop_code", answers.shop_code)):
        if len(value.strip()) > MAX_ID_CHARS:
            raise InvalidInput(f"编号最多 {MAX_ID_CHARS} 个字符。", details={"field": field_name})
    if not answers.agent_sent and evidence is not None and evidence.flagged.sender == "agent":
        # The stored chat says our agent wrote it: a "not sent by us" letter would be false.
        raise InvalidInput(
            f"聊天记录显示被判定消息“{evidence.flagged.text}”由客服 {evidence.flagged.agent or ''} 发出，"
            "与“不是本店客服发送”的回答不符，请核实后重新选择。",
            details={"field": "agent_sent"},
        )
    return AppealFacts(answers.agent_sent, answers.record_no.strip(), answers.shop_code.strip(), first)


def draft_appeal(
    session: Session,
    shop: Shop,
    penalty_id: int,
    guard: Guard,
    answers: KitAnswers,
    *,
    timezone: str,
    clock: Clock | None = None,
) -> AppealDraftRow:
    """Draft the kit for the current attempt; times in the documents are local to ``timezone``."""
    clock = clock or SystemClock()
    row = get_penalty(session, shop.id, penalty_id, clock=clock)
    record = to_record(row)
    if record.state.value not in ("active", "appealing"):
        raise InvalidInput(
            "只有禁言中或申诉中的处罚可以生成申诉材料。",
            details={"penalty_id": penalty_id, "state": record.state.value},
        )
    if record.state.value == "active" and record.attempts_left == 0:
        raise Conflict(
            f"本次处罚的 {record.attempts_allowed} 次申诉机会已全部用完，不能再生成申诉材料。"
            "如仍有异议，请拨打平台商家客服热线或在商家后台提交工单说明情况。",
            details={"penalty_id": penalty_id, "attempts_allowed": record.attempts_allowed},
            code="appeal_attempts_used_up",
        )
    evidence = evidence_for(session, row, guard)
    facts = _facts(answers, evidence, first_offence(session, row))
    strategy = choose_strategy(record, evidence, facts)
    kit = draft_kit(
        record, strategy, evidence, shop_name=shop.name, today=clock.now(), timezone=timezone, facts=facts
    )
    with transaction(session):
        draft = _draft_row(session, row.id, kit.appeal_number)
        if draft is None:
            draft = AppealDraftRow(penalty_id=row.id, appeal_number=kit.appeal_number)
            session.add(draft)
        draft.strategy = strategy.kind
        draft.strategy_title = strategy.title
        draft.materials = list(strategy.materials)
        draft.documents = [{"key": d.key, "title": d.title, "body": d.body} for d in kit.documents]
    return draft


def _draft_row(session: Session, penalty_id: int, appeal_number: int | None) -> AppealDraftRow | None:
    query = select(AppealDraftRow).where(AppealDraftRow.penalty_id == penalty_id)
    if appeal_number is not None:
        query = query.where(AppealDraftRow.appeal_number == appeal_number)
    return session.scalars(query.order_by(AppealDraftRow.appeal_number.desc())).first()


def latest_draft(session: Session, shop_id: int, penalty_id: int) -> AppealDraftRow | None:
    row = get_penalty(session, shop_id, penalty_id)
    return _draft_row(session, row.id, None)


def require_draft(session: Session, shop_id: int, penalty_id: int) -> AppealDraftRow:
    draft = latest_draft(session, shop_id, penalty_id)
    if draft is None:
        raise NotFound(f"penalty {penalty_id} has no appeal draft yet", details={"penalty_id": penalty_id})
    return draft


def documents_of(draft: AppealDraftRow) -> list[DraftDocument]:
    return [DraftDocument(d["key"], d["title"], d["body"]) for d in draft.documents]


def edit_document(session: Session, shop_id: int, penalty_id: int, key: str, body: str) -> list[ToneIssue]:
    """Save the seller's text for one document; returns the tone issues found in it."""
    if len(body) > MAX_DOCUMENT_CHARS:
        raise InvalidInput(
            f"a document may have at most {MAX_DOCUMENT_CHARS} characters", details={"field": "body"}
        )
    draft = require_draft(session, shop_id, penalty_id)
    documents = [dict(d) for d in draft.documents]
    target = next((d for d in documents if d["key"] == key), None)
    if target is None:
        known = ", ".join(d["key"] for d in documents)
        raise NotFound(f"the draft has no document {key!r} (has: {known})", details={"field": "key"})
    target["body"] = body.replace("\r\n", "\n")
    with transaction(session):
        draft.documents = documents  # a new list, so the JSON column is marked changed
    return check_own_tone(target["body"])


def export_draft(session: Session, shop_id: int, penalty_id: int, fmt: str) -> ExportedFile:
    if fmt not in ("docx", "html"):
        raise InvalidInput(f"unknown export format {fmt!r} (known: docx, html)", details={"field": "format"})
    draft = require_draft(session, shop_id, penalty_id)
    title = f"申诉材料 - 处罚记录 {penalty_id} - 第{draft.appeal_number}次申诉"
    content, media_type, suffix = export_kit(fmt, title, documents_of(draft))
    return ExportedFile(content, media_type, f"appeal-{penalty_id}-{draft.appeal_number}{suffix}")


def draft_appeal_in_shop(
    session: Session, shop_id: int, penalty_id: int, answers: KitAnswers, *, timezone: str
) -> AppealDraftRow:
    """``draft_appeal`` with the shop's own guard (its packs and custom words)."""
    shop = get_shop(session, shop_id)
    return draft_appeal(session, shop, penalty_id, guard_for_shop(session, shop), answers, timezone=timezone)
