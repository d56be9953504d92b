"""The report's tables, shared by the HTML report and the Excel workbook (Chinese headers).

All texts shown here come from masked findings (``QcFinding``) or are masked here, so a
buyer's phone number, ID or address never reaches a report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import polars as pl

from csguard.privacy import mask_pii
from csguard.vocab import HIGH_RISK_SIGNALS, QC_REPORT_LABELS

if TYPE_CHECKING:
    from csguard.qc.runner import QcResult

LABELS: dict[str, str] = {
    **QC_REPORT_LABELS,
    "repeated_reply": "机械重复回复",
    "ignored_question": "答非所问",
    "long_silence": "长时间未回复",
    "unanswered": "未回复",
    "buyer_pii_repeated": "复述买家隐私",
    "violation": "违规话术",
    "risk": "高风险买家",
    "passive": "消极服务",
    "privacy": "隐私",
}
DETAIL_ROWS = 200  # the HTML shows the latest findings; the workbook has them all


def label(key: str | None) -> str:
    return LABELS.get(key or "", key or "")


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    headers: list[str]
    rows: list[list[Any]]


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _secs(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} 秒"


def daily_table(result: QcResult) -> Table:
    rows = [
        [
            m["date"],
            m["consultations"],
            m["late"],
            _pct(m["reply_rate_3min"]),
            _secs(m["avg_first_response_s"]),
            _secs(m["avg_response_s"]),
            m["unanswered"],
            _pct(m["robot_share"]),
        ]
        for m in result.shop_metrics()
    ]
    return Table(
        "每日全店指标",
        ["日期", "咨询数", "超时", "3分钟人工回复率", "平均首响", "平均响应", "未回复买家", "机器人占比"],
        rows,
    )


def agent_score_table(result: QcResult) -> Table:
    rows = [
        [
            a["agent"],
            a["score"],
            a["grade"],
            a["messages"],
            a["consultations"],
            _pct(a["reply_rate_3min"]),
            _secs(a["avg_response_s"]),
            a["violations"],
            a["passive"],
            a["privacy"],
        ]
        for a in result.agents
    ]
    return Table(
        "客服评分",
        [
            "客服",
            "得分",
            "等级",
            "发送消息",
            "接待咨询",
            "3分钟回复率",
            "平均响应",
            "违规",
            "消极服务",
            "隐私",
        ],
        rows,
    )


def top_phrases(result: QcResult, limit: int = 20) -> Table:
    hits = result.findings_frame.filter(pl.col("kind").is_in(["violation", "risk"]))
    counted = (
        hits.select("kind", "category", "matched")
        .explode("matched")
        .drop_nulls("matched")
        .group_by("kind", "category", "matched")
        .len()
        .sort(["len", "matched"], descending=[True, False])
        .head(limit)
    )
    rows = [[mask_pii(m), label(k), label(c), n] for k, c, m, n in counted.iter_rows()]
    return Table("高频风险词", ["词语", "来源", "类别", "次数"], rows)


def _high_risk(findings: pl.DataFrame) -> pl.DataFrame:
    # One meaning of "risky" project-wide (vocab.HIGH_RISK_SIGNALS): spam ads are noise.
    return findings.filter((pl.col("kind") == "risk") & pl.col("category").is_in(list(HIGH_RISK_SIGNALS)))


def risky_conversations(result: QcResult, limit: int = 30) -> Table:
    risk = _high_risk(result.findings_frame)
    grouped = (
        risk.sort("ts")
        .group_by("shop", "conversation_id")
        .agg(
            pl.col("category").unique().sort(),
            pl.len().alias("count"),
            pl.col("ts").first(),
            pl.col("agent").drop_nulls().first(),
            pl.col("text").first(),
        )
        .sort(["count", "ts"], descending=[True, False])
        .head(limit)
    )
    rows = [
        [
            conv,
            "、".join(label(c) for c in cats),
            count,
            _local(ts, result.config.sla.timezone),
            agent or "—",
            mask_pii(text or ""),
        ]
        for _, conv, cats, count, ts, agent, text in grouped.iter_rows()
    ]
    return Table("高风险会话", ["会话", "信号", "次数", "首次时间", "负责客服", "买家原话（已脱敏）"], rows)


def _local(ts: str | datetime, timezone: str) -> str:
    """A UTC timestamp as the shop's local ``YYYY-MM-DD HH:MM``."""
    if not ts:
        return ""
    moment = datetime.fromisoformat(ts) if isinstance(ts, str) else ts
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


def findings_table(result: QcResult, limit: int | None = DETAIL_ROWS, kinds: tuple[str, ...] = ()) -> Table:
    selected = [f for f in result.findings if not kinds or f.kind in kinds]
    if limit is not None:
        selected = selected[-limit:]
    timezone = result.config.sla.timezone
    rows = [
        [
            _local(f.ts, timezone),
            label(f.kind),
            label(f.category),
            f.agent or "—",
            f.conversation_id,
            f.message_id,
            f.text,
            "、".join(f.matched) or f.note,
        ]
        for f in selected
    ]
    return Table(
        "质检明细", ["时间", "类型", "类别", "客服", "会话", "消息", "内容（已脱敏）", "命中/说明"], rows
    )


def training_table(result: QcResult) -> Table:
    rows = [
        [t["topic"], label(t["category"]), t["count"], "、".join(t["agents"]), t["advice"]]
        for t in result.training
    ]
    return Table("培训建议", ["培训主题", "来源问题", "次数", "重点客服", "要点"], rows)


def alerts_table(result: QcResult) -> Table:
    rows = [[a.date, "严重" if a.level == "critical" else "警告", a.message] for a in result.alerts]
    return Table("健康提醒", ["日期", "级别", "内容"], rows)


def summary(result: QcResult) -> dict[str, Any]:
    shop = result.shop_metrics()
    consultations = sum(m["consultations"] for m in shop)
    late = sum(m["late"] for m in shop)
    kinds = result.findings_frame.group_by("kind").len()
    per_kind: dict[str, int] = {k: n for k, n in kinds.iter_rows()}
    risky = _high_risk(result.findings_frame).select("conversation_id").n_unique()
    return {
        "messages": result.messages,
        "consultations": consultations,
        "reply_rate": (consultations - late) / consultations if consultations else None,
        "violations": per_kind.get("violation", 0),
        "passive": per_kind.get("passive", 0),
        "privacy": per_kind.get("privacy", 0),
        "risky_conversations": risky,
        "alerts": len(result.alerts),
    }
