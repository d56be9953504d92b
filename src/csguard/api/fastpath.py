"""What the check endpoints need without touching the database on every request.

A shop snapshot (platform, words version) is trusted for ``api_key_cache_seconds``; word
changes made in this process reach the Guard cache at once (``services.words``), changes
made by another process when the snapshot expires. Results are serialised by hand:
``dataclasses.asdict`` deep-copies and costs as much as the check itself.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from csguard.guard import Guard
from csguard.results import CheckResult, Finding, TriageResult
from csguard.services.shops import get_shop
from csguard.services.words import cached_guard, guard_for_shop


@dataclass(frozen=True, slots=True)
class ShopSnapshot:
    id: int
    platform: str
    words_version: int
    model_enabled: bool = True


class GuardSource:
    def __init__(self, sessions: sessionmaker[Session], ttl: float) -> None:
        self._sessions = sessions
        self._url = str(sessions.kw["bind"].url)
        self._ttl = ttl
        self._snapshots: dict[int, tuple[ShopSnapshot, float]] = {}
        self._lock = threading.Lock()

    def _snapshot(self, shop_id: int) -> ShopSnapshot | None:
        item = self._snapshots.get(shop_id)
        if item is None or item[1] < time.monotonic():
            return None
        return item[0]

    def guard(self, shop_id: int, platform: str | None) -> Guard:
        snapshot = self._snapshot(shop_id)
        if snapshot is not None:
            guard = cached_guard(
                (self._url, shop_id), platform or snapshot.platform, snapshot.words_version, snapshot.model_enabled
            )
            if guard is not None:
                return guard
        with self._sessions() as session:
            shop = get_shop(session, shop_id)
            guard = guard_for_shop(session, shop, platform)
            fresh = ShopSnapshot(shop.id, shop.platform, shop.words_version, bool(shop.model_enabled))
        if self._ttl > 0:
            with self._lock:
                self._snapshots[shop_id] = (fresh, time.monotonic() + self._ttl)
        return guard


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "rule_id": f.rule_id,
        "category": f.category,
        "severity": f.severity,
        "start": f.start,
        "end": f.end,
        "matched": f.matched,
        "normalized": f.normalized,
        "explanation": f.explanation,
        "message": f.message,
        "suggestion": f.suggestion,
        "score": f.score,
    }


def check_dict(r: CheckResult) -> dict[str, Any]:
    if not r.findings:  # most messages: no categories to collect
        return {
            "verdict": r.verdict,
            "platform": r.platform,
            "categories": [],
            "findings": [],
            "rewrite": r.rewrite,
        }
    return {
        "verdict": r.verdict,
        "platform": r.platform,
        "categories": r.categories,
        "findings": [finding_dict(f) for f in r.findings],
        "rewrite": r.rewrite,
    }


def triage_dict(r: TriageResult) -> dict[str, Any]:
    return {
        "escalate": r.escalate,
        "platform": r.platform,
        "signals": list(r.signals),
        "findings": [finding_dict(f) for f in r.findings],
    }
