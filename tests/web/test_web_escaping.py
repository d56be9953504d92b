"""XSS and SQL-injection strings typed into any field end up as inert, escaped text."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from web_support import WebEnv, post_form

from csguard.services import events
from csguard.services.shops import get_shop

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
SQLI = "x' OR '1'='1'; DROP TABLE users; --"


def _assert_inert(html: str, where: str) -> None:
    assert "<script>alert" not in html, where
    assert "<img src=x" not in html, where


def test_xss_in_every_form_field_is_shown_escaped(web_env: WebEnv) -> None:
    client = web_env.login("owner")
    post_form(client, "/words", "/words", {"word": XSS, "kind": "custom", "note": XSS})
    post_form(
        client, "/users", "/users", {"username": XSS[:60], "password": "password-123", "display_name": XSS}
    )
    post_form(client, "/agents", "/agents", {"platform_account": XSS, "display_name": XSS})
    keys = post_form(client, "/keys", "/keys", {"name": XSS})
    for path, html in [
        ("/words", client.get("/words").text),
        ("/users", client.get("/users").text),
        ("/agents", client.get("/agents").text),
        ("/keys", keys.text),
    ]:
        _assert_inert(html, path)
        assert ESCAPED[:30] in html, path


def test_xss_in_checked_text_and_in_the_word_that_matches_it(web_env: WebEnv) -> None:
    client = web_env.login("owner")
    post_form(client, "/words", "/words", {"word": "<b>坏词</b>", "kind": "custom"})
    response = post_form(client, "/check", "/check", {"text": f"{XSS}加我微信<b>坏词</b>"})
    _assert_inert(response.text, "/check")
    assert "<b>坏词</b>" not in response.text
    # The word is marked, its angle brackets stay text (the engine may trim punctuation off the span).
    assert re.search(r"<mark[^>]*>[^<]*坏词[^<]*</mark>", response.text)
    assert "&lt;b&gt;" in response.text


def test_xss_and_sqli_in_chat_events_are_stored_and_shown_as_text(web_env: WebEnv) -> None:
    with web_env.sessions() as session:
        shop = get_shop(session, web_env.a.shop_id)
        record = {
            "conversation_id": f"conv-{XSS}",
            "buyer_id": SQLI,
            "message_id": "xss-1",
            "ts": datetime.now(UTC).isoformat(),
            "sender": "agent",
            "agent": XSS,
            "text": f"加我微信 {XSS} {SQLI}",
        }
        assert events.ingest_events(session, shop, [record]).accepted == 1
    client = web_env.login("owner")
    for path in ["/", "/violations", "/conversations", "/agents"]:
        html = client.get(path).text
        _assert_inert(html, path)
    listing = client.get("/conversations").text
    assert "x&#39; OR &#39;1&#39;=&#39;1&#39;; DROP TABLE users; --" in listing
    detail = client.get("/conversations/conv-" + XSS)
    assert detail.status_code == 200
    _assert_inert(detail.text, "detail")
    assert ESCAPED[:30] in detail.text


def test_sqli_in_filters_is_just_a_value(web_env: WebEnv) -> None:
    client = web_env.login("owner")
    for path in ["/violations", "/conversations"]:
        response = client.get(path, params={"agent": SQLI, "category": SQLI, "risk": SQLI})
        assert response.status_code == 200, path
        assert "所选范围内没有" in response.text, path
    assert client.get("/conversations/" + SQLI).status_code == 404
    assert "客服AAA" in client.get("/agents").text  # nothing was dropped


def test_xss_in_the_login_form_is_echoed_escaped(web_env: WebEnv) -> None:
    client = web_env.client()
    token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/login", data={"shop": XSS, "username": XSS[:70], "password": "x", "csrf_token": token}
    )
    assert response.status_code == 401
    _assert_inert(response.text, "/login")
