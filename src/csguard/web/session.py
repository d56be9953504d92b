"""Signed cookie sessions for the dashboard pages.

Starlette's SessionMiddleware fixes the ``Secure`` flag at start-up; the dashboard is
reached over plain http on 127.0.0.1 and over https behind a proxy with the same
settings, so the flag follows the request's scheme instead. The cookie only holds ids
(user, shop, CSRF token): it is signed, never encrypted, so nothing secret goes in it.
"""

from __future__ import annotations

import json
import time
from base64 import b64decode, b64encode
from http.cookies import CookieError, SimpleCookie
from typing import Any

import itsdangerous
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE_NAME = "csguard_session"
_REFRESH_AFTER_S = 60


def session_signer(secret_key: str) -> itsdangerous.TimestampSigner:
    return itsdangerous.TimestampSigner(secret_key, salt="csguard.session")


def encode_session(signer: itsdangerous.TimestampSigner, session: dict[str, Any]) -> str:
    """The cookie value for ``session`` (also used by tests to start a session directly)."""
    return signer.sign(b64encode(json.dumps(session).encode())).decode()


class SignedSessionMiddleware:
    """Loads ``scope["session"]`` from a signed cookie and writes it back when it changed."""

    def __init__(
        self, app: ASGIApp, *, secret_key: str, max_age_s: int, skip_prefixes: tuple[str, ...]
    ) -> None:
        self.app = app
        self.signer = session_signer(secret_key)
        self.max_age_s = max_age_s
        # The JSON API authenticates with Bearer keys only; parsing cookies there would
        # cost time on the hot check path for nothing.
        self.skip_prefixes = skip_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.skip_prefixes):
            await self.app(scope, receive, send)
            return
        loaded, signed_at = self._load(scope)
        scope["session"] = dict(loaded)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                session: dict[str, Any] = scope["session"]
                # Re-signing now and then makes the lifetime count from the last activity.
                stale = bool(session) and time.time() - signed_at > _REFRESH_AFTER_S
                if session != loaded or stale:
                    headers = MutableHeaders(scope=message)
                    headers.append("Set-Cookie", self._cookie(scope, session))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _load(self, scope: Scope) -> tuple[dict[str, Any], float]:
        """The session stored in the request's cookie and when it was signed ({} if none or invalid)."""
        raw = b""
        for name, value in scope["headers"]:
            if name == b"cookie":
                raw = value
                break
        if not raw:
            return {}, 0.0
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(raw.decode("latin-1"))
        except CookieError:
            return {}, 0.0
        morsel = jar.get(COOKIE_NAME)
        if morsel is None:
            return {}, 0.0
        try:
            payload, signed_at = self.signer.unsign(
                morsel.value.encode(), max_age=self.max_age_s, return_timestamp=True
            )
            data = json.loads(b64decode(payload))
        except (itsdangerous.BadSignature, ValueError):
            return {}, 0.0
        if not isinstance(data, dict):
            return {}, 0.0
        return data, signed_at.timestamp()

    def _cookie(self, scope: Scope, session: dict[str, Any]) -> str:
        secure = "; Secure" if scope.get("scheme") == "https" else ""
        if not session:
            return f"{COOKIE_NAME}=null; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}"
        value = encode_session(self.signer, session)
        return f"{COOKIE_NAME}={value}; Path=/; Max-Age={self.max_age_s}; HttpOnly; SameSite=Lax{secure}"
