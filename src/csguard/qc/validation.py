"""Column-wise validation of raw chat-log tables (the same rules as ``ChatEvent``).

Readers hand over a table of strings plus a ``_line`` column; this module applies the
mapping, fills defaults, parses timestamps and names the first bad field of each bad
row, all as Polars expressions so a million rows stay columnar.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from csguard.qc.events import CANONICAL_FIELDS, MESSAGE_TYPES
from csguard.vocab import DEFAULT_TIMEZONE, PLATFORMS, SENDERS

LINE = "_line"
MAX_KEPT_ERRORS = 10_000
_ID_FLOAT = r"^(\d+)\.0$"


@dataclass(frozen=True, slots=True)
class RowError:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "field": self.field, "message": self.message}


@dataclass(frozen=True, slots=True)
class Mapping:
    """How another export's columns and values map onto the canonical fields."""

    columns: dict[str, str]
    values: dict[str, dict[str, str]]
    defaults: dict[str, str]
    timezone: str

    @classmethod
    def from_dict(cls, raw: dict[str, Any] | None) -> Mapping:
        raw = dict(raw or {})
        if raw and not ({"columns", "values", "defaults", "timezone"} & raw.keys()):
            raw = {"columns": raw}  # a flat {canonical: source column} mapping
        columns = {str(k): str(v) for k, v in (raw.get("columns") or {}).items()}
        unknown = sorted(set(columns) - set(CANONICAL_FIELDS))
        if unknown:
            from csguard.errors import ConfigError

            raise ConfigError(
                f"mapping names unknown canonical fields: {', '.join(unknown)}",
                details={"field": unknown[0], "known": list(CANONICAL_FIELDS)},
            )
        values = {
            str(k): {str(a): str(b) for a, b in v.items()} for k, v in (raw.get("values") or {}).items()
        }
        defaults = {str(k): str(v) for k, v in (raw.get("defaults") or {}).items()}
        return cls(columns, values, defaults, str(raw.get("timezone") or DEFAULT_TIMEZONE))


def apply_mapping(raw: pl.DataFrame, mapping: Mapping) -> pl.DataFrame:
    """Rename source columns, keep only canonical ones (as trimmed strings, empty = null)."""
    sources = {name: mapping.columns.get(name, name) for name in CANONICAL_FIELDS}
    present = {name: src for name, src in sources.items() if src in raw.columns and name != "text"}
    # Trimming copies a column; most exports need none, so look first (a cheap boolean scan).
    untidy = (
        raw.select(
            pl.col(src).cast(pl.String).str.contains(r"^\s|\s$").any().alias(name)
            for name, src in present.items()
        ).row(0, named=True)
        if present
        else {}
    )
    exprs: list[pl.Expr] = [pl.col(LINE)]
    for name in CANONICAL_FIELDS:
        source = sources[name]
        col = pl.col(source).cast(pl.String) if source in raw.columns else pl.lit(None, dtype=pl.String)
        if untidy.get(name):  # message text is kept exactly as sent
            col = col.str.strip_chars()
        if name != "text":
            col = col.replace("", None)
        if name in mapping.values:
            col = col.replace(mapping.values[name])
        if name in mapping.defaults:
            col = col.fill_null(pl.lit(mapping.defaults[name]))
        exprs.append(col.alias(name))
    return raw.select(exprs)


def _parse_iso_aware() -> pl.Expr:
    return pl.col("ts").str.to_datetime(
        "%Y-%m-%dT%H:%M:%S%.f%z", strict=False, time_zone="UTC", time_unit="us"
    )


def _parse_ts(timezone: str) -> pl.Expr:
    raw = pl.col("ts").str.replace(" ", "T", literal=True).str.replace(r"Z$", "+00:00")
    aware = raw.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%z", strict=False, time_zone="UTC", time_unit="us")
    naive = (
        raw.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", strict=False, time_unit="us")
        .dt.replace_time_zone(timezone, ambiguous="earliest", non_existent="null")
        .dt.convert_time_zone("UTC")
    )
    # Unix epoch in seconds (10 digits) or milliseconds (13 digits), as some exports write.
    digits = pl.col("ts").str.extract(r"^(\d{10}|\d{13})(?:\.0)?$")
    epoch = (
        pl.when(digits.str.len_chars() == 13)
        .then(digits.cast(pl.Int64) * 1000)
        .otherwise(digits.cast(pl.Int64) * 1_000_000)
        .cast(pl.Datetime("us"))
        .dt.replace_time_zone("UTC")
    )
    return pl.coalesce(aware, naive, epoch).alias("ts")


def _first_problem() -> pl.Expr:
    """``field\\tmessage`` of the first failing rule of a row, else null."""
    checks: list[tuple[pl.Expr, str, str]] = [
        (pl.col(name).is_null(), name, "required field is missing or empty")
        for name in ("shop", "platform", "conversation_id", "message_id")
    ]
    checks += [
        (~pl.col("platform").is_in(list(PLATFORMS)), "platform", f"must be one of {', '.join(PLATFORMS)}"),
        (pl.col("ts_raw").is_null(), "ts", "required field is missing or empty"),
        (pl.col("ts").is_null(), "ts", "not an ISO 8601 timestamp (e.g. 2024-05-01T10:00:00+08:00)"),
        (pl.col("sender").is_null(), "sender", "required field is missing or empty"),
        (~pl.col("sender").is_in(list(SENDERS)), "sender", f"must be one of {', '.join(SENDERS)}"),
        (
            ~pl.col("type").is_in(list(MESSAGE_TYPES)),
            "type",
            f"unknown message type (known: {', '.join(MESSAGE_TYPES)})",
        ),
        (
            (pl.col("sender") == "agent") & pl.col("agent").is_null(),
            "agent",
            "agent messages need the agent account",
        ),
    ]
    expr: Any = pl
    for condition, field, message in checks:
        expr = expr.when(condition).then(pl.lit(f"{field}\t{message}"))
    return expr.otherwise(pl.lit(None, dtype=pl.String)).alias("_problem")


def normalize(
    mapped: pl.DataFrame, *, default_shop: str | None, default_platform: str | None, timezone: str
) -> pl.DataFrame:
    """Defaults, case folding and typed ``ts``; adds ``_problem`` (null when the row is valid)."""
    # Spreadsheets turn numeric ids into floats ("123.0"); only then is the (slow) regex needed.
    ids = [
        pl.col(c).str.replace(_ID_FLOAT, "$1").alias(c)
        for c in ("conversation_id", "buyer_id", "message_id")
        if mapped.select(pl.col(c).str.ends_with(".0").any()).item()
    ]
    frame = mapped.with_columns(
        *ids,
        pl.col("shop").fill_null(pl.lit(default_shop, dtype=pl.String)),
        pl.col("platform").str.to_lowercase().fill_null(pl.lit(default_platform, dtype=pl.String)),
        pl.col("sender").str.to_lowercase(),
        pl.col("type").str.to_lowercase().fill_null(pl.lit("text")),
        pl.col("text").fill_null(pl.lit("")),
        pl.col("ts").alias("ts_raw"),
    )
    # Canonical logs carry ISO 8601 with an offset; the other formats are tried only if needed.
    frame = frame.with_columns(pl.col("buyer_id").fill_null(pl.col("conversation_id")), _parse_iso_aware())
    if frame.select((pl.col("ts").is_null() & pl.col("ts_raw").is_not_null()).any()).item():
        frame = frame.with_columns(pl.col("ts_raw").alias("ts")).with_columns(_parse_ts(timezone))
    return frame.with_columns(_first_problem())


def split_valid(frame: pl.DataFrame, *, file: str) -> tuple[pl.DataFrame, list[RowError], int]:
    """Valid rows (canonical columns), kept row errors, and the number of rejected rows."""
    bad = frame.filter(pl.col("_problem").is_not_null())
    errors = [
        RowError(file, int(line), *problem.split("\t", 1))
        for line, problem in bad.head(MAX_KEPT_ERRORS).select(LINE, "_problem").iter_rows()
    ]
    valid = frame.filter(pl.col("_problem").is_null()).select(LINE, *CANONICAL_FIELDS)
    return valid, errors, bad.height


def _varying(frame: pl.DataFrame, columns: list[str]) -> list[str]:
    """The columns that hold more than one value (a log usually has one shop and platform)."""
    return [c for c in columns if frame.get_column(c).n_unique() > 1]


def dedupe(valid: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """Keep the first row of each (shop, platform, message_id); returns rows and duplicates."""
    keys = [*_varying(valid, ["shop", "platform"]), "message_id"]
    key = pl.col("message_id") if len(keys) == 1 else pl.struct(keys)
    unique = valid.filter(key.is_first_distinct())
    return unique, valid.height - unique.height


def sort_canonical(frame: pl.DataFrame) -> pl.DataFrame:
    # Messages with equal timestamps keep their log order (the reply stays after the question).
    keys = [*_varying(frame, ["shop", "platform"]), "conversation_id", "ts", LINE]
    return frame.sort(keys).select(CANONICAL_FIELDS)


EMPTY_SCHEMA: dict[str, Any] = {
    **{name: pl.String for name in CANONICAL_FIELDS},
    "ts": pl.Datetime("us", "UTC"),
}
