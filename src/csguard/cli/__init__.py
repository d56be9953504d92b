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


# Top-level modules of the optional extras (pyproject.toml [project.optional-dependencies]). A bare
# `pip install csguard` runs check/triage/rules; commands that import one of these need the extra.
EXTRA_OF_MODULE = {
    **dict.fromkeys(("polars", "plotly", "openpyxl", "xlsxwriter", "jinja2", "httpx"), "qc"),
    **dict.fromkeys(("fastapi", "starlette", "uvicorn", "sqlalchemy", "alembic", "multipart"), "server"),
    **dict.fromkeys(("python_multipart", "pwdlib", "itsdangerous", "docx", "psycopg", "orjson"), "server"),
}
EXIT_MISSING_EXTRA = 2


def missing_extra_message(exc: ModuleNotFoundError) -> str | None:
    """What to tell the user when a command needs an extra that is not installed (None: not an extra)."""
    extra = EXTRA_OF_MODULE.get((exc.name or "").partition(".")[0])
    if extra is None:
        return None
    return (
        f"错误 (error): 这个命令需要可选依赖 csguard[{extra}] ({exc.name} is not installed); "
        f"install it with: pip install 'csguard[{extra}]'"
    )


def main() -> None:
    _load_commands()
    try:
        app()
    except ModuleNotFoundError as exc:
        # Command modules import their extras lazily, so a bare install fails here, not at start-up.
        message = missing_extra_message(exc)
        if message is None:
            raise
        typer.echo(message, err=True)
        raise SystemExit(EXIT_MISSING_EXTRA) from None
