"""``csguard rules list|validate|test``: inspect and verify rule packs (shipped and your own)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csguard.cli import app
from csguard.rulepacks.schema import PackFile

rules_app = typer.Typer(help="List, validate and test rule packs.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")

PackDirOpt = Annotated[
    list[Path] | None,
    typer.Option("--pack-dir", help="Extra folder of pack YAML files to load with the shipped ones (repeatable)."),
]


def _files(extra: list[Path] | None) -> list[tuple[Path, PackFile]]:
    from csguard.errors import RulePackError
    from csguard.rulepacks.loader import pack_files

    try:
        return list(pack_files(extra or ()))
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
    count = 0
    for path, f in _files(pack_dir):
        for rule in f.rules:
            if platform and (platform not in rule.platforms or platform not in f.platforms):
                continue
            if category and rule.category != category:
                continue
            if rule.terms:
                how = f"{len(rule.terms)} terms"
            elif rule.near:
                how = f"near {len(rule.near.first)}×{len(rule.near.then)}"
            else:
                how = f"entity {rule.entity.type if rule.entity else ''}"
            table.add_row(rule.id, rule.category, rule.severity, ",".join(rule.platforms), how, path.name)
            count += 1
    Console().print(table)
    typer.echo(f"{count} rules")


@rules_app.command("validate")
def validate(pack_dir: PackDirOpt = None) -> None:
    """Load and validate every pack; exit 2 with file, line, rule id and reason on the first problem."""
    from csguard.guard import PLATFORMS
    from csguard.rulepacks.loader import build_ruleset

    files = _files(pack_dir)
    rules = sum(len(f.rules) for _, f in files)
    for platform in PLATFORMS:
        build_ruleset(platform, files)
    typer.echo(f"ok: {len(files)} files, {rules} rules, platforms {', '.join(PLATFORMS)}")


@rules_app.command("test")
def test_rules(pack_dir: PackDirOpt = None) -> None:
    """Run every rule's match/no_match examples; exit 1 if any fails."""
    from csguard.engine.compiled import CompiledRules, compile_rules
    from csguard.engine.evaluate import evaluate
    from csguard.rulepacks.loader import build_ruleset
    from csguard.text.normalize import Normalized

    files = _files(pack_dir)
    compiled: dict[tuple[str, str], CompiledRules] = {}
    failures = total = 0
    for path, f in files:
        for rule in f.rules:
            platform = next(p for p in rule.platforms if p in f.platforms)
            key = (platform, rule.direction)
            if key not in compiled:
                compiled[key] = compile_rules(build_ruleset(platform, files), direction=rule.direction)
            for kind, texts in (("match", rule.examples.match), ("no_match", rule.examples.no_match)):
                for text in texts:
                    total += 1
                    hit = any(x.rule_id == rule.id for x in evaluate(compiled[key], Normalized(text)))
                    if hit != (kind == "match"):
                        failures += 1
                        typer.echo(f"FAIL {path.name} {rule.id} [{platform}] {kind}: {text}", err=True)
    typer.echo(f"{total - failures}/{total} examples pass")
    if failures:
        raise typer.Exit(1)
