from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from csguard.qc.demo import generate_events
from csguard.services import demo, events, metrics
from csguard.store.models import ChatEvent, CheckLog, CsAccount, Shop, User

PHONE = "13912345678"


def _event(message_id: str, **extra: object) -> dict[str, object]:
    return {"conversation_id": "c1", "message_id": message_id, "ts": "2026-11-20T10:00:00+08:00",
            "sender": "buyer", "text": f"电话{PHONE}", **extra}  # fmt: skip


def test_ingest_is_idempotent_and_masks_text(session: Session, shop: Shop) -> None:
    first = events.ingest_events(session, shop, [_event("m1"), _event("m2"), _event("m1")])
    assert (first.accepted, first.duplicate, first.rejected) == (2, 1, 0)
    again = events.ingest_events(session, shop, [_event("m1"), _event("m3")])
    assert (again.accepted, again.duplicate, again.rejected) == (1, 1, 0)
    stored = events.list_events(session, shop.id)
    assert len(stored) == 3
    assert all(PHONE not in e.text for e in stored)
    assert stored[0].ts == datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def test_rejections_name_the_record_and_field(session: Session, shop: Shop) -> None:
    records = [
        _event("m1"),
        {"message_id": "m2"},
        "not an object",
        _event("m3", sender="alien"),
        _event("m4", shop="别人的店"),
    ]
    result = events.ingest_events(session, shop, records)
    assert (result.accepted, result.rejected) == (1, 4)
    by_index = {e["index"]: e for e in result.errors}
    assert sorted(by_index) == [1, 2, 3, 4]
    assert by_index[1]["field"] == "conversation_id"
    assert by_index[3]["field"] == "sender"
    assert by_index[4]["field"] == "shop"


def test_same_message_id_in_two_shops(session: Session, shop: Shop, other_shop: Shop) -> None:
    assert events.ingest_events(session, shop, [_event("m1")]).accepted == 1
    assert events.ingest_events(session, other_shop, [_event("m1")]).accepted == 1
    assert len(events.list_events(session, other_shop.id)) == 1


def test_sla_metrics_from_stored_events(session: Session, shop: Shop) -> None:
    records = list(generate_events(shop=shop.name, platform="pdd", days=3, messages=600, seed=3))
    assert events.ingest_events(session, shop, records).accepted == 600
    rows = metrics.sla_metrics(session, shop)
    shop_rows = [r for r in rows if r["agent"] is None]
    rates = [r["reply_rate_3min"] for r in shop_rows if r["consultations"]]
    assert len(shop_rows) >= 3 and rates and all(0 <= rate <= 1 for rate in rates)
    agent = next(r["agent"] for r in rows if r["agent"])
    assert {r["agent"] for r in metrics.sla_metrics(session, shop, agent=agent)} == {agent}
    day = datetime.fromisoformat(shop_rows[0]["date"]).replace(tzinfo=UTC)
    assert {r["date"] for r in metrics.sla_metrics(session, shop, until=day)} <= {shop_rows[0]["date"]}


def test_no_events_no_metrics(session: Session, shop: Shop) -> None:
    assert metrics.sla_metrics(session, shop) == []


def test_qc_result_over_stored_events(session: Session, shop: Shop) -> None:
    records = list(generate_events(shop=shop.name, platform="pdd", days=2, messages=400, seed=1))
    events.ingest_events(session, shop, records)
    result = metrics.qc_result(session, shop)
    payload = result.to_json_dict()
    assert payload["messages"] == 400
    assert payload["metrics"]


def test_demo_is_created_once(session: Session) -> None:
    setup = demo.ensure_demo(session, messages=300, days=2)
    assert setup.password and setup.events_loaded == 300
    again = demo.ensure_demo(session, messages=300, days=2)
    assert again.password is None and again.shop.id == setup.shop.id
    assert demo.demo_event_count(session, setup.shop.id) == 300
    assert session.scalar(select(func.count()).select_from(User)) == 1
    assert session.scalar(select(func.count()).select_from(CsAccount)) >= 2
    assert session.scalar(select(func.count()).select_from(CheckLog)) > 0
    assert all(PHONE not in t for t in session.scalars(select(ChatEvent.text)))


def test_alerts_are_recorded_once_and_scoped(session: Session, shop: Shop, other_shop: Shop) -> None:
    import pytest

    from csguard.errors import NotFound
    from csguard.services import alerts

    records = list(generate_events(shop=shop.name, platform="pdd", days=3, messages=900, seed=4))
    events.ingest_events(session, shop, records)
    expected = len(metrics.qc_result(session, shop).alerts)
    assert alerts.refresh_alerts(session, shop) == expected > 0
    assert alerts.refresh_alerts(session, shop) == 0  # each breach is stored once
    stored = alerts.list_alerts(session, shop.id)
    assert len(stored) == expected and stored[0].ts.tzinfo is not None
    with pytest.raises(NotFound):
        alerts.acknowledge_alert(session, other_shop.id, stored[0].id)
    assert alerts.acknowledge_alert(session, shop.id, stored[0].id).acknowledged_at is not None
    assert len(alerts.list_alerts(session, shop.id, unacknowledged=True)) == expected - 1
    assert alerts.list_alerts(session, other_shop.id) == []
