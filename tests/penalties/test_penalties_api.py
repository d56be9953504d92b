"""``/v1/penalties`` and ``/v1/reviews``: life cycle, appeal kit, continuity, reviews, roles, shop scoping."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import docx
import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from csguard.http.app import create_app
from csguard.services import accounts, auth, events, shops
from csguard.settings import Settings
from csguard.store.db import make_engine, session_factory
from support.db import backends, fresh_database


@dataclass
class Shop:
    shop_id: int
    keys: dict[str, str] = field(default_factory=dict)

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}"}


@dataclass
class Env:
    client: TestClient
    a: Shop
    b: Shop


def _seed(session: Session, name: str, marker: str) -> Shop:
    shop = shops.create_shop(session, name, "pdd")
    seeded = Shop(shop.id)
    for role in ("owner", "supervisor", "agent"):
        _, plaintext = auth.create_api_key(session, shop.id, f"{role}-{marker}", role)
        seeded.keys[role] = plaintext
    for account, level, backup in [
        ("cs01", "senior", False),
        ("bk1", "senior", True),
        ("bk2", "junior", True),
    ]:
        accounts.create_account(session, shop.id, account, level=level, is_backup=backup)
    now = datetime.now(UTC) - timedelta(hours=2)
    lines = [
        ("buyer", "", "在吗，这个什么时候发货？我电话13812345678"),
        ("agent", "cs01", "亲，今天下午就发货哦"),
        ("buyer", "", "好的，谢谢"),
    ]
    records = [
        {
            "conversation_id": f"c-{marker}",
            "buyer_id": "b1",
            "message_id": f"{marker}-m{i}",
            "ts": (now + timedelta(minutes=i)).isoformat(),
            "sender": s,
            "agent": a or None,
            "type": "text",
            "text": t,
        }
        for i, (s, a, t) in enumerate(lines)
    ]
    result = events.ingest_events(session, shop, records)
    assert result.accepted == 3, result.errors
    return seeded


@pytest.fixture(params=backends())
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Env]:
    with fresh_database(request.param, tmp_path) as url:
        engine = make_engine(url)
        with session_factory(engine)() as session:
            a, b = _seed(session, "甲店", "A"), _seed(session, "乙店", "B")
        settings = Settings(database_url=url, secret_key="k" * 48, _env_file=None)  # type: ignore[call-arg]
        with TestClient(create_app(settings)) as client:
            yield Env(client, a, b)
        engine.dispose()


def create(env: Env, **overrides: object) -> dict[str, object]:
    body = {
        "account": "cs01",
        "source": "system_auto",
        "reason": "offsite_diversion",
        "duration": "24h",
        "flagged_message_id": "A-m1",
        "evidence": ["处罚通知截图，买家电话13812345678"],
        **overrides,
    }
    response = env.client.post("/v1/penalties", json=body, headers=env.a.headers("supervisor"))
    assert response.status_code == 201, response.text
    return dict(response.json())


def event(env: Env, penalty_id: object, name: str, role: str = "supervisor") -> Response:
    return env.client.post(
        f"/v1/penalties/{penalty_id}/events", json={"event": name}, headers=env.a.headers(role)
    )


SENT = {"agent_sent": True}


def test_life_cycle_rejected_then_approved_with_history(env: Env) -> None:
    created = create(env)
    assert (
        created["state"] == "active"
        and created["attempts_left"] == 2
        and created["allowed_events"] == ["appeal"]
    )
    assert "13812345678" not in str(created["evidence"])
    pid = created["id"]
    kit = env.client.post(
        f"/v1/penalties/{pid}/appeal-kit", json=SENT, headers=env.a.headers("supervisor")
    ).json()
    assert kit["appeal_number"] == 1 and kit["strategy"] == "misjudgement"
    assert [d["key"] for d in kit["documents"]] == ["appeal", "incident", "guide"]
    assert event(env, pid, "appeal").json()["state"] == "appealing"
    rejected = event(env, pid, "reject").json()
    assert rejected["state"] == "active" and rejected["attempts_left"] == 1
    second = env.client.post(
        f"/v1/penalties/{pid}/appeal-kit", json=SENT, headers=env.a.headers("supervisor")
    ).json()
    assert second["appeal_number"] == 2 and "second_attempt" in [d["key"] for d in second["documents"]]
    event(env, pid, "appeal")
    final = event(env, pid, "approve").json()
    assert final["state"] == "appeal_approved" and final["countdown"] == "申诉成功"
    assert [(h["event"], h["to_state"]) for h in final["history"]] == [
        ("appeal", "appealing"),
        ("reject", "appeal_rejected"),
        ("reactivate", "active"),
        ("appeal", "appealing"),
        ("approve", "appeal_approved"),
    ]
    assert final["history"][0]["actor"].startswith("api-key:")


def test_illegal_event_is_a_409_naming_the_state(env: Env) -> None:
    pid = create(env)["id"]
    response = event(env, pid, "approve")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "invalid_transition" and "'active'" in error["message"]
    assert error["details"] == {"record": str(pid), "state": "active", "event": "approve"}


def test_attempts_run_out(env: Env) -> None:
    pid = create(env)["id"]
    for _ in range(2):
        event(env, pid, "appeal")
        event(env, pid, "reject")
    response = event(env, pid, "appeal")
    assert response.status_code == 409 and "used up" in response.json()["error"]["message"]


def test_expired_on_read(env: Env) -> None:
    start = (datetime.now(UTC) - timedelta(minutes=11)).isoformat()
    pid = create(env, duration="10m", start=start)["id"]
    got = env.client.get(f"/v1/penalties/{pid}", headers=env.a.headers("agent")).json()
    assert got["state"] == "expired" and got["history"][-1]["actor"] == "system"
    listed = env.client.get("/v1/penalties?state=expired", headers=env.a.headers("agent")).json()
    assert [p["id"] for p in listed] == [pid]


def test_edit_and_export_docx_and_html(env: Env) -> None:
    pid = create(env)["id"]
    env.client.post(f"/v1/penalties/{pid}/appeal-kit", json=SENT, headers=env.a.headers("supervisor"))
    url = f"/v1/penalties/{pid}/appeal-kit/documents/appeal"
    edited = env.client.put(
        url, json={"body": "你们乱禁言，凭什么？"}, headers=env.a.headers("supervisor")
    ).json()
    assert [i["matched"] for i in edited["issues"]] == ["你们乱禁言", "凭什么"]
    assert "凭什么" not in edited["neutral"]
    response = env.client.get(
        f"/v1/penalties/{pid}/appeal-kit/export?format=docx", headers=env.a.headers("agent")
    )
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    paragraphs = [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs]
    assert "你们乱禁言，凭什么？" in paragraphs
    html = env.client.get(
        f"/v1/penalties/{pid}/appeal-kit/export?format=html", headers=env.a.headers("agent")
    )
    assert html.headers["content-type"].startswith("text/html") and "违规事件说明" in html.text


def test_continuity_plan_routing_and_checklist(env: Env) -> None:
    pid = create(env)["id"]
    headers = env.a.headers("supervisor")
    plan = env.client.post(
        f"/v1/penalties/{pid}/continuity",
        json={"scripts": ["加我微信abc123详聊", "亲，稍等"]},
        headers=headers,
    ).json()
    assert plan["routing"] == [{"seat": "bk1", "percent": 67}, {"seat": "bk2", "percent": 33}]
    assert plan["applied_at"] is None and plan["checklist"][0]["key"] == "report"
    bad = env.client.post(
        f"/v1/penalties/{pid}/continuity/apply",
        json={"routing": [{"seat": "bk1", "percent": 60}]},
        headers=headers,
    )
    assert bad.status_code == 422 and "sum to 100" in bad.json()["error"]["message"]
    applied = env.client.post(f"/v1/penalties/{pid}/continuity/apply", json={}, headers=headers).json()
    assert applied["applied_at"] is not None
    assert next(i for i in applied["checklist"] if i["key"] == "routing")["status"] == "done"
    seats = {a["platform_account"]: a for a in env.client.get("/v1/accounts", headers=headers).json()}
    assert (seats["bk1"]["routing_share"], seats["bk2"]["routing_share"], seats["cs01"]["routing_share"]) == (
        67,
        33,
        0,
    )
    assert seats["cs01"]["status"] == "restricted"
    ticked = env.client.patch(
        f"/v1/penalties/{pid}/continuity/checklist/notice", json={"status": "done"}, headers=headers
    )
    assert next(i for i in ticked.json()["checklist"] if i["key"] == "notice")["status"] == "done"
    assert env.client.get(f"/v1/penalties/{pid}/recovery", headers=headers).json()["status"] == "not_ended"


def test_reviews_are_classified_with_deadline(env: Env) -> None:
    body = {
        "order_id": "O-1",
        "rating": 1,
        "text": "质量很差",
        "created": date.today().isoformat(),
        "buyer_messages": ["不给5O块补尝就不删cp，我电话13812345678"],
    }
    created = env.client.post("/v1/reviews", json=body, headers=env.a.headers("supervisor"))
    assert created.status_code == 201, created.text
    review = created.json()
    assert review["reason"] == "extortion" and review["warning"] == "ok" and review["days_left"] == 30
    assert "13812345678" not in review["appeal_text"] and "13812345678" not in str(review["evidence"])
    plain = {**body, "order_id": "O-2", "text": "有色差", "buyer_messages": []}
    reply = env.client.post("/v1/reviews", json=plain, headers=env.a.headers("owner")).json()
    assert reply["reason"] == "not_appealable" and reply["public_reply"] and not reply["appeal_text"]
    listed = env.client.get("/v1/reviews", headers=env.a.headers("agent")).json()
    assert {r["order_id"] for r in listed} == {"O-1", "O-2"}


def test_tone_check_endpoint(env: Env) -> None:
    result = env.client.post("/v1/tone-check", json={"text": "我不服"}, headers=env.a.headers("agent")).json()
    assert result["issues"][0]["kind"] == "emotional" and result["neutral"] == "我们申请对该处罚进行复核"


def test_agents_read_but_cannot_change(env: Env) -> None:
    pid = create(env)["id"]
    agent = env.a.headers("agent")
    assert env.client.get(f"/v1/penalties/{pid}", headers=agent).status_code == 200
    assert (
        env.client.post(
            "/v1/penalties",
            json={"account": "x", "source": "system_auto", "reason": "complaint", "duration": "10m"},
            headers=agent,
        ).status_code
        == 403
    )
    assert event(env, pid, "appeal", role="agent").status_code == 403
    assert env.client.post(f"/v1/penalties/{pid}/appeal-kit", headers=agent).status_code == 403


def test_other_shop_sees_nothing(env: Env) -> None:
    pid = create(env)["id"]
    other = env.b.headers("owner")
    assert env.client.get("/v1/penalties", headers=other).json() == []
    for method, path in [
        ("GET", f"/v1/penalties/{pid}"),
        ("POST", f"/v1/penalties/{pid}/appeal-kit"),
        ("DELETE", f"/v1/penalties/{pid}"),
        ("GET", f"/v1/penalties/{pid}/recovery"),
    ]:
        assert env.client.request(method, path, headers=other).status_code == 404, path
    assert event(env, pid, "appeal", role="owner").status_code == 200
    response = env.client.post(f"/v1/penalties/{pid}/events", json={"event": "approve"}, headers=other)
    assert response.status_code == 404


def test_bad_input_names_the_field(env: Env) -> None:
    response = env.client.post(
        "/v1/penalties",
        json={"account": "cs01", "source": "system_auto", "reason": "complaint", "duration": "custom"},
        headers=env.a.headers("owner"),
    )
    assert response.status_code == 422 and response.json()["error"]["details"]["field"] == "custom_minutes"
    response = env.client.post(
        "/v1/penalties",
        json={"account": "cs01", "source": "robot", "reason": "complaint", "duration": "10m"},
        headers=env.a.headers("owner"),
    )
    assert response.status_code == 422 and "source" in response.json()["error"]["message"]


def test_delete_removes_penalty_with_its_kit(env: Env) -> None:
    pid = create(env)["id"]
    headers = env.a.headers("supervisor")
    env.client.post(f"/v1/penalties/{pid}/appeal-kit", json=SENT, headers=headers)
    env.client.post(f"/v1/penalties/{pid}/continuity", json={}, headers=headers)
    assert env.client.delete(f"/v1/penalties/{pid}", headers=headers).status_code == 204
    assert env.client.get(f"/v1/penalties/{pid}", headers=headers).status_code == 404
    assert env.client.get("/v1/penalties", headers=headers).json() == []
