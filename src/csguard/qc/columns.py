"""Per-conversation column operations without grouping.

A canonical frame is sorted by conversation and time, so "within the conversation" only
means "not across the boundary where the conversation changes". These helpers express
shift, forward/backward fill and running counts that way: plain vectorised passes over
the columns instead of a hash-grouped ``.over()`` per operation (a million rows in a
quarter of a million conversations).
"""

from __future__ import annotations

import polars as pl

CONV = "_conv"  # integer id of the conversation, increasing with the sort order


def in_conversation_order(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame sorted by shop, conversation and time (kept as is when it already is)."""
    if frame.height == 0:
        return frame
    same = (pl.col("shop") == pl.col("shop").shift(1)) & (
        pl.col("conversation_id") == pl.col("conversation_id").shift(1)
    )
    checks = frame.select(
        (~same).fill_null(True).sum().alias("starts"),
        pl.struct("shop", "conversation_id").n_unique().alias("conversations"),
        (~same | (pl.col("ts").diff() >= pl.duration(microseconds=0))).fill_null(True).all().alias("ordered"),
    ).row(0, named=True)
    if checks["starts"] == checks["conversations"] and checks["ordered"]:
        return frame
    return frame.with_row_index("_order").sort(["shop", "conversation_id", "ts", "_order"]).drop("_order")


def with_conversation_key(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``_conv``; the frame must be in conversation order."""
    start = (pl.col("shop") != pl.col("shop").shift(1)) | (
        pl.col("conversation_id") != pl.col("conversation_id").shift(1)
    )
    return frame.with_columns(start.fill_null(True).cast(pl.UInt32).cum_sum().alias(CONV))


def shift_within(expr: pl.Expr, n: int = 1) -> pl.Expr:
    """``expr`` of the message ``n`` rows earlier in the same conversation, else null."""
    return pl.when(pl.col(CONV).shift(n) == pl.col(CONV)).then(expr.shift(n))


def forward_fill_within(expr: pl.Expr) -> pl.Expr:
    """The last non-null value of ``expr`` so far in the conversation (this row included)."""
    owner = pl.when(expr.is_not_null()).then(pl.col(CONV)).forward_fill()
    return pl.when(owner == pl.col(CONV)).then(expr.forward_fill())


def backward_fill_within(expr: pl.Expr) -> pl.Expr:
    """The next non-null value of ``expr`` in the conversation (this row included)."""
    owner = pl.when(expr.is_not_null()).then(pl.col(CONV)).backward_fill()
    return pl.when(owner == pl.col(CONV)).then(expr.backward_fill())


def count_within(condition: pl.Expr) -> pl.Expr:
    """Running count of rows meeting ``condition`` in the conversation (this row included)."""
    running = condition.cast(pl.UInt32).cum_sum()
    before_start = pl.when(pl.col(CONV) != pl.col(CONV).shift(1).fill_null(0)).then(
        running - condition.cast(pl.UInt32)
    )
    return running - before_start.forward_fill()
