"""Browser walk: a penalty from creation through a rejected first appeal to an approved second
appeal, exporting the appeal kit as .docx and reading the downloaded file back."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import docx
import pytest
import uvicorn

from csguard.http.app import create_app
from csguard.services import accounts, events, shops, users
from csguard.settings import Settings
from csguard.store.db import make_engine, session_factory
from support.db import sqlite_url

PASSWORD = "browser-walk-42"


class LiveServer:
    """uvicorn on 127.0.0.1 with an OS-chosen port, in a background thread."""

    def __init__(self, app: Any) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


@pytest.fixture
def base_url(tmp_path: Path) -> Iterator[str]:
    url = sqlite_url(tmp_path)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        shop = shops.create_shop(session, "浏览器小店", "pdd")
        users.create_user(session, shop.id, "boss", PASSWORD, "owner")
        accounts.create_account(session, shop.id, "cs01", level="mid")
        accounts.create_account(session, shop.id, "bk01", level="senior", is_backup=True)
        start = datetime.now(UTC) - timedelta(hours=1)
        lines = [("buyer", "什么时候发货"), ("agent", "亲，今天下午就发货哦"), ("buyer", "好的，谢谢")]
        records = [
            {
                "conversation_id": "c1",
                "buyer_id": "b1",
                "message_id": f"m{i}",
                "ts": (start + timedelta(minutes=i)).isoformat(),
                "sender": sender,
                "agent": "cs01" if sender == "agent" else None,
                "type": "text",
                "text": text,
            }
            for i, (sender, text) in enumerate(lines)
        ]
        assert events.ingest_events(session, shop, records).accepted == 3
    engine.dispose()
    settings = Settings(database_url=url, secret_key="b" * 48, _env_file=None)  # type: ignore[call-arg]
    with LiveServer(create_app(settings)) as server_url:
        yield server_url


@pytest.mark.browser
def test_penalty_from_creation_to_approved_second_appeal(
    browser: Any, base_url: str, artifacts_dir: Path, tmp_path: Path
) -> None:
    context = browser.new_context(accept_downloads=True, base_url=base_url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto("/login")
        page.fill("input[name=shop]", "浏览器小店")
        page.fill("input[name=username]", "boss")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base_url}/")

        page.goto("/penalties")
        form = page.locator("#penalty-form")
        form.locator("input[name=account]").fill("cs01")
        form.locator("select[name=source]").select_option("system_auto")
        form.locator("select[name=reason]").select_option("offsite_diversion")
        form.locator("select[name=duration]").select_option("3d")
        form.locator("input[name=flagged_message_id]").fill("m1")
        form.locator("button[type=submit]").click()
        page.wait_for_selector("#penalty-state[data-state=active]")
        assert "2天" in page.locator(".countdown").first.inner_text()
        page.screenshot(path=str(artifacts_dir / "penalty-1-created.png"), full_page=True)

        page.check("#draft-form input[name=agent_sent][value=yes]")
        page.click("#draft-form button")
        page.wait_for_selector("#doc-appeal")
        assert page.locator("#strategy").inner_text() == "误判申诉"
        page.click("button[data-event=appeal]")
        page.wait_for_selector("#penalty-state[data-state=appealing]")
        page.click("button[data-event=reject]")
        page.wait_for_selector("#penalty-state[data-state=active]")
        assert page.locator("#attempts").inner_text() == "已用 1 / 共 2"
        page.screenshot(path=str(artifacts_dir / "penalty-2-rejected.png"), full_page=True)

        page.check("#draft-form input[name=agent_sent][value=yes]")
        page.click("#draft-form button")
        page.wait_for_selector("#doc-second_attempt")
        edited = "第二次申诉：本店已完成客服培训，恳请平台复核。"
        page.locator("#doc-appeal textarea").fill(edited)
        page.locator("#doc-appeal button[type=submit]").click()
        page.wait_for_selector("text=已保存修改")
        page.click("button[data-event=appeal]")
        page.wait_for_selector("#penalty-state[data-state=appealing]")
        page.click("button[data-event=approve]")
        page.wait_for_selector("#penalty-state[data-state=appeal_approved]")
        assert "申诉成功" in page.locator("#penalty-state").inner_text()
        assert page.locator("#history-table tbody tr").count() == 5
        page.screenshot(path=str(artifacts_dir / "penalty-3-approved.png"), full_page=True)

        with page.expect_download() as download_info:
            page.click("#export-docx")
        target = tmp_path / download_info.value.suggested_filename
        download_info.value.save_as(target)
        assert target.suffix == ".docx"
        paragraphs = [p.text for p in docx.Document(str(target)).paragraphs]
        assert edited in paragraphs
        assert "二次申诉补充材料清单" in paragraphs and "违规事件说明" in paragraphs
    finally:
        context.close()
