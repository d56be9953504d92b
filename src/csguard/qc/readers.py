"""Chat-log readers: JSONL, CSV and Excel files into string columns with line numbers.

Each reader returns every row it could read as strings (plus ``_line``, the row's line in
the file) and the rows it could not read at all; validation happens later, column-wise
(``csguard.qc.validation``). Readers are registered by format name in ``readers``; a
plugin adds a format with ``@readers.register("name")``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from csguard.plugins import Registry
from csguard.qc.events import CANONICAL_FIELDS
from csguard.qc.validation import LINE, RowError


@dataclass(slots=True)
class RawTable:
    """What a reader returns: string columns with ``_line``, plus rows it could not read at all."""

    frame: pl.DataFrame
    errors: list[RowError] = field(default_factory=list)


Reader = Callable[[Path], RawTable]
readers: Registry[Reader] = Registry("chat-log reader")


def strings_table(rows: list[dict[str, Any]], lines: list[int]) -> pl.DataFrame:
    """Parsed records as string columns (the union of their keys) plus ``_line``."""
    columns: dict[str, list[Any]] = {}
    for i, row in enumerate(rows):
        for key, value in row.items():
            column = columns.get(str(key))
            if column is None:
                column = columns[str(key)] = [None] * len(rows)
            column[i] = None if value is None else _cell(value)
    frame = pl.DataFrame([pl.Series(LINE, lines, dtype=pl.Int64)])
    return frame.with_columns(pl.Series(k, v, dtype=pl.String) for k, v in columns.items())


def _cell(value: Any) -> str:
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


BLOCK_BYTES = 16 << 20  # JSONL is parsed block by block: the reader's memory stays bounded


@readers.register("jsonl")
def read_jsonl(path: Path) -> RawTable:
    schema = {name: pl.String for name in _jsonl_keys(path)}
    frames: list[pl.DataFrame] = []
    errors: list[RowError] = []
    first_line = 1
    for block in _blocks(path):
        lines = block.count(b"\n") + (not block.endswith(b"\n"))
        table = _parse_block(path, block, schema, first_line, lines)
        frames.append(table.frame)
        errors.extend(table.errors)
        first_line += lines
    if not frames:
        return RawTable(strings_table([], []))
    return RawTable(pl.concat(frames, how="diagonal_relaxed"), errors)


def _blocks(path: Path) -> Iterator[bytes]:
    """The file in pieces of about ``BLOCK_BYTES`` that end at a line break."""
    carry = b""
    with path.open("rb") as handle:
        while chunk := handle.read(BLOCK_BYTES):
            data = carry + chunk
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                carry = data
                continue
            carry = data[cut:]
            yield data[:cut]
    if carry:
        yield carry


def _parse_block(path: Path, block: bytes, schema: dict[str, Any], first_line: int, lines: int) -> RawTable:
    try:
        frame: pl.DataFrame | None = pl.read_ndjson(block, schema=schema)
    except (pl.exceptions.PolarsError, ValueError):
        frame = None
    # Fast path only when no line was skipped (blank lines are), so row i is line first_line + i.
    if frame is not None and frame.height == lines:
        return RawTable(
            frame.with_row_index(LINE, offset=first_line).with_columns(pl.col(LINE).cast(pl.Int64))
        )
    return _read_jsonl_lines(path, block, first_line)


def _jsonl_keys(path: Path) -> list[str]:
    # Keys of the first lines plus the canonical ones; mapping-named columns appear early in exports.
    keys: dict[str, None] = dict.fromkeys(CANONICAL_FIELDS)
    with path.open("rb") as handle:
        head = handle.read(65536)
    for line in head.split(b"\n")[:200]:
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if isinstance(obj, dict):
            keys.update(dict.fromkeys(str(k) for k in obj))
    return list(keys)


def _read_jsonl_lines(path: Path, data: bytes, first_line: int = 1) -> RawTable:
    rows: list[dict[str, Any]] = []
    lines: list[int] = []
    errors: list[RowError] = []
    for number, raw in enumerate(data.split(b"\n"), start=first_line):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except ValueError as exc:
            errors.append(RowError(str(path), number, "line", f"not valid JSON: {exc}"))
            continue
        if not isinstance(obj, dict):
            errors.append(RowError(str(path), number, "line", "a chat event must be a JSON object"))
            continue
        nested = next((k for k, v in obj.items() if isinstance(v, dict | list)), None)
        if nested is not None:
            errors.append(RowError(str(path), number, str(nested), "must be a string, number or null"))
            continue
        rows.append(obj)
        lines.append(number)
    return RawTable(strings_table(rows, lines), errors)


@readers.register("csv")
def read_csv(path: Path) -> RawTable:
    rows: list[dict[str, Any]] = []
    lines: list[int] = []
    errors: list[RowError] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            return RawTable(strings_table([], []))
        header = [h.strip() for h in header]
        start = reader.line_num + 1
        for row in reader:
            if not any(cell.strip() for cell in row):
                start = reader.line_num + 1
                continue
            if len(row) != len(header):
                errors.append(
                    RowError(str(path), start, "row", f"has {len(row)} columns, the header has {len(header)}")
                )
            else:
                rows.append(dict(zip(header, row, strict=True)))
                lines.append(start)
            start = reader.line_num + 1
    return RawTable(strings_table(rows, lines), errors)


@readers.register("xlsx")
def read_xlsx(path: Path) -> RawTable:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(values, ())]
        rows: list[dict[str, Any]] = []
        lines: list[int] = []
        for number, row in enumerate(values, start=2):
            if all(cell is None or str(cell).strip() == "" for cell in row):
                continue
            rows.append({h: cell for h, cell in zip(header, row, strict=False) if h})
            lines.append(number)
    finally:
        workbook.close()
    return RawTable(strings_table(rows, lines))
