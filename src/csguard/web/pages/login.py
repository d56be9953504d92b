"""Log-in and log-out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from csguard.http.deps import SessionDep
from csguard.services.auth import authenticate
from csguard.web.auth import end_session, load_viewer, start_session
from csguard.web.rendering import render
from csguard.web.throttle import LoginThrottle

router = APIRouter()


def _safe_next(next_path: str) -> str:
    # Only same-site paths: "//evil.example" and "https://..." would turn log-in into an open redirect.
    if next_path.startswith("/") and not next_path.startswith("//") and "\\" not in next_path:
        return next_path
    return "/"


def _login_error(
    request: Request, status: int, next_path: str, shop: str, username: str, error: str
) -> Response:
    return render(
        request,
        "login.html",
        status_code=status,
        next_path=_safe_next(next_path),
        shop_name=shop,
        username=username,
        error=error,
    )


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, db: SessionDep, next: str = "/") -> Response:
    if load_viewer(request, db) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "login.html", next_path=_safe_next(next), shop_name="", username="", error="")


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    db: SessionDep,
    username: Annotated[str, Form(max_length=80)],
    password: Annotated[str, Form(max_length=200)],
    shop: Annotated[str, Form(max_length=120)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    throttle: LoginThrottle = request.app.state.login_throttle
    key = (request.client.host if request.client else "", shop.strip(), username.strip())
    if throttle.blocked(key):
        return _login_error(request, 429, next, shop, username, "登录失败次数过多，请 15 分钟后再试。")
    user = authenticate(db, shop.strip() or None, username.strip(), password)
    if user is None:
        throttle.failed(key)
        return _login_error(request, 401, next, shop, username, "店铺、用户名或密码不正确。")
    throttle.succeeded(key)
    start_session(request, user.id, user.shop_id)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    end_session(request)
    return RedirectResponse("/login", status_code=303)
