"""``csguard demo-data`` and ``csguard qc`` end to end."""

from __future__ import annotations

import json
from pathlib import Path

from qc_support import Hook
from typer.testing import CliRunner

from csguard.cli import _load_commands, app

_load_commands()
runner = CliRunner()


def test_demo_data_then_qc_writes_every_output(tmp_path: Path) -> None:
    log = tmp_path / "demo.jsonl"
    made = runner.invoke(
        app,
        [
            "demo-data",
            "--out",
            str(log),
            "--messages",
            "1500",
            "--days",
            "3",
            "--seed",
            "7",
            "--start",
            "2024-05-01",
        ],
    )
    assert made.exit_code == 0, made.output
    assert len(log.read_text(encoding="utf-8").splitlines()) == 1500
    out = {name: tmp_path / name for name in ("r.html", "r.xlsx", "r.json")}
    ran = runner.invoke(
        app,
        [
            "qc",
            str(log),
            "--platform",
            "pdd",
            "--report",
            str(out["r.html"]),
            "--xlsx",
            str(out["r.xlsx"]),
            "--json",
            str(out["r.json"]),
        ],
    )
    assert ran.exit_code == 0, ran.output
    assert "read=1500" in ran.output and "imported=1500" in ran.output and "rejected=0" in ran.output
    assert "客服评分" in ran.output
    assert all(path.stat().st_size > 0 for path in out.values())
    data = json.loads(out["r.json"].read_text(encoding="utf-8"))
    assert data["metrics"] and data["findings"]


def test_qc_prints_bad_rows_with_file_line_field(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    good = {
        "shop": "s",
        "platform": "pdd",
        "conversation_id": "c",
        "message_id": "m1",
        "ts": "2024-05-01T10:00:00+08:00",
        "sender": "buyer",
        "text": "在吗",
    }
    log.write_text(
        "\n".join(
            [json.dumps(good), json.dumps({**good, "message_id": "m2", "sender": "x"}), json.dumps(good)]
        )
        + "\n",
        encoding="utf-8",
    )
    ran = runner.invoke(app, ["qc", str(log), "--platform", "pdd"])
    assert ran.exit_code == 0, ran.output
    assert "read=3" in ran.output and "duplicate=1" in ran.output and "rejected=1" in ran.output
    assert f"{log}:2:sender" in ran.output.replace("\n", "")


def test_qc_fails_clearly(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["qc", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2 and "no such file" in missing.output
    empty = tmp_path / "empty.jsonl"
    empty.write_text("{bad\n", encoding="utf-8")
    nothing = runner.invoke(app, ["qc", str(empty), "--platform", "pdd"])
    assert nothing.exit_code == 2 and "no valid chat events" in nothing.output
    config = tmp_path / "bad.yaml"
    config.write_text("sla:\n  threshold_s: -1\n", encoding="utf-8")
    bad_config = runner.invoke(app, ["qc", str(empty), "--config", str(config)])
    assert bad_config.exit_code == 2 and "sla.threshold_s" in bad_config.output


def test_qc_posts_alerts_to_the_webhook(tmp_path: Path, hook: Hook) -> None:
    log = tmp_path / "demo.jsonl"
    runner.invoke(
        app, ["demo-data", "--out", str(log), "--messages", "1500", "--days", "3", "--start", "2024-05-01"]
    )
    config = tmp_path / "strict.yaml"
    config.write_text("alerts:\n  min_reply_rate: 1.0\n", encoding="utf-8")
    ran = runner.invoke(
        app, ["qc", str(log), "--config", str(config), "--notify", hook.url, "--notify-kind", "wecom"]
    )
    assert ran.exit_code == 0, ran.output
    assert "已推送 wecom" in ran.output
    [(_, body)] = hook.requests
    assert body["msgtype"] == "markdown" and "3分钟人工回复率" in body["markdown"]["content"]


def test_qc_reports_a_failing_webhook_without_failing(tmp_path: Path, hook: Hook) -> None:
    log = tmp_path / "demo.jsonl"
    runner.invoke(
        app, ["demo-data", "--out", str(log), "--messages", "800", "--days", "2", "--start", "2024-05-01"]
    )
    config = tmp_path / "strict.yaml"
    config.write_text("alerts:\n  min_reply_rate: 1.0\n", encoding="utf-8")
    hook.replies = [(400, {"errcode": 93000, "errmsg": "invalid webhook url"})]
    ran = runner.invoke(
        app, ["qc", str(log), "--config", str(config), "--notify", hook.url, "--notify-kind", "wecom"]
    )
    assert ran.exit_code == 0
    assert "推送失败 wecom" in ran.output and "HTTP 400" in ran.output


def _violations_found(tmp_path: Path) -> int:
    log = tmp_path / "long.jsonl"
    base = {"shop": "s", "platform": "pdd", "conversation_id": "c", "ts": "2024-05-01T10:00:00+08:00"}
    rows = [
        {**base, "message_id": "m1", "sender": "buyer", "text": "在吗"},
        {**base, "message_id": "m2", "sender": "agent", "agent": "a", "text": "加我微信abc123详聊" + "，亲" * 10},
    ]
    log.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "qc.json"
    ran = runner.invoke(app, ["qc", str(log), "--platform", "pdd", "--json", str(out)])
    assert ran.exit_code == 0, ran.output
    findings = json.loads(out.read_text(encoding="utf-8"))["findings"]
    return sum(1 for f in findings if f.get("detector") == "guard_violation" or f.get("kind") == "violation")


def test_qc_checks_only_messages_within_the_configured_length(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from csguard.settings import get_settings

    get_settings.cache_clear()
    assert _violations_found(tmp_path) == 1
    monkeypatch.setenv("CSGUARD_MAX_TEXT_CHARS", "20")
    get_settings.cache_clear()
    try:
        assert _violations_found(tmp_path) == 0
    finally:
        monkeypatch.delenv("CSGUARD_MAX_TEXT_CHARS")
        get_settings.cache_clear()
