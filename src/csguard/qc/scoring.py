"""Agent scores and training recommendations derived from metrics and findings.

Score (0-100, documented in docs/qc.md)::

    score = 100 - 50 * (1 - reply_rate)          # reply rate over the whole period
                - 5 * min(violations_per_100, 10) # guard violations per 100 agent messages
                - 2 * min(passive_per_100, 10)    # passive-service findings per 100 messages
                - 10 * min(privacy_per_100, 2)    # buyer PII repeated per 100 messages
    floored at 0, one decimal.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from csguard import vocab

TRAINING_TOPICS: dict[str, tuple[str, str]] = {
    vocab.OFFSITE_DIVERSION: (
        "站外引流红线",
        "不得引导买家加微信/QQ、留手机号或到站外交易；用平台内工具沟通。",
    ),
    vocab.REVIEW_MANIPULATION: ("评价规范", "不得以返现、红包、赠品诱导好评或改评；售后问题先解决再谈评价。"),
    vocab.ABSOLUTE_CLAIM: ("广告法极限词", "避免“最好/第一/全网最低”等绝对化用语，用具体参数描述商品。"),
    vocab.ABUSIVE_LANGUAGE: ("服务礼仪与情绪管理", "任何情况下不得辱骂、讽刺买家；遇到冲突及时转主管。"),
    vocab.PRIVACY_LEAK: ("买家隐私保护", "不得在聊天中泄露他人或买家的个人信息。"),
    vocab.FALSE_OR_FRAUD: ("虚假承诺与欺诈风险", "不得承诺做不到的服务，不得引导线下转账。"),
    vocab.SUPERSTITION: ("封建迷信宣传", "不得宣传开光、转运、招财等迷信功效。"),
    "buyer_pii_repeated": (
        "买家信息脱敏",
        "核对信息时不要在聊天中完整复述买家手机号/地址，用后四位或订单核对。",
    ),
    "repeated_reply": ("避免机械重复回复", "同一句话反复粘贴会被判为敷衍服务；针对买家问题作答。"),
    "ignored_question": ("有问必答", "买家直接提问时先回答问题，再寒暄；不要只回“在的/好的”。"),
    "long_silence": ("响应时效", "服务时段内 3 分钟内人工回复；忙时使用快捷短语先接待，不要让买家久等。"),
    "unanswered": ("不漏接咨询", "交班前检查未回复会话；机器人回复不计入人工回复。"),
}


def _per_agent_metrics(metrics: list[dict[str, Any]]) -> pl.DataFrame:
    rows = [m for m in metrics if m.get("agent") is not None]
    schema = {
        "agent": pl.String,
        "consultations": pl.Int64,
        "late": pl.Int64,
        "agent_messages": pl.Int64,
        "rounds": pl.Int64,
        "avg_response_s": pl.Float64,
    }
    frame = pl.DataFrame([{k: r.get(k) for k in schema} for r in rows], schema=schema)
    return frame.group_by("agent").agg(
        pl.col("consultations").sum(),
        pl.col("late").sum(),
        pl.col("agent_messages").sum().alias("messages"),
        # Days weigh by their number of rounds.
        (
            (pl.col("avg_response_s") * pl.col("rounds")).sum()
            / pl.col("rounds").filter(pl.col("avg_response_s").is_not_null()).sum()
        ).alias("avg_response_s"),
    )


def agent_table(metrics: list[dict[str, Any]], findings: pl.DataFrame) -> list[dict[str, Any]]:
    """One row per agent: volume, reply rate, finding counts, score and grade (best first)."""
    per_agent = _per_agent_metrics(metrics)
    counts = (
        findings.filter(
            pl.col("agent").is_not_null() & pl.col("kind").is_in(["violation", "passive", "privacy"])
        )
        .group_by("agent")
        .agg(
            (pl.col("kind") == "violation").sum().alias("violations"),
            (pl.col("kind") == "passive").sum().alias("passive"),
            (pl.col("kind") == "privacy").sum().alias("privacy"),
        )
    )
    table = per_agent.join(counts, on="agent", how="left").with_columns(
        pl.col(["violations", "passive", "privacy"]).fill_null(0)
    )
    out: list[dict[str, Any]] = []
    for row in table.iter_rows(named=True):
        messages = max(int(row["messages"] or 0), 1)
        rate = (row["consultations"] - row["late"]) / row["consultations"] if row["consultations"] else None
        row["reply_rate_3min"] = None if rate is None else round(rate, 4)
        row["score"] = score(
            rate,
            row["violations"] / messages * 100,
            row["passive"] / messages * 100,
            row["privacy"] / messages * 100,
        )
        row["grade"] = grade(row["score"])
        row["avg_response_s"] = None if row["avg_response_s"] is None else round(row["avg_response_s"], 1)
        out.append(row)
    return sorted(out, key=lambda r: (-r["score"], r["agent"]))


def score(
    reply_rate: float | None, violations_per_100: float, passive_per_100: float, privacy_per_100: float
) -> float:
    value = 100.0
    if reply_rate is not None:
        value -= 50 * (1 - reply_rate)
    value -= 5 * min(violations_per_100, 10) + 2 * min(passive_per_100, 10) + 10 * min(privacy_per_100, 2)
    return round(max(value, 0.0), 1)


def grade(value: float) -> str:
    if value >= 90:
        return "优秀"
    if value >= 75:
        return "良好"
    if value >= 60:
        return "合格"
    return "需改进"


def training_topics(findings: pl.DataFrame, *, limit: int = 8) -> list[dict[str, Any]]:
    """Topics ranked by how often their category occurs, with the agents who need them most."""
    relevant = findings.filter((pl.col("kind") != "risk") & pl.col("category").is_in(list(TRAINING_TOPICS)))
    by_category = relevant.group_by("category").agg(
        pl.len().alias("count"),
        pl.col("agent").drop_nulls().value_counts(sort=True).head(3).alias("agents"),
    )
    topics: list[dict[str, Any]] = []
    for row in (
        by_category.sort(["count", "category"], descending=[True, False]).head(limit).iter_rows(named=True)
    ):
        title, advice = TRAINING_TOPICS[row["category"]]
        agents = [a["agent"] for a in row["agents"]]
        topics.append(
            {
                "category": row["category"],
                "topic": title,
                "advice": advice,
                "count": row["count"],
                "agents": agents,
            }
        )
    return topics
