from __future__ import annotations

import pytest


def test_words_crud_and_roles(client, shop_a) -> None:
    sup, agent = shop_a.auth("supervisor"), shop_a.auth("agent")
    created = client.post(
        "/v1/words", json={"word": "暗号戊", "category": "review_manipulation"}, headers=sup
    )
    assert created.status_code == 201, created.text
    word = created.json()
    assert (word["kind"], word["category"]) == ("custom", "review_manipulation")
    assert client.post("/v1/words", json={"word": "暗号戊"}, headers=sup).status_code == 409
    assert client.post("/v1/words", json={"word": "x"}, headers=agent).status_code == 403
    listed = client.get("/v1/words", params={"kind": "custom"}, headers=agent).json()
    assert {w["word"] for w in listed} == {"SHOPA-暗号", "暗号戊"}
    assert client.post("/v1/check", json={"text": "暗号戊"}, headers=agent).json()["verdict"] == "block"
    patched = client.patch(f"/v1/words/{word['id']}", json={"kind": "allow"}, headers=sup).json()
    assert patched["kind"] == "allow"
    assert client.post("/v1/check", json={"text": "暗号戊"}, headers=agent).json()["verdict"] == "allow"
    assert client.delete(f"/v1/words/{word['id']}", headers=agent).status_code == 403
    assert client.delete(f"/v1/words/{word['id']}", headers=sup).status_code == 204
    assert client.get(f"/v1/words/{word['id']}", headers=agent).status_code == 404


def test_accounts_crud(client, shop_a) -> None:
    sup = shop_a.auth("supervisor")
    body = {"platform_account": "pdd_xiaomei", "level": "junior", "routing_share": 30}
    created = client.post("/v1/accounts", json=body, headers=sup)
    assert created.status_code == 201
    account_id = created.json()["id"]
    patched = client.patch(
        f"/v1/accounts/{account_id}", json={"status": "paused", "is_backup": True}, headers=sup
    )
    assert (patched.json()["status"], patched.json()["is_backup"]) == ("paused", True)
    bad = client.patch(f"/v1/accounts/{account_id}", json={"level": "guru"}, headers=sup)
    assert bad.status_code == 422 and bad.json()["error"]["details"]["errors"][0]["loc"] == ["body", "level"]
    assert len(client.get("/v1/accounts", headers=shop_a.auth("agent")).json()) == 2
    assert client.delete(f"/v1/accounts/{account_id}", headers=sup).status_code == 204


def test_users_are_owner_only(client, shop_a) -> None:
    owner = shop_a.auth("owner")
    for role in ("supervisor", "agent"):
        assert client.get("/v1/users", headers=shop_a.auth(role)).status_code == 403
    created = client.post(
        "/v1/users", json={"username": "xiaomei", "password": "long-enough", "role": "agent"}, headers=owner
    )
    assert created.status_code == 201
    assert "password" not in created.text and "argon2" not in created.text
    user_id = created.json()["id"]
    assert (
        client.patch(f"/v1/users/{user_id}", json={"role": "supervisor"}, headers=owner).json()["role"]
        == "supervisor"
    )
    last_owner = client.delete(f"/v1/users/{shop_a.ids['user']}", headers=owner)
    assert last_owner.status_code == 409
    assert client.delete(f"/v1/users/{user_id}", headers=owner).status_code == 204
    short = client.post("/v1/users", json={"username": "a", "password": "short"}, headers=owner)
    assert short.status_code == 422


def test_api_key_lifecycle(client, shop_a) -> None:
    owner = shop_a.auth("owner")
    created = client.post("/v1/api-keys", json={"name": "客服工具", "role": "agent"}, headers=owner)
    assert created.status_code == 201
    plaintext = created.json()["key"]
    key_id = created.json()["id"]
    listed = client.get("/v1/api-keys", headers=owner).json()
    assert all("key" not in k and "key_hash" not in k for k in listed)
    assert plaintext not in client.get(f"/v1/api-keys/{key_id}", headers=owner).text
    new = {"Authorization": f"Bearer {plaintext}"}
    assert client.get("/v1/me", headers=new).json()["role"] == "agent"
    revoked = client.delete(f"/v1/api-keys/{key_id}", headers=owner)
    assert revoked.json()["revoked_at"] is not None
    assert client.get("/v1/me", headers=new).status_code == 401  # at once, despite the key cache


@pytest.mark.parametrize("role", ["supervisor", "agent"])
def test_only_owners_manage_keys(client, shop_a, role) -> None:
    response = client.post("/v1/api-keys", json={"name": "x", "role": "owner"}, headers=shop_a.auth(role))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_events_ingest_and_read(client, shop_a) -> None:
    event = {"conversation_id": "c1", "message_id": "m1", "ts": "2026-11-20T10:00:00+08:00", "sender": "buyer",
             "text": "我的电话13812345678"}  # fmt: skip
    sup = shop_a.auth("supervisor")
    first = client.post("/v1/events", json={"events": [event, {"message_id": "m2"}]}, headers=sup).json()
    assert (first["accepted"], first["duplicate"], first["rejected"]) == (1, 0, 1)
    assert first["errors"][0]["index"] == 1 and first["errors"][0]["field"] == "conversation_id"
    again = client.post("/v1/events", json={"events": [event]}, headers=sup).json()
    assert (again["accepted"], again["duplicate"]) == (0, 1)
    assert (
        client.post("/v1/events", json={"events": [event]}, headers=shop_a.auth("agent")).status_code == 403
    )
    stored = client.get("/v1/events", headers=shop_a.auth("agent")).json()
    assert [e["text"] for e in stored] == ["我的电话138****5678"]


def test_metrics_and_qc_downloads(client, shop_a) -> None:
    from csguard.qc.demo import generate_events

    records = list(generate_events(shop=shop_a.name, platform="pdd", days=2, messages=300, seed=2))
    for record in records:
        record["ts"] = str(record["ts"])
    assert (
        client.post("/v1/events", json={"events": records}, headers=shop_a.auth("supervisor")).json()[
            "accepted"
        ]
        == 300
    )
    agent = shop_a.auth("agent")
    rows = client.get("/v1/metrics", headers=agent).json()
    assert rows and all("reply_rate_3min" in r for r in rows)
    findings = client.get("/v1/qc/findings", headers=agent).json()
    assert findings["messages"] == 300
    html = client.get("/v1/qc/report.html", headers=agent)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    xlsx = client.get("/v1/qc/report.xlsx", headers=agent)
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    empty = client.get(
        "/v1/metrics", params={"from": "2000-01-01T00:00:00Z", "to": "2000-01-02T00:00:00Z"}, headers=agent
    )
    assert empty.json() == []


def test_alerts_refresh_list_and_ack(client, shop_a) -> None:
    from csguard.qc.demo import generate_events

    records = [
        {**r, "ts": str(r["ts"])} for r in generate_events(shop=shop_a.name, days=3, messages=900, seed=4)
    ]
    client.post("/v1/events", json={"events": records}, headers=shop_a.auth("supervisor"))
    assert client.post("/v1/alerts/refresh", headers=shop_a.auth("agent")).status_code == 403
    recorded = client.post("/v1/alerts/refresh", headers=shop_a.auth("supervisor")).json()["recorded"]
    assert recorded > 0
    listed = client.get("/v1/alerts", params={"unacknowledged": True}, headers=shop_a.auth("agent")).json()
    assert len(listed) == recorded + 1  # plus the fixture's own alert
    acked = client.post(f"/v1/alerts/{listed[0]['id']}/ack", headers=shop_a.auth("supervisor")).json()
    assert acked["acknowledged_at"] is not None
