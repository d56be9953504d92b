"""Readiness: is the database reachable and at the newest migration."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from csguard.store.db import current_revision, head_revision


@dataclass(frozen=True, slots=True)
class Readiness:
    ready: bool
    detail: str


def database_readiness(engine: Engine) -> Readiness:
    try:
        revision = current_revision(engine)
    except Exception as exc:  # any driver error means "not ready", never a 500
        return Readiness(False, f"database unreachable: {type(exc).__name__}")
    if revision != head_revision():
        return Readiness(False, f"database at revision {revision}, expected {head_revision()}: run 'csguard init'")
    return Readiness(True, f"revision {revision}")
