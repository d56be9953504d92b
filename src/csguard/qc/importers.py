"""Chat-log import: JSONL, CSV and Excel files (and API records) into one canonical frame.

A bad row is reported with file, line and field and skipped; the rest is imported.
Duplicates (same shop, platform and message id) are counted and dropped. Nothing is
silently lost: ``read == imported + duplicate + rejected``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from csguard.errors import ConfigError, InvalidInput
from csguard.qc.events import CANONICAL_FIELDS, ChatEvent
from csguard.qc.readers import RawTable, readers, strings_table
from csguard.qc.validation import (
    EMPTY_SCHEMA,
    MAX_KEPT_ERRORS,
    Mapping,
    RowError,
    apply_mapping,
    dedupe,
    normalize,
    sort_canonical,
    split_valid,
)


@dataclass(slots=True)
class ImportResult:
    frame: pl.DataFrame
    read: int
    imported: int
    duplicate: int
    rejected: int
    errors: list[RowError]

    def summary(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "imported": self.imported,
            "duplicate": self.duplicate,
            "rejected": self.rejected,
            "errors": [e.to_dict() for e in self.errors[:20]],
        }


_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".xlsx": "xlsx"}


def load_mapping(path: str | Path) -> dict[str, Any]:
    """A column-mapping file (YAML or JSON): ``{columns: {canonical: source}, values: ..., defaults: ...}``."""
    path = Path(path)
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read mapping file {path}: {exc}", details={"file": str(path)}) from exc
    if not isinstance(loaded, dict):
        raise ConfigError(f"mapping file {path} must hold a mapping", details={"file": str(path)})
    return loaded


def _finish(
    raw: RawTable,
    *,
    file: str,
    mapping: dict[str, Any] | None,
    default_shop: str | None,
    default_platform: str | None,
) -> ImportResult:
    rules = Mapping.from_dict(mapping)
    rows, unreadable = raw.frame.height, raw.errors
    if rows == 0:
        return ImportResult(
            pl.DataFrame(schema=EMPTY_SCHEMA), len(unreadable), 0, 0, len(unreadable), unreadable
        )
    # Each step copies the columns it changes; dropping the previous step's table as soon as
    # the next exists keeps the peak at about two copies of the log.
    mapped = apply_mapping(raw.frame, rules)
    raw.frame = raw.frame.clear()
    checked = normalize(
        mapped, default_shop=default_shop, default_platform=default_platform, timezone=rules.timezone
    )
    del mapped
    valid, errors, rejected = split_valid(checked, file=file)
    del checked
    unique, duplicate = dedupe(valid)
    del valid
    imported = unique.height
    frame = sort_canonical(unique)
    del unique
    return ImportResult(
        frame=frame,
        read=rows + len(unreadable),
        imported=imported,
        duplicate=duplicate,
        rejected=rejected + len(unreadable),
        errors=sorted(unreadable + errors, key=lambda e: e.line)[:MAX_KEPT_ERRORS],
    )


def import_file(
    path: str | Path,
    *,
    mapping: dict[str, Any] | None = None,
    default_shop: str | None = None,
    default_platform: str | None = None,
) -> ImportResult:
    """Import a JSONL, CSV or XLSX chat log (chosen by extension)."""
    path = Path(path)
    kind = _EXTENSIONS.get(path.suffix.lower())
    if kind is None:
        raise InvalidInput(
            f"{path}: unsupported chat-log format {path.suffix!r} (use .jsonl, .csv or .xlsx)",
            details={"file": str(path), "field": "extension"},
        )
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file", details={"file": str(path)})
    raw = readers.get(kind)(path)
    return _finish(
        raw, file=str(path), mapping=mapping, default_shop=default_shop, default_platform=default_platform
    )


def import_records(
    records: Iterable[dict[str, Any]],
    *,
    source: str = "api",
    mapping: dict[str, Any] | None = None,
    default_shop: str | None = None,
    default_platform: str | None = None,
) -> ImportResult:
    """Import already-parsed records (``POST /v1/events``); line = 1-based position in the batch."""
    rows: list[dict[str, Any]] = []
    lines: list[int] = []
    errors: list[RowError] = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            errors.append(RowError(source, number, "record", "a chat event must be an object"))
            continue
        rows.append(record)
        lines.append(number)
    raw = RawTable(strings_table(rows, lines), errors)
    return _finish(
        raw, file=source, mapping=mapping, default_shop=default_shop, default_platform=default_platform
    )


def frame_from_events(events: list[ChatEvent]) -> pl.DataFrame:
    """The canonical frame of already validated events (sorted like an import)."""
    if not events:
        return pl.DataFrame(schema=EMPTY_SCHEMA)
    records = [e.model_dump() for e in events]
    frame = pl.DataFrame(
        {
            name: pl.Series(name, [r[name] for r in records], dtype=pl.String)
            for name in CANONICAL_FIELDS
            if name != "ts"
        }
    ).with_columns(pl.Series("ts", [e.ts.astimezone(UTC) for e in events], dtype=pl.Datetime("us", "UTC")))
    return frame.sort(["shop", "platform", "conversation_id", "ts"], maintain_order=True).select(
        CANONICAL_FIELDS
    )
