"""Run ``Guard.check`` / ``Guard.triage`` once per UNIQUE text, optionally on several cores.

Chat logs repeat templates heavily, so a million messages are usually a few tens of
thousands of distinct texts. The result is a small table keyed by text that the caller
joins back onto the message columns.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import types
from collections import deque
from collections.abc import Mapping, Sequence
from multiprocessing.pool import AsyncResult, Pool
from typing import Any

import polars as pl

from csguard.errors import CsguardError
from csguard.guard import Guard
from csguard.results import SEVERITY_RANK, Finding

# Below this many distinct texts a helper process costs more than it saves: starting one
# (interpreter, Polars, compiling the Guard) takes about as long as this process needs for
# ~100 000 texts at ~20 µs each, and the run's column work already uses both cores.
PARALLEL_MIN_TEXTS = 200_000
HIT_SCHEMA: dict[str, Any] = {
    "text": pl.String,
    "category": pl.String,
    "severity": pl.String,
    "matched": pl.List(pl.String),
    "rule_ids": pl.List(pl.String),
    "verdict": pl.String,
}
HitRow = tuple[str, str, str, list[str], list[str], str]
_worker_guard: Guard | None = None
_worker_error: Exception | None = None


# Verdicts of a triaged buyer message, stored next to the check verdicts (allow/warn/block).
ESCALATE, NOT_ESCALATED = "escalate", "allow"
# Hit rows already known per mode and text (e.g. stored at ingestion): not checked again.
KnownHits = Mapping[str, Mapping[str, list[HitRow]]]


def inspect_text(guard: Guard, mode: str, text: str) -> tuple[list[Finding], str] | None:
    """The findings and verdict of one text; None when no check can say anything (e.g. too long).

    The one place a message meets the guard for inspection: uploaded logs (through
    ``UniqueTextChecker``) and live events (at ingestion) both come here.
    """
    try:
        if mode == "check":
            result = guard.check(text)
            return result.findings, str(result.verdict)
        triage = guard.triage(text)
    except CsguardError:
        return None
    return triage.findings, ESCALATE if triage.escalate else NOT_ESCALATED


def hit_rows(text: str, findings: Sequence[Finding], verdict: str) -> list[HitRow]:
    """(text, category, worst severity, matched phrases, rule ids, verdict) per flagged category."""
    if verdict in ("allow", NOT_ESCALATED) or not findings:
        return []
    by_category: dict[str, list[Finding]] = {}
    for finding in findings:
        by_category.setdefault(finding.category, []).append(finding)
    rows: list[HitRow] = []
    for category, items in by_category.items():
        worst = max(items, key=lambda f: SEVERITY_RANK.get(f.severity, 0)).severity
        matched = list(dict.fromkeys(f.matched for f in items))
        rule_ids = sorted({f.rule_id for f in items})
        rows.append((text, category, worst, matched, rule_ids, verdict))
    return rows


def _hits(guard: Guard, mode: str, texts: Sequence[str]) -> list[HitRow]:
    rows: list[HitRow] = []
    for text in texts:
        inspected = inspect_text(guard, mode, text)
        if inspected is not None:
            rows.extend(hit_rows(text, *inspected))
    return rows


def _init_worker(guard_bytes: bytes) -> None:
    # Never raise here: a pool whose initializer fails restarts the helper forever. The
    # error is kept and raised by the first task instead, which the caller checks itself.
    global _worker_guard, _worker_error
    try:
        recipe = pickle.loads(guard_bytes)
        if isinstance(recipe, tuple):  # (class, platform, custom/allow words, max chars): compile here
            cls, platform, custom_words, allow_words, max_chars = recipe
            recipe = cls(platform=platform, custom_words=custom_words, allow_words=allow_words, max_chars=max_chars)
        _worker_guard = recipe
    except Exception as exc:
        _worker_error = exc


def _guard_bytes(guard: Guard) -> bytes | None:
    """The guard itself if it pickles, else the recipe to build an equal one in the worker."""
    try:
        return pickle.dumps(guard)
    except Exception:  # compiled automata often refuse to pickle
        pass
    try:
        recipe = (type(guard), guard.platform, list(guard.custom_words), list(guard.allow_words), guard.max_chars)
        return pickle.dumps(recipe)
    except Exception:
        return None


def _worker_hits(args: tuple[str, list[str]]) -> list[HitRow]:
    if _worker_guard is None:
        raise RuntimeError(f"the helper process has no Guard: {_worker_error!r}")
    return _hits(_worker_guard, args[0], args[1])


def _start_pool(processes: int, guard_bytes: bytes) -> Pool:
    # spawn, not fork: forking a process that runs Polars' thread pool can deadlock. A spawned
    # child normally re-runs the caller's main script first; a script without an
    # ``if __name__ == "__main__"`` guard would then run its whole QC again in every child.
    # The helpers need nothing from __main__, so they are started without it.
    context = multiprocessing.get_context("spawn")
    real_main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        return context.Pool(processes, initializer=_init_worker, initargs=(guard_bytes,))
    finally:
        sys.modules["__main__"] = real_main


class UniqueTextChecker:
    """Checks distinct texts, sharing the work with helper processes when there are many.

    The calling process keeps working too: helpers take chunks from the front of the queue,
    this process from the back, so a helper that is still starting up costs nothing.
    One checker (and its helper pool) serves both ``check`` and ``triage``; close it after.
    """

    def __init__(
        self, guard: Guard, *, workers: int | None = None, chunk: int = 500, known: KnownHits | None = None
    ) -> None:
        self.guard = guard
        self.known: KnownHits = known or {}
        self.workers = workers
        self.chunk = chunk
        self.helped = 0  # parts the helpers checked (the rest were checked in this process)
        self._pool: Pool | None = None

    def _helpers(self, distinct: int) -> Pool | None:
        workers = self.workers
        if workers is None:
            workers = min(2, os.cpu_count() or 1) if distinct >= PARALLEL_MIN_TEXTS else 1
        if workers <= 1:
            return None
        if self._pool is None:
            guard_bytes = _guard_bytes(self.guard)
            if guard_bytes is None:  # a guard that cannot travel is checked in this process
                return None
            self._pool = _start_pool(workers - 1, guard_bytes)
        return self._pool

    def warm_up(self, distinct: int, *, wait: bool = False) -> None:
        """Start the helpers now if ``distinct`` texts will need them, so they boot meanwhile.

        ``wait`` blocks until a helper has built its Guard (tests, benchmarks).
        """
        pool = self._helpers(distinct)
        if pool is not None and wait:
            try:
                pool.apply(_worker_hits, (("check", ["warm-up"]),))
            except Exception:  # a helper that cannot check is retired; this process does it all
                self.close()

    def _shared(self, pool: Pool, mode: str, texts: list[str]) -> list[HitRow]:
        parts = deque(texts[i : i + self.chunk] for i in range(0, len(texts), self.chunk))
        inflight: list[tuple[AsyncResult[list[HitRow]], list[str]]] = []
        rows: list[HitRow] = []
        while parts:
            for done in [item for item in inflight if item[0].ready()]:
                rows.extend(self._collect(*done, mode=mode))
                inflight.remove(done)
            if self._pool is not None and len(inflight) < 2 * (self.workers or 2):  # keep every helper fed
                part = parts.popleft()
                inflight.append((pool.apply_async(_worker_hits, ((mode, part),)), part))
            if parts:
                rows.extend(_hits(self.guard, mode, parts.pop()))
        for result, part in inflight:
            # Never wait for a helper that is slow or still starting: take its part back.
            rows.extend(
                self._collect(result, part, mode=mode) if result.ready() else _hits(self.guard, mode, part)
            )
        return rows

    def _collect(self, result: AsyncResult[list[HitRow]], part: list[str], *, mode: str) -> list[HitRow]:
        """A helper's rows; if the helper failed, the part is checked here and helpers are retired."""
        if self._pool is None:  # helpers retired after a failure: their pending parts never finish
            return _hits(self.guard, mode, part)
        try:
            rows = result.get()
            self.helped += 1
            return rows
        except Exception:
            # A broken helper (e.g. it could not build its Guard) must not lose texts: this
            # process checks them itself, and a genuine error in the texts raises from here.
            self.close()
            return _hits(self.guard, mode, part)

    def hits(self, texts: pl.Series, *, mode: str) -> pl.DataFrame:
        """Flagged (text, category, ...) rows for the distinct non-empty texts of ``texts``."""
        if mode not in ("check", "triage"):
            raise ValueError(f"mode must be 'check' or 'triage', not {mode!r}")
        distinct = texts.drop_nulls().unique(maintain_order=True)
        unique = distinct.filter(distinct.str.len_chars() > 0).to_list()
        known = self.known.get(mode, {})
        rows = [row for text in unique if text in known for row in known[text]]
        unique = [text for text in unique if text not in known]
        pool = self._helpers(len(unique))
        rows += self._shared(pool, mode, unique) if pool is not None else _hits(self.guard, mode, unique)
        return pl.DataFrame(rows, schema=HIT_SCHEMA, orient="row")

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
            self.workers = 1

    def __enter__(self) -> UniqueTextChecker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def check_unique(texts: pl.Series, guard: Guard, *, mode: str, workers: int | None = None) -> pl.DataFrame:
    """One-off ``UniqueTextChecker(guard, workers=...).hits(texts, mode=...)``."""
    with UniqueTextChecker(guard, workers=workers) as checker:
        return checker.hits(texts, mode=mode)
