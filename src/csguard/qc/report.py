"""The weekly QC report: self-contained HTML (Plotly JS inlined once) and an Excel workbook."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import polars as pl

from csguard.qc import tables
from csguard.qc.tables import Table, label
from csguard.vocab import PLATFORM_LABELS

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from csguard.qc.runner import QcResult

PLATFORM_NAMES = PLATFORM_LABELS
BEIJING_ZONES = frozenset({"Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "PRC"})
_FONT = "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif"


def _layout(fig: go.Figure, title: str) -> go.Figure:
    fig.update_layout(
        title=title,
        font={"family": _FONT},
        height=360,
        margin={"l": 50, "r": 20, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.2},
        template="plotly_white",
    )
    return fig


def reply_rate_chart(result: QcResult) -> go.Figure:
    import plotly.graph_objects as go

    shop = result.shop_metrics()
    dates = [m["date"] for m in shop]
    rates = [None if m["reply_rate_3min"] is None else round(m["reply_rate_3min"] * 100, 1) for m in shop]
    target = result.config.sla.target_rate * 100
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=dates, y=rates, mode="lines+markers", name="3分钟人工回复率(%)"))
    fig.add_trace(
        go.Scatter(
            x=dates,
            y=[target] * len(dates),
            mode="lines",
            name=f"平台要求 {target:.0f}%",
            line={"dash": "dash", "color": "#d62728"},
        )
    )
    fig.update_yaxes(range=[0, 100], ticksuffix="%")
    fig.update_xaxes(type="category")  # one tick per day, not a time axis with hours
    return _layout(fig, "每日3分钟人工回复率")


def violations_chart(result: QcResult) -> go.Figure:
    import plotly.graph_objects as go

    violations = result.findings_frame.filter(pl.col("kind") == "violation")
    counts = violations.group_by("agent", "category").len().sort("agent")
    fig = go.Figure()
    for category in sorted(counts.get_column("category").unique().to_list()):
        part = counts.filter(pl.col("category") == category)
        fig.add_trace(
            go.Bar(
                x=part.get_column("agent").to_list(), y=part.get_column("len").to_list(), name=label(category)
            )
        )
    fig.update_layout(barmode="stack")
    return _layout(fig, "各客服违规话术（按类别）")


def findings_by_category_chart(result: QcResult) -> go.Figure:
    import plotly.graph_objects as go

    counts = result.findings_frame.group_by("kind", "category").len().sort("len", descending=True)
    names = [f"{label(k)}·{label(c)}" for k, c, _ in counts.iter_rows()]
    fig = go.Figure(go.Bar(x=counts.get_column("len").to_list(), y=names, orientation="h"))
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, "质检发现（按类别）")


def _charts(result: QcResult) -> list[str]:
    figures = [reply_rate_chart(result), violations_chart(result), findings_by_category_chart(result)]
    config = {"displaylogo": False, "responsive": True}
    # The whole Plotly bundle goes into the page once (no CDN), with the first chart.
    return [
        fig.to_html(full_html=False, include_plotlyjs=(i == 0), config=config, default_width="100%")
        for i, fig in enumerate(figures)
    ]


def generated_local(result: QcResult) -> str:
    """When the report was made, on the shop's wall clock (``2026-12-04 23:01``), not UTC ISO."""
    moment = datetime.fromisoformat(result.generated_at)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    zone = result.config.sla.timezone
    local = moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")
    # Chinese shops read "北京时间"; any other zone is the shop's own local time.
    return f"{local}（{'北京时间' if zone in BEIJING_ZONES else '当地时间'}）"


def report_tables(result: QcResult, *, detail_limit: int | None = tables.DETAIL_ROWS) -> list[Table]:
    return [
        tables.alerts_table(result),
        tables.daily_table(result),
        tables.agent_score_table(result),
        tables.training_table(result),
        tables.top_phrases(result),
        tables.risky_conversations(result),
        tables.findings_table(result, limit=detail_limit),
    ]


def render_html(result: QcResult) -> str:
    """The report page as one self-contained HTML string (the dashboard serves it too)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("csguard.qc", "templates"), autoescape=select_autoescape(["html"]))
    context: dict[str, Any] = {
        "platform": PLATFORM_NAMES.get(result.platform, result.platform),
        "result": result,
        "generated": generated_local(result),
        "summary": tables.summary(result),
        "charts": _charts(result),
        "tables": report_tables(result),
        "target": result.config.sla.target_rate,
    }
    return env.get_template("report.html").render(**context)


def write_html(result: QcResult, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(render_html(result), encoding="utf-8")
    return path


def write_xlsx(result: QcResult, path: str | Path) -> Path:
    """The same tables as the HTML report, one sheet each, plus every finding."""
    import xlsxwriter

    path = Path(path)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    try:
        bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        overview = workbook.add_worksheet("概览")
        summary = tables.summary(result)
        items = [
            ("平台", PLATFORM_NAMES.get(result.platform, result.platform)),
            ("统计区间", f"{result.period[0]} ~ {result.period[1]}"),
            ("生成时间", generated_local(result)),
            ("消息数", summary["messages"]),
            ("咨询数", summary["consultations"]),
            ("3分钟人工回复率", "—" if summary["reply_rate"] is None else f"{summary['reply_rate']:.1%}"),
            ("违规话术", summary["violations"]),
            ("消极服务", summary["passive"]),
            ("高风险会话", summary["risky_conversations"]),
            ("健康提醒", summary["alerts"]),
        ]
        for i, (key, value) in enumerate(items):
            overview.write(i, 0, key, bold)
            overview.write(i, 1, value)
        overview.set_column(0, 1, 20)
        for table in report_tables(result, detail_limit=None):
            sheet = workbook.add_worksheet(table.title[:31])
            sheet.write_row(0, 0, table.headers, bold)
            for r, row in enumerate(table.rows, start=1):
                sheet.write_row(r, 0, row)
            sheet.set_column(0, len(table.headers) - 1, 16)
            sheet.freeze_panes(1, 0)
    finally:
        workbook.close()
    return path
