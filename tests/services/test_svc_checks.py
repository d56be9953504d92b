from __future__ import annotations

from datetime import UTC, datetime

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


def _row(shop_id: int, n: int, ts: datetime) -> checks.LogRow:
    flagged = n % 3 == 0
    return (
        shop_id, ts, "check", None, n, "pdd", "block" if flagged else "allow",
        ["r.a", "r.b"] if flagged else [], ["offsite_diversion"] if flagged else [], f"消息{n}",
    )  # fmt: skip


def test_insert_writes_every_column_in_order(session: Session, shop: Shop) -> None:
    # More rows than one multi-row statement holds, and a remainder.
    ts = datetime(2026, 3, 1, 8, 30, 15, 123456, tzinfo=UTC)
    rows = [_row(shop.id, n, ts) for n in range(205)]
    with session.begin():
        checks.insert_check_logs(session.connection(), rows)
    logs = session.scalars(select(CheckLog).order_by(CheckLog.id)).all()
    assert [(log.shop_id, log.ts, log.kind, log.user_id, log.api_key_id, log.platform, log.verdict,
             log.rule_ids, log.categories, log.text) for log in logs] == rows  # fmt: skip


def test_submitted_batches_are_committed_when_their_future_is_done(
    engine: Engine, session: Session, shop: Shop
) -> None:
    writer = QueuedCheckLogWriter(session_factory(engine), flush_interval=30)  # a batch never waits for it
    try:
        futures = [
            writer.submit([_row(shop.id, n, datetime.now(UTC)) for n in range(k, k + 50)]) for k in (0, 50)
        ]
        for future in futures:
            future.result(timeout=10)
        assert len(session.scalars(select(CheckLog)).all()) == 100
        assert writer.submit([]).result(timeout=0) is None
    finally:
        writer.close()


def test_a_failed_batch_fails_its_future_and_queued_rows_are_still_written(
    engine: Engine, session: Session, shop: Shop
) -> None:
    writer = QueuedCheckLogWriter(session_factory(engine), flush_interval=0.05)
    try:
        writer.write([_row(shop.id, 1, datetime.now(UTC))])
        bad = writer.submit([_row(999_999, 2, datetime.now(UTC))])  # no such shop: the insert fails
        with pytest.raises(Exception, match=r"(?i)foreign key"):
            bad.result(timeout=10)
        assert writer.flush(timeout=10)
        assert session.scalars(select(CheckLog.api_key_id)).all() == [1]
        assert (writer.written, writer.rejected) == (1, 1)
    finally:
        writer.close()
