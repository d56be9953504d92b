"""用户 and API 密钥: the shop owner's user and key management.

A new key's plaintext exists only in the response to its creation: the page renders it
once and the database keeps only its hash.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from csguard.errors import CsguardError
from csguard.http.deps import SessionDep
from csguard.services import auth, users
from csguard.vocab import AGENT
from csguard.web.auth import Viewer, page_viewer
from csguard.web.rendering import flash, render, run_action

router = APIRouter()
UsersViewer = Annotated[Viewer, Depends(page_viewer("users"))]
KeysViewer = Annotated[Viewer, Depends(page_viewer("keys"))]


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request, viewer: UsersViewer, db: SessionDep) -> Response:
    return render(
        request, "users.html", viewer=viewer, active="users", users=users.list_users(db, viewer.shop_id)
    )


@router.post("/users")
def create_user(
    request: Request,
    viewer: UsersViewer,
    db: SessionDep,
    username: Annotated[str, Form(max_length=80)],
    password: Annotated[str, Form(max_length=200)],
    role: Annotated[str, Form(max_length=16)] = AGENT,
    display_name: Annotated[str, Form(max_length=120)] = "",
) -> Response:
    run_action(
        request,
        lambda: users.create_user(db, viewer.shop_id, username, password, role, display_name),
        f"已创建用户“{username.strip()}”。",
    )
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{user_id}/update")
def update_user(
    request: Request,
    viewer: UsersViewer,
    db: SessionDep,
    user_id: int,
    role: Annotated[str, Form(max_length=16)],
    active: Annotated[str, Form(max_length=8)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    run_action(
        request,
        lambda: users.update_user(
            db, viewer.shop_id, user_id, role=role, is_active=active == "on", password=password or None
        ),
        "已保存。",
    )
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{user_id}/delete")
def delete_user(request: Request, viewer: UsersViewer, db: SessionDep, user_id: int) -> Response:
    if user_id == viewer.user_id:
        flash(request, "不能删除自己的账号。", "error")
    else:
        run_action(request, lambda: users.delete_user(db, viewer.shop_id, user_id), "已删除用户。")
    return RedirectResponse("/users", status_code=303)


def _keys_page(
    request: Request, viewer: Viewer, db: SessionDep, new_key: str = "", status_code: int = 200
) -> Response:
    return render(
        request,
        "keys.html",
        viewer=viewer,
        active="keys",
        status_code=status_code,
        keys=auth.list_api_keys(db, viewer.shop_id),
        new_key=new_key,
    )


@router.get("/keys", response_class=HTMLResponse)
def keys_page(request: Request, viewer: KeysViewer, db: SessionDep) -> Response:
    return _keys_page(request, viewer, db)


@router.post("/keys", response_class=HTMLResponse)
def create_key(
    request: Request,
    viewer: KeysViewer,
    db: SessionDep,
    name: Annotated[str, Form(max_length=120)],
    role: Annotated[str, Form(max_length=16)] = AGENT,
) -> Response:
    # Rendered directly rather than redirected: the plaintext must not travel through the
    # session cookie, and a reload must not show it again.
    try:
        _, plaintext = auth.create_api_key(db, viewer.shop_id, name, role, created_by=viewer.user_id)
    except CsguardError as exc:
        flash(request, f"操作失败：{exc.message}", "error")
        return _keys_page(request, viewer, db, status_code=422)
    return _keys_page(request, viewer, db, new_key=plaintext)


@router.post("/keys/{key_id}/revoke")
def revoke_key(request: Request, viewer: KeysViewer, db: SessionDep, key_id: int) -> Response:
    if run_action(request, lambda: auth.revoke_api_key(db, viewer.shop_id, key_id), "密钥已吊销。"):
        # The API trusts verified keys for a few seconds; a revoked key must stop now.
        request.app.state.key_cache.forget_key(key_id)
    return RedirectResponse("/keys", status_code=303)
