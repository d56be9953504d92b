"""What each page shows and does: live checker, word lists, users, keys, agents, records, QC."""

from __future__ import annotations

import json
import re

from web_support import PASSWORD, WebEnv, csrf_from, login, post_form

from csguard.services import auth


def _checked(html: str) -> str:
    return html[html.index('id="checked-text"') :]


def test_live_checker_highlights_hits_and_shows_rewrite(web_env: WebEnv) -> None:
    client = web_env.login("agent")
    response = post_form(client, "/check", "/check", {"text": "亲，加我微信abc123详聊", "platform": "pdd"})
    assert response.status_code == 200
    assert 'data-verdict="block"' in response.text
    marked = re.findall(
        r'<mark class="hit sev-(\w+)" title="([^"]*)">([^<]*)</mark>', _checked(response.text)
    )
    assert marked, "no highlighted hit"
    assert any("站外引流" in title for _, title, _ in marked)
    assert 'id="rewrite"' in response.text
    assert "站外引流" in response.text  # the findings table names the category


def test_live_checker_clean_message_and_other_platform(web_env: WebEnv) -> None:
    client = web_env.login("agent")
    response = post_form(client, "/check", "/check", {"text": "亲，今天下午就发货哦", "platform": "douyin"})
    assert 'data-verdict="allow"' in response.text
    assert "<mark" not in _checked(response.text)
    assert '<option value="douyin" selected>' in response.text


def test_live_checker_fetch_returns_only_the_result_fragment(web_env: WebEnv) -> None:
    client = web_env.login("agent")
    token = csrf_from(client.get("/check").text)
    response = client.post(
        "/check",
        data={"text": "好评返现5元", "csrf_token": token},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'data-verdict="block"' in response.text
    assert "好评诱导" in response.text


def test_live_checker_rejects_bad_platform_with_a_message(web_env: WebEnv) -> None:
    client = web_env.login("agent")
    response = post_form(client, "/check", "/check", {"text": "你好", "platform": "amazon"})
    assert response.status_code == 422
    assert "amazon" in response.text


def test_live_checks_are_logged_masked(web_env: WebEnv) -> None:
    client = web_env.login("agent")
    post_form(client, "/check", "/check", {"text": "加我微信，电话13812345678"})
    from csguard.services.checks import list_check_logs

    with web_env.sessions() as session:
        logs = list_check_logs(session, web_env.a.shop_id)
    assert logs
    assert "13812345678" not in logs[0].text
    assert logs[0].user_id == web_env.a.user_ids["agent"]


def test_added_custom_word_takes_effect_immediately_and_removal_too(web_env: WebEnv) -> None:
    client = web_env.login("supervisor")
    text = {"text": "这款是蓝莓味的枕头"}
    before = post_form(client, "/check", "/check", text)
    assert 'data-verdict="allow"' in before.text
    page = post_form(client, "/words", "/words", {"word": "蓝莓味", "kind": "custom", "severity": "high"})
    assert "已添加" in page.text
    after = post_form(client, "/check", "/check", text)
    assert 'data-verdict="block"' in after.text
    assert ">蓝莓味</mark>" in _checked(after.text)
    ids = re.findall(r'<td class="word">蓝莓味</td>.*?action="/words/(\d+)/delete"', page.text, re.S)
    post_form(client, "/words", f"/words/{ids[0]}/delete", {})
    again = post_form(client, "/check", "/check", text)
    assert 'data-verdict="allow"' in again.text


def test_allow_word_silences_a_custom_word(web_env: WebEnv) -> None:
    client = web_env.login("owner")
    post_form(client, "/words", "/words", {"word": "AAA禁词", "kind": "allow"})
    response = post_form(client, "/check", "/check", {"text": "这是AAA禁词"})
    assert ">AAA禁词</mark>" not in _checked(response.text)


def test_bad_word_input_is_reported_not_stored(web_env: WebEnv) -> None:
    client = web_env.login("owner")
    response = post_form(client, "/words", "/words", {"word": "   ", "kind": "custom"})
    assert "操作失败" in response.text
    response = post_form(client, "/words", "/words", {"word": "x", "kind": "custom", "category": "nonsense"})
    assert "操作失败" in response.text
    response = post_form(client, "/words", "/words", {"word": "AAA禁词", "kind": "custom"})
    assert "操作失败" in response.text  # duplicate


def test_owner_creates_user_who_can_log_in(web_env: WebEnv) -> None:
    client = web_env.login("owner")
    response = post_form(
        client, "/users", "/users", {"username": "xiaomei", "password": "xiaomei-pass", "role": "supervisor"}
    )
    assert "已创建用户" in response.text
    assert login(web_env.client(), "甲店", "xiaomei", "xiaomei-pass").status_code == 303
    short = post_form(client, "/users", "/users", {"username": "bad", "password": "short", "role": "agent"})
    assert "操作失败" in short.text


def test_owner_can_change_role_and_disable_user_but_not_remove_the_last_owner(web_env: WebEnv) -> None:
    client = web_env.login("owner")
    a = web_env.a
    post_form(client, "/users", f"/users/{a.user_ids['agent']}/update", {"role": "supervisor"})
    assert login(web_env.client(), "甲店", "agent", PASSWORD).status_code == 401  # disabled (box unticked)
    response = post_form(
        client, "/users", f"/users/{a.user_ids['owner']}/update", {"role": "agent", "active": "on"}
    )
    assert "操作失败" in response.text
    response = post_form(client, "/users", f"/users/{a.user_ids['owner']}/delete", {})
    assert "不能删除自己" in response.text


def test_new_api_key_is_shown_once_and_works_until_revoked(web_env: WebEnv) -> None:
    client = web_env.login("owner")
    response = post_form(client, "/keys", "/keys", {"name": "聊天插件", "role": "agent"})
    key = re.search(r'<p class="secret">([^<]+)</p>', response.text)
    assert key
    plaintext = key.group(1)
    assert plaintext not in client.get("/keys").text
    api = web_env.client()
    headers = {"Authorization": f"Bearer {plaintext}"}
    assert api.post("/v1/check", json={"text": "你好"}, headers=headers).status_code == 200
    with web_env.sessions() as session:
        key_id = next(k.id for k in auth.list_api_keys(session, web_env.a.shop_id) if k.name == "聊天插件")
    response = post_form(client, "/keys", f"/keys/{key_id}/revoke", {})
    assert "已吊销" in response.text
    assert api.post("/v1/check", json={"text": "你好"}, headers=headers).status_code == 401


def test_agents_page_lists_accounts_with_metrics_and_edits_them(web_env: WebEnv) -> None:
    client = web_env.login("supervisor")
    page = client.get("/agents").text
    row = page[page.index("客服AAA") :]
    assert "账号AAA" in row
    assert "分流 50%" in row
    assert "中级" in row
    response = post_form(
        client,
        "/agents",
        f"/agents/{web_env.a.account_id}/update",
        {"level": "senior", "status": "paused", "backup": "on", "share": "20", "display_name": "新名字"},
    )
    assert "已保存" in response.text
    assert "高级" in response.text
    assert "备用" in response.text
    created = post_form(
        client, "/agents", "/agents", {"platform_account": "新客服", "level": "trial", "share": "5"}
    )
    assert "新客服" in created.text
    bad = post_form(client, "/agents", "/agents", {"platform_account": "x", "level": "boss"})
    assert "操作失败" in bad.text


def test_violations_page_filters_by_agent_and_category(web_env: WebEnv) -> None:
    client = web_env.login("agent")
    page = client.get("/violations").text
    assert "站外引流" in page
    assert "AAA禁词" in page
    table = page[page.index('id="violations"') :]
    assert "今天下午就发货" not in table
    other = client.get("/violations", params={"agent": "nobody"}).text
    assert "所选范围内没有违规记录" in other
    absolute = client.get("/violations", params={"category": "absolute_claim"}).text
    assert "所选范围内没有违规记录" in absolute
    bad = client.get("/violations", params={"start": "2024-13-45"})
    assert bad.status_code == 200
    assert "日期格式" in bad.text


def test_conversations_list_risk_filter_and_detail_are_masked(web_env: WebEnv) -> None:
    client = web_env.login("agent")
    a = web_env.a
    risky = client.get("/conversations", params={"risk": "1"}).text
    assert a.conversation_id in risky
    assert "投诉威胁" in risky
    detail = client.get(f"/conversations/{a.conversation_id}").text
    assert "13812345678" not in detail
    assert "138****5678" in detail
    assert "<mark" in detail
    assert client.get("/conversations/does-not-exist").status_code == 404


def test_overview_shows_rates_violations_risks_and_alerts(web_env: WebEnv) -> None:
    page = web_env.login("agent").get("/").text
    assert 'id="rate-today"' in page
    assert "目标 ≥ 80.0%" in page
    assert "站外引流" in page
    assert web_env.a.conversation_id in page
    assert "回复率告警AAA" in page


def test_qc_page_embeds_report_and_offers_downloads(web_env: WebEnv) -> None:
    client = web_env.login("agent")
    page = client.get("/qc").text
    src = re.search(r'<iframe[^>]*src="([^"]+)"', page)
    assert src
    report = client.get(src.group(1).replace("&amp;", "&"))
    assert report.status_code == 200
    assert "sandbox" in report.headers["content-security-policy"]
    assert "13812345678" not in report.text
    for suffix in ("html", "xlsx", "json"):
        assert f"/qc/report.{suffix}?" in page
    xlsx = client.get("/qc/report.xlsx")
    assert xlsx.content[:2] == b"PK"
    assert "attachment" in xlsx.headers["content-disposition"]
    data = json.loads(client.get("/qc/report.json").text)
    assert data["messages"] == 4
    assert {f["conversation_id"] for f in data["findings"]} <= {web_env.a.conversation_id}
