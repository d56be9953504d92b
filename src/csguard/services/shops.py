"""Shops (tenants)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from csguard.errors import InvalidInput, NotFound
from csguard.guard import PLATFORMS
from csguard.services._tx import transaction
from csguard.store.models import Shop


def create_shop(session: Session, name: str, platform: str) -> Shop:
    name = name.strip()
    if not name:
        raise InvalidInput("shop name must not be empty", details={"field": "name"})
    if platform not in PLATFORMS:
        raise InvalidInput(
            f"unknown platform {platform!r} (known: {', '.join(PLATFORMS)})", details={"field": "platform"}
        )
    shop = Shop(name=name, platform=platform)
    with transaction(session, f"a shop named {name!r} already exists"):
        session.add(shop)
    return shop


def get_shop(session: Session, shop_id: int) -> Shop:
    shop = session.get(Shop, shop_id)
    if shop is None:
        raise NotFound(f"shop {shop_id} does not exist", details={"shop_id": shop_id})
    return shop


def find_shop(session: Session, name: str) -> Shop | None:
    return session.scalars(select(Shop).where(Shop.name == name.strip())).first()


def shop_named(session: Session, name: str) -> Shop:
    shop = find_shop(session, name)
    if shop is None:
        raise NotFound(f"no shop named {name!r}; create it with 'csguard init --shop {name!r} ...'")
    return shop
