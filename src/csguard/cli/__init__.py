"""The ``csguard`` command line. Each module in this package adds its commands to ``app``."""

from __future__ import annotations

import importlib
import pkgutil

import typer

app = typer.Typer(
    name="csguard",
    help="csguard: pre-send guard, buyer triage, conversation QC, penalties and appeals for CS teams.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _load_commands() -> None:
    # Command modules import their heavy dependencies lazily inside the commands, so
    # loading them all keeps `csguard check` start-up fast.
    for mod in pkgutil.iter_modules(__path__):
        if not mod.name.startswith("_"):
            importlib.import_module(f"{__name__}.{mod.name}")


def main() -> None:
    _load_commands()
    app()
