"""The dashboard in Debian's chromium: log-in, live checker, word list, QC report, navigation.

One real uvicorn server (127.0.0.1, free port) on a demo database serves the module.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from csguard.http.app import create_app
from csguard.services import words
from csguard.services.demo import DEMO_SHOP, ensure_demo
from csguard.settings import Settings
from csguard.store.db import make_engine, session_factory
from csguard.web.nav import NAV
from support.db import sqlite_url

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class LiveServer:
    url: str
    username: str
    password: str


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    words.guard_cache.clear()
    url = sqlite_url(tmp_path_factory.mktemp("browser-db"))
    engine = make_engine(url)
    with session_factory(engine)() as session:
        demo = ensure_demo(session, messages=1200, days=7)
    engine.dispose()
    assert demo.password
    app = create_app(Settings(database_url=url, secret_key="b" * 48, _env_file=None))  # type: ignore[call-arg]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the dashboard server did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", demo.username, demo.password)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class Console:
    """Collects console errors and uncaught exceptions of a page (and its frames)."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))


def _new_context(browser: Any, **kwargs: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", **kwargs)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture(scope="module")
def signed_in(browser: Any, live_server: LiveServer) -> dict[str, Any]:
    """Log in once through the form; every test then starts from the saved cookies."""
    context = _new_context(browser)
    page = context.new_page()
    console = Console(page)
    page.goto(f"{live_server.url}/")
    page.wait_for_url("**/login?next=/")
    page.fill("input[name=shop]", DEMO_SHOP)
    page.fill("input[name=username]", live_server.username)
    page.fill("input[name=password]", "wrong password")
    page.click("button[type=submit]")
    page.wait_for_selector("text=店铺、用户名或密码不正确")
    page.fill("input[name=password]", live_server.password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    state: dict[str, Any] = context.storage_state()
    context.close()
    assert console.errors == [] or all("401" in e for e in console.errors)
    return state


@pytest.fixture
def page(browser: Any, live_server: LiveServer, signed_in: dict[str, Any]) -> Iterator[tuple[Any, Console]]:
    context = _new_context(browser, storage_state=signed_in)
    page = context.new_page()
    console = Console(page)
    page.goto(f"{live_server.url}/")
    try:
        yield page, console
    finally:
        context.close()


def test_login_lands_on_overview(page: tuple[Any, Console], artifacts_dir: Path) -> None:
    p, console = page
    assert p.locator("h1").inner_text() == "概览"
    assert p.locator("#rate-week .value").inner_text().endswith("%")
    p.screenshot(path=str(artifacts_dir / "web-overview.png"), full_page=True)
    assert console.errors == []


def test_live_checker_highlights_hits_and_rewrites(
    page: tuple[Any, Console], live_server: LiveServer, artifacts_dir: Path
) -> None:
    p, console = page
    p.click("nav >> text=实时检测")
    p.fill("#checker-text", "亲，加我微信abc123详聊，好评返现5元")
    p.click("#checker-form button[type=submit]")
    p.wait_for_selector("#checked-text mark.hit")
    assert p.url == f"{live_server.url}/check"  # fetched in place, no reload
    assert p.locator("[data-verdict]").get_attribute("data-verdict") == "block"
    assert p.locator("#checked-text mark.hit").count() >= 2
    assert "站外引流" in p.locator("#checked-text mark.hit").first.get_attribute("title")
    rewrite = p.locator("#rewrite").inner_text()
    assert rewrite and "微信" not in rewrite
    p.screenshot(path=str(artifacts_dir / "web-checker.png"), full_page=True)
    assert console.errors == []


def test_custom_word_takes_effect_in_the_live_checker(page: tuple[Any, Console], artifacts_dir: Path) -> None:
    p, console = page
    p.click("nav >> text=实时检测")
    p.fill("#checker-text", "这款是蓝莓味的乳胶枕")
    p.click("#checker-form button[type=submit]")
    p.wait_for_selector("[data-verdict=allow]")
    p.click("nav >> text=词库")
    p.fill("#word-input", "蓝莓味")
    p.select_option("#word-kind", "custom")
    p.click("#word-form button[type=submit]")
    p.wait_for_selector("td.word:text-is('蓝莓味')")
    p.screenshot(path=str(artifacts_dir / "web-words.png"), full_page=True)
    p.click("nav >> text=实时检测")
    p.fill("#checker-text", "这款是蓝莓味的乳胶枕")
    p.click("#checker-form button[type=submit]")
    p.wait_for_selector("#checked-text mark.hit")
    assert p.locator("#checked-text mark.hit").inner_text() == "蓝莓味"
    p.screenshot(path=str(artifacts_dir / "web-checker-custom-word.png"), full_page=True)
    assert console.errors == []


def test_qc_report_renders_its_charts(page: tuple[Any, Console], artifacts_dir: Path) -> None:
    p, console = page
    p.click("nav >> text=质检报告")
    report = p.frame_locator("#report-frame")
    report.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
    assert report.locator(".js-plotly-plot").count() >= 1
    p.screenshot(path=str(artifacts_dir / "web-qc-report.png"), full_page=True)
    assert console.errors == []


def test_every_navigation_page_opens_without_errors(page: tuple[Any, Console], artifacts_dir: Path) -> None:
    p, console = page
    for item in NAV:
        p.click(f"nav a[data-nav={item.key}]")
        p.wait_for_selector(f"nav a.active[data-nav={item.key}]")
        assert p.locator("h1").first.inner_text() == item.label, item.path
    p.click("nav a[data-nav=conversations]")
    p.locator("#conversations a").first.click()
    p.wait_for_selector("#messages .msg")
    p.screenshot(path=str(artifacts_dir / "web-conversation.png"), full_page=True)
    p.set_viewport_size({"width": 390, "height": 800})
    p.click("nav a[data-nav=overview]")
    p.screenshot(path=str(artifacts_dir / "web-overview-mobile.png"), full_page=True)
    assert console.errors == []
