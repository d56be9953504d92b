"""``csguard qc`` (conversation quality inspection of a chat log) and ``csguard demo-data``."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from csguard.cli import app
from csguard.errors import CsguardError
from csguard.services import qc as qc_service
from csguard.vocab import DEFAULT_PLATFORM, PLATFORMS

if TYPE_CHECKING:
    from rich.console import Console

    from csguard.services.qc import ImportResult, QcResult

EXIT_OK, EXIT_ERROR = 0, 2
SHOWN_ERRORS = 10


def _fail(message: str) -> typer.Exit:
    print(f"错误 (error): {message}", file=sys.stderr)
    return typer.Exit(EXIT_ERROR)


def _print_import(console: Console, imported: ImportResult) -> None:
    console.print(
        f"导入 (import): 读取 read={imported.read}  导入 imported={imported.imported}  "
        f"重复 duplicate={imported.duplicate}  拒绝 rejected={imported.rejected}"
    )
    for error in imported.errors[:SHOWN_ERRORS]:
        console.print(
            f"  [yellow]{error.file}:{error.line}:{error.field}[/]: {error.message}", highlight=False
        )
    if len(imported.errors) > SHOWN_ERRORS:
        console.print(f"  … {imported.rejected - SHOWN_ERRORS} more rejected rows")


def _print_summary(console: Console, result: QcResult) -> None:
    from rich.table import Table

    facts = qc_service.summary_facts(result)
    rate = "—" if facts["reply_rate"] is None else f"{facts['reply_rate']:.1%}"
    console.print(
        f"质检 (qc): {result.period[0]} ~ {result.period[1]}  消息 {facts['messages']}  咨询 {facts['consultations']}  "
        f"3分钟人工回复率 {rate}  违规 {facts['violations']}  消极服务 {facts['passive']}  "
        f"高风险会话 {facts['risky_conversations']}  提醒 {facts['alerts']}"
    )
    table = Table("客服", "得分", "等级", "3分钟回复率", "违规", "消极服务", title="客服评分")
    for agent in result.agents:
        rate_text = "—" if agent["reply_rate_3min"] is None else f"{agent['reply_rate_3min']:.1%}"
        table.add_row(
            agent["agent"],
            f"{agent['score']:.1f}",
            agent["grade"],
            rate_text,
            str(agent["violations"]),
            str(agent["passive"]),
        )
    console.print(table)
    for alert in result.alerts[:10]:
        style = "red" if alert.level == "critical" else "yellow"
        console.print(f"[{style}]● {alert.message}[/]", highlight=False)
    if result.training:
        console.print(
            "培训建议: "
            + "、".join(f"{t['topic']}({qc_service.category_label(t['category'])} {t['count']})" for t in result.training[:5])
        )


@app.command("qc")
def qc_command(
    log: Path = typer.Argument(..., help="Chat log: .jsonl, .csv or .xlsx (canonical fields or --mapping)."),
    platform: str = typer.Option(
        None, "--platform", "-p", help="pdd, douyin, taobao or tmall (SLA counting rule)."
    ),
    report: Path = typer.Option(None, "--report", help="Write the HTML report (Chinese, self-contained)."),
    xlsx: Path = typer.Option(None, "--xlsx", help="Write the Excel workbook."),
    json_out: Path = typer.Option(None, "--json", help="Write every metric and finding as JSON."),
    mapping: Path = typer.Option(
        None, "--mapping", help="Column-mapping file (YAML/JSON) for other exports."
    ),
    config: Path = typer.Option(None, "--config", help="QC config (YAML): sla, passive, alerts thresholds."),
    shop: str = typer.Option(None, "--shop", help="Shop name for logs without a shop column."),
    notify: list[str] = typer.Option([], "--notify", help="Webhook URL to post alerts to (repeatable)."),
    notify_kind: str = typer.Option("dingtalk", "--notify-kind", help="dingtalk, wecom or feishu."),
    notify_secret: str = typer.Option(None, "--notify-secret", help="Signing secret of the group robot."),
) -> None:
    """Quality-inspect a chat log: SLA metrics, findings, reports and alerts."""
    from rich.console import Console

    console = Console()
    try:
        imported, qc_config = qc_service.import_log(
            log, mapping=mapping, config=config, shop=shop, default_platform=platform or _settings_platform()
        )
        _print_import(console, imported)
        if imported.imported == 0:
            raise _fail(f"{log}: no valid chat events to inspect")
        result = _run(imported, platform or qc_service.log_platform(imported, _settings_platform()), qc_config)
        _write_outputs(console, result, report=report, xlsx=xlsx, json_out=json_out)
        _print_summary(console, result)
        if notify:
            _notify(console, result, notify, notify_kind, notify_secret)
    except CsguardError as exc:
        raise _fail(str(exc)) from None


def _settings_platform() -> str:
    from csguard.settings import get_settings

    return get_settings().default_platform


def _run(imported: ImportResult, platform: str, qc_config: Any) -> QcResult:
    from csguard.settings import get_settings

    max_chars = get_settings().max_text_chars
    result, skipped = qc_service.inspect_log(imported, platform, qc_config, max_chars)
    if skipped:
        print(f"注意: 跳过 {skipped} 条其他平台的消息 (not {platform})", file=sys.stderr)
    return result


def _write_outputs(
    console: Console, result: QcResult, *, report: Path | None, xlsx: Path | None, json_out: Path | None
) -> None:
    titles = {"html": "HTML 报告", "xlsx": "Excel 报告", "json": "JSON"}
    for kind, path in qc_service.write_reports(result, html=report, xlsx=xlsx, json_out=json_out):
        console.print(f"{titles[kind]}: {path}")


def _notify(console: Console, result: QcResult, urls: list[str], kind: str, secret: str | None) -> None:
    if not result.alerts:
        console.print("没有需要推送的提醒 (no alerts to send)")
        return
    for outcome in qc_service.send_alerts(result, urls, kind, secret):
        if outcome.ok:
            console.print(f"已推送 {outcome.kind}: {outcome.url} (attempts={outcome.attempts})")
        else:
            print(
                f"推送失败 {outcome.kind}: {outcome.url} after {outcome.attempts} attempts: {outcome.error}",
                file=sys.stderr,
            )


@app.command("demo-data")
def demo_data_command(
    out: Path = typer.Option(..., "--out", "-o", help="Output file: .jsonl or .csv."),
    shop: str = typer.Option("demo-shop", "--shop", help="Shop name."),
    platform: str = typer.Option(DEFAULT_PLATFORM, "--platform", "-p", help=", ".join(PLATFORMS)),
    days: int = typer.Option(7, "--days", min=1, help="Days of traffic."),
    messages: int = typer.Option(5000, "--messages", "-n", min=0, help="Number of messages."),
    seed: int = typer.Option(0, "--seed", help="Random seed: same seed and start, same data."),
    start: str = typer.Option(None, "--start", help="First day (YYYY-MM-DD); default: DAYS days ago."),
) -> None:
    """Write deterministic synthetic shop chat traffic (for the demo, tests and benchmarks)."""
    try:
        first = date.fromisoformat(start) if start else None
    except ValueError:
        raise _fail(f"--start {start!r} is not a date (YYYY-MM-DD)") from None
    written = qc_service.write_demo_events(
        out, shop=shop, platform=platform, days=days, messages=messages, seed=seed, start=first
    )
    if not written:
        raise _fail(f"{out}: use a .jsonl or .csv file name")
    print(f"wrote {messages} messages to {out}")
