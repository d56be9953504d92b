"""Passwords, API keys and the principal (who is calling, for which shop, with which role).

Passwords are hashed with argon2 (pwdlib). API keys carry 192 bits of randomness, so a
plain SHA-256 of the key is enough to store them and keeps per-request verification in
microseconds; only the prefix is kept in clear to find the row and to show in lists.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from pwdlib import PasswordHash
from sqlalchemy import select
from sqlalchemy.orm import Session

from csguard.errors import AuthError, InvalidInput, NotFound, PermissionDenied
from csguard.services._tx import transaction
from csguard.store.models import ApiKey, Shop, User
from csguard.store.types import utcnow
from csguard.vocab import AGENT, ROLE_RANK, ROLES

KEY_SCHEME = "csg"
_ROLE_RANK = ROLE_RANK
_hasher = PasswordHash.recommended()
# Verifying against this when a user does not exist keeps timing equal for both failures.
_DUMMY_HASH = _hasher.hash("csguard-timing-equaliser")


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller. ``shop_id`` scopes every service call made on its behalf."""

    shop_id: int
    role: str
    user_id: int | None = None
    api_key_id: int | None = None

    def allows(self, needed: str) -> bool:
        return _ROLE_RANK[self.role] >= _ROLE_RANK[needed]

    def require(self, needed: str) -> None:
        if not self.allows(needed):
            raise PermissionDenied(
                f"this needs the {needed} role; you are {self.role}",
                details={"needed": needed, "role": self.role},
            )


def check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r} (known: {', '.join(ROLES)})", details={"field": "role"})
    return role


def hash_password(password: str) -> str:
    if len(password) < 8:
        raise InvalidInput("password must have at least 8 characters", details={"field": "password"})
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _hasher.verify(password, password_hash)
    except Exception:  # a corrupt hash must read as "wrong password", never crash log-in
        return False


def authenticate(session: Session, shop: str | int | None, username: str, password: str) -> User | None:
    """The active user with these credentials, or None. ``shop`` (name or id) disambiguates."""
    query = select(User).where(User.username == username, User.is_active.is_(True))
    if isinstance(shop, int):
        query = query.where(User.shop_id == shop)
    elif shop:
        query = query.join(Shop, Shop.id == User.shop_id).where(Shop.name == shop)
    users = list(session.scalars(query.limit(2)))
    if len(users) != 1:  # unknown, or the same name in several shops without a shop given
        verify_password(password, _DUMMY_HASH)
        return None
    user = users[0]
    if not verify_password(password, user.password_hash):
        return None
    with transaction(session):
        user.last_login_at = utcnow()
    return user


def principal_for_user(user: User) -> Principal:
    return Principal(shop_id=user.shop_id, role=user.role, user_id=user.id)


def _key_hash(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def create_api_key(
    session: Session,
    shop_id: int,
    name: str,
    role: str = AGENT,
    *,
    created_by: int | None = None,
    expires_at: datetime | None = None,
) -> tuple[ApiKey, str]:
    """A new key and its plaintext, which is returned only here, never stored."""
    check_role(role)
    if not name.strip():
        raise InvalidInput("API key name must not be empty", details={"field": "name"})
    if expires_at is not None and expires_at.tzinfo is None:
        raise InvalidInput("expires_at needs a time zone", details={"field": "expires_at"})
    prefix = secrets.token_hex(4)
    plaintext = f"{KEY_SCHEME}_{prefix}_{secrets.token_urlsafe(24)}"
    key = ApiKey(
        shop_id=shop_id,
        name=name.strip(),
        role=role,
        prefix=prefix,
        key_hash=_key_hash(plaintext),
        created_by=created_by,
        expires_at=expires_at,
    )
    with transaction(session):
        session.add(key)
    return key, plaintext


def verify_api_key(session: Session, plaintext: str) -> ApiKey:
    """The live key row for ``plaintext``; AuthError for unknown, wrong, revoked or expired keys."""
    parts = plaintext.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_SCHEME:
        raise AuthError("malformed API key; expected 'csg_<prefix>_<secret>'")
    key = session.scalars(select(ApiKey).where(ApiKey.prefix == parts[1])).first()
    if key is None or not hmac.compare_digest(key.key_hash, _key_hash(plaintext)):
        raise AuthError("invalid API key")
    if key.revoked_at is not None:
        raise AuthError("this API key was revoked")
    if key.expires_at is not None and key.expires_at <= utcnow():
        raise AuthError("this API key has expired")
    return key


def principal_for_key(key: ApiKey) -> Principal:
    return Principal(shop_id=key.shop_id, role=key.role, api_key_id=key.id)


def touch_api_key(session: Session, key_id: int, when: datetime) -> None:
    """Record use; callers throttle this so the hot path does not write on every request."""
    with transaction(session):
        key = session.get(ApiKey, key_id)
        if key is not None:
            key.last_used_at = when


def list_api_keys(session: Session, shop_id: int) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).where(ApiKey.shop_id == shop_id).order_by(ApiKey.id)))


def get_api_key(session: Session, shop_id: int, key_id: int) -> ApiKey:
    key = session.scalars(select(ApiKey).where(ApiKey.shop_id == shop_id, ApiKey.id == key_id)).first()
    if key is None:
        raise NotFound(f"API key {key_id} does not exist", details={"api_key_id": key_id})
    return key


def revoke_api_key(session: Session, shop_id: int, key_id: int) -> ApiKey:
    key = get_api_key(session, shop_id, key_id)
    with transaction(session):
        if key.revoked_at is None:
            key.revoked_at = utcnow()
    return key
