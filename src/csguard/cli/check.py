"""``csguard check`` (agent messages) and ``csguard triage`` (buyer messages).

Single mode renders one verdict for a person; batch mode (``--input FILE.jsonl``) is the
machine contract the quality evaluation relies on, so its output shape must not drift.
Every CLI module is loaded at start-up, so this one imports nothing heavier than the Rich
parts it prints with (the progress bar only in batch mode).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from csguard.cli import app
from csguard.errors import CsguardError, InvalidInput

if TYPE_CHECKING:
    from csguard.guard import Guard
    from csguard.results import CheckResult, Finding, TriageResult

# Exit codes of single mode; batch mode exits 0 unless no line at all could be processed.
EXIT_ALLOW, EXIT_WARN, EXIT_BLOCK, EXIT_ERROR = 0, 1, 2, 3
VERDICT_EXIT = {"allow": EXIT_ALLOW, "warn": EXIT_WARN, "block": EXIT_BLOCK}
VERDICT_LABEL = {
    "allow": ("✓ 可以发送 (allow)", "bold green"),
    "warn": ("⚠ 建议修改 (warn)", "bold yellow"),
    "block": ("✗ 禁止发送 (block)", "bold red"),
}
SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan"}

TextArg = typer.Argument(None, help="Message to check; '-' reads it from stdin. Omit when using --input.")
InputOpt = typer.Option(
    None, "--input", "-i", help="Batch mode: JSONL file with {id, text, platform?} lines."
)
OutputOpt = typer.Option(None, "--output", "-o", help="Batch mode: JSONL result file (default: stdout).")
PlatformOpt = typer.Option(
    None, "--platform", "-p", help="pdd, taobao, tmall or douyin (default: CSGUARD_DEFAULT_PLATFORM, pdd)."
)
CustomOpt = typer.Option([], "--custom-word", "-w", help="Extra shop-level banned word (repeatable).")
AllowOpt = typer.Option([], "--allow-word", "-a", help="Shop-level allowed word (repeatable).")
JsonOpt = typer.Option(False, "--json", help="Single mode: print the result as JSON instead of a report.")
ExplainOpt = typer.Option(
    False, "--explain", help="Show which part fired: a rule (its id and matched words) or the model (its score)."
)
NoModelOpt = typer.Option(False, "--no-model", help="Rules only: turn the learned second opinion off.")


class GuardCache:
    """One Guard per platform: construction compiles the rule packs, so it happens once per platform."""

    def __init__(self, custom_words: list[str], allow_words: list[str], model: bool = True) -> None:
        self._custom_words = custom_words
        self._allow_words = allow_words
        self._model = model
        self._guards: dict[str, Guard | CsguardError] = {}

    def get(self, platform: str) -> Guard:
        if platform not in self._guards:
            from csguard.guard import Guard
            from csguard.settings import get_settings

            try:
                self._guards[platform] = Guard(
                    platform=platform,
                    custom_words=self._custom_words,
                    allow_words=self._allow_words,
                    max_chars=get_settings().max_text_chars,
                    model=self._model,
                )
            except CsguardError as exc:  # remember the failure: a bad platform fails fast on every line
                self._guards[platform] = exc
        guard = self._guards[platform]
        if isinstance(guard, CsguardError):
            raise guard
        return guard


def _default_platform(platform: str | None) -> str:
    if platform:
        return platform
    from csguard.settings import get_settings

    return get_settings().default_platform


def _fail(message: str) -> typer.Exit:
    typer.echo(f"错误: {message}", err=True)
    return typer.Exit(EXIT_ERROR)


def _read_single_text(text: str | None, input_path: Path | None) -> str:
    if input_path is not None and text is not None:
        raise _fail("give either a message or --input FILE, not both")
    if text is None:
        raise _fail("give a message to check, '-' to read it from stdin, or --input FILE.jsonl")
    return sys.stdin.read().rstrip("\n") if text == "-" else text


# ---------------------------------------------------------------------------- single mode


def _highlighted(text: str, findings: list[Finding]) -> Text:
    # A rich Text object is never parsed as markup, so user text like "[red]" prints verbatim.
    out = Text(text)
    for f in findings:
        out.stylize(f"bold reverse {SEVERITY_STYLE.get(f.severity, 'red')}", f.start, f.end)
    return out


# Below this width a seven-column table turns into a narrow tower; one block per finding reads better.
WIDE_TABLE_COLUMNS = 140


def _advice(f: Finding) -> Text:
    out = Text(f.message or "")
    if f.suggestion:
        out.append(("\n" if f.message else "") + "→ " + f.suggestion, style="green")
    return out or Text("-")


def _findings_table(findings: list[Finding], kind_title: str) -> Table:
    table = Table(title="命中项 (findings)", box=box.MINIMAL, show_lines=True, expand=False)
    for title in ("rule", kind_title, "severity", "span"):
        table.add_column(title, no_wrap=True)
    table.add_column("matched", overflow="fold", min_width=4)
    table.add_column("explanation", overflow="fold", ratio=1)
    table.add_column("message → suggestion", overflow="fold", ratio=1)
    for f in findings:
        table.add_row(
            Text(f.rule_id),
            Text(f.category),
            Text(f.severity, style=SEVERITY_STYLE.get(f.severity, "")),
            Text(f"{f.start}-{f.end}"),
            Text(f.matched, style="bold"),
            Text(f.explanation or "-"),
            _advice(f),
        )
    return table


def _findings_blocks(findings: list[Finding], kind_title: str) -> Group:
    """The same fields as the table, one labelled block per finding, for narrow terminals."""
    parts: list[Text | Table] = [Text("命中项 (findings)", style="bold")]
    for n, f in enumerate(findings, 1):
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, style="dim")
        grid.add_column(overflow="fold")
        grid.add_row(
            Text(f"[{n}]"), Text(f.matched, style="bold").append(f"  span {f.start}-{f.end}", style="")
        )
        grid.add_row("rule", Text(f.rule_id))
        grid.add_row(kind_title, Text(f.category))
        grid.add_row("severity", Text(f.severity, style=SEVERITY_STYLE.get(f.severity, "")))
        grid.add_row("explanation", Text(f.explanation or "-"))
        grid.add_row("suggestion", _advice(f))
        parts.append(grid)
    return Group(*parts)


def _findings_view(console: Console, findings: list[Finding], kind_title: str) -> Table | Group:
    if console.width >= WIDE_TABLE_COLUMNS:
        return _findings_table(findings, kind_title)
    return _findings_blocks(findings, kind_title)


def _render_check(console: Console, result: CheckResult) -> None:
    label, style = VERDICT_LABEL[result.verdict]
    console.print(Text(f"{label}  平台: {result.platform}", style=style))
    console.print(Text("原文: ").append_text(_highlighted(result.text, result.findings)))
    if result.findings:
        console.print(_findings_view(console, result.findings, "category"))
        console.print(Text("建议改写: ", style="bold").append(result.rewrite))


def _render_triage(console: Console, result: TriageResult) -> None:
    if result.escalate:
        console.print(Text(f"⚠ 需要升级处理 (escalate)  信号: {', '.join(result.signals)}", style="bold red"))
    else:
        console.print(Text("✓ 无需升级 (no escalation)", style="bold green"))
    console.print(Text("买家消息: ").append_text(_highlighted(result.text, result.findings)))
    if result.findings:
        console.print(_findings_view(console, result.findings, "signal"))


def explain_lines(findings: list[dict[str, Any]]) -> list[str]:
    """Which part fired, one line per finding (``Finding.to_dict``): a rule and the words it
    matched, or the model and its score."""
    lines = []
    for f in findings:
        if f.get("score") is not None:
            lines.append(f"模型 {f['rule_id']}：置信度 {f['score']:.2f}，没有命中具体规则（整句）")
        else:
            lines.append(f"规则 {f['rule_id']}：命中“{f['matched']}”（位置 {f['start']}-{f['end']}）")
    return lines


def _render_explain(console: Console, findings: list[Finding]) -> None:
    console.print(Text("判断依据 (explain):", style="bold"))
    for line in explain_lines([f.to_dict() for f in findings]) or ["规则和模型都没有发现问题"]:
        console.print(Text("  " + line))


def _print_json(payload: dict[str, Any]) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))


# ---------------------------------------------------------------------------- batch mode


@dataclass
class BatchStats:
    read: int = 0
    processed: int = 0
    skipped: int = 0


def _parse_line(raw: bytes, default_platform: str) -> tuple[Any, str, str]:
    """Return (id, text, platform) or raise InvalidInput naming the faulty field."""
    try:
        obj = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"not valid UTF-8: {exc.reason}") from exc
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"not JSON: {exc.msg}") from exc
    if not isinstance(obj, dict):
        raise InvalidInput(f"expected a JSON object, got {type(obj).__name__}")
    if "text" not in obj:
        raise InvalidInput("is missing", details={"field": "text"})
    if not isinstance(obj["text"], str):
        raise InvalidInput(f"must be a string, got {type(obj['text']).__name__}", details={"field": "text"})
    platform = obj.get("platform", default_platform)
    if not isinstance(platform, str):
        raise InvalidInput(f"must be a string, got {type(platform).__name__}", details={"field": "platform"})
    return obj.get("id"), obj["text"], platform


def _iter_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, 1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]  # Excel and Notepad write a UTF-8 BOM
            if raw.strip():
                yield number, raw


def _run_batch(
    input_path: Path,
    output_path: Path | None,
    default_platform: str,
    guards: GuardCache,
    evaluate: Callable[[Guard, str], dict[str, Any]],
) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    err = Console(stderr=True)
    try:
        guards.get(default_platform)  # a broken engine or bad --platform fails once, not on every line
    except CsguardError as exc:
        raise _fail(str(exc)) from exc
    try:
        total = sum(1 for _ in _iter_lines(input_path))
        out = output_path.open("w", encoding="utf-8") if output_path else sys.stdout
    except OSError as exc:
        raise _fail(f"cannot open {exc.filename}: {exc.strerror}") from exc
    stats = BatchStats()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    try:
        # Only a terminal gets the bar: in CI logs it would be one stray line per run.
        with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as progress:
            task = progress.add_task("检查中", total=total)
            for number, raw in _iter_lines(input_path):
                stats.read += 1
                progress.advance(task)
                field: str | None = None
                try:
                    line_id, text, platform = _parse_line(raw, default_platform)
                    field = "platform"
                    guard = guards.get(platform)
                    field = "text"
                    row = {"id": line_id, **evaluate(guard, text)}
                except CsguardError as exc:
                    stats.skipped += 1
                    field = exc.details.get("field", field)
                    where = f"{input_path}:{number}" + (f" field '{field}'" if field else "")
                    err.print(Text(f"跳过 {where}: {exc.message}", style="yellow"), soft_wrap=True)
                    continue
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                stats.processed += 1
    finally:
        if out is not sys.stdout:
            out.close()
    err.print(
        f"读取 {stats.read} 行, 处理 {stats.processed} 行, 跳过 {stats.skipped} 行",
        highlight=False,
        soft_wrap=True,
    )
    if stats.processed == 0 and stats.read > 0:
        raise _fail(f"no line of {input_path} could be processed")


def _check_row(guard: Guard, text: str) -> dict[str, Any]:
    result = guard.check(text)
    return {
        "verdict": result.verdict,
        "categories": result.categories,
        "findings": [f.to_dict() for f in result.findings],
    }


def _triage_row(guard: Guard, text: str) -> dict[str, Any]:
    result = guard.triage(text)
    return {
        "escalate": result.escalate,
        "signals": result.signals,
        "findings": [f.to_dict() for f in result.findings],
    }


# ---------------------------------------------------------------------------- commands


def _single_check(guard: Guard, message: str, as_json: bool, explain: bool) -> int:
    result = guard.check(message)
    if as_json:
        _print_json(result.to_dict() | ({"explain": explain_lines(result.to_dict()["findings"])} if explain else {}))
    else:
        console = Console()
        _render_check(console, result)
        if explain:
            _render_explain(console, result.findings)
    return VERDICT_EXIT[result.verdict]


def _single_triage(guard: Guard, message: str, as_json: bool, explain: bool) -> int:
    result = guard.triage(message)
    if as_json:
        _print_json(result.to_dict() | ({"explain": explain_lines(result.to_dict()["findings"])} if explain else {}))
    else:
        console = Console()
        _render_triage(console, result)
        if explain:
            _render_explain(console, result.findings)
    return 1 if result.escalate else 0


def _command(
    single: Callable[[Guard, str, bool, bool], int], row: Callable[[Guard, str], dict[str, Any]]
) -> Callable[..., None]:
    """``check`` and ``triage`` share options, modes and error handling; only the evaluation differs."""

    def command(
        text: str | None = TextArg,
        input_path: Path | None = InputOpt,
        output_path: Path | None = OutputOpt,
        platform: str | None = PlatformOpt,
        custom_word: list[str] = CustomOpt,
        allow_word: list[str] = AllowOpt,
        as_json: bool = JsonOpt,
        explain: bool = ExplainOpt,
        no_model: bool = NoModelOpt,
    ) -> None:
        guards = GuardCache(custom_word, allow_word, model=not no_model)
        default_platform = _default_platform(platform)
        if input_path is not None and text is None:

            def explained(guard: Guard, message: str) -> dict[str, Any]:
                out = row(guard, message)
                return out | {"explain": explain_lines(out["findings"])} if explain else out

            _run_batch(input_path, output_path, default_platform, guards, explained)
            return
        message = _read_single_text(text, input_path)
        try:
            code = single(guards.get(default_platform), message, as_json, explain)
        except CsguardError as exc:
            raise _fail(str(exc)) from exc
        raise typer.Exit(code)

    return command


app.command(
    "check", help="Check an agent's message before it is sent. Exit code: 0 allow, 1 warn, 2 block, 3 error."
)(_command(_single_check, _check_row))
app.command(
    "triage",
    help="Triage a BUYER's message: should a supervisor take over? Exit code: 0 no, 1 escalate, 3 error.",
)(_command(_single_triage, _triage_row))
