from __future__ import annotations

from api_support import make_settings, make_tenant
from fastapi.testclient import TestClient

from csguard.errors import NotFound
from csguard.http.app import create_app


def _assert_error_shape(response, status: int, code: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    return body["error"]  # type: ignore[no-any-return]


def test_unknown_route_and_method(client) -> None:
    _assert_error_shape(client.get("/v1/nothing-here"), 404, "not_found")
    _assert_error_shape(client.put("/v1/check"), 405, "method_not_allowed")


def test_malformed_json_names_the_problem(client, shop_a) -> None:
    headers = {**shop_a.auth("agent"), "Content-Type": "application/json"}
    error = _assert_error_shape(
        client.post("/v1/check", content=b'{"text": ', headers=headers), 422, "invalid_input"
    )
    assert error["details"]["errors"]
    error = _assert_error_shape(
        client.post("/v1/words", json={"word": ""}, headers=shop_a.auth("owner")), 422, "invalid_input"
    )
    assert error["details"]["errors"][0]["loc"] == ["body", "word"]


def test_declared_and_streamed_oversized_bodies(app, client, shop_a) -> None:
    limit = app.state.settings.max_body_bytes
    big = b'{"text": "' + b"a" * limit + b'"}'
    headers = {**shop_a.auth("agent"), "Content-Type": "application/json"}
    _assert_error_shape(client.post("/v1/check", content=big, headers=headers), 413, "input_too_large")

    def chunks():  # type: ignore[no-untyped-def]
        yield b'{"text": "'
        for _ in range(limit // 4096 + 2):
            yield b"a" * 4096
        yield b'"}'

    _assert_error_shape(client.post("/v1/check", content=chunks(), headers=headers), 413, "input_too_large")


def test_unexpected_errors_do_not_leak_internals(app, shop_a) -> None:
    def boom() -> None:
        raise RuntimeError("secret internal detail /etc/passwd")

    def missing() -> None:
        raise NotFound("no such thing", details={"id": 3})

    app.add_api_route("/v1/test-boom", boom)
    app.add_api_route("/v1/test-missing", missing)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/v1/test-boom")
        error = _assert_error_shape(response, 500, "internal_error")
        assert "secret" not in response.text and error["message"] == "internal server error"
        assert _assert_error_shape(client.get("/v1/test-missing"), 404, "not_found")["details"] == {"id": 3}


def test_rate_limit_per_key_with_retry_after(db_url) -> None:
    app = create_app(make_settings(db_url, rate_limit_per_second=0.5, rate_limit_burst=3))
    tenant, other = make_tenant(app, "SHOPA"), make_tenant(app, "SHOPB")
    with TestClient(app) as client:
        statuses = [client.get("/v1/me", headers=tenant.auth()).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = client.get("/v1/me", headers=tenant.auth())
        error = _assert_error_shape(limited, 429, "rate_limited")
        assert int(limited.headers["Retry-After"]) >= 1 and error["details"]["retry_after_seconds"] >= 1
        assert client.get("/v1/me", headers=other.auth()).status_code == 200  # buckets are per key


def test_health_and_readiness(client) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "detail": ""}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ok"


def test_not_ready_until_migrated(tmp_path) -> None:
    app = create_app(make_settings(f"sqlite:///{tmp_path / 'empty.db'}"))
    with TestClient(app) as client:
        response = client.get("/readyz")
        assert response.status_code == 503
        assert "csguard init" in response.json()["detail"]


def test_postgres_requires_an_explicit_secret_key() -> None:
    import pytest

    from csguard.errors import ConfigError
    from csguard.settings import Settings

    with pytest.raises(ConfigError, match="CSGUARD_SECRET_KEY"):
        create_app(Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none", secret_key=None))


def test_secret_key_is_generated_once_next_to_sqlite(tmp_path) -> None:
    from csguard.services.secret_key import KEY_FILE_NAME, resolve_secret_key
    from csguard.settings import Settings

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'db' / 'csguard.db'}", secret_key=None)
    first = resolve_secret_key(settings)
    assert len(first) >= 32 and resolve_secret_key(settings) == first
    key_file = tmp_path / "db" / KEY_FILE_NAME
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_out_of_range_times_and_ids_are_invalid_input_not_crashes(client, shop_a) -> None:
    agent = shop_a.auth("agent")
    for params in (
        {"from": "0001-01-01T00:00:00+00:01"},
        {"to": "9999-12-31T23:59:59-01:00"},
        {"offset": 2**63},
    ):
        _assert_error_shape(client.get("/v1/check-logs", params=params, headers=agent), 422, "invalid_input")
    _assert_error_shape(client.get(f"/v1/words/{2**63}", headers=agent), 422, "invalid_input")
    naive = client.get("/v1/check-logs", params={"from": "2026-11-20T08:00:00"}, headers=agent)
    assert naive.status_code == 200  # no offset: the shops' local time (Asia/Shanghai)
