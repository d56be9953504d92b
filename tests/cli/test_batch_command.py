"""Batch mode of `csguard check` / `csguard triage`: the contract the quality evaluation uses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

import csguard.cli.check  # noqa: F401  (registers the commands on the app)
from csguard.cli import app
from csguard.guard import MAX_TEXT_CHARS

runner = CliRunner()


def write_jsonl(path: Path, lines: list[Any]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for line in lines:
            fh.write((line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n")
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_check_batch_keeps_order_and_shape(tmp_path: Path) -> None:
    rows: list[dict[str, Any]] = [
        {"id": "a", "text": "亲，今天下午就发货哦"},
        {"id": "b", "text": "好评返现5元"},
        {"id": 3, "text": "你是不是傻逼"},
        {"id": "d", "text": "全网最好的枕头"},
    ]
    src, out = write_jsonl(tmp_path / "in.jsonl", rows), tmp_path / "out.jsonl"
    result = runner.invoke(app, ["check", "--input", str(src), "--output", str(out)])
    assert result.exit_code == 0, result.output
    got = read_jsonl(out)
    assert [r["id"] for r in got] == ["a", "b", 3, "d"]
    assert all(set(r) == {"id", "verdict", "categories", "findings"} for r in got)
    assert [r["verdict"] for r in got] == ["allow", "block", "block", "warn"]
    assert "review_manipulation" in got[1]["categories"]
    assert "abusive_language" in got[2]["categories"]
    for row, original in zip(got, rows, strict=True):
        for f in row["findings"]:
            assert original["text"][f["start"] : f["end"]] == f["matched"]
    # Chinese stays readable in the output file
    assert "返现" in out.read_text(encoding="utf-8")


def test_line_platform_overrides_the_flag(tmp_path: Path) -> None:
    rows = [
        {"id": 1, "text": "去淘宝搜同名店铺"},
        {"id": 2, "text": "去淘宝搜同名店铺", "platform": "taobao"},
        {"id": 3, "text": "去淘宝搜同名店铺", "platform": "douyin"},
    ]
    src, out = write_jsonl(tmp_path / "in.jsonl", rows), tmp_path / "out.jsonl"
    result = runner.invoke(app, ["check", "-i", str(src), "-o", str(out), "--platform", "tmall"])
    assert result.exit_code == 0, result.output
    assert [r["verdict"] for r in read_jsonl(out)] == ["allow", "allow", "block"]


def test_malformed_lines_are_reported_and_skipped(tmp_path: Path) -> None:
    lines: list[Any] = [
        {"id": 1, "text": "加我微信abc123详聊"},
        "this is not json",
        "[1, 2]",
        {"id": 4},
        {"id": 5, "text": 42},
        {"id": 6, "text": "好评返现5元", "platform": "jd"},
        "",
        {"id": 8, "text": "好" * (MAX_TEXT_CHARS + 1)},
        {"id": 9, "text": "亲，今天下午就发货哦"},
    ]
    src, out = write_jsonl(tmp_path / "in.jsonl", lines), tmp_path / "out.jsonl"
    result = runner.invoke(app, ["check", "--input", str(src), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in read_jsonl(out)] == [1, 9]
    err = result.stderr
    assert "in.jsonl:2:" in err and "not JSON" in err
    assert "in.jsonl:3:" in err and "object" in err
    assert "in.jsonl:4 field 'text'" in err and "missing" in err
    assert "in.jsonl:5 field 'text'" in err
    assert "in.jsonl:6 field 'platform'" in err and "jd" in err
    assert "in.jsonl:8 field 'text'" in err
    assert ":7" not in err  # blank lines are not errors
    assert "读取 8 行, 处理 2 行, 跳过 6 行" in err


def test_batch_with_no_valid_line_fails(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", ["nope", {"id": 1}])
    result = runner.invoke(app, ["check", "--input", str(src), "--output", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 3
    assert "no line" in result.stderr


def test_unreadable_input_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing.jsonl"
    result = runner.invoke(app, ["check", "--input", str(missing), "--output", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 3
    assert "missing.jsonl" in result.stderr


def test_batch_writes_to_stdout_and_accepts_a_bom(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "x", "text": "好评返现5元"}).encode() + b"\n")
    result = runner.invoke(app, ["check", "--input", str(src)])
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)
    assert row["id"] == "x" and row["verdict"] == "block"


def test_custom_words_apply_in_batch(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [{"id": 1, "text": "口令是芝麻开门"}])
    result = runner.invoke(app, ["check", "--input", str(src), "-w", "芝麻开门"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["verdict"] != "allow"


def test_triage_batch(tmp_path: Path) -> None:
    rows = [
        {"id": "t1", "text": "不处理我就去12315投诉你们"},
        {"id": "t2", "text": "退款已经收到了，谢谢"},
        {"id": "t3", "text": "垃圾客服，脑残"},
        "{broken",
        {"id": "t5", "text": "兼职刷单日结，加V"},
    ]
    src, out = write_jsonl(tmp_path / "in.jsonl", rows), tmp_path / "out.jsonl"
    result = runner.invoke(app, ["triage", "--input", str(src), "--output", str(out)])
    assert result.exit_code == 0, result.output
    got = read_jsonl(out)
    assert [r["id"] for r in got] == ["t1", "t2", "t3", "t5"]
    assert all(set(r) == {"id", "escalate", "signals", "findings"} for r in got)
    assert [r["escalate"] for r in got] == [True, False, True, True]
    assert "complaint_threat" in got[0]["signals"]
    assert "abuse" in got[2]["signals"]
    assert "spam_ad" in got[3]["signals"]
    assert "in.jsonl:4:" in result.stderr
