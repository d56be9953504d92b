from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from csguard.errors import ConfigError
from csguard.store.db import current_revision, head_revision, is_at_head, make_engine, upgrade
from csguard.store.models import Base, ChatEvent, Shop


def test_fresh_database_is_at_head(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()
    assert is_at_head(engine)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_upgrade_is_idempotent(db_url: str, engine: Engine) -> None:
    upgrade(db_url)
    assert is_at_head(engine)


def test_upgrade_creates_a_sqlite_file_and_its_folders(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "a" / "b" / "csguard.db"
    upgrade(f"sqlite:///{target}")
    assert target.exists()
    assert is_at_head(make_engine(f"sqlite:///{target}"))


def test_bad_database_url_names_the_setting() -> None:
    with pytest.raises(ConfigError) as info:
        make_engine("not a url")
    assert "CSGUARD_DATABASE_URL" in str(info.value)


def _event(shop_id: int, message_id: str, ts: datetime) -> ChatEvent:
    return ChatEvent(
        shop_id=shop_id, platform="pdd", conversation_id="c", buyer_id="b", message_id=message_id,
        ts=ts, sender="buyer",
    )  # fmt: skip


def test_timestamps_come_back_timezone_aware_in_utc(session: Session) -> None:
    shop = Shop(name="s", platform="pdd")
    session.add(shop)
    session.flush()
    local = datetime(2026, 11, 20, 10, 0, tzinfo=timezone(timedelta(hours=8)))
    session.add(_event(shop.id, "m1", local))
    session.commit()
    session.expire_all()
    stored = session.scalars(select(ChatEvent)).one()
    assert stored.ts == local
    assert stored.ts.utcoffset() == timedelta(0)
    assert stored.ts.tzinfo is not None and stored.ts.hour == 2
    assert shop.created_at.tzinfo is not None


def test_naive_timestamps_are_refused(session: Session) -> None:
    shop = Shop(name="s", platform="pdd")
    session.add(shop)
    session.flush()
    session.add(_event(shop.id, "m1", datetime(2026, 11, 20, 10, 0)))
    with pytest.raises(StatementError):
        session.commit()
    session.rollback()


def test_message_ids_are_unique_per_shop_not_globally(session: Session) -> None:
    a, b = Shop(name="a", platform="pdd"), Shop(name="b", platform="pdd")
    session.add_all([a, b])
    session.flush()
    now = datetime.now(UTC)
    session.add_all([_event(a.id, "m1", now), _event(b.id, "m1", now)])
    session.commit()
    session.add(_event(a.id, "m1", now))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_deleting_a_shop_removes_its_rows(session: Session) -> None:
    shop = Shop(name="gone", platform="pdd")
    session.add(shop)
    session.flush()
    session.add(_event(shop.id, "m1", datetime.now(UTC)))
    session.commit()
    session.delete(shop)
    session.commit()
    assert session.scalars(select(ChatEvent)).all() == []
