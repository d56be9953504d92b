from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from csguard.services import checks, words
from csguard.services.auth import Principal
from csguard.services.check_log_writer import QueuedCheckLogWriter
from csguard.store.db import session_factory
from csguard.store.models import CheckLog, Shop

PHONE = "13812345678"


def test_checks_are_logged_with_masked_text(session: Session, shop: Shop) -> None:
    words.add_word(session, shop.id, "暗号丙", "custom", category="offsite_diversion")
    actor = Principal(shop.id, "agent", api_key_id=7)
    results = checks.check_messages(
        session, shop, [f"暗号丙，打{PHONE}", "亲，今天下午就发货哦"], actor=actor
    )
    assert [r.verdict for r in results] == ["block", "allow"]
    logs = session.scalars(select(CheckLog).order_by(CheckLog.id)).all()
    assert [(log.verdict, log.kind, log.api_key_id) for log in logs] == [
        ("block", "check", 7),
        ("allow", "check", 7),
    ]
    assert logs[0].categories == ["offsite_diversion"]
    assert PHONE not in logs[0].text and "138****5678" in logs[0].text
    assert results[0].text.endswith(PHONE)  # the caller still gets its own text back


def test_triage_is_logged_as_escalate_or_ok(session: Session, shop: Shop) -> None:
    results = checks.triage_messages(session, shop, ["亲，今天下午就发货哦"])
    assert results[0].escalate is False
    log = session.scalars(select(CheckLog)).one()
    assert (log.kind, log.verdict) == ("triage", "ok")


def test_platform_override(session: Session, shop: Shop) -> None:
    result = checks.check_messages(session, shop, ["你好"], platform="douyin")[0]
    assert result.platform == "douyin"
    assert session.scalars(select(CheckLog.platform)).one() == "douyin"


def test_check_log_listing_and_counts(session: Session, shop: Shop, other_shop: Shop) -> None:
    words.add_word(session, shop.id, "暗号丁", "custom", category="review_manipulation")
    checks.check_messages(session, shop, ["暗号丁", "暗号丁!", "好的"])
    checks.check_messages(session, other_shop, ["暗号丁"])
    assert len(checks.list_check_logs(session, shop.id)) == 3
    assert len(checks.list_check_logs(session, shop.id, verdict="block")) == 2
    assert checks.violation_counts(session, shop.id) == {"review_manipulation": 2}
    assert checks.violation_counts(session, other_shop.id) == {}


def test_queued_writer_loses_nothing_on_close(engine: Engine, session: Session, shop: Shop) -> None:
    writer = QueuedCheckLogWriter(session_factory(engine), batch_size=7, flush_interval=0.05)
    for n in range(50):
        checks.check_messages(session, shop, [f"消息{n}"], sink=writer)
    assert writer.flush(timeout=10)
    writer.close()
    assert len(session.scalars(select(CheckLog)).all()) == 50
    with pytest.raises(RuntimeError):
        writer.write([{}])


def test_queued_writer_flushes_pending_rows_at_close(engine: Engine, session: Session, shop: Shop) -> None:
    writer = QueuedCheckLogWriter(session_factory(engine), batch_size=10_000, flush_interval=30)
    checks.check_messages(session, shop, ["一", "二", "三"], sink=writer)
    writer.close()
    assert writer.written == 3
    assert len(session.scalars(select(CheckLog)).all()) == 3
