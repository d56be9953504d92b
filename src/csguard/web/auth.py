"""Who is looking at a page: the signed session names a user, the database confirms it.

Every page depends on ``page_viewer(<nav key>)``; the roles allowed come from the
navigation table, so a page a role cannot see in the menu is also refused by the server.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import Request
from sqlalchemy.orm import Session

from csguard.errors import PermissionDenied
from csguard.http.deps import SessionDep
from csguard.services import users
from csguard.services.auth import Principal
from csguard.vocab import MANAGER_ROLES
from csguard.web.nav import NAV_BY_KEY

_USER_KEY = "uid"
_SHOP_KEY = "sid"


class LoginRequired(Exception):
    """No valid session: the page answers with a redirect to the log-in form."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path

    @property
    def login_url(self) -> str:
        return f"/login?next={quote(self.next_path, safe='/')}"


class PageForbidden(PermissionDenied):
    code = "page_forbidden"


@dataclass(frozen=True, slots=True)
class Viewer:
    """The logged-in user and their shop; every page query is scoped by ``shop_id``."""

    user_id: int
    username: str
    display_name: str
    role: str
    shop_id: int
    shop_name: str
    platform: str

    @property
    def can_manage(self) -> bool:
        return self.role in MANAGER_ROLES

    @property
    def principal(self) -> Principal:
        return Principal(shop_id=self.shop_id, role=self.role, user_id=self.user_id)


def start_session(request: Request, user_id: int, shop_id: int) -> None:
    # A fresh session dict on log-in: nothing from the anonymous session (and so no
    # attacker-planted CSRF token) survives into the authenticated one.
    request.session.clear()
    request.session[_USER_KEY] = user_id
    request.session[_SHOP_KEY] = shop_id


def end_session(request: Request) -> None:
    request.session.clear()


def load_viewer(request: Request, db: Session) -> Viewer | None:
    user_id = request.session.get(_USER_KEY)
    shop_id = request.session.get(_SHOP_KEY)
    if not isinstance(user_id, int) or not isinstance(shop_id, int):
        return None
    found = users.signed_in_user(db, user_id, shop_id)
    if found is None:
        return None
    user, shop = found
    return Viewer(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name or user.username,
        role=user.role,
        shop_id=shop.id,
        shop_name=shop.name,
        platform=shop.platform,
    )


def _next_path(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def require_viewer(request: Request, db: Session, nav_key: str) -> Viewer:
    viewer = load_viewer(request, db)
    if viewer is None:
        request.session.clear()
        raise LoginRequired(_next_path(request) if request.method == "GET" else "/")
    request.state.viewer = viewer
    if viewer.role not in NAV_BY_KEY[nav_key].roles:
        raise PageForbidden("您的角色无权访问此页面。", details={"page": nav_key, "role": viewer.role})
    return viewer


def page_viewer(nav_key: str) -> Callable[..., Any]:
    """A FastAPI dependency giving the viewer of page ``nav_key`` or refusing the request."""

    def dependency(request: Request, db: SessionDep) -> Viewer:
        return require_viewer(request, db, nav_key)

    return dependency
