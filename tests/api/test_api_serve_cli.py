"""``csguard init`` / ``user add`` / ``apikey create`` / ``serve --demo`` as a user runs them."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from csguard.cli import _load_commands, app
from csguard.settings import get_settings


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'home' / 'csguard.db'}"
    monkeypatch.setenv("CSGUARD_DATABASE_URL", url)
    get_settings.cache_clear()
    _load_commands()
    yield url
    get_settings.cache_clear()


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_init_user_and_key(cli_db: str) -> None:
    code, out = run("init", "--shop", "我的店", "--owner", "boss")
    assert code == 0, out
    password = re.search(r"password: (\S+)", out)
    assert password is not None
    code, out = run("user", "add", "我的店", "xiaomei", "--role", "agent", "--password", "long-enough-1")
    assert code == 0 and "password:" not in out
    code, out = run("apikey", "create", "我的店", "客服工具", "--role", "supervisor")
    assert code == 0
    key = out.strip().splitlines()[-1]
    assert key.startswith("csg_")
    code, out = run("user", "add", "我的店", "boss", "--reset")
    assert code == 0 and "password:" in out

    from csguard.services.auth import authenticate, verify_api_key
    from csguard.store.db import make_engine, session_factory

    engine = make_engine(cli_db)
    with session_factory(engine)() as session:
        assert authenticate(session, "我的店", "xiaomei", "long-enough-1") is not None
        assert verify_api_key(session, key).role == "supervisor"
    engine.dispose()


def test_cli_errors_are_one_clear_line(cli_db: str) -> None:
    code, out = run("user", "add", "没有的店", "a")
    assert code == 1 and "no shop named '没有的店'" in out
    run("init", "--shop", "店", "--password", "long-enough-1")
    code, out = run("init", "--shop", "店", "--password", "long-enough-1")
    assert code == 1 and "already exists" in out
    code, out = run("user", "add", "店", "x", "--password", "short")
    assert code == 1 and "at least 8" in out


def test_a_wrong_setting_names_the_variable(cli_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSGUARD_RATE_LIMIT_BURST", "lots")
    get_settings.cache_clear()
    code, out = run("init", "--shop", "店")
    assert code == 1 and "CSGUARD_RATE_LIMIT_BURST" in out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_demo_end_to_end(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "HOME": str(tmp_path)}
    env.pop("CSGUARD_DATABASE_URL", None)  # the default: ~/.csguard/csguard.db
    command = [
        sys.executable,
        "-c",
        "from csguard.cli import main; main()",
        "serve",
        "--demo",
        "--port",
        str(port),
    ]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            pytest.fail("csguard serve --demo did not become ready")
        assert (tmp_path / ".csguard" / "csguard.db").exists()
        assert (tmp_path / ".csguard" / "secret_key").exists()
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    assert "log in: shop 演示店铺  user demo  password " in output
    assert f"http://127.0.0.1:{port}/" in output
    assert server.returncode == 0
