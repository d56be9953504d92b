"""禁言与申诉 / 差评申诉 pages: forms walk the life cycle, roles, shop scoping, escaping, export."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import docx
import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from csguard.http.app import create_app
from csguard.services import accounts, events, shops, users
from csguard.settings import Settings
from csguard.store.db import make_engine, session_factory
from csguard.vocab import OWNER
from csguard.web.nav import NAV_BY_KEY
from support.db import sqlite_url

PASSWORD = "penalty-pages-42"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Pages:
    client: TestClient

    def login(self, shop: str, username: str) -> None:
        token = self.csrf("/login")
        data = {"shop": shop, "username": username, "password": PASSWORD, "csrf_token": token}
        assert self.client.post("/login", data=data, follow_redirects=False).status_code == 303

    def csrf(self, page: str) -> str:
        match = CSRF.search(self.client.get(page).text)
        assert match, page
        return match.group(1)

    def post(self, action: str, data: dict[str, object], page: str = "/penalties") -> Response:
        return self.client.post(action, data={**data, "csrf_token": self.csrf(page)})


def _seed(session: Session, name: str, marker: str) -> None:
    shop = shops.create_shop(session, name, "pdd")
    for role in ("owner", "supervisor", "agent"):
        users.create_user(session, shop.id, f"{role}-{marker}", PASSWORD, role)
    accounts.create_account(session, shop.id, f"cs-{marker}", level="mid")
    accounts.create_account(session, shop.id, f"bk-{marker}", level="senior", is_backup=True)
    now = datetime.now(UTC) - timedelta(hours=1)
    records = [
        {
            "conversation_id": f"c-{marker}",
            "buyer_id": "b",
            "message_id": f"{marker}-{i}",
            "ts": (now + timedelta(minutes=i)).isoformat(),
            "sender": s,
            "agent": f"cs-{marker}" if s == "agent" else None,
            "type": "text",
            "text": t,
        }
        for i, (s, t) in enumerate(
            [("buyer", "发货了吗"), ("agent", f"亲，今天下午就发货哦{marker}"), ("buyer", "好的谢谢")]
        )
    ]
    assert events.ingest_events(session, shop, records).accepted == 3


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Seeded once per module (password hashing is slow on purpose); each test gets a copy."""
    folder = tmp_path_factory.mktemp("penalty-pages")
    url = sqlite_url(folder)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        _seed(session, "甲店", "AAA")
        _seed(session, "乙店", "BBB")
    engine.dispose()
    return folder / "csguard.db"


@pytest.fixture
def app_url(seeded_db: Path, tmp_path: Path) -> str:
    target = tmp_path / "csguard.db"
    shutil.copyfile(seeded_db, target)
    return f"sqlite:///{target}"


def pages(url: str, shop: str = "甲店", user: str = "owner-AAA") -> Pages:
    settings = Settings(database_url=url, secret_key="p" * 48, _env_file=None)  # type: ignore[call-arg]
    client = Pages(TestClient(create_app(settings)))
    client.login(shop, user)
    return client


def create_penalty(p: Pages, **overrides: object) -> int:
    data = {
        "account": "cs-AAA",
        "source": "system_auto",
        "reason": "offsite_diversion",
        "duration": "24h",
        "flagged_message_id": "AAA-1",
        "evidence": "处罚通知截图\n<script>alert(1)</script>",
        **overrides,
    }
    response = p.post("/penalties", data)
    assert response.status_code == 200 and "已登记" in response.text
    found = re.search(r"禁言记录 #(\d+)", response.text)
    assert found, response.text
    return int(found.group(1))


def test_walk_rejected_then_approved_with_kit_and_export(app_url: str) -> None:
    p = pages(app_url)
    pid = create_penalty(p)
    page = f"/penalties/{pid}"
    html = p.client.get(page).text
    assert "禁言中" in html and "23小时" in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    html = p.post(f"{page}/kit", {"agent_sent": "yes"}, page).text
    assert "误判申诉" in html and "亲，今天下午就发货哦AAA" in html and "← 被判定消息" in html
    assert "申诉中" in p.post(f"{page}/event", {"event": "appeal"}, page).text
    html = p.post(f"{page}/event", {"event": "reject", "note": "平台驳回"}, page).text
    assert 'data-state="active"' in html and "已用 1 / 共 2" in html and "平台驳回" in html
    html = p.post(f"{page}/kit", {"agent_sent": "yes"}, page).text
    assert "第 2 次申诉" in html and "二次申诉补充材料清单" in html
    html = p.post(f"{page}/kit/appeal", {"body": "我不服，凭什么禁言"}, page).text
    assert "已保存修改" in html and "语气提示" in html
    p.post(f"{page}/event", {"event": "appeal"}, page)
    html = p.post(f"{page}/event", {"event": "approve"}, page).text
    assert 'data-state="appeal_approved"' in html and "申诉成功" in html
    exported = p.client.get(f"{page}/kit.docx")
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    texts = [par.text for par in docx.Document(io.BytesIO(exported.content)).paragraphs]
    assert "我不服，凭什么禁言" in texts and "二次申诉补充材料清单" in texts
    printable = p.client.get(f"{page}/kit.html")
    assert printable.headers["content-type"].startswith("text/html") and "@media print" in printable.text


def test_illegal_event_shows_a_clear_notice(app_url: str) -> None:
    p = pages(app_url)
    pid = create_penalty(p)
    html = p.post(f"/penalties/{pid}/event", {"event": "approve"}, f"/penalties/{pid}").text
    assert "操作失败" in html and "cannot &#39;approve&#39; while &#39;active&#39;" in html


def test_kit_form_asks_the_deciding_question(app_url: str) -> None:
    p = pages(app_url)
    pid = create_penalty(p)
    page = f"/penalties/{pid}"
    html = p.client.get(page).text
    assert 'name="agent_sent" value="yes" required' in html and "禁言记录编号" in html and "店铺ID" in html
    html = p.post(f"{page}/kit", {}, page).text  # a browser without form checks sends no answer
    assert "是否确实由本店客服发出" in html and "申诉书" not in html
    html = p.post(f"{page}/kit", {"agent_sent": "yes", "record_no": "JY-9", "shop_code": "889911"}, page).text
    assert "禁言记录编号：JY-9" in html and "店铺ID：889911" in html


def test_continuity_plan_applies_routing(app_url: str) -> None:
    p = pages(app_url, user="supervisor-AAA")
    pid = create_penalty(p)
    page = f"/penalties/{pid}"
    html = p.post(f"{page}/continuity", {"scripts": "加我微信abc123详聊\n亲，稍等哦"}, page).text
    assert 'name="share:bk-AAA" value="100"' in html and "加我微信" not in html and "亲，稍等哦" in html
    html = p.post(f"{page}/continuity/apply", {"share:bk-AAA": "90"}, page).text
    assert "操作失败" in html and "sum to 100" in html
    html = p.post(f"{page}/continuity/apply", {"share:bk-AAA": "100"}, page).text
    assert "分流已启用" in html and "已于" in html
    html = p.post(f"{page}/checklist/notice", {"status": "done"}, page).text
    assert "已更新清单状态" in html
    assert "受限" in p.client.get("/agents").text


def test_reviews_page_classifies_and_escapes(app_url: str) -> None:
    p = pages(app_url)
    data = {
        "order_id": "O-9",
        "rating": "1",
        "created": date.today().isoformat(),
        "text": "<b>差</b>",
        "buyer_messages": "不给5O块补尝就不删cp",
    }
    html = p.post("/reviews", data, "/reviews").text
    assert "利用评价要挟/勒索" in html and "&lt;b&gt;差&lt;/b&gt;" in html and "<b>差</b>" not in html
    assert "剩余 30 天" in html and "申诉说明" in html


def test_agent_reads_but_cannot_change(app_url: str) -> None:
    owner = pages(app_url)
    pid = create_penalty(owner)
    agent = pages(app_url, user="agent-AAA")
    html = agent.client.get(f"/penalties/{pid}").text
    assert (
        "禁言记录" in html
        and 'id="event-form"' not in html
        and 'id="penalty-form"' not in agent.client.get("/penalties").text
    )
    response = agent.post(f"/penalties/{pid}/event", {"event": "appeal"}, f"/penalties/{pid}")
    assert response.status_code == 403
    assert (
        agent.post(
            "/penalties", {"account": "x", "source": "system_auto", "reason": "complaint", "duration": "10m"}
        ).status_code
        == 403
    )


def test_other_shop_cannot_see_or_change(app_url: str) -> None:
    owner_a = pages(app_url)
    pid = create_penalty(owner_a)
    owner_b = pages(app_url, shop="乙店", user="owner-BBB")
    assert "cs-AAA" not in owner_b.client.get("/penalties").text
    assert owner_b.client.get(f"/penalties/{pid}").status_code == 404
    assert owner_b.client.get(f"/penalties/{pid}/kit.docx").status_code == 404
    html = owner_b.post(f"/penalties/{pid}/event", {"event": "appeal"}).text
    assert "操作失败" in html
    assert 'data-state="active"' in owner_a.client.get(f"/penalties/{pid}").text


def test_pages_need_a_login(app_url: str) -> None:
    settings = Settings(database_url=app_url, secret_key="p" * 48, _env_file=None)  # type: ignore[call-arg]
    client = TestClient(create_app(settings))
    response = client.get("/penalties", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


@pytest.mark.parametrize(("nav_key", "path"), [("penalties", "/penalties"), ("reviews", "/reviews")])
def test_pages_refuse_a_role_the_navigation_leaves_out(
    app_url: str, monkeypatch: pytest.MonkeyPatch, nav_key: str, path: str
) -> None:
    # The pages ask page_viewer, so narrowing the navigation table is enough to refuse a role.
    narrowed = dataclasses.replace(NAV_BY_KEY[nav_key], roles=(OWNER,))
    monkeypatch.setitem(NAV_BY_KEY, nav_key, narrowed)
    assert pages(app_url).client.get(path).status_code == 200
    assert pages(app_url, user="agent-AAA").client.get(path).status_code == 403
