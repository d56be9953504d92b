"""Appeal kit: evidence from chat, strategy choice, drafted documents, export."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import docx
import pytest

from csguard import Guard
from csguard.errors import InvalidInput, NotFound
from csguard.penalties.clock import FixedClock
from csguard.penalties.documents import EXPORTERS, export_kit
from csguard.penalties.drafting import AppealKit, draft_kit
from csguard.penalties.evidence import EvidenceBundle, assemble_evidence
from csguard.penalties.machine import PenaltyMachine, PenaltyRecord, new_penalty
from csguard.penalties.strategy import SECOND_ATTEMPT_MATERIALS, AppealFacts, choose_strategy
from csguard.penalties.tone import check_own_tone

GUARD = Guard(platform="pdd")
T0 = datetime(2026, 11, 1, 7, 0, tzinfo=UTC)
TZ = "Asia/Shanghai"
SENT = AppealFacts(agent_sent=True)
NOT_SENT = AppealFacts(agent_sent=False)


def kit_of(
    record: PenaltyRecord,
    bundle: EvidenceBundle | None,
    facts: AppealFacts = SENT,
    today: datetime = T0,
) -> AppealKit:
    strategy = choose_strategy(record, bundle, facts)
    return draft_kit(record, strategy, bundle, shop_name="好物小店", today=today, timezone=TZ, facts=facts)


@dataclass
class StoredEvent:
    """Stands in for a store row: evidence reads attributes as well as dict keys."""

    shop: str
    platform: str
    conversation_id: str
    buyer_id: str
    message_id: str
    ts: datetime
    sender: str
    agent: str
    type: str
    text: str


def chat(agent_line: str) -> list[object]:
    lines = [
        ("buyer", "你好，这个枕头什么时候发货？我电话13812345678"),
        ("agent", "亲，您好，请问有什么可以帮您"),
        ("buyer", "还有别的颜色吗"),
        ("agent", agent_line),
        ("buyer", "好的，谢谢"),
        ("agent", "不客气哦"),
        ("buyer", "收到了，很满意"),
    ]
    events: list[object] = [
        {
            "shop": "s1",
            "platform": "pdd",
            "conversation_id": "c1",
            "buyer_id": "b1",
            "message_id": f"m{i}",
            "ts": (T0 + timedelta(minutes=i)).isoformat(),
            "sender": sender,
            "agent": "cs01" if sender == "agent" else "",
            "type": "text",
            "text": text,
        }
        for i, (sender, text) in enumerate(lines)
    ]
    # A row of another conversation and an attribute-style row: neither may leak into the context.
    events.append(StoredEvent("s1", "pdd", "c2", "b2", "x1", T0, "buyer", "", "text", "别的会话"))
    return events


def penalty(source: str = "system_auto", reason: str = "offsite_diversion") -> PenaltyRecord:
    return new_penalty(
        id="pen-7",
        platform="pdd",
        account="cs01",
        source=source,
        reason=reason,
        duration="24h",
        start=T0 + timedelta(hours=1),
    )


def test_evidence_has_flagged_message_context_satisfaction_and_explanation() -> None:
    bundle = assemble_evidence(chat("加我微信abc123详聊"), "m3", GUARD, context=2)
    assert bundle.flagged.text == "加我微信abc123详聊"
    assert [c.message_id for c in bundle.before] == ["m1", "m2"]
    assert [c.message_id for c in bundle.after] == ["m4", "m5"]
    assert [c.message_id for c in bundle.satisfaction] == ["m4", "m6"]
    assert bundle.flagged_is_violation and any("微信" in note for note in bundle.guard_explanation)
    assert [c.message_id for c in bundle.timeline] == [f"m{i}" for i in range(7)]
    assert "13812345678" not in "\n".join(bundle.summary_lines(TZ) + [c.render(TZ) for c in bundle.timeline])


def test_clean_message_gets_a_not_a_violation_explanation() -> None:
    bundle = assemble_evidence(chat("亲，今天下午就发货哦"), "m3", GUARD)
    assert not bundle.flagged_is_violation
    assert "未发现违规" in bundle.guard_explanation[0]


def test_evidence_errors_name_what_is_wrong() -> None:
    with pytest.raises(NotFound, match="'m99'"):
        assemble_evidence(chat("x"), "m99", GUARD)
    with pytest.raises(InvalidInput) as err:
        assemble_evidence(
            [{"message_id": "m1", "sender": "buyer", "ts": "yesterday", "text": "x"}], "m1", GUARD
        )
    assert err.value.details == {"where": "event 1", "field": "ts"}


def test_strategy_misjudgement_when_guard_finds_nothing() -> None:
    bundle = assemble_evidence(chat("亲，今天下午就发货哦"), "m3", GUARD)
    assert choose_strategy(penalty(), bundle, SENT).kind == "misjudgement"


def test_strategy_rectified_when_message_really_violates() -> None:
    bundle = assemble_evidence(chat("加我微信abc123详聊"), "m3", GUARD)
    strategy = choose_strategy(penalty(), bundle, SENT)
    assert strategy.kind == "rectified" and "整改承诺书" in strategy.materials


def test_strategy_without_chat_follows_the_sellers_answer_not_the_source() -> None:
    # Without the chat only the seller knows what was sent: the answer decides, not the source.
    assert choose_strategy(penalty("system_auto"), None, SENT).kind == "rectified"
    assert choose_strategy(penalty("system_auto"), None, NOT_SENT).kind == "misjudgement"
    assert choose_strategy(penalty("manual_review"), None, SENT).kind == "rectified"
    assert choose_strategy(penalty("manual_review", "abnormal_login"), None, SENT).kind == "misjudgement"
    # Before the question is answered (the continuity plan's material list) nothing is guessed.
    assert choose_strategy(penalty("system_auto")).kind == "rectified"


def test_associated_penalty_needs_proof_of_independence() -> None:
    bundle = assemble_evidence(chat("加我微信abc123详聊"), "m3", GUARD)
    strategy = choose_strategy(penalty("associated"), bundle, NOT_SENT)
    assert strategy.kind == "independence"
    materials = "".join(strategy.materials)
    assert "聊天记录" in materials and "IP" in materials and "实名认证" in materials
    kit = kit_of(penalty("associated"), bundle, NOT_SENT)
    assert "IP地址" in kit.document("appeal").body and "相互独立" in kit.document("appeal").body


def test_first_appeal_kit_documents_and_tone() -> None:
    record = penalty()
    bundle = assemble_evidence(chat("亲，今天下午就发货哦"), "m3", GUARD)
    kit = kit_of(record, bundle)
    assert [d.key for d in kit.documents] == ["appeal", "incident", "guide"]
    appeal = kit.document("appeal").body
    assert "好物小店" in appeal and "站外引流" in appeal and "误判" in appeal and "好的，谢谢" in appeal
    incident = kit.document("incident").body
    assert "← 被判定消息" in incident and "138****5678" in incident and "13812345678" not in incident
    for document in kit.documents:
        assert check_own_tone(document.body) == [], document.key


def test_second_attempt_adds_commitment_and_extra_materials() -> None:
    clock = FixedClock(T0 + timedelta(hours=2))
    record = penalty()
    machine = PenaltyMachine(clock)
    machine.apply(record, "appeal", actor="owner")
    machine.apply(record, "reject", actor="platform")
    bundle = assemble_evidence(chat("加我微信abc123详聊"), "m3", GUARD)
    kit = kit_of(record, bundle, today=clock.now())
    assert [d.key for d in kit.documents] == ["appeal", "commitment", "incident", "second_attempt", "guide"]
    assert kit.appeal_number == 2 and "第 2 次申诉" in kit.document("appeal").body
    extra = kit.document("second_attempt").body
    assert all(item in extra for item in SECOND_ATTEMPT_MATERIALS) and "共可申诉 2 次" in extra
    assert "整改承诺书" in kit.document("commitment").body


def test_edited_text_is_what_gets_exported() -> None:
    record = penalty()
    kit = kit_of(record, None)
    kit.edit("appeal", "第一行 <b>粗体</b>\n第二行")
    content, media_type, suffix = export_kit("docx", "申诉材料 pen-7", kit.documents)
    assert suffix == ".docx" and media_type.endswith("wordprocessingml.document")
    paragraphs = [p.text for p in docx.Document(io.BytesIO(content)).paragraphs]
    assert "第一行 <b>粗体</b>" in paragraphs and "第二行" in paragraphs and "违规事件说明" in paragraphs
    html_bytes, html_type, _ = export_kit("html", "申诉材料 <pen-7>", kit.documents)
    html = html_bytes.decode()
    assert html_type.startswith("text/html") and "&lt;b&gt;粗体&lt;/b&gt;" in html and "<b>" not in html
    assert "&lt;pen-7&gt;" in html and "@media print" in html and "<script" not in html


def test_exporters_are_registered() -> None:
    assert {"docx", "html"} <= set(EXPORTERS.names())
