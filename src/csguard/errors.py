"""One exception hierarchy for the whole package.

Every error carries a stable machine-readable ``code``, a human message and optional
``details`` (file, line, field, ...). The HTTP API renders them as
``{"error": {"code", "message", "details"}}`` and the CLI prints them, so callers never
have to parse message text.
"""

from __future__ import annotations

from typing import Any


class CsguardError(Exception):
    code = "error"
    status_code = 400

    def __init__(self, message: str, *, details: dict[str, Any] | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = details or {}
        if code is not None:
            self.code = code

    def to_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}

    def __str__(self) -> str:
        if not self.details:
            return self.message
        where = ", ".join(f"{k}={v}" for k, v in self.details.items())
        return f"{self.message} ({where})"


class InvalidInput(CsguardError):
    code = "invalid_input"
    status_code = 422


class InputTooLarge(InvalidInput):
    code = "input_too_large"
    status_code = 413


class RulePackError(CsguardError):
    """A rule pack failed validation; raised at load time so a bad pack never serves traffic."""

    code = "rule_pack_invalid"
    status_code = 500


class ConfigError(CsguardError):
    code = "config_invalid"
    status_code = 500


class AuthError(CsguardError):
    code = "unauthenticated"
    status_code = 401


class PermissionDenied(CsguardError):
    code = "forbidden"
    status_code = 403


class NotFound(CsguardError):
    code = "not_found"
    status_code = 404


class Conflict(CsguardError):
    code = "conflict"
    status_code = 409


class InvalidTransition(Conflict):
    code = "invalid_transition"


class RateLimited(CsguardError):
    code = "rate_limited"
    status_code = 429
