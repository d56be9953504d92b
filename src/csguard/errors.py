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

    def __init_subclass__(cls, *, code: str | None = None, status: int | None = None, **kwargs: Any) -> None:
        # Each error kind is one line: its stable code and HTTP status, unless it inherits them.
        super().__init_subclass__(**kwargs)
        if code is not None:
            cls.code = code
        if status is not None:
            cls.status_code = status

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


class InvalidInput(CsguardError, code="invalid_input", status=422):
    """A request, file or argument that cannot be used as given; details name the field."""


class InputTooLarge(InvalidInput, code="input_too_large", status=413):
    """More than a limit allows (text length, batch size, upload size)."""


class RulePackError(CsguardError, code="rule_pack_invalid", status=500):
    """A rule pack failed validation; raised at load time so a bad pack never serves traffic."""


class ConfigError(CsguardError, code="config_invalid", status=500):
    """A settings value or QC config file that cannot be used; raised at start-up."""


class AuthError(CsguardError, code="unauthenticated", status=401):
    """No or wrong credentials."""


class PermissionDenied(CsguardError, code="forbidden", status=403):
    """Credentials that are fine but whose role may not do this."""


class NotFound(CsguardError, code="not_found", status=404):
    """Nothing with that id in the caller's shop (other shops' ids look the same)."""


class Conflict(CsguardError, code="conflict", status=409):
    """The request clashes with what is stored (a duplicate, a concurrent write)."""


class InvalidTransition(Conflict, code="invalid_transition"):
    """A record asked to move to a state its current state does not allow."""


class RateLimited(CsguardError, code="rate_limited", status=429):
    """Too many requests from one caller; retry after the given delay."""
