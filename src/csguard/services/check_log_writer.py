"""Background writer for check logs: the API's single checks do not wait for the disk.

Durability: a row handed to ``write`` is kept in memory until a batch containing it has
been committed. Batches are flushed every ``flush_interval`` seconds or ``batch_size``
rows, whichever comes first; a failed flush is retried (the rows stay queued); ``close``
flushes everything before the server exits. Only a hard kill of the process (SIGKILL,
power loss) can lose the rows of the last unflushed interval.
"""

from __future__ import annotations

import logging
import queue
import threading
import time

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from csguard.services.checks import CHECK_LOG_TABLE, LogRow

log = logging.getLogger(__name__)
_STOP = object()


class QueuedCheckLogWriter:
    def __init__(
        self, sessions: sessionmaker[Session], batch_size: int = 1000, flush_interval: float = 0.2
    ) -> None:
        self._sessions = sessions
        self._batch_size = batch_size
        self._interval = flush_interval
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._pending: list[LogRow] = []
        self._thread = threading.Thread(target=self._run, name="csguard-check-log-writer", daemon=True)
        self._closed = False
        self._count_lock = threading.Lock()
        self.submitted = 0
        self.written = 0
        self._thread.start()

    def write(self, rows: list[LogRow]) -> None:
        if self._closed:
            raise RuntimeError("the check log writer is closed")
        if rows:
            with self._count_lock:
                self.submitted += len(rows)
            self._queue.put(rows)

    def _drain(self, timeout: float) -> bool:
        """Move queued rows to ``_pending``; False once the stop marker was seen."""
        deadline = time.monotonic() + timeout
        while len(self._pending) < self._batch_size:
            remaining = deadline - time.monotonic()
            try:
                item = (
                    self._queue.get(timeout=max(remaining, 0.0))
                    if remaining > 0
                    else self._queue.get_nowait()
                )
            except queue.Empty:
                return True
            if item is _STOP:
                return False
            self._pending.extend(item)  # type: ignore[arg-type]
        return True

    def _flush(self) -> bool:
        if not self._pending:
            return True
        try:
            with self._sessions() as session, session.begin():
                session.execute(insert(CHECK_LOG_TABLE), self._pending)
        except Exception:
            log.exception(
                "writing %d check logs failed; keeping them for the next attempt", len(self._pending)
            )
            return False
        self.written += len(self._pending)
        self._pending = []
        return True

    def _run(self) -> None:
        running = True
        while running:
            running = self._drain(self._interval)
            if not self._flush():
                time.sleep(min(self._interval * 5, 1.0))
        while True:  # stop requested: write everything still queued
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is not _STOP:
                self._pending.extend(item)  # type: ignore[arg-type]
        for _ in range(5):
            if self._flush():
                return
            time.sleep(0.2)
        log.error("could not write %d check logs at shutdown", len(self._pending))

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every row handed in so far is committed; False on time-out."""
        target = self.submitted
        deadline = time.monotonic() + timeout
        while self.written < target:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.005)
        return True

    def close(self, timeout: float = 10.0) -> None:
        if self._closed:
            return
        self._closed = True
        self._queue.put(_STOP)
        self._thread.join(timeout)
