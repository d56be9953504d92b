"""Reply-time SLA metrics with each platform's counting rule (see docs/qc.md).

Shared vocabulary:

* a **round** is the run of buyer messages between two human (agent) replies; it is timed
  from its FIRST buyer message inside service hours on a given local day, to the next
  agent message (any type: text, card, coupon). Robot and system messages never stop the
  clock;
* a **dialogue** is one conversation on one local day.

The platforms differ only in what they count (``SlaRule``): pdd counts buyers per day,
douyin counts rounds, taobao/tmall average the response time per dialogue (capped at
10 minutes, rounds answered on another day excluded).
"""

from __future__ import annotations

from datetime import time
from typing import Any, ClassVar

import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from csguard.plugins import Registry
from csguard.qc.columns import (
    CONV,
    backward_fill_within,
    count_within,
    forward_fill_within,
    in_conversation_order,
    with_conversation_key,
)
from csguard.vocab import DEFAULT_TIMEZONE, DOUYIN, PDD, TAOBAO, TMALL


class SlaConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    threshold_s: float = Field(default=180, gt=0, description="A reply within this many seconds is on time.")
    service_start: time | None = Field(
        default=None, description="Start of service hours (local); None = rule default."
    )
    service_end: time | None = Field(default=None, description="End of service hours, inclusive.")
    all_day: bool = Field(default=False, description="Count buyer messages at any hour.")
    timezone: str = Field(default=DEFAULT_TIMEZONE, description="Local time zone of the shop.")
    response_cap_s: float = Field(default=600, gt=0, description="taobao/tmall: cap per dialogue.")
    window_days: int | None = Field(default=None, ge=1, description="Only the last N local days of the log.")
    target_rate: float = Field(default=0.8, ge=0, le=1, description="Platform minimum for the 3-minute rate.")


class SlaRule:
    """What a platform counts as one consultation and how it averages response times."""

    name: ClassVar[str]
    default_hours: ClassVar[tuple[time, time] | None] = (time(8, 0, 0), time(23, 0, 0))
    caps_per_dialogue: ClassVar[bool] = False

    def unit(self) -> list[str]:
        raise NotImplementedError


sla_rules: Registry[type[SlaRule]] = Registry("SLA rule")


@sla_rules.register(PDD)
class PddRule(SlaRule):
    """3分钟人工回复率: buyers per day; a buyer is late if any of their rounds is."""

    name = PDD

    def unit(self) -> list[str]:
        return ["buyer_id"]


@sla_rules.register(DOUYIN)
class DouyinRule(SlaRule):
    """飞鸽: every round counts on its own."""

    name = DOUYIN

    def unit(self) -> list[str]:
        return [CONV, "seq"]


@sla_rules.register(TAOBAO)
class TaobaoRule(SlaRule):
    """平均人工响应时长: mean per dialogue, capped, any hour; cross-day rounds excluded."""

    name = TAOBAO
    default_hours = None
    caps_per_dialogue = True

    def unit(self) -> list[str]:
        return [CONV]


@sla_rules.register(TMALL)
class TmallRule(TaobaoRule):
    name = TMALL


def _service_hours(rule: SlaRule, config: SlaConfig) -> tuple[time, time] | None:
    if config.all_day:
        return None
    if config.service_start is not None or config.service_end is not None:
        return (config.service_start or time(0), config.service_end or time(23, 59, 59, 999999))
    return rule.default_hours


def conversation_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame in conversation order with its ``_conv`` key (no-op when already there)."""
    if CONV in frame.columns:
        return frame
    return with_conversation_key(in_conversation_order(frame))


def timed_rounds(frame: pl.DataFrame, *, rule: SlaRule, config: SlaConfig) -> pl.DataFrame:
    """One row per timed round: start, reply, response_s, late, credited agent, local date."""
    is_agent = pl.col("sender") == "agent"
    agent_ts = pl.when(is_agent).then(pl.col("ts"))
    agent_name = pl.when(is_agent).then(pl.col("agent"))
    events = (
        conversation_frame(frame)
        .select(CONV, "shop", "conversation_id", "buyer_id", "message_id", "ts", "sender", "agent")
        .with_columns(
            seq=count_within(is_agent),
            reply_ts=backward_fill_within(agent_ts),
            reply_agent=backward_fill_within(agent_name),
            prev_agent=forward_fill_within(agent_name),
            local=pl.col("ts").dt.convert_time_zone(config.timezone),
        )
    )
    buyers = events.filter(pl.col("sender") == "buyer").with_columns(date=pl.col("local").dt.date())
    hours = _service_hours(rule, config)
    if hours is not None:
        clock = pl.col("local").dt.time()
        buyers = buyers.filter((clock >= hours[0]) & (clock <= hours[1]))
    rounds = buyers.group_by([CONV, "seq", "date"], maintain_order=True).agg(
        pl.col("shop").first(),
        pl.col("conversation_id").first(),
        pl.col("buyer_id").first(),
        pl.col("message_id").first(),
        pl.col("ts").first().alias("start"),
        pl.col("reply_ts").first(),
        pl.col("reply_agent").first(),
        pl.col("prev_agent").first(),
    )
    response = (pl.col("reply_ts") - pl.col("start")).dt.total_microseconds() / 1_000_000
    return rounds.with_columns(
        response_s=response,
        answered=pl.col("reply_ts").is_not_null(),
        late=pl.col("reply_ts").is_null() | (response > config.threshold_s),
        # Unanswered rounds are charged to the agent who last served the buyer.
        agent=pl.coalesce("reply_agent", "prev_agent"),
        cross_day=pl.col("reply_ts").dt.convert_time_zone(config.timezone).dt.date() != pl.col("date"),
    )


def _aggregate(rounds: pl.DataFrame, keys: list[str], *, rule: SlaRule, config: SlaConfig) -> pl.DataFrame:
    units = rounds.group_by([*keys, *rule.unit()]).agg(pl.col("late").any())
    per_unit = units.group_by(keys).agg(pl.len().alias("consultations"), pl.col("late").sum().alias("late"))
    dialogues = (
        rounds.sort("start")
        .group_by([*keys, CONV])
        .agg(
            pl.col("response_s").first().alias("first_response_s"),
            pl.col("response_s")
            .filter(pl.col("answered") & ~pl.col("cross_day").fill_null(False))
            .mean()
            .alias("dialogue_mean_s"),
        )
    )
    per_dialogue = dialogues.group_by(keys).agg(
        pl.col("first_response_s").mean().alias("avg_first_response_s"),
        pl.col("dialogue_mean_s").clip(upper_bound=config.response_cap_s).mean().alias("capped_response_s"),
    )
    per_round = rounds.group_by(keys).agg(
        pl.len().alias("rounds"),
        pl.col("late").sum().alias("late_rounds"),
        pl.col("response_s").mean().alias("round_response_s"),
        pl.col("buyer_id").filter(~pl.col("answered")).n_unique().alias("unanswered"),
    )
    out = per_unit.join(per_dialogue, on=keys, how="left", nulls_equal=True).join(
        per_round, on=keys, how="left", nulls_equal=True
    )
    average = "capped_response_s" if rule.caps_per_dialogue else "round_response_s"
    return out.with_columns(
        reply_rate_3min=(pl.col("consultations") - pl.col("late")) / pl.col("consultations"),
        avg_response_s=pl.col(average),
    )


def _message_counts(frame: pl.DataFrame, config: SlaConfig) -> pl.DataFrame:
    local_date = pl.col("ts").dt.convert_time_zone(config.timezone).dt.date().alias("date")
    return frame.group_by("shop", local_date).agg(
        (pl.col("sender") == "agent").sum().alias("agent_messages"),
        (pl.col("sender") == "robot").sum().alias("robot_messages"),
        pl.col("buyer_id").filter(pl.col("sender") == "buyer").n_unique().alias("buyers"),
    )


def window_frame(frame: pl.DataFrame, config: SlaConfig) -> pl.DataFrame:
    if config.window_days is None or frame.height == 0:
        return frame
    local_date = pl.col("ts").dt.convert_time_zone(config.timezone).dt.date()
    last = frame.select(local_date.max()).item()
    return frame.filter(local_date > pl.lit(last) - pl.duration(days=config.window_days))


ROW_FIELDS = (
    "date", "shop", "agent", "consultations", "late", "reply_rate_3min", "avg_first_response_s",
    "avg_response_s", "unanswered", "robot_share", "rounds", "late_rounds", "agent_messages",
    "robot_messages", "buyers",
)  # fmt: skip


def metrics_frame(
    frame: pl.DataFrame, *, platform: str, config: SlaConfig | None = None, rounds: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Per (date, shop) rows with ``agent`` null, then per (date, shop, agent) rows.

    ``rounds`` may be passed when the caller already has ``timed_rounds`` of this frame.
    """
    config = config or SlaConfig()
    rule = sla_rules.get(platform)()
    frame = window_frame(frame, config)
    if rounds is None:
        rounds = timed_rounds(frame, rule=rule, config=config)
    shop_rows = _aggregate(rounds, ["date", "shop"], rule=rule, config=config)
    counts = _message_counts(frame, config)
    shop_rows = counts.join(shop_rows, on=["date", "shop"], how="left").with_columns(
        pl.lit(None, dtype=pl.String).alias("agent"),
        (pl.col("robot_messages") / (pl.col("robot_messages") + pl.col("agent_messages"))).alias(
            "robot_share"
        ),
    )
    agent_rows = _aggregate(
        rounds.filter(pl.col("agent").is_not_null()), ["date", "shop", "agent"], rule=rule, config=config
    )
    sent = (
        frame.filter(pl.col("sender") == "agent")
        .group_by(pl.col("ts").dt.convert_time_zone(config.timezone).dt.date().alias("date"), "shop", "agent")
        .agg(pl.len().alias("agent_messages"))
    )
    agent_rows = agent_rows.join(sent, on=["date", "shop", "agent"], how="full", coalesce=True).with_columns(
        pl.lit(None, dtype=pl.Float64).alias("robot_share"),
        pl.lit(0, dtype=pl.UInt32).alias("robot_messages"),
        pl.lit(None, dtype=pl.UInt32).alias("buyers"),
    )
    rows = pl.concat(
        [shop_rows.select(ROW_FIELDS), agent_rows.select(ROW_FIELDS)], how="vertical_relaxed"
    ).with_columns(
        pl.col(["consultations", "late", "rounds", "late_rounds", "unanswered", "agent_messages"]).fill_null(
            0
        ),
        pl.col("date").dt.to_string("%Y-%m-%d"),
    )
    return rows.sort(["date", "shop", "agent"], nulls_last=False)


def compute_metrics(
    frame: pl.DataFrame, *, platform: str, config: SlaConfig | None = None, rounds: pl.DataFrame | None = None
) -> list[dict[str, Any]]:
    """Metric rows (``date``, ``agent`` None for the whole shop, ``consultations``, ``late``, ...)."""
    rows = metrics_frame(frame, platform=platform, config=config, rounds=rounds).to_dicts()
    for row in rows:
        for key in ("reply_rate_3min", "avg_first_response_s", "avg_response_s", "robot_share"):
            if row[key] is not None:
                row[key] = round(float(row[key]), 4)
    return rows
