"""``csguard serve --demo``: a demo shop with an owner, CS accounts, words and a week of traffic.

Idempotent: a second run finds the shop and changes nothing (the owner's password is
only printed by the run that created it).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from csguard.privacy import mask_pii
from csguard.qc.demo import generate_events
from csguard.services import accounts, words
from csguard.services._tx import transaction
from csguard.services.alerts import refresh_alerts
from csguard.services.events import ingest_events
from csguard.services.shops import create_shop, find_shop
from csguard.services.users import create_user
from csguard.store.models import ChatEvent, CheckLog, Shop
from csguard.vocab import DEFAULT_PLATFORM, JUNIOR, MID, OFFSITE_DIVERSION, OWNER, SENIOR, TRIAL

DEMO_SHOP = "演示店铺"
DEMO_OWNER = "demo"
# A demo team is mostly juniors, as real ones are.
_LEVELS = (SENIOR, MID, JUNIOR, JUNIOR, TRIAL)


@dataclass(frozen=True, slots=True)
class DemoSetup:
    shop: Shop
    username: str
    password: str | None  # None when the demo already existed
    events_loaded: int


def _seed_accounts(session: Session, shop: Shop, agents: list[str]) -> None:
    share = 100 // max(len(agents), 1)
    for number, agent in enumerate(agents):
        if accounts.find_account(session, shop.id, agent) is None:
            level = _LEVELS[number % len(_LEVELS)]
            accounts.create_account(
                session,
                shop.id,
                agent,
                display_name=agent,
                level=level,
                is_backup=number == len(agents) - 1,
                routing_share=0 if number == len(agents) - 1 else share,
            )


def _seed_check_logs(session: Session, shop: Shop) -> None:
    """Run the agents' demo messages through the guard so the violation views have data."""
    guard = words.guard_for_shop(session, shop)
    query = select(ChatEvent).where(
        ChatEvent.shop_id == shop.id, ChatEvent.sender == "agent", ChatEvent.text != ""
    )
    rows = []
    for event in session.scalars(query):
        result = guard.check(event.text)
        rows.append(
            {
                "shop_id": shop.id, "ts": event.ts, "kind": "check", "platform": shop.platform,
                "verdict": result.verdict, "rule_ids": result.rule_ids, "categories": result.categories,
                "text": mask_pii(event.text),
            }
        )  # fmt: skip
    if rows:
        with transaction(session):
            session.execute(insert(CheckLog), rows)


def ensure_demo(
    session: Session, *, platform: str = DEFAULT_PLATFORM, messages: int = 3000, days: int = 7, seed: int = 0
) -> DemoSetup:
    shop = find_shop(session, DEMO_SHOP)
    if shop is not None:
        return DemoSetup(shop, DEMO_OWNER, None, 0)
    shop = create_shop(session, DEMO_SHOP, platform)
    password = secrets.token_urlsafe(12)
    create_user(session, shop.id, DEMO_OWNER, password, OWNER, "演示店主")
    words.add_word(session, shop.id, "私下交易", "custom", category=OFFSITE_DIVERSION, severity="high")
    words.add_word(session, shop.id, "第一时间", "allow", note="「第一时间发货」不是绝对化用语")
    records = list(
        generate_events(shop=DEMO_SHOP, platform=platform, days=days, messages=messages, seed=seed)
    )
    result = ingest_events(session, shop, records)
    agents = sorted({r["agent"] for r in records if r.get("agent")})
    _seed_accounts(session, shop, agents)
    _seed_check_logs(session, shop)
    refresh_alerts(session, shop)
    return DemoSetup(shop, DEMO_OWNER, password, result.accepted)


def demo_event_count(session: Session, shop_id: int) -> int:
    return int(session.scalar(select(func.count()).where(ChatEvent.shop_id == shop_id)) or 0)
