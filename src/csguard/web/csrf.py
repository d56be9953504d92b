"""CSRF protection for every state-changing dashboard request.

Synchronizer-token pattern: one random token per session, put into every form as a
hidden ``csrf_token`` field (or sent by ``static/*.js`` as the ``X-CSRF-Token`` header)
and compared in constant time on every POST. SameSite=Lax cookies are the second line.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request

from csguard.errors import PermissionDenied

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_SESSION_KEY = "csrf"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class CsrfRejected(PermissionDenied):
    code = "csrf_rejected"


def csrf_token(request: Request) -> str:
    """The session's token, created on first use (also for the anonymous log-in form)."""
    token = request.session.get(_SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[_SESSION_KEY] = token
    return token


async def verify_csrf(request: Request) -> None:
    """Router dependency: reject an unsafe request whose token is missing or wrong."""
    if request.method not in UNSAFE_METHODS:
        return
    expected = request.session.get(_SESSION_KEY)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not sent or not hmac.compare_digest(expected, sent):
        raise CsrfRejected("表单已过期或来源不明，请刷新页面后重试。", details={"field": CSRF_FIELD})
