"""One inspection pipeline: live events and an uploaded log of the same chats give the same findings."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from csguard.qc.demo import generate_events
from csguard.qc.importers import import_records
from csguard.qc.runner import run_qc
from csguard.services import events, metrics, records
from csguard.services.dashboard import Window
from csguard.services.words import guard_for_shop
from csguard.store.models import ChatEvent, Shop

PHONE = "13912345678"


def _agent(message_id: str, text: str, minute: int = 0) -> dict[str, object]:
    return {"conversation_id": "c1", "message_id": message_id, "ts": f"2026-11-20T10:{minute:02d}:00+08:00",
            "sender": "agent", "agent": "小美", "text": text}  # fmt: skip


def _window() -> Window:
    return Window.days(date(2026, 11, 19), date(2026, 11, 21), "Asia/Shanghai")


def test_a_phone_number_masking_removed_is_still_found(session: Session, shop: Shop) -> None:
    events.ingest_events(session, shop, [_agent("m1", f"亲，这是我的号 {PHONE}"), _agent("m2", "亲，今天发货", 1)])
    stored = session.scalars(select(ChatEvent).order_by(ChatEvent.message_id)).all()
    assert PHONE not in stored[0].text and stored[0].verdict == "block"
    assert stored[0].findings and all(PHONE not in f["matched"] for f in stored[0].findings)
    assert stored[1].verdict == "allow" and stored[1].findings == []
    # The masked text alone no longer shows the number: only the stored findings know it was there.
    assert guard_for_shop(session, shop).check(stored[0].text).verdict != "block"

    view = records.violations_view(session, shop.id, _window(), agent=None, category=None)
    assert [item.message.message_id for item in view.shown] == ["m1"]
    conversation = records.conversation_view(session, shop.id, "c1")
    assert conversation is not None and conversation.messages[0].findings
    report = metrics.qc_result(session, shop)
    assert [f.message_id for f in report.findings if f.kind == "violation"] == ["m1"]


def test_live_and_uploaded_inspection_agree_on_demo_chats(session: Session, shop: Shop) -> None:
    log = list(generate_events(shop=shop.name, platform=shop.platform, days=2, messages=600, seed=3))
    events.ingest_events(session, shop, log)
    live = metrics.qc_result(session, shop)
    frame = import_records(log, source="upload", default_shop=shop.name, default_platform=shop.platform).frame
    uploaded = run_qc(frame, platform=shop.platform, guard=guard_for_shop(session, shop), workers=1)

    def flagged(result: object) -> set[tuple[str, str, str]]:
        return {(f.message_id, f.kind, f.category) for f in result.findings if f.kind in ("violation", "risk")}  # type: ignore[attr-defined]

    assert flagged(live) == flagged(uploaded)
    assert any(f.kind == "violation" for f in live.findings)
    since = min(e.ts for e in session.scalars(select(ChatEvent)))
    window = Window(since - timedelta(days=1), since + timedelta(days=4))
    shown = records.violations_view(session, shop.id, window, agent=None, category=None)
    assert {item.message.message_id for item in shown.shown} == {m for m, kind, _ in flagged(live) if kind == "violation"}


def test_rows_stored_before_inspection_are_checked_from_their_text(session: Session, shop: Shop) -> None:
    events.ingest_events(session, shop, [_agent("m1", "加我微信abc12345详聊")])
    row = session.scalars(select(ChatEvent)).one()
    row.verdict, row.findings = None, None  # as a row written before migration 0003
    session.commit()
    view = records.violations_view(session, shop.id, _window(), agent=None, category=None)
    assert [item.message.message_id for item in view.shown] == ["m1"]
