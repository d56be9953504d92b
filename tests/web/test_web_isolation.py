"""Shop A's users never see or change shop B's data, on any page or form."""

from __future__ import annotations

from fastapi.routing import APIRoute
from web_support import ShopSeed, WebEnv, post_form

from csguard.services import accounts, auth, users, words
from csguard.web.pages import PAGE_ROUTERS


def _fill(path: str, other: ShopSeed) -> str:
    """A page path with its parameters pointing at the OTHER shop's rows."""
    values = {
        "{conversation_id:path}": other.conversation_id,
        "{word_id}": str(other.word_id),
        "{user_id}": str(other.user_ids["agent"]),
        "{key_id}": str(other.key_id),
        "{account_id}": str(other.account_id),
    }
    for placeholder, value in values.items():
        path = path.replace(placeholder, value)
    assert "{" not in path, f"add a value for {path} to this test"
    return path


def _routes(method: str) -> list[str]:
    return sorted(
        route.path
        for router in PAGE_ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute) and method in route.methods
    )


def test_no_page_shows_another_shops_data(web_env_any_backend: WebEnv) -> None:
    web_env = web_env_any_backend
    client = web_env.login("owner")
    b = web_env.b
    for path in _routes("GET"):
        if path == "/login":
            continue
        response = client.get(_fill(path, b))
        assert response.status_code in (200, 404), path
        body = response.text
        for secret in (b.marker, b.name, b.conversation_id, "客服BBB", "key-BBB"):
            assert secret not in body, f"{path} shows {secret!r} of shop B"


def test_own_data_is_visible_to_check_the_test_above(web_env: WebEnv) -> None:
    client = web_env.login("owner")
    a = web_env.a
    assert "AAA禁词" in client.get("/words").text
    assert "客服AAA" in client.get("/agents").text
    assert "key-AAA" in client.get("/keys").text
    assert a.conversation_id in client.get("/conversations").text
    assert "AAA" in client.get(f"/conversations/{a.conversation_id}").text
    assert "回复率告警AAA" in client.get("/").text


def test_no_form_changes_another_shops_data(web_env_any_backend: WebEnv) -> None:
    web_env = web_env_any_backend
    client = web_env.login("owner")
    b = web_env.b
    forms = {
        "/words/{word_id}/delete": {},
        "/users/{user_id}/update": {"role": "owner", "active": "on", "password": "hijacked-123"},
        "/users/{user_id}/delete": {},
        "/keys/{key_id}/revoke": {},
        "/agents/{account_id}/update": {"level": "senior", "status": "disabled", "share": "0"},
        "/agents/{account_id}/delete": {},
    }
    for path in _routes("POST"):
        if "{" not in path:
            continue
        assert path in forms, f"add {path} to this test"
        response = post_form(client, "/", _fill(path, b), forms[path])
        assert response.status_code == 200, path  # redirected back with an error notice
        assert "操作失败" in response.text, path
    with web_env.sessions() as session:
        assert words.get_word(session, b.shop_id, b.word_id).word == "BBB禁词"
        agent = users.get_user(session, b.shop_id, b.user_ids["agent"])
        assert agent.role == "agent"
        assert agent.is_active
        assert auth.get_api_key(session, b.shop_id, b.key_id).revoked_at is None
        account = accounts.get_account(session, b.shop_id, b.account_id)
        assert (account.level, account.status) == ("mid", "active")


def test_live_checker_uses_only_the_own_shops_words(web_env: WebEnv) -> None:
    client = web_env.login("owner")
    response = post_form(client, "/check", "/check", {"text": "这是BBB禁词和AAA禁词", "platform": "pdd"})
    assert response.status_code == 200
    marked = response.text[response.text.index('id="checked-text"') :]
    assert '">AAA禁词</mark>' in marked
    assert '">BBB禁词</mark>' not in marked
