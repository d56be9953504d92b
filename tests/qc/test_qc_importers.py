"""Import of JSONL/CSV/XLSX chat logs: bad rows, duplicates, mappings, time zones."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from qc_support import records

from csguard.errors import ConfigError, InvalidInput
from csguard.qc.events import CANONICAL_FIELDS, ChatEvent, parse_event
from csguard.qc.importers import frame_from_events, import_file, import_records, load_mapping

GOOD = {
    "shop": "s", "platform": "pdd", "conversation_id": "c1", "buyer_id": "b1", "message_id": "m1",
    "ts": "2024-05-01T10:00:00+08:00", "sender": "buyer", "agent": None, "type": "text", "text": "在吗",
}  # fmt: skip


def line(**changes: object) -> str:
    return json.dumps({**GOOD, **changes}, ensure_ascii=False)


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_bad_rows_are_reported_and_skipped(tmp_path: Path) -> None:
    log = write(
        tmp_path / "log.jsonl",
        [
            line(message_id="m1"),
            line(message_id="m2", ts="yesterday"),
            "{not json",
            line(message_id="m3", sender="bot"),
            line(message_id="m4", sender="agent", agent=None),
            line(message_id="m5", conversation_id=""),
            line(message_id="m6", type="hologram"),
            line(message_id="m7", sender="agent", agent="小美", text="在的"),
        ],
    )
    result = import_file(log)
    assert (result.read, result.imported, result.duplicate, result.rejected) == (8, 2, 0, 6)
    where = [(e.line, e.field) for e in result.errors]
    assert where == [(2, "ts"), (3, "line"), (4, "sender"), (5, "agent"), (6, "conversation_id"), (7, "type")]
    assert all(e.file == str(log) for e in result.errors)
    assert result.frame.get_column("message_id").to_list() == ["m1", "m7"]


def test_blank_lines_keep_line_numbers(tmp_path: Path) -> None:
    log = write(tmp_path / "log.jsonl", [line(message_id="m1"), "", "   ", line(message_id="m2", sender="x")])
    result = import_file(log)
    assert (result.read, result.imported, result.rejected) == (2, 1, 1)
    assert (result.errors[0].line, result.errors[0].field) == (4, "sender")


def test_duplicates_are_counted_once_and_dropped(tmp_path: Path) -> None:
    log = write(
        tmp_path / "log.jsonl",
        [line(message_id="m1"), line(message_id="m1", text="又一次"), line(message_id="m2")],
    )
    result = import_file(log)
    assert (result.read, result.imported, result.duplicate, result.rejected) == (3, 2, 1, 0)
    assert result.frame.filter(result.frame["message_id"] == "m1")["text"].to_list() == ["在吗"]


def test_frame_has_canonical_columns_and_utc_timestamps(tmp_path: Path) -> None:
    log = write(
        tmp_path / "log.jsonl",
        [line(ts="2024-05-01 10:00:00"), line(message_id="m2", ts="2024-05-01T02:30:00Z")],
    )
    frame = import_file(log).frame
    assert tuple(frame.columns) == CANONICAL_FIELDS
    assert str(frame.schema["ts"]) == "Datetime(time_unit='us', time_zone='UTC')"
    # A naive time is Asia/Shanghai (UTC+8).
    assert frame["ts"].to_list() == [
        datetime(2024, 5, 1, 2, 0, tzinfo=UTC),
        datetime(2024, 5, 1, 2, 30, tzinfo=UTC),
    ]


CSV_EXPORT = """会话ID,消息编号,发送时间,发送方,客服账号,内容
c1,1001,2024-05-01 10:00:00,买家,,这个什么时候发货？
c1,1002,2024-05-01 10:01:00,客服,小美,亲，今天下午就发货哦
c1,1003,不是时间,客服,小美,好的
c1,1002,2024-05-01 10:01:00,客服,小美,亲，今天下午就发货哦
c1,1004,2024-05-01 10:02:00,买家,,谢谢,多余的列
"""
MAPPING_YAML = """columns:
  conversation_id: 会话ID
  message_id: 消息编号
  ts: 发送时间
  sender: 发送方
  agent: 客服账号
  text: 内容
values:
  sender: {买家: buyer, 客服: agent, 机器人: robot}
defaults:
  shop: 我的小店
"""


def test_csv_with_mapping_file(tmp_path: Path) -> None:
    log = tmp_path / "export.csv"
    log.write_text(CSV_EXPORT, encoding="utf-8")
    mapping_file = tmp_path / "mapping.yaml"
    mapping_file.write_text(MAPPING_YAML, encoding="utf-8")
    result = import_file(log, mapping=load_mapping(mapping_file), default_platform="pdd")
    assert (result.read, result.imported, result.duplicate, result.rejected) == (5, 2, 1, 2)
    assert [(e.line, e.field) for e in result.errors] == [(4, "ts"), (6, "row")]
    frame = result.frame
    assert frame["sender"].to_list() == ["buyer", "agent"]
    assert frame["shop"].unique().to_list() == ["我的小店"]
    assert frame["buyer_id"].to_list() == ["c1", "c1"]  # no buyer column: the conversation is the buyer


def test_xlsx_import_with_numeric_ids(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(CANONICAL_FIELDS))
    sheet.append(["s", "pdd", 42, 7, 1001, datetime(2024, 5, 1, 10, 0), "buyer", None, "text", "在吗"])
    sheet.append(["s", "pdd", 42, 7, 1002, datetime(2024, 5, 1, 10, 1), "agent", "小美", "text", "在的"])
    sheet.append(["s", "pdd", 42, 7, 1003, "later", "agent", "小美", "text", "x"])
    path = tmp_path / "log.xlsx"
    workbook.save(path)
    result = import_file(path)
    assert (result.imported, result.rejected) == (2, 1)
    assert (result.errors[0].line, result.errors[0].field) == (4, "ts")
    assert result.frame["conversation_id"].to_list() == ["42", "42"]
    assert result.frame["message_id"].to_list() == ["1001", "1002"]


def test_unsupported_or_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as bad_ext:
        import_file(tmp_path / "log.txt")
    assert bad_ext.value.details["field"] == "extension"
    with pytest.raises(InvalidInput):
        import_file(tmp_path / "missing.jsonl")


def test_mapping_with_unknown_canonical_field_is_refused(tmp_path: Path) -> None:
    log = write(tmp_path / "log.jsonl", [line()])
    with pytest.raises(ConfigError) as exc:
        import_file(log, mapping={"columns": {"customer": "x"}})
    assert exc.value.details["field"] == "customer"


def test_import_records_and_parse_event_agree() -> None:
    good = records([("c", "10:00:00", "buyer", None, "在吗"), ("c", "10:01:00", "agent", "小美", "在的")])
    bad = [
        {**good[0], "message_id": "x1", "sender": "seller"},
        {**good[1], "message_id": "x2", "agent": None},
    ]
    result = import_records([*good, *bad, "not an object"])  # type: ignore[list-item]
    assert (result.imported, result.rejected) == (2, 3)
    assert [(e.file, e.line, e.field) for e in result.errors] == [
        ("api", 3, "sender"),
        ("api", 4, "agent"),
        ("api", 5, "record"),
    ]
    for index, record in enumerate(bad, start=3):
        with pytest.raises(InvalidInput) as exc:
            parse_event(record, where=f"api:{index}")
        assert exc.value.details["field"] == result.errors[index - 3].field
        assert exc.value.details["line"] == index
    events = [parse_event(r, where="api") for r in good]
    assert frame_from_events(events).equals(result.frame)


def test_chat_event_defaults_to_shanghai_time() -> None:
    event = parse_event({**GOOD, "ts": "2024-05-01T10:00:00"}, where="f.jsonl:1")
    assert event.ts.utcoffset().total_seconds() == 8 * 3600  # type: ignore[union-attr]
    assert isinstance(event, ChatEvent)
    assert event.to_record()["ts"] == "2024-05-01T10:00:00+08:00"


def test_same_message_id_in_two_shops_is_not_a_duplicate(tmp_path: Path) -> None:
    log = write(
        tmp_path / "log.jsonl",
        [line(shop="A", message_id="m1"), line(shop="B", message_id="m1"), line(shop="A", message_id="m1")],
    )
    result = import_file(log)
    assert (result.imported, result.duplicate) == (2, 1)
    assert result.frame["shop"].to_list() == ["A", "B"]
