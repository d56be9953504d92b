"""Request size limit (pure ASGI, before any parsing) and per-key token-bucket rate limiting."""

from __future__ import annotations

import contextlib
import json
import math
import threading
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from csguard.errors import RateLimited
from csguard.http.errors import error_body


class _BodyTooLarge(Exception):
    pass


class BodySizeLimitMiddleware:
    """Answers 413 when a body is larger than ``max_bytes`` (declared or actually streamed)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _reject(self, send: Send) -> None:
        body = json.dumps(
            error_body(
                "input_too_large",
                f"request body is larger than {self.max_bytes} bytes",
                {"limit_bytes": self.max_bytes},
            )
        ).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length":
                if not value.isdigit() or int(value) > self.max_bytes:
                    await self._reject(send)
                    return
                break
        received = 0
        started = False
        rejected = False

        async def limited_receive() -> Message:
            nonlocal received, rejected
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes and not rejected:
                    # Answer now: the framework turns errors raised while reading into a
                    # generic 400, which would hide the real reason.
                    rejected = True
                    if not started:
                        await self._reject(send)
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if rejected:
                return  # the 413 is already out; drop whatever the app answers after it
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        with contextlib.suppress(_BodyTooLarge):  # the 413 was sent from limited_receive
            await self.app(scope, limited_receive, tracking_send)


class TokenBucketLimiter:
    """Per-key buckets of ``burst`` tokens refilled at ``rate`` per second (in this process).

    Each server process keeps its own buckets, so with N worker processes a key may reach
    N times the rate; the limit protects the service from one runaway client.
    """

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self._buckets: dict[Any, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: Any) -> None:
        if self.rate <= 0:
            return
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                wait = math.ceil((1.0 - tokens) / self.rate)
                raise RateLimited(
                    f"rate limit of {self.rate:g} requests/s exceeded; retry in {wait} s",
                    details={"retry_after_seconds": wait, "limit_per_second": self.rate},
                )
            self._buckets[key] = (tokens - 1.0, now)
