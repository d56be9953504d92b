"""Role checks: what owners, supervisors and agents may open and change."""

from __future__ import annotations

import re

from web_support import WebEnv, post_form

OWNER_ONLY = ["/users", "/keys"]
MANAGER_ONLY = ["/agents"]
EVERYONE = ["/", "/check", "/violations", "/conversations", "/words", "/qc", "/penalties", "/reviews"]


def _nav_links(html: str) -> set[str]:
    nav = html[html.index('<nav class="sidenav"') : html.index("</nav>")]
    return set(re.findall(r'href="([^"]+)"', nav))


def test_agent_sees_no_user_key_or_agent_management(web_env: WebEnv) -> None:
    client = web_env.login("agent")
    for path in EVERYONE:
        assert client.get(path).status_code == 200, path
    for path in OWNER_ONLY + MANAGER_ONLY:
        response = client.get(path)
        assert response.status_code == 403, path
        assert "无权访问" in response.text
    links = _nav_links(client.get("/").text)
    assert links == set(EVERYONE)


def test_supervisor_manages_words_and_accounts_but_not_users(web_env: WebEnv) -> None:
    client = web_env.login("supervisor")
    for path in EVERYONE + MANAGER_ONLY:
        assert client.get(path).status_code == 200, path
    for path in OWNER_ONLY:
        assert client.get(path).status_code == 403, path
    response = post_form(client, "/words", "/words", {"word": "主管加的词", "kind": "custom"})
    assert response.status_code == 200
    assert "主管加的词" in response.text
    assert _nav_links(client.get("/").text) == set(EVERYONE + MANAGER_ONLY)


def test_agent_cannot_change_words_users_keys_or_accounts(web_env: WebEnv) -> None:
    client = web_env.login("agent")
    a = web_env.a
    attempts = [
        ("/words", {"word": "客服加的词", "kind": "custom"}),
        (f"/words/{a.word_id}/delete", {}),
        ("/users", {"username": "eve", "password": "password-123", "role": "owner"}),
        (f"/users/{a.user_ids['agent']}/update", {"role": "owner", "active": "on"}),
        ("/keys", {"name": "agent-key", "role": "owner"}),
        (f"/keys/{a.key_id}/revoke", {}),
        ("/agents", {"platform_account": "新账号"}),
        (f"/agents/{a.account_id}/delete", {}),
    ]
    for action, data in attempts:
        assert post_form(client, "/check", action, data).status_code == 403, action
    owner = web_env.login("owner")
    assert "客服加的词" not in owner.get("/words").text
    assert "AAA禁词" in owner.get("/words").text
    users_page = owner.get("/users").text
    assert "eve" not in users_page
    assert "agent-key" not in owner.get("/keys").text
    assert "已吊销" not in owner.get("/keys").text
    assert "客服AAA" in owner.get("/agents").text
    # The agent is still an agent.
    assert post_form(client, "/check", "/users", {}).status_code == 403


def test_owner_sees_every_page_in_the_navigation(web_env: WebEnv) -> None:
    client = web_env.login("owner")
    assert _nav_links(client.get("/").text) == set(EVERYONE + MANAGER_ONLY + OWNER_ONLY)
