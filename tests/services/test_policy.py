"""The policy seam: a registered policy changes what the service (and so the API) answers;
the default changes nothing."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from csguard.http.app import create_app
from csguard.results import CheckResult, TriageResult
from csguard.services import checks, policy
from csguard.services.policy import CheckContext, PassThrough, policy_for
from csguard.store.models import Shop

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from api_support import make_settings, make_tenant

WARNED = "这是全网最好的"  # an absolute claim: the built-in packs warn


class StrictFor:
    """Warnings block for one agent or one shop (a trial agent, a shop on probation)."""

    def __init__(self, agent: str | None = None, shop_id: int | None = None) -> None:
        self.agent, self.shop_id = agent, shop_id

    def applies(self, context: CheckContext) -> bool:
        return context.agent == self.agent if self.agent else context.shop_id == self.shop_id

    def adjust_check(self, context: CheckContext, result: CheckResult) -> CheckResult:
        return replace(result, verdict="block") if result.verdict == "warn" else result

    def adjust_triage(self, context: CheckContext, result: TriageResult) -> TriageResult:
        return result


@pytest.fixture
def register(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    def add(name: str, item: object) -> None:
        monkeypatch.setitem(policy.policies._items, name, item)

    yield add


def test_default_policy_changes_nothing(session: Session, shop: Shop) -> None:
    assert policy_for(shop.id, shop.platform).steps == ()
    assert isinstance(policy.policies.get("default"), PassThrough)
    result = checks.check_messages(session, shop, [WARNED], agent="trial-x")[0]
    assert result.verdict == "warn"


def test_registered_policy_changes_the_service_result(session: Session, shop: Shop, register) -> None:  # type: ignore[no-untyped-def]
    register("trial", StrictFor(agent="trial-x"))
    assert checks.check_messages(session, shop, [WARNED], agent="trial-x")[0].verdict == "block"
    assert checks.check_messages(session, shop, [WARNED], agent="veteran")[0].verdict == "warn"
    logged = checks.list_check_logs(session, shop.id)
    assert sorted(log.verdict for log in logged) == ["block", "warn"]  # the log keeps what was answered


def test_registered_policy_changes_the_api_answer(db_url: str, register) -> None:  # type: ignore[no-untyped-def]
    app = create_app(make_settings(db_url))
    with TestClient(app) as client:
        strict, lenient = make_tenant(app, "SHOPP"), make_tenant(app, "SHOPQ")
        register("probation", StrictFor(shop_id=strict.shop_id))
        for tenant, verdict in ((strict, "block"), (lenient, "warn")):
            single = client.post("/v1/check", json={"text": WARNED}, headers=tenant.auth("agent"))
            batch = client.post("/v1/check", json={"messages": [WARNED]}, headers=tenant.auth("agent"))
            assert single.json()["verdict"] == verdict
            assert batch.json()["results"][0]["verdict"] == verdict


def test_the_api_names_the_agent_the_policies_see(db_url: str, register) -> None:  # type: ignore[no-untyped-def]
    app = create_app(make_settings(db_url))
    with TestClient(app) as client:
        tenant = make_tenant(app, "SHOPR")
        register("trial", StrictFor(agent="trial-x"))
        for agent, verdict in (("trial-x", "block"), ("veteran", "warn"), (None, "warn")):
            body = {"text": WARNED, "agent": agent, "buyer_id": "b-1"}
            assert client.post("/v1/check", json=body, headers=tenant.auth("agent")).json()["verdict"] == verdict
        too_long = client.post("/v1/check", json={"text": WARNED, "agent": "x" * 121}, headers=tenant.auth("agent"))
        assert too_long.status_code == 422 and "agent" in too_long.text
