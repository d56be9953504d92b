"""Tenant isolation and credentials on EVERY /v1 route, enumerated from the app's OpenAPI spec.

A route added later is covered automatically: it is called with shop B's ids in its path
(unknown path parameters get one of B's ids too) and must neither leak nor change B's data.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from csguard.services import auth, checks, events
from csguard.services.shops import get_shop
from csguard.store.models import Alert, ApiKey, ChatEvent, CheckLog, CsAccount, ShopWord, User
from csguard.store.types import utcnow

MARKER = "SHOPB"  # every name and text of shop B contains it

NEW_EVENT = {
    "conversation_id": "c",
    "message_id": "new",
    "ts": "2026-11-20T10:00:00+08:00",
    "sender": "buyer",
}
EXAMPLE_BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/v1/check"): {"text": "你好"},
    ("POST", "/v1/triage"): {"messages": ["你好"]},
    ("POST", "/v1/events"): {"events": [NEW_EVENT]},
    ("POST", "/v1/words"): {"word": "新词"},
    ("PATCH", "/v1/words/{word_id}"): {"word": "改掉"},
    ("POST", "/v1/accounts"): {"platform_account": "新客服"},
    ("PATCH", "/v1/accounts/{account_id}"): {"status": "disabled"},
    ("POST", "/v1/users"): {"username": "新人", "password": "password-123"},
    ("PATCH", "/v1/users/{user_id}"): {"role": "agent", "is_active": False},
    ("POST", "/v1/api-keys"): {"name": "新钥匙"},
}


def v1_routes(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        if path.startswith("/v1")
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    ]


def _path_ids(tenant) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {
        "word_id": tenant.ids["word"],
        "account_id": tenant.ids["account"],
        "user_id": tenant.ids["user"],
        "key_id": tenant.ids["key_owner"],
        "alert_id": tenant.ids["alert"],
    }


def _fill(path: str, ids: dict[str, int], fallback: int) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), fallback)), path)


def _seed_b_history(app, shop_b) -> None:  # type: ignore[no-untyped-def]
    with app.state.sessions() as session:
        shop = get_shop(session, shop_b.shop_id)
        record = {"conversation_id": "SHOPB-c", "message_id": "SHOPB-m1", "ts": "2026-11-20T10:00:00+08:00",
                  "sender": "agent", "agent": "SHOPB-客服", "text": "SHOPB-暗号 加我微信"}  # fmt: skip
        assert events.ingest_events(session, shop, [record]).accepted == 1
        checks.check_messages(session, shop, ["SHOPB-暗号"])


def _snapshot(app, shop_id: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    def rows(model: Any, *columns: Any) -> list[tuple[Any, ...]]:
        query = select(*columns).where(model.shop_id == shop_id).order_by(model.id)
        return [tuple(r) for r in session.execute(query)]

    with app.state.sessions() as session:
        return {
            "words": rows(ShopWord, ShopWord.id, ShopWord.word, ShopWord.kind),
            "accounts": rows(CsAccount, CsAccount.id, CsAccount.platform_account, CsAccount.status),
            "alerts": rows(Alert, Alert.id, Alert.acknowledged_at, Alert.title),
            "users": rows(User, User.id, User.username, User.role, User.is_active, User.password_hash),
            "keys": rows(ApiKey, ApiKey.id, ApiKey.revoked_at, ApiKey.role),
            "events": rows(ChatEvent, ChatEvent.id, ChatEvent.message_id, ChatEvent.text),
            "logs": session.scalar(select(func.count()).where(CheckLog.shop_id == shop_id)),
        }


def test_routes_are_enumerated(app) -> None:
    routes = v1_routes(app)
    assert ("POST", "/v1/check") in routes and ("DELETE", "/v1/api-keys/{key_id}") in routes
    assert len(routes) >= 25


def test_shop_a_can_never_read_or_change_shop_b(app, client, shop_a, shop_b) -> None:
    _seed_b_history(app, shop_b)
    before = _snapshot(app, shop_b.shop_id)
    problems = []
    for method, path in v1_routes(app):
        url = _fill(path, _path_ids(shop_b), shop_b.ids["word"])
        response = client.request(
            method, url, json=EXAMPLE_BODIES.get((method, path), {}), headers=shop_a.auth("owner")
        )
        if response.status_code >= 500:
            problems.append(f"{method} {path}: {response.status_code}")
        if url != path and 200 <= response.status_code < 300:
            problems.append(f"{method} {path}: shop A reached shop B's object ({response.status_code})")
        if MARKER in response.text:
            problems.append(f"{method} {path}: response shows shop B's data")
    assert problems == []
    assert _snapshot(app, shop_b.shop_id) == before


def test_every_route_needs_valid_credentials(app, client, shop_a) -> None:
    with app.state.sessions() as session:
        _expired, expired = auth.create_api_key(
            session, shop_a.shop_id, "old", expires_at=utcnow() - timedelta(seconds=1)
        )
        revoked_key, revoked = auth.create_api_key(session, shop_a.shop_id, "gone")
        auth.revoke_api_key(session, shop_a.shop_id, revoked_key.id)
    good = shop_a.keys["owner"]
    variants = {
        "missing": {},
        "wrong scheme": {"Authorization": f"Basic {good}"},
        "wrong secret": {"Authorization": f"Bearer {good[:-2]}xx"},
        "unknown prefix": {"Authorization": "Bearer csg_00000000_abcdefabcdefabcdefabcdef"},
        "garbage": {"Authorization": "Bearer ' OR 1=1 --"},
        "expired": {"Authorization": f"Bearer {expired}"},
        "revoked": {"Authorization": f"Bearer {revoked}"},
    }
    problems = []
    for method, path in v1_routes(app):
        url = _fill(path, _path_ids(shop_a), shop_a.ids["word"])
        for name, headers in variants.items():
            response = client.request(
                method, url, json=EXAMPLE_BODIES.get((method, path), {}), headers=headers
            )
            if response.status_code != 401 or response.json()["error"]["code"] != "unauthenticated":
                problems.append(f"{method} {path} with {name} key: {response.status_code}")
    assert problems == []


def test_agent_keys_cannot_write_or_manage(app, client, shop_a) -> None:
    for method, path in [("POST", "/v1/words"), ("POST", "/v1/accounts"), ("POST", "/v1/events"),
                         ("GET", "/v1/users"), ("POST", "/v1/users"), ("GET", "/v1/api-keys")]:  # fmt: skip
        response = client.request(
            method, path, json=EXAMPLE_BODIES.get((method, path), {}), headers=shop_a.auth("agent")
        )
        assert response.status_code == 403, (method, path)


INERT = [
    "<script>alert('xss')</script>",
    "'; DROP TABLE shop_words; --",
    '" OR 1=1 --',
    "<img src=x onerror=alert(1)>",
    "{{7*7}} ${7*7}",
]


def test_injection_strings_are_stored_and_returned_as_data(client, shop_a) -> None:
    sup, owner = shop_a.auth("supervisor"), shop_a.auth("owner")
    for n, payload in enumerate(INERT):
        word = client.post("/v1/words", json={"word": payload, "note": payload}, headers=sup)
        assert word.status_code == 201 and word.json()["word"] == payload.strip()
        account = client.post(
            "/v1/accounts", json={"platform_account": payload, "display_name": payload}, headers=sup
        )
        assert account.json()["display_name"] == payload
        user = client.post("/v1/users", json={"username": f"u{n}", "password": "password-123", "display_name": payload},
                           headers=owner)  # fmt: skip
        assert user.json()["display_name"] == payload
        check = client.post("/v1/check", json={"text": payload}, headers=sup)
        assert check.status_code == 200 and check.headers["content-type"] == "application/json"
    words = client.get("/v1/words", headers=sup).json()
    assert {w["word"] for w in words} >= {p.strip() for p in INERT}
    assert all(
        r.headers["content-type"] == "application/json" for r in [client.get("/v1/accounts", headers=sup)]
    )


def test_report_html_escapes_stored_text(client, shop_a) -> None:
    payload = "<script>alert('xss')</script>"
    event = {"conversation_id": "c", "message_id": "m1", "ts": "2026-11-20T10:00:00+08:00", "sender": "agent",
             "agent": payload, "text": f"SHOPA-暗号 加我微信abc123 {payload}"}  # fmt: skip
    assert (
        client.post("/v1/events", json={"events": [event]}, headers=shop_a.auth("supervisor")).json()[
            "accepted"
        ]
        == 1
    )
    html = client.get("/v1/qc/report.html", headers=shop_a.auth("agent")).text
    assert payload not in html


def test_pii_is_masked_in_stored_logs_and_events(app, client, shop_a) -> None:
    phone, id_card = "13912345678", "320102199001011234"
    text = f"SHOPA-暗号 电话{phone} 身份证{id_card}"
    client.post("/v1/check", json={"messages": [text]}, headers=shop_a.auth("agent"))
    event = {
        "conversation_id": "c",
        "message_id": "m1",
        "ts": "2026-11-20T10:00:00+08:00",
        "sender": "buyer",
        "text": text,
    }
    client.post("/v1/events", json={"events": [event]}, headers=shop_a.auth("supervisor"))
    with app.state.sessions() as session:
        stored = list(session.scalars(select(CheckLog.text))) + list(session.scalars(select(ChatEvent.text)))
    assert stored and all(phone not in t and id_card not in t for t in stored)
    listed = (
        client.get("/v1/check-logs", headers=shop_a.auth("agent")).text
        + client.get("/v1/events", headers=shop_a.auth("agent")).text
    )
    assert phone not in listed and id_card not in listed
