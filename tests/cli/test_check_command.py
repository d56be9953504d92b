"""`csguard check`: single-message report, JSON, stdin, options and error exits."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

import csguard.cli.check  # noqa: F401  (registers the commands on the app)
from csguard.cli import app
from csguard.guard import MAX_TEXT_CHARS

runner = CliRunner()

BLOCKED = "加我微信abc123详聊"
WARNED = "全网最好的枕头"
CLEAN = "亲，今天下午就发货哦"


def test_block_verdict_exits_2_and_names_the_hit() -> None:
    result = runner.invoke(app, ["check", BLOCKED, "--platform", "pdd"])
    assert result.exit_code == 2, result.output
    assert "block" in result.stdout
    assert "offsite_diversion" in result.stdout
    assert "微信" in result.stdout


def test_warn_verdict_exits_1() -> None:
    result = runner.invoke(app, ["check", WARNED])
    assert result.exit_code == 1, result.output
    assert "warn" in result.stdout
    assert "absolute_claim" in result.stdout


def test_clean_message_exits_0_without_findings_table() -> None:
    result = runner.invoke(app, ["check", CLEAN])
    assert result.exit_code == 0, result.output
    assert "allow" in result.stdout
    assert "findings" not in result.stdout


def test_json_output_is_the_result_dict() -> None:
    result = runner.invoke(app, ["check", BLOCKED, "--json"])
    assert result.exit_code == 2
    payload = json.loads(result.stdout)
    assert payload["verdict"] == "block"
    assert payload["platform"] == "pdd"
    assert "offsite_diversion" in payload["categories"]
    assert isinstance(payload["rewrite"], str)
    for finding in payload["findings"]:
        assert BLOCKED[finding["start"] : finding["end"]] == finding["matched"]


def test_text_from_stdin() -> None:
    result = runner.invoke(app, ["check", "-", "--json"], input=WARNED + "\n")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["verdict"] == "warn"


def test_user_text_is_not_interpreted_as_rich_markup() -> None:
    text = "[bold red]亲[/bold red] " + BLOCKED
    result = runner.invoke(app, ["check", text])
    assert result.exit_code == 2
    assert "[bold red]亲[/bold red]" in result.stdout


def test_custom_word_is_flagged_and_allow_word_suppresses_it() -> None:
    custom = runner.invoke(app, ["check", "本店的秘密口令是芝麻开门", "-w", "芝麻开门", "--json"])
    assert custom.exit_code in (1, 2)
    hits = [f["matched"] for f in json.loads(custom.stdout)["findings"]]
    assert "芝麻开门" in hits
    allowed = runner.invoke(app, ["check", "芝麻开门吧", "-w", "芝麻开门", "-a", "芝麻开门吧", "--json"])
    assert allowed.exit_code == 0, allowed.stdout
    assert json.loads(allowed.stdout)["findings"] == []


def test_unknown_platform_is_a_clear_error() -> None:
    result = runner.invoke(app, ["check", CLEAN, "--platform", "jd"])
    assert result.exit_code == 3
    assert "jd" in result.stderr
    assert result.stdout == ""


def test_too_long_text_is_a_clear_error() -> None:
    result = runner.invoke(app, ["check", "-"], input="好" * (MAX_TEXT_CHARS + 1))
    assert result.exit_code == 3
    assert str(MAX_TEXT_CHARS) in result.stderr


def test_missing_message_is_a_clear_error() -> None:
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 3
    assert "--input" in result.stderr


def test_triage_single_message() -> None:
    result = runner.invoke(app, ["triage", "给我转100块，不然给差评", "--json"])
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["escalate"] is True
    assert {"extortion", "complaint_threat"} <= set(payload["signals"])
    calm = runner.invoke(app, ["triage", "退款已经收到了，谢谢"])
    assert calm.exit_code == 0
    assert "escalat" in calm.stdout


def test_message_and_input_file_together_are_refused(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 1, "text": "你好"}\n', encoding="utf-8")
    result = runner.invoke(app, ["check", CLEAN, "--input", str(src)])
    assert result.exit_code == 3
    assert "not both" in result.stderr


def test_unwritable_output_is_a_clear_error(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 1, "text": "你好"}\n', encoding="utf-8")
    target = tmp_path / "no-such-dir" / "out.jsonl"
    result = runner.invoke(app, ["check", "--input", str(src), "--output", str(target)])
    assert result.exit_code == 3
    assert "no-such-dir" in result.stderr


def test_check_command_does_not_import_heavy_dependencies() -> None:
    code = (
        "import sys, csguard.cli.check; "
        "print(','.join(m for m in ('polars', 'fastapi', 'sqlalchemy', 'plotly') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == ""
