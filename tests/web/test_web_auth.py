"""Log-in, log-out, sessions, CSRF and security headers of the dashboard."""

from __future__ import annotations

import time

from web_support import PASSWORD, SECRET, WebEnv, csrf_from, login, post_form

from csguard.web.session import COOKIE_NAME, encode_session, session_signer
from csguard.web.throttle import LoginThrottle


def test_login_success_redirects_to_next_page(web_env: WebEnv) -> None:
    client = web_env.client()
    first = client.get("/words", follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"] == "/login?next=/words"
    token = csrf_from(client.get(first.headers["location"]).text)
    response = client.post(
        "/login",
        data={
            "shop": "甲店",
            "username": "owner",
            "password": PASSWORD,
            "next": "/words",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/words"
    page = client.get("/words")
    assert page.status_code == 200
    assert "AAA禁词" in page.text


def test_login_failure_shows_error_and_no_session(web_env: WebEnv) -> None:
    client = web_env.client()
    for shop, username, password in [
        ("甲店", "owner", "wrong-password"),
        ("甲店", "nobody", PASSWORD),
        ("乙店", "x", "y"),
    ]:
        response = login(client, shop, username, password)
        assert response.status_code == 401
        assert "店铺、用户名或密码不正确" in response.text
    assert client.get("/", follow_redirects=False).status_code == 303


def test_login_needs_shop_when_username_exists_in_two_shops(web_env: WebEnv) -> None:
    client = web_env.client()
    assert login(client, "", "owner", PASSWORD).status_code == 401
    assert login(client, "乙店", "owner", PASSWORD).status_code == 303


def test_inactive_user_cannot_log_in_and_is_logged_out(web_env: WebEnv) -> None:
    client = web_env.login("agent")
    assert client.get("/").status_code == 200
    with web_env.sessions() as session:
        from csguard.services import users

        users.update_user(session, web_env.a.shop_id, web_env.a.user_ids["agent"], is_active=False)
    assert client.get("/", follow_redirects=False).status_code == 303
    assert login(web_env.client(), "甲店", "agent", PASSWORD).status_code == 401


def test_every_page_requires_a_session(web_env: WebEnv) -> None:
    client = web_env.client()
    for path in [
        "/",
        "/check",
        "/violations",
        "/conversations",
        "/agents",
        "/words",
        "/qc",
        "/users",
        "/keys",
    ]:
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login"), path


def test_open_redirect_after_login_is_refused(web_env: WebEnv) -> None:
    client = web_env.client()
    data = {"shop": "甲店", "username": "owner", "password": PASSWORD}
    for target in ["//evil.example/x", "https://evil.example/", "/\\evil.example"]:
        token = csrf_from(client.get("/login").text)  # a log-in starts a new session and token
        response = client.post(
            "/login", data={**data, "next": target, "csrf_token": token}, follow_redirects=False
        )
        assert response.headers["location"] == "/", target


def test_logout_ends_the_session(web_env: WebEnv) -> None:
    client = web_env.client()
    assert login(client, "甲店", "owner", PASSWORD).status_code == 303
    response = post_form(client, "/", "/logout", {}, follow_redirects=False)
    assert response.status_code == 303
    assert "Max-Age=0" in response.headers["set-cookie"]
    assert client.get("/", follow_redirects=False).status_code == 303


def test_session_cookie_flags(web_env: WebEnv) -> None:
    plain = web_env.client()
    cookie = login(plain, "甲店", "owner", PASSWORD).headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie
    secure = web_env.client(https=True)
    cookie = login(secure, "甲店", "owner", PASSWORD).headers["set-cookie"]
    assert "; Secure" in cookie


def test_tampered_or_foreign_cookie_is_ignored(web_env: WebEnv) -> None:
    client = web_env.login()
    value = client.cookies[COOKIE_NAME]
    # Claim to be user 2 of shop 2 by editing the payload but keeping the old signature.
    forged = "eyJ1aWQiOiA1LCAic2lkIjogMn0=" + value[value.index(".") :]
    attacker = web_env.client()
    attacker.cookies.set(COOKIE_NAME, forged)
    assert attacker.get("/", follow_redirects=False).status_code == 303


def test_csrf_missing_or_wrong_token_is_rejected(web_env: WebEnv) -> None:
    client = web_env.login("owner")
    cases = [
        ("/words", {"word": "不该添加", "kind": "custom"}),
        ("/users", {"username": "mallory", "password": "password-123", "role": "owner"}),
        ("/keys", {"name": "stolen", "role": "owner"}),
        ("/check", {"text": "你好"}),
        ("/logout", {}),
    ]
    for action, data in cases:
        assert client.post(action, data=data).status_code == 403, action
        assert client.post(action, data={**data, "csrf_token": "forged"}).status_code == 403, action
        assert client.post(action, data=data, headers={"X-CSRF-Token": "forged"}).status_code == 403, action
    page = client.get("/words").text
    assert "不该添加" not in page
    assert "mallory" not in client.get("/users").text
    assert "stolen" not in client.get("/keys").text


def test_csrf_token_of_another_session_is_rejected(web_env: WebEnv) -> None:
    victim = web_env.login("owner")
    attacker = web_env.login("owner", web_env.b)
    token = csrf_from(attacker.get("/words").text)
    response = victim.post("/words", data={"word": "跨站添加", "kind": "custom", "csrf_token": token})
    assert response.status_code == 403
    assert "跨站添加" not in victim.get("/words").text


def test_login_form_itself_needs_csrf(web_env: WebEnv) -> None:
    client = web_env.client()
    client.get("/login")
    data = {"shop": "甲店", "username": "owner", "password": PASSWORD}
    assert client.post("/login", data=data).status_code == 403


def test_security_headers_on_pages(web_env: WebEnv) -> None:
    response = web_env.login().get("/")
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    assert response.headers["cache-control"] == "no-store"
    assert "<script>" not in response.text  # every script is a static file
    static = web_env.client().get("/static/app.css")
    assert static.status_code == 200
    assert "text/css" in static.headers["content-type"]
    assert "no-store" not in static.headers.get("cache-control", "")


def test_password_guessing_is_throttled(web_env: WebEnv) -> None:
    web_env.app.state.login_throttle = LoginThrottle(max_failures=3)  # the default is 10
    client = web_env.client()
    for _ in range(3):
        assert login(client, "甲店", "agent", "guess-guess").status_code == 401
    blocked = login(client, "甲店", "agent", PASSWORD)
    assert blocked.status_code == 429
    assert "次数过多" in blocked.text
    # Other users (and the same user in another shop) are not locked out by it.
    assert login(web_env.client(), "甲店", "owner", PASSWORD).status_code == 303
    assert login(web_env.client(), "乙店", "agent", PASSWORD).status_code == 303


def test_expired_session_cookie_needs_a_new_login(web_env: WebEnv) -> None:
    lifetime_s = web_env.app.state.settings.session_lifetime_minutes * 60
    session = {"uid": web_env.a.user_ids["owner"], "sid": web_env.a.shop_id}

    def cookie(age_s: float) -> str:
        signer = session_signer(SECRET)
        signer.get_timestamp = lambda: int(time.time() - age_s)  # type: ignore[method-assign]
        return encode_session(signer, session)

    fresh = web_env.client()
    fresh.cookies.set(COOKIE_NAME, cookie(0))
    assert fresh.get("/", follow_redirects=False).status_code == 200
    stale = web_env.client()
    stale.cookies.set(COOKIE_NAME, cookie(lifetime_s + 60))
    assert stale.get("/", follow_redirects=False).status_code == 303
