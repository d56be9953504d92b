"""Fixtures of the dashboard tests: a fresh, seeded database and the app on it."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from web_support import SECRET, ShopSeed, WebEnv, seed_shop

from csguard.http.app import create_app
from csguard.services import words
from csguard.settings import Settings
from csguard.store.db import make_engine, session_factory
from support.db import backends, postgres_base_url, postgres_schema_url, sqlite_url


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ShopSeed, ShopSeed]:
    """Seeded once per test process (password hashing is slow on purpose); tests get a copy."""
    folder = tmp_path_factory.mktemp("web-template")
    url = sqlite_url(folder)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        a = seed_shop(session, ShopSeed("甲店", "AAA"))
        b = seed_shop(session, ShopSeed("乙店", "BBB"))
    engine.dispose()  # closes the last connection, so SQLite folds its WAL into the file
    return folder / "csguard.db", a, b


@pytest.fixture
def web_env(tmp_path: Path, seeded_database: tuple[Path, ShopSeed, ShopSeed]) -> Iterator[WebEnv]:
    template, a, b = seeded_database
    # Cached Guards are keyed by shop id and words version, which repeat across the
    # databases of one test process.
    words.guard_cache.clear()
    target = tmp_path / "csguard.db"
    shutil.copyfile(template, target)
    url = f"sqlite:///{target}"
    engine = make_engine(url)
    app = create_app(Settings(database_url=url, secret_key=SECRET, _env_file=None))  # type: ignore[call-arg]
    yield WebEnv(app, url, copy.deepcopy(a), copy.deepcopy(b), session_factory(engine))
    engine.dispose()


@pytest.fixture(params=backends())
def web_env_any_backend(request: pytest.FixtureRequest, web_env: WebEnv) -> Iterator[WebEnv]:
    """``web_env`` on SQLite, and on PostgreSQL when CSGUARD_TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        yield web_env
        return
    base = postgres_base_url()
    assert base is not None
    words.guard_cache.clear()
    with postgres_schema_url(base) as url:
        engine = make_engine(url)
        factory = session_factory(engine)
        with factory() as session:
            a = seed_shop(session, ShopSeed("甲店", "AAA"))
            b = seed_shop(session, ShopSeed("乙店", "BBB"))
        app = create_app(Settings(database_url=url, secret_key=SECRET, _env_file=None))  # type: ignore[call-arg]
        try:
            yield WebEnv(app, url, a, b, factory)
        finally:
            app.state.engine.dispose()
            engine.dispose()
