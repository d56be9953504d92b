"""Helpers of the API tests (a module of its own so test files can import it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI

from csguard.services import accounts, auth, users, words
from csguard.services.shops import create_shop
from csguard.settings import Settings
from csguard.store.models import Alert
from csguard.store.types import utcnow

SECRET = "test-secret-key-" + "x" * 32


@dataclass
class Tenant:
    shop_id: int
    name: str
    keys: dict[str, str] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)

    def auth(self, role: str = "owner") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}"}


def make_settings(db_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"database_url": db_url, "secret_key": SECRET, "rate_limit_per_second": 0}
    return Settings(**{**values, **overrides})


def make_tenant(app: FastAPI, name: str, platform: str = "pdd") -> Tenant:
    """A shop with one key per role, an owner user, a word and a CS account, all named after it."""
    with app.state.sessions() as session:
        shop = create_shop(session, name, platform)
        tenant = Tenant(shop.id, shop.name)
        for role in ("owner", "supervisor", "agent"):
            key, plaintext = auth.create_api_key(session, shop.id, f"{name}-{role}", role)
            tenant.keys[role] = plaintext
            tenant.ids[f"key_{role}"] = key.id
        tenant.ids["user"] = users.create_user(session, shop.id, f"{name}-boss", "password-123", "owner").id
        tenant.ids["word"] = words.add_word(session, shop.id, f"{name}-暗号", "custom").id
        tenant.ids["account"] = accounts.create_account(session, shop.id, f"{name}-客服").id
        alert = Alert(shop_id=shop.id, ts=utcnow(), kind="violations", title=f"{name}-告警", details={})
        session.add(alert)
        session.commit()
        tenant.ids["alert"] = alert.id
    return tenant
