"""``csguard rules list|validate|test``: inspect and verify rule packs (shipped and your own)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csguard.cli import app
from csguard.services import rules
from csguard.services.rules import PackFiles

rules_app = typer.Typer(help="List, validate and test rule packs.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")

PackDirOpt = Annotated[
    list[Path] | None,
    typer.Option("--pack-dir", help="Extra folder of pack YAML files to load with the shipped ones (repeatable)."),
]


def _files(extra: list[Path] | None) -> PackFiles:
    from csguard.errors import RulePackError

    try:
        return rules.load_packs(extra or ())
    except RulePackError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc


@rules_app.command("list")
def list_rules(
    platform: Annotated[str | None, typer.Option("--platform", "-p", help="Only rules active on this platform.")] = None,
    category: Annotated[str | None, typer.Option("--category", "-c", help="Only this category.")] = None,
    pack_dir: PackDirOpt = None,
) -> None:
    """Table of rules: id, category, severity, platforms, how it matches."""
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "category", "severity", "platforms", "matches", "file")
    rows = rules.rule_rows(_files(pack_dir), platform=platform, category=category)
    for row in rows:
        table.add_row(row.id, row.category, row.severity, row.platforms, row.matches, row.file)
    Console().print(table)
    typer.echo(f"{len(rows)} rules")


@rules_app.command("validate")
def validate(pack_dir: PackDirOpt = None) -> None:
    """Load and validate every pack; exit 2 with file, line, rule id and reason on the first problem."""
    files = _files(pack_dir)
    count, platforms = rules.validate_packs(files)
    typer.echo(f"ok: {len(files)} files, {count} rules, platforms {', '.join(platforms)}")


@rules_app.command("test")
def test_rules(pack_dir: PackDirOpt = None) -> None:
    """Run every rule's match/no_match examples; exit 1 if any fails."""
    run = rules.run_examples(_files(pack_dir))
    for x in run.failures:
        typer.echo(f"FAIL {x.file} {x.rule_id} [{x.platform}] {x.kind}: {x.text}", err=True)
    typer.echo(f"{run.total - len(run.failures)}/{run.total} examples pass")
    if run.failures:
        raise typer.Exit(1)
