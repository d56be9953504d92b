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

Platform = Literal["pdd", "taobao", "tmall", "douyin"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CSGUARD_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{Path.home() / '.csguard' / 'csguard.db'}",
        description="SQLAlchemy URL; SQLite file by default, postgresql+psycopg://... in production.",
    )
    default_platform: Platform = Field(default="pdd", description="Platform used when a request names none.")
    max_text_chars: int = Field(
        default=100_000, ge=1, description="Longest message Guard.check accepts; longer input is rejected."
    )
    timezone: str = Field(default="Asia/Shanghai", description="Time zone for chat logs without an offset.")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"CSGUARD_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid settings: {problems}") from exc
