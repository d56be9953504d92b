"""All configuration in one pydantic-settings object (environment, then ``.env``).

A wrong value fails at start-up with the variable's name; nothing reads ``os.environ``
anywhere else.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from csguard.errors import ConfigError
from csguard.vocab import DEFAULT_PLATFORM, DEFAULT_TIMEZONE, DOUYIN, Platform


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CSGUARD_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{Path.home() / '.csguard' / 'csguard.db'}",
        description="SQLAlchemy URL; SQLite file by default, postgresql+psycopg://... in production.",
    )
    default_platform: Platform = Field(default=DEFAULT_PLATFORM, description="Platform used when a request names none.")
    max_text_chars: int = Field(
        default=100_000, ge=1, description="Longest message Guard.check accepts; longer input is rejected."
    )
    timezone: str = Field(default=DEFAULT_TIMEZONE, description="Time zone for chat logs without an offset.")
    # --- service (csguard serve / HTTP API) ---
    secret_key: str | None = Field(
        default=None,
        min_length=32,
        description="Signs session cookies. Generated and kept next to the SQLite file when unset; "
        "required for PostgreSQL.",
    )
    max_batch_messages: int = Field(
        default=1000, ge=1, le=100_000, description="Most messages (or events) one API request may carry."
    )
    max_body_bytes: int = Field(
        default=1_048_576, ge=1024, description="Largest request body the service accepts (413 beyond)."
    )
    rate_limit_per_second: float = Field(
        default=100.0, ge=0, description="Sustained requests per second per API key; 0 turns limiting off."
    )
    rate_limit_burst: int = Field(default=200, ge=1, description="Requests an API key may send at once.")
    session_lifetime_minutes: int = Field(
        default=720, ge=1, description="How long a dashboard log-in lasts without activity."
    )
    check_log_mode: Literal["queued", "sync"] = Field(
        default="queued",
        description="queued: single API checks are logged by a background writer (flushed on shutdown); "
        "sync: every request commits its log before answering.",
    )
    check_log_flush_seconds: float = Field(
        default=0.2, gt=0, le=10, description="Longest time a queued check log waits before it is written."
    )
    api_key_cache_seconds: float = Field(
        default=5.0, ge=0, le=300, description="How long a verified API key is trusted without a database read."
    )
    # --- penalties and appeals ---
    penalty_appeal_attempts: dict[str, int] = Field(
        default_factory=dict,
        description=f'Appeal attempts per penalty record by platform, JSON like {{"{DOUYIN}": 1}}; unnamed platforms get 2.',
    )
    review_appeal_window_days: int = Field(
        default=30, ge=1, le=365, description="Days after a negative review during which it can be appealed."
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"CSGUARD_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid settings: {problems}") from exc
