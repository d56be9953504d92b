from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from csguard.errors import AuthError, Conflict, InvalidInput, NotFound, PermissionDenied
from csguard.services import auth, users
from csguard.services.auth import Principal
from csguard.store.models import Shop
from csguard.store.types import utcnow


def test_passwords_are_hashed_with_argon2(session: Session, shop: Shop) -> None:
    user = users.create_user(session, shop.id, "boss", "correct horse", "owner")
    assert user.password_hash.startswith("$argon2")
    assert "correct horse" not in user.password_hash
    assert auth.verify_password("correct horse", user.password_hash)
    assert not auth.verify_password("wrong horse", user.password_hash)
    assert not auth.verify_password("x", "not-a-hash")


def test_short_passwords_are_refused(session: Session, shop: Shop) -> None:
    with pytest.raises(InvalidInput) as info:
        users.create_user(session, shop.id, "boss", "short", "owner")
    assert info.value.details["field"] == "password"


def test_authenticate(session: Session, shop: Shop, other_shop: Shop) -> None:
    users.create_user(session, shop.id, "boss", "password-a", "owner")
    users.create_user(session, other_shop.id, "boss", "password-b", "owner")
    users.create_user(session, shop.id, "solo", "password-c", "agent")
    found = auth.authenticate(session, shop.name, "boss", "password-a")
    assert found is not None and found.shop_id == shop.id and found.last_login_at is not None
    assert auth.authenticate(session, other_shop.id, "boss", "password-b") is not None
    assert auth.authenticate(session, shop.name, "boss", "password-b") is None
    assert auth.authenticate(session, None, "boss", "password-a") is None  # ambiguous without a shop
    assert auth.authenticate(session, None, "solo", "password-c") is not None
    assert auth.authenticate(session, shop.name, "nobody", "password-a") is None


def test_inactive_users_cannot_log_in(session: Session, shop: Shop) -> None:
    users.create_user(session, shop.id, "boss", "password-a", "owner")
    agent = users.create_user(session, shop.id, "agent", "password-b", "agent")
    users.update_user(session, shop.id, agent.id, is_active=False)
    assert auth.authenticate(session, shop.name, "agent", "password-b") is None


def test_api_key_is_shown_once_and_stored_hashed(session: Session, shop: Shop) -> None:
    key, plaintext = auth.create_api_key(session, shop.id, "chat tool", "supervisor")
    assert plaintext.startswith(f"csg_{key.prefix}_")
    assert plaintext not in key.key_hash
    verified = auth.verify_api_key(session, plaintext)
    assert verified.id == key.id
    principal = auth.principal_for_key(verified)
    assert principal == Principal(shop_id=shop.id, role="supervisor", api_key_id=key.id)


@pytest.mark.parametrize("mangle", [lambda k: k + "x", lambda k: k[:-1], lambda k: "nonsense", lambda k: ""])
def test_wrong_keys_are_refused(session: Session, shop: Shop, mangle) -> None:  # type: ignore[no-untyped-def]
    _key, plaintext = auth.create_api_key(session, shop.id, "tool")
    with pytest.raises(AuthError):
        auth.verify_api_key(session, mangle(plaintext))


def test_revoked_and_expired_keys_are_refused(session: Session, shop: Shop, other_shop: Shop) -> None:
    key, plaintext = auth.create_api_key(session, shop.id, "tool")
    with pytest.raises(NotFound):
        auth.revoke_api_key(session, other_shop.id, key.id)
    auth.revoke_api_key(session, shop.id, key.id)
    with pytest.raises(AuthError, match="revoked"):
        auth.verify_api_key(session, plaintext)
    _old, expired = auth.create_api_key(session, shop.id, "old", expires_at=utcnow() - timedelta(seconds=1))
    with pytest.raises(AuthError, match="expired"):
        auth.verify_api_key(session, expired)


def test_roles_are_ranked() -> None:
    owner, agent = Principal(1, "owner"), Principal(1, "agent")
    assert owner.allows("supervisor") and owner.allows("agent")
    assert not agent.allows("supervisor")
    with pytest.raises(PermissionDenied):
        agent.require("owner")
    with pytest.raises(InvalidInput):
        auth.check_role("admin")


def test_a_shop_keeps_at_least_one_owner(session: Session, shop: Shop) -> None:
    owner = users.create_user(session, shop.id, "boss", "password-a", "owner")
    with pytest.raises(Conflict):
        users.update_user(session, shop.id, owner.id, role="agent")
    with pytest.raises(Conflict):
        users.delete_user(session, shop.id, owner.id)
    second = users.create_user(session, shop.id, "boss2", "password-b", "owner")
    users.update_user(session, shop.id, owner.id, role="agent")
    with pytest.raises(Conflict):
        users.update_user(session, shop.id, second.id, is_active=False)


def test_users_are_scoped_to_their_shop(session: Session, shop: Shop, other_shop: Shop) -> None:
    user = users.create_user(session, shop.id, "boss", "password-a", "owner")
    with pytest.raises(NotFound):
        users.get_user(session, other_shop.id, user.id)
    with pytest.raises(NotFound):
        users.update_user(session, other_shop.id, user.id, display_name="hijacked")
    assert users.list_users(session, other_shop.id) == []
    with pytest.raises(Conflict):
        users.create_user(session, shop.id, "boss", "password-x", "agent")
