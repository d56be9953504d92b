"""Datasette-style meta-test: every CLI command is documented."""

from __future__ import annotations

from pathlib import Path

import typer

from csguard.cli import _load_commands, app

ROOT = Path(__file__).resolve().parents[1]


def documentation() -> str:
    parts = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return "\n".join(p.read_text(encoding="utf-8") for p in parts)


def command_names(typer_app: typer.Typer, prefix: str = "csguard") -> list[str]:
    names = []
    for command in typer_app.registered_commands:
        name = command.name or (command.callback.__name__.replace("_", "-") if command.callback else "")
        names.append(f"{prefix} {name}")
    for group in typer_app.registered_groups:
        assert group.typer_instance is not None
        names += command_names(group.typer_instance, f"{prefix} {group.name}")
    return names


def test_every_cli_command_is_documented() -> None:
    _load_commands()
    docs = documentation()
    names = command_names(app)
    assert len(names) >= 8
    missing = [n for n in names if n not in docs]
    assert not missing, f"undocumented commands: {missing}"
