from __future__ import annotations

from sqlalchemy import select

from csguard.store.models import CheckLog

PHONE = "13812345678"


def _logs(app, shop_id: int) -> list[CheckLog]:  # type: ignore[no-untyped-def]
    writer = app.state.check_log_writer
    assert writer is not None and writer.flush(timeout=10)
    with app.state.sessions() as session:
        return list(
            session.scalars(select(CheckLog).where(CheckLog.shop_id == shop_id).order_by(CheckLog.id))
        )


def test_single_check_applies_the_shop_words_and_is_logged_masked(app, client, shop_a) -> None:
    response = client.post(
        "/v1/check", json={"text": f"SHOPA-暗号，电话{PHONE}"}, headers=shop_a.auth("agent")
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["verdict"] == "block"
    assert body["platform"] == "pdd"
    assert any(f["matched"] == "SHOPA-暗号" for f in body["findings"])
    logs = _logs(app, shop_a.shop_id)
    assert len(logs) == 1 and logs[0].verdict == "block" and logs[0].api_key_id == shop_a.ids["key_agent"]
    assert PHONE not in logs[0].text


def test_another_shops_words_do_not_apply(client, shop_a, shop_b) -> None:
    response = client.post("/v1/check", json={"text": "SHOPA-暗号"}, headers=shop_b.auth("agent"))
    assert response.json()["verdict"] == "allow"
    assert response.json()["platform"] == "taobao"


def test_batch_check_is_logged_before_answering(app, client, shop_a) -> None:
    texts = ["SHOPA-暗号", "亲，今天下午就发货哦", "你好"]
    response = client.post(
        "/v1/check", json={"messages": texts, "platform": "douyin"}, headers=shop_a.auth("agent")
    )
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and [r["verdict"] for r in body["results"]] == ["block", "allow", "allow"]
    assert {r["platform"] for r in body["results"]} == {"douyin"}
    with app.state.sessions() as session:  # no flush: a batch commits in the request
        stored = session.scalars(select(CheckLog.verdict).where(CheckLog.shop_id == shop_a.shop_id)).all()
    assert sorted(stored) == ["allow", "allow", "block"]


def test_batch_limit(app, client, shop_a) -> None:
    limit = app.state.settings.max_batch_messages
    response = client.post("/v1/check", json={"messages": ["好"] * (limit + 1)}, headers=shop_a.auth("agent"))
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "input_too_large"
    assert response.json()["error"]["details"]["limit"] == limit


def test_exactly_one_of_text_or_messages(client, shop_a) -> None:
    for body in (
        {},
        {"text": "a", "messages": ["b"]},
        {"text": 5},
        {"messages": "a"},
        {"text": "a", "platform": "jd"},
    ):
        response = client.post("/v1/check", json=body, headers=shop_a.auth("agent"))
        assert response.status_code == 422, body
        assert response.json()["error"]["code"] == "invalid_input"


def test_triage(app, client, shop_a) -> None:
    response = client.post(
        "/v1/triage", json={"messages": ["亲，今天下午就发货哦"]}, headers=shop_a.auth("agent")
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["escalate"] is False
    single = client.post("/v1/triage", json={"text": "好的谢谢"}, headers=shop_a.auth("agent")).json()
    assert set(single) == {"escalate", "platform", "signals", "findings"}
    with app.state.sessions() as session:
        kinds = session.scalars(select(CheckLog.kind).where(CheckLog.shop_id == shop_a.shop_id)).all()
    assert "triage" in kinds


def test_check_logs_endpoint(app, client, shop_a, shop_b) -> None:
    client.post("/v1/check", json={"messages": ["SHOPA-暗号", "好"]}, headers=shop_a.auth("agent"))
    client.post("/v1/check", json={"messages": ["SHOPB-暗号"]}, headers=shop_b.auth("agent"))
    rows = client.get("/v1/check-logs", headers=shop_a.auth("agent")).json()
    assert len(rows) == 2
    blocked = client.get("/v1/check-logs", params={"verdict": "block"}, headers=shop_a.auth("agent")).json()
    assert [r["text"] for r in blocked] == ["SHOPA-暗号"]


def test_lone_surrogates_are_rejected_before_any_work(app, client, shop_a) -> None:
    # JSON can spell a lone surrogate (\ud800); such text can be neither answered as UTF-8 nor
    # stored, and a queued check log that can never be written would hold up every later one.
    headers = {**shop_a.auth("agent"), "content-type": "application/json"}
    for body, where in [
        (b'{"text": "\\ud800abc"}', "text"),
        (b'{"messages": ["ok", "\\udfff"]}', "messages[1]"),
    ]:
        response = client.post("/v1/check", content=body, headers=headers)
        assert response.status_code == 422, response.text
        assert where in response.json()["error"]["message"]
    pair = client.post("/v1/check", content=b'{"text": "\\ud83d\\ude00"}', headers=headers)  # a valid pair
    assert pair.status_code == 200 and pair.json()["rewrite"] == "\U0001f600"
    assert len(_logs(app, shop_a.shop_id)) == 1


def test_nul_characters_are_answered_and_logged(app, client, shop_a) -> None:
    # PostgreSQL's text cannot hold NUL: the stored (masked) copy replaces it.
    single = client.post("/v1/check", json={"text": "a\x00b"}, headers=shop_a.auth("agent"))
    batch = client.post("/v1/check", json={"messages": ["c\x00d", "好"]}, headers=shop_a.auth("agent"))
    assert single.status_code == 200 and single.json()["rewrite"] == "a\x00b"
    assert batch.status_code == 200 and batch.json()["results"][0]["rewrite"] == "c\x00d"
    assert sorted(log.text for log in _logs(app, shop_a.shop_id)) == ["a\ufffdb", "c\ufffdd", "好"]
