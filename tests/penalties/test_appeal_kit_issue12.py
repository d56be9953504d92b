"""Issue 12: appeal kits in the shop's local time that cannot mislead the platform or the seller."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta, timezone

import docx
import pytest

from csguard import Guard
from csguard.penalties.clock import FixedClock, add_working_days
from csguard.penalties.documents import export_kit
from csguard.penalties.drafting import AppealKit, chinese_number, draft_kit
from csguard.penalties.evidence import EvidenceBundle, assemble_evidence
from csguard.penalties.machine import PenaltyMachine, PenaltyRecord, new_penalty
from csguard.penalties.strategy import AppealFacts, choose_strategy
from csguard.penalties.tone import check_own_tone, check_tone, neutralize

GUARD = Guard(platform="pdd")
BEIJING = timezone(timedelta(hours=8))
TZ = "Asia/Shanghai"
# What the issue saw: a chat line at 10:01 Beijing time, a penalty from 22:22 Beijing time.
CHAT_AT = datetime(2026, 12, 4, 10, 1, 5, tzinfo=BEIJING)
START = datetime(2026, 12, 4, 22, 22, tzinfo=BEIJING)
TODAY = datetime(2026, 12, 4, 15, 1, 11, tzinfo=UTC)  # 23:01 on Friday 4 December in Beijing
ISO_OR_UTC = re.compile(r"T\d\d:\d\d|\+00:00|\d\d:\d\d:\d\d\.\d|Z\b")
SECTION = re.compile(r"^([一二三四五六七八九十]+)、", re.MULTILINE)


def chat(agent_line: str, buyer_line: str = "好的，谢谢") -> list[dict[str, object]]:
    lines = [("buyer", "在吗，什么时候发货"), ("agent", agent_line), ("buyer", buyer_line)]
    return [
        {
            "conversation_id": "c1",
            "message_id": f"m{i}",
            # Stored as UTC, as the database returns it: 02:01 UTC is 10:01 in Beijing.
            "ts": (CHAT_AT + timedelta(minutes=i)).astimezone(UTC).isoformat(),
            "sender": sender,
            "agent": "cs01" if sender == "agent" else "",
            "text": text,
        }
        for i, (sender, text) in enumerate(lines)
    ]


def penalty(source: str = "system_auto", evidence: list[str] | None = None) -> PenaltyRecord:
    return new_penalty(
        id="p1",
        platform="pdd",
        account="cs01",
        source=source,
        reason="offsite_diversion",
        duration="24h",
        start=START.astimezone(UTC),
        evidence=evidence or [],
    )


def kit(record: PenaltyRecord, bundle: EvidenceBundle | None, facts: AppealFacts) -> AppealKit:
    strategy = choose_strategy(record, bundle, facts)
    return draft_kit(record, strategy, bundle, shop_name="好物小店", today=TODAY, timezone=TZ, facts=facts)


def second_attempt(record: PenaltyRecord) -> PenaltyRecord:
    machine = PenaltyMachine(FixedClock(START + timedelta(hours=1)))
    machine.apply(record, "appeal", actor="owner")
    machine.apply(record, "reject", actor="platform")
    return record


def every_kit() -> list[AppealKit]:
    clean = assemble_evidence(chat("亲，今天下午就发货哦"), "m1", GUARD)
    bad = assemble_evidence(chat("加我微信abc123详聊"), "m1", GUARD)
    buyer_flagged = assemble_evidence(chat("亲，今天下午就发货哦"), "m0", GUARD)
    sent, not_sent = AppealFacts(True, "JY-1", "S-9", True), AppealFacts(False)
    return [
        kit(penalty(), clean, sent),
        kit(penalty(), bad, sent),
        kit(penalty(), None, sent),
        kit(penalty(), None, not_sent),
        kit(penalty(), buyer_flagged, not_sent),
        kit(penalty("associated"), None, not_sent),
        kit(second_attempt(penalty()), bad, sent),
        kit(second_attempt(penalty()), None, not_sent),
    ]


def test_every_time_in_documents_and_exports_is_beijing_local() -> None:
    bundle = assemble_evidence(chat("亲，今天下午就发货哦"), "m1", GUARD)
    drafted = kit(penalty(), bundle, AppealFacts(True))
    text = "\n".join(d.body for d in drafted.documents)
    docx_bytes, _, _ = export_kit("docx", "申诉材料", drafted.documents)
    exported = "\n".join(p.text for p in docx.Document(io.BytesIO(docx_bytes)).paragraphs)
    html = export_kit("html", "申诉材料", drafted.documents)[0].decode()
    for rendered in (text, exported, html):
        assert "10:02:05" in rendered and "2026年12月4日 22:22" in rendered
        # UTC shows as 02:0x and 14:22; ISO as T..:.. or +00:00.
        assert not re.search(r"(?<![\d:])(02:0\d|14:22)", rendered), rendered
        assert not ISO_OR_UTC.search(rendered), ISO_OR_UTC.search(rendered)
    assert "2026年12月4日" in drafted.document("appeal").body.splitlines()[-1]  # today, local


@pytest.mark.parametrize("index", range(len(every_kit())))
def test_sections_are_numbered_without_gaps(index: int) -> None:
    for document in every_kit()[index].documents:
        numbers = SECTION.findall(document.body)
        assert numbers == [chinese_number(i) for i in range(1, len(numbers) + 1)], (document.key, numbers)


def test_chinese_section_numbers() -> None:
    assert [chinese_number(n) for n in (1, 3, 10, 12, 20, 21)] == ["一", "三", "十", "十二", "二十", "二十一"]


def test_evidence_of_weixin_without_chat_is_not_called_clean() -> None:
    # The issue: no message id, evidence saying the agent sent 加我微信 → 误判 "nothing forbidden".
    record = penalty(evidence=["平台通知：客服发送“加我微信”"])
    drafted = kit(record, None, AppealFacts(agent_sent=True))
    assert drafted.strategy.kind == "rectified"
    text = "\n".join(d.body for d in drafted.documents)
    assert "未涉及平台禁止的内容" not in text and "未发现违规" not in text and "误判" not in text


def test_not_sent_answer_says_so_instead_of_claiming_a_clean_chat() -> None:
    drafted = kit(penalty(), None, AppealFacts(agent_sent=False))
    assert drafted.strategy.kind == "misjudgement"
    appeal = drafted.document("appeal").body
    assert "并非本店客服发送" in appeal and "未涉及平台禁止的内容" not in appeal


def test_tone_is_checked_in_the_sellers_words_only() -> None:
    bundle = assemble_evidence(chat("马上为您处理", "不然去12315投诉"), "m1", GUARD)
    drafted = kit(penalty(), bundle, AppealFacts(True))
    incident = drafted.document("incident").body
    assert check_tone(incident), "the quoted chat does hold tone phrases"
    for document in drafted.documents:
        assert check_own_tone(document.body) == [], document.key
    own = "客服回复“马上为您处理”。你们乱禁言"
    assert [i.matched for i in check_own_tone(own)] == ["你们乱禁言"]


def test_neutral_rewrite_reads_as_fluent_chinese() -> None:
    angry = "你们这个系统太离谱了，简直是在欺负商家！！我们不服"
    neutral = neutralize(angry)
    assert neutral == "我们对处罚原因存在疑问，希望平台综合考虑实际情况。我们申请对该处罚进行复核"
    assert check_tone(neutral) == []
    for fragment in ("你们这个系统", "简直是在", "！！"):
        assert fragment not in neutral


def test_commitment_has_seal_and_legal_representative_signature() -> None:
    drafted = kit(penalty(), None, AppealFacts(True))
    commitment = drafted.document("commitment").body
    assert "（盖章）" in commitment and "法定代表人（签字）" in commitment


def test_guide_gives_the_channel_ladder_and_decision_due_date() -> None:
    guide = kit(penalty(), None, AppealFacts(True, "JY-1", "S-9")).document("guide").body
    online, hotline, ticket = guide.index("在线提交申诉"), guide.index("400"), guide.index("工单")
    assert online < hotline < ticket
    # Friday 4 December (Beijing): 1 working day → Monday 7th, 5 working days → Friday 11th.
    assert "1–5 个工作日" in guide and "2026年12月7日" in guide and "2026年12月11日" in guide
    assert add_working_days(datetime(2026, 12, 4).date(), 5).isoformat() == "2026-12-11"


def test_record_number_and_shop_id_fields() -> None:
    drafted = kit(penalty(), None, AppealFacts(True, record_no="JY-20261204-7", shop_code="889911"))
    for key in ("appeal", "commitment", "incident"):
        body = drafted.document(key).body
        assert "禁言记录编号：JY-20261204-7" in body and "店铺ID：889911" in body, key
    blank = kit(penalty(), None, AppealFacts(True)).document("appeal").body
    assert "禁言记录编号：________" in blank and "店铺ID：________" in blank


def test_first_offence_argument_only_when_it_applies() -> None:
    first = kit(penalty(), None, AppealFacts(True, first_offence=True)).document("appeal").body
    again = kit(penalty(), None, AppealFacts(True, first_offence=False)).document("appeal").body
    assert "初次发生" in first and "初次" not in again


def test_last_attempt_is_announced_not_zero_left() -> None:
    record = second_attempt(penalty())
    text = "\n".join(d.body for d in kit(record, None, AppealFacts(True)).documents)
    assert "剩余申诉次数" not in text and "最后一次" in text
