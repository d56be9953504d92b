"""Request dependencies: settings, a database session and the API caller (Bearer key)."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from csguard.errors import AuthError
from csguard.services.auth import Principal, principal_for_key, touch_api_key, verify_api_key
from csguard.settings import Settings
from csguard.store.types import utcnow
from csguard.vocab import OWNER, SUPERVISOR

_LAST_USED_RESOLUTION = timedelta(minutes=1)
bearer = HTTPBearer(auto_error=False, scheme_name="ApiKey", description="Authorization: Bearer csg_...")


class ApiKeyCache:
    """Verified keys trusted for ``ttl`` seconds, so the hot path skips the database.

    Revoking a key through this process drops it at once; other processes notice within ``ttl``.
    """

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._items: dict[str, tuple[Principal, float]] = {}
        self._lock = threading.Lock()

    def get(self, digest: str) -> Principal | None:
        item = self._items.get(digest)
        if item is None or item[1] < time.monotonic():
            return None
        return item[0]

    def put(self, digest: str, principal: Principal) -> None:
        if self.ttl > 0:
            with self._lock:
                if len(self._items) > 10_000:
                    self._items.clear()
                self._items[digest] = (principal, time.monotonic() + self.ttl)

    def forget_key(self, key_id: int) -> None:
        with self._lock:
            for digest in [d for d, (p, _) in self._items.items() if p.api_key_id == key_id]:
                del self._items[digest]


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


def _resolve_key(request: Request, plaintext: str) -> Principal:
    state = request.app.state
    digest = hashlib.sha256(plaintext.encode()).hexdigest()
    principal = state.key_cache.get(digest)
    if principal is None:
        with state.sessions() as session:
            key = verify_api_key(session, plaintext)
            if key.last_used_at is None or utcnow() - key.last_used_at > _LAST_USED_RESOLUTION:
                touch_api_key(session, key.id, utcnow())
            principal = principal_for_key(key)
        state.key_cache.put(digest, principal)
    return principal


async def api_principal(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise AuthError("missing API key: send 'Authorization: Bearer csg_...'")
    principal = _resolve_key(request, credentials.credentials)
    request.app.state.rate_limiter.take(principal.api_key_id)
    return principal


def require_role(role: str) -> Callable[..., Any]:
    async def dependency(principal: Annotated[Principal, Depends(api_principal)]) -> Principal:
        principal.require(role)
        return principal

    return dependency


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
ApiPrincipal = Annotated[Principal, Depends(api_principal)]
SupervisorPrincipal = Annotated[Principal, Depends(require_role(SUPERVISOR))]
OwnerPrincipal = Annotated[Principal, Depends(require_role(OWNER))]
