"""Seed data and helpers for the dashboard tests: two shops (A and B) with users, words,
CS accounts, API keys, chat events and alerts; log-in and form helpers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from csguard.services import accounts, auth, events, shops, users, words
from csguard.store.models import Alert
from csguard.web.session import COOKIE_NAME, encode_session, session_signer

PASSWORD = "correct-horse-42"
SECRET = "s" * 48
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class ShopSeed:
    """What one seeded shop contains; ``marker`` appears in every text the shop owns."""

    name: str
    marker: str
    shop_id: int = 0
    user_ids: dict[str, int] = field(default_factory=dict)
    word_id: int = 0
    account_id: int = 0
    key_id: int = 0
    conversation_id: str = ""


def _records(seed: ShopSeed, now: datetime) -> list[dict[str, Any]]:
    conv = seed.conversation_id
    agent = f"客服{seed.marker}"
    lines = [
        ("buyer", None, f"在吗，{seed.marker}的枕头什么时候发货？我的电话是13812345678"),
        ("agent", agent, f"亲，今天下午就发货哦（{seed.marker}）"),
        ("buyer", None, "不处理我就去12315投诉你们"),
        ("agent", agent, f"加我微信abc123详聊，{seed.marker}禁词"),
    ]
    return [
        {
            "conversation_id": conv,
            "buyer_id": f"buyer-{seed.marker}",
            "message_id": f"{conv}-m{i}",
            "ts": (now - timedelta(minutes=40 - i)).isoformat(),
            "sender": sender,
            "agent": who,
            "type": "text",
            "text": text,
        }
        for i, (sender, who, text) in enumerate(lines)
    ]


def service_hours_now() -> datetime:
    """The latest moment not after now that lies in Pinduoduo's counted hours (08:00–23:00
    Beijing), so the seeded consultations count whatever time of day the suite runs."""
    local = datetime.now(ZoneInfo("Asia/Shanghai"))
    if local.hour >= 23:
        local = local.replace(hour=22, minute=50, second=0, microsecond=0)
    elif local.hour < 8 or (local.hour == 8 and local.minute < 45):
        local = (local - timedelta(days=1)).replace(hour=22, minute=50, second=0, microsecond=0)
    return local.astimezone(UTC)


def seed_shop(session: Session, seed: ShopSeed) -> ShopSeed:
    shop = shops.create_shop(session, seed.name, "pdd")
    seed.shop_id = shop.id
    for role in ("owner", "supervisor", "agent"):
        user = users.create_user(session, shop.id, role, PASSWORD, role, f"{role}-{seed.marker}")
        seed.user_ids[role] = user.id
    seed.word_id = words.add_word(
        session, shop.id, f"{seed.marker}禁词", "custom", note=f"note-{seed.marker}"
    ).id
    seed.account_id = accounts.create_account(
        session,
        shop.id,
        f"客服{seed.marker}",
        display_name=f"账号{seed.marker}",
        level="mid",
        routing_share=50,
    ).id
    key, _ = auth.create_api_key(session, shop.id, f"key-{seed.marker}", "agent")
    seed.key_id = key.id
    seed.conversation_id = f"conv-{seed.marker}"
    result = events.ingest_events(session, shop, _records(seed, service_hours_now()))
    assert result.accepted == 4, result.errors
    session.add(Alert(shop_id=shop.id, kind="sla", severity="high", title=f"回复率告警{seed.marker}"))
    session.commit()
    return seed


@dataclass
class WebEnv:
    app: FastAPI
    url: str
    a: ShopSeed
    b: ShopSeed
    sessions: Callable[[], Session]

    password: str = PASSWORD

    def client(self, *, https: bool = False) -> TestClient:
        return TestClient(self.app, base_url="https://testserver" if https else "http://testserver")

    def login(self, role: str = "owner", shop: ShopSeed | None = None, **kwargs: Any) -> TestClient:
        """A client with a session for the seeded user ``role``, without the slow password check.

        The log-in form itself is tested in test_web_auth.py.
        """
        seed = shop or self.a
        client = self.client(**kwargs)
        session = {"uid": seed.user_ids[role], "sid": seed.shop_id}
        client.cookies.set(COOKIE_NAME, encode_session(session_signer(SECRET), session))
        return client


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF field"
    return match.group(1)


def login(client: TestClient, shop: str, username: str, password: str) -> Any:
    token = csrf_from(client.get("/login").text)
    data = {"shop": shop, "username": username, "password": password, "csrf_token": token}
    return client.post("/login", data=data, follow_redirects=False)


def post_form(client: TestClient, page: str, action: str, data: dict[str, Any], **kwargs: Any) -> Any:
    """Submit a form the way a browser does: token taken from ``page``."""
    token = csrf_from(client.get(page).text)
    return client.post(action, data={**data, "csrf_token": token}, **kwargs)


def app_routes(router: Any) -> list[APIRoute]:
    """Every APIRoute under ``router``; FastAPI >= 0.16x keeps included routers nested."""
    found: list[APIRoute] = []
    for route in router.routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif getattr(route, "original_router", None) is not None:
            assert not route.include_context.prefix, "page routers are included without a prefix"
            found.extend(app_routes(route.original_router))
    return found
