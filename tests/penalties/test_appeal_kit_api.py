"""Issue 12 through ``/v1/penalties/{id}/appeal-kit``: the question, the refusal, 初犯, local times."""

from __future__ import annotations

from typing import Any

from test_penalties_api import Env, create, env, event  # noqa: F401  (env is the shared fixture)

KIT = "/v1/penalties/{}/appeal-kit"


def draft(env: Env, pid: object, **body: Any) -> Any:  # noqa: F811
    return env.client.post(KIT.format(pid), json=body or None, headers=env.a.headers("supervisor"))


def documents(response: Any) -> dict[str, str]:
    assert response.status_code == 200, response.text
    return {d["key"]: d["body"] for d in response.json()["documents"]}


def test_the_kit_asks_whether_the_agent_sent_it(env: Env) -> None:  # noqa: F811
    pid = create(env)["id"]
    response = draft(env, pid)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["details"]["field"] == "agent_sent" and "是否确实由本店客服发出" in error["message"]


def test_no_kit_once_every_attempt_is_used(env: Env) -> None:  # noqa: F811
    pid = create(env)["id"]
    for _ in range(2):
        event(env, pid, "appeal")
        event(env, pid, "reject")
    response = draft(env, pid, agent_sent=True)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "appeal_attempts_used_up" and "申诉机会已全部用完" in error["message"]


def test_not_sent_contradicting_the_stored_chat_is_refused(env: Env) -> None:  # noqa: F811
    pid = create(env, flagged_message_id="A-m1")["id"]  # A-m1 is the agent's own line
    response = draft(env, pid, agent_sent=False)
    assert (
        response.status_code == 422
        and "与“不是本店客服发送”的回答不符" in response.json()["error"]["message"]
    )


def test_first_offence_only_without_an_earlier_penalty_of_that_kind(env: Env) -> None:  # noqa: F811
    # Permanent, so none of them expires on read before its kit is drafted.
    first = create(env, duration="permanent", start="2026-11-01T10:00:00+08:00")["id"]
    later = create(env, duration="permanent", start="2026-12-04T22:22:00+08:00")["id"]
    other_kind = create(
        env, reason="abusive_language", duration="permanent", start="2026-12-04T09:00:00+08:00"
    )["id"]
    assert "初次发生" in documents(draft(env, first, agent_sent=True))["appeal"]
    assert "初次" not in documents(draft(env, later, agent_sent=True))["appeal"]
    assert "初次发生" in documents(draft(env, other_kind, agent_sent=True))["appeal"]


def test_kit_fields_and_times_are_the_shops_local_time(env: Env) -> None:  # noqa: F811
    pid = create(env, duration="permanent", start="2026-12-04T22:22:00+08:00")["id"]
    docs = documents(draft(env, pid, agent_sent=True, record_no="JY-7", shop_code="889911"))
    for key in ("appeal", "incident"):
        assert "2026年12月4日 22:22" in docs[key] and "14:22" not in docs[key], key
        assert "禁言记录编号：JY-7" in docs[key] and "店铺ID：889911" in docs[key], key
    assert "T22:22" not in "".join(docs.values()) and "+00:00" not in "".join(docs.values())
