"""Dashboard users of a shop."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from csguard.errors import Conflict, InvalidInput, NotFound
from csguard.services._tx import transaction
from csguard.services.auth import check_role, hash_password
from csguard.store.models import Shop, User
from csguard.vocab import AGENT, OWNER


def create_user(
    session: Session, shop_id: int, username: str, password: str, role: str = AGENT, display_name: str = ""
) -> User:
    username = username.strip()
    if not username:
        raise InvalidInput("username must not be empty", details={"field": "username"})
    user = User(
        shop_id=shop_id,
        username=username,
        password_hash=hash_password(password),
        role=check_role(role),
        display_name=display_name.strip(),
    )
    with transaction(session, f"user {username!r} already exists in this shop"):
        session.add(user)
    return user


def list_users(session: Session, shop_id: int) -> list[User]:
    return list(session.scalars(select(User).where(User.shop_id == shop_id).order_by(User.id)))


def get_user(session: Session, shop_id: int, user_id: int) -> User:
    user = session.scalars(select(User).where(User.shop_id == shop_id, User.id == user_id)).first()
    if user is None:
        raise NotFound(f"user {user_id} does not exist", details={"user_id": user_id})
    return user


def _active_owners(session: Session, shop_id: int) -> int:
    query = select(func.count()).where(
        User.shop_id == shop_id, User.role == OWNER, User.is_active.is_(True)
    )
    return int(session.scalar(query) or 0)


def _keeps_an_owner(session: Session, user: User, role: str, is_active: bool) -> None:
    # A shop without an active owner could never manage users or keys again.
    losing = user.role == OWNER and user.is_active and (role != OWNER or not is_active)
    if losing and _active_owners(session, user.shop_id) <= 1:
        raise Conflict("a shop needs at least one active owner", details={"user_id": user.id})


def update_user(
    session: Session,
    shop_id: int,
    user_id: int,
    *,
    role: str | None = None,
    password: str | None = None,
    display_name: str | None = None,
    is_active: bool | None = None,
) -> User:
    user = get_user(session, shop_id, user_id)
    new_role = check_role(role) if role is not None else user.role
    new_active = user.is_active if is_active is None else is_active
    _keeps_an_owner(session, user, new_role, new_active)
    new_hash = hash_password(password) if password is not None else None
    with transaction(session):
        user.role = new_role
        user.is_active = new_active
        if new_hash is not None:
            user.password_hash = new_hash
        if display_name is not None:
            user.display_name = display_name.strip()
    return user


def delete_user(session: Session, shop_id: int, user_id: int) -> None:
    user = get_user(session, shop_id, user_id)
    _keeps_an_owner(session, user, "none", False)
    with transaction(session):
        session.delete(user)


def signed_in_user(session: Session, user_id: int, shop_id: int) -> tuple[User, Shop] | None:
    """The active user of a dashboard session with their shop, or None when the session no
    longer names one (user disabled or deleted, moved shop, shop gone)."""
    user = session.get(User, user_id)
    if user is None or not user.is_active or user.shop_id != shop_id:
        return None
    shop = session.get(Shop, shop_id)
    return None if shop is None else (user, shop)
