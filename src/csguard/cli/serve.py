"""``csguard serve`` (the dashboard and API), ``csguard init``, ``csguard user add`` and
``csguard apikey create``.

Every command migrates the database to the newest revision first, so an upgraded
package never runs against an old schema. Heavy imports stay inside the commands.
"""

from __future__ import annotations

import secrets
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import typer

from csguard.cli import app
from csguard.errors import CsguardError
from csguard.vocab import AGENT, DEFAULT_PLATFORM, OWNER, PLATFORMS, ROLES

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from csguard.settings import Settings

user_app = typer.Typer(help="Dashboard users.", no_args_is_help=True)
apikey_app = typer.Typer(help="API keys.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(apikey_app, name="apikey")

RoleOpt = typer.Option(AGENT, "--role", "-r", help=", ".join(ROLES))
PasswordOpt = typer.Option(
    None, "--password", help="At least 8 characters; omitted: a random one is generated and printed once."
)


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


@contextmanager
def _cli_errors() -> Iterator[None]:
    try:
        yield
    except CsguardError as exc:
        _fail(str(exc))


def _prepared_settings() -> Settings:
    """Validated settings with the database migrated to head."""
    from csguard.services.database import migrate
    from csguard.settings import get_settings

    settings = get_settings()
    try:
        migrate(settings.database_url)
    except CsguardError:
        raise
    except Exception as exc:  # driver/connection errors: name the setting, not a traceback
        _fail(f"cannot open the database set by CSGUARD_DATABASE_URL ({settings.database_url}): {exc}")
    return settings


def _with_session(work: Callable[[Session], Any]) -> Any:
    from csguard.services.database import open_session

    with _cli_errors():
        settings = _prepared_settings()
        with open_session(settings.database_url) as session:
            return work(session)




def _password(given: str | None) -> tuple[str, bool]:
    return (given, False) if given else (secrets.token_urlsafe(12), True)


def _show_generated(secret: str, generated: bool) -> None:
    if generated:
        typer.echo(f"  password: {secret}   (shown only now)")


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    demo: bool = typer.Option(
        False, "--demo", help="Create a demo shop with an owner and a week of traffic."
    ),
    workers: int = typer.Option(1, min=1, help="Worker processes (each keeps its own rate-limit buckets)."),
) -> None:
    """Run the web dashboard and the HTTP API (migrates the database first)."""
    import uvicorn

    with _cli_errors():
        settings = _prepared_settings()
        if demo:
            _print_demo()
        from csguard.http.app import create_app

        url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
        typer.echo(f"csguard dashboard: {url}   API docs: {url}docs   database: {settings.database_url}")
        if workers > 1:
            uvicorn.run("csguard.http.app:create_app", factory=True, host=host, port=port, workers=workers)
        else:
            uvicorn.run(create_app(settings), host=host, port=port)


def _print_demo() -> None:
    from csguard.services.demo import ensure_demo

    setup = _with_session(ensure_demo)
    if setup.password is None:
        typer.echo(f"demo shop {setup.shop.name!r} already exists; log in as {setup.username!r} "
                   f"(forgot the password? csguard user add ... --reset)")  # fmt: skip
        return
    typer.echo(f"demo shop {setup.shop.name!r} created with {setup.events_loaded} chat events")
    typer.echo(f"  log in: shop {setup.shop.name}  user {setup.username}  password {setup.password}")
    typer.echo("  (the password is shown only now)")


@app.command("init")
def init(
    shop: str = typer.Option(..., "--shop", help="Shop name (unique)."),
    platform: str = typer.Option(DEFAULT_PLATFORM, "--platform", "-p", help=", ".join(PLATFORMS)),
    owner: str = typer.Option(OWNER, "--owner", help="User name of the shop's owner."),
    password: str | None = PasswordOpt,
) -> None:
    """Create the database (if needed), a shop and its owner account."""
    from csguard.services.shops import create_shop
    from csguard.services.users import create_user

    def work(session: Session) -> None:
        created = create_shop(session, shop, platform)
        secret, generated = _password(password)
        create_user(session, created.id, owner, secret, OWNER)
        typer.echo(f"shop {created.name!r} ({created.platform}) created with owner {owner!r}")
        _show_generated(secret, generated)

    _with_session(work)


@user_app.command("add")
def user_add(
    shop: str = typer.Argument(..., help="Shop name."),
    username: str = typer.Argument(..., help="User name."),
    role: str = RoleOpt,
    password: str | None = PasswordOpt,
    reset: bool = typer.Option(False, "--reset", help="The user exists: set a new password instead."),
) -> None:
    """Add a dashboard user to a shop (or reset an existing user's password)."""
    from csguard.services.shops import shop_named
    from csguard.services.users import create_user, list_users, update_user

    def work(session: Session) -> None:
        target = shop_named(session, shop)
        secret, generated = _password(password)
        if reset:
            match = [u for u in list_users(session, target.id) if u.username == username]
            if not match:
                _fail(f"shop {shop!r} has no user {username!r}")
            update_user(session, target.id, match[0].id, password=secret, is_active=True)
            typer.echo(f"password of {username!r} reset")
        else:
            create_user(session, target.id, username, secret, role)
            typer.echo(f"user {username!r} ({role}) added to {shop!r}")
        _show_generated(secret, generated)

    _with_session(work)


@apikey_app.command("create")
def apikey_create(
    shop: str = typer.Argument(..., help="Shop name."),
    name: str = typer.Argument(..., help="What the key is for, e.g. the chat tool's name."),
    role: str = RoleOpt,
    expires_days: int | None = typer.Option(None, "--expires-days", min=1, help="Expire after N days."),
) -> None:
    """Create an API key; the key is printed once and only its hash is stored."""
    from csguard.services.auth import create_api_key
    from csguard.services.shops import shop_named

    def work(session: Session) -> None:
        target = shop_named(session, shop)
        expires = datetime.now(UTC) + timedelta(days=expires_days) if expires_days else None
        key, plaintext = create_api_key(session, target.id, name, role, expires_at=expires)
        typer.echo(
            f"API key {key.name!r} ({key.role}) for {shop!r}; send it as 'Authorization: Bearer <key>':"
        )
        typer.echo(plaintext)

    _with_session(work)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
