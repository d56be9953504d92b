"""One JSON error shape for every failure: ``{"error": {"code", "message", "details"}}``."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from csguard.errors import CsguardError, RateLimited

log = logging.getLogger(__name__)

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "input_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
}


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def _csguard_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, CsguardError)
    if exc.status_code >= 500:
        # Server-side faults (a broken rule pack, bad configuration) are for the operator's
        # log; the client learns only that it is not its fault.
        log.error("%s on %s %s: %s", exc.code, request.method, request.url.path, exc)
        return JSONResponse(error_body(exc.code, "the server is misconfigured; see its log"), status_code=500)
    headers = None
    if isinstance(exc, RateLimited):
        headers = {"Retry-After": str(exc.details.get("retry_after_seconds", 1))}
    return JSONResponse(exc.to_dict(), status_code=exc.status_code, headers=headers)


def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # Only loc/msg/type: the raw input and ctx may hold objects that are not JSON (or secrets).
    problems = [
        {
            "loc": [str(p) for p in err.get("loc", ())],
            "message": str(err.get("msg", "")),
            "type": str(err.get("type", "")),
        }
        for err in exc.errors()
    ]
    first = problems[0] if problems else {"loc": [], "message": "invalid request"}
    where = ".".join(first["loc"])
    message = (
        f"invalid request: {where}: {first['message']}" if where else f"invalid request: {first['message']}"
    )
    return JSONResponse(error_body("invalid_input", message, {"errors": problems}), status_code=422)


def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    code = _HTTP_CODES.get(status, "http_error")
    try:
        default = HTTPStatus(status).phrase
    except ValueError:
        default = "error"
    message = exc.detail if isinstance(exc.detail, str) else default
    return JSONResponse(error_body(code, message), status_code=status, headers=getattr(exc, "headers", None))


def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse(error_body("internal_error", "internal server error"), status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(CsguardError, _csguard_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
