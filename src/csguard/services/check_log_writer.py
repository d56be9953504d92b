"""Background writer for check logs: one thread that owns every check-log insert of the API.

Single checks hand their row to ``write`` and do not wait for the disk. Batches hand theirs to
``submit`` and wait for the returned future, so a client that got a batch answer knows it is
stored; meanwhile the event loop serialises the answer and serves other requests (SQLite
releases the GIL while it writes), and batches that arrive together share one commit.

Durability: a row handed to ``write`` is kept in memory until a batch containing it has
been committed. Rows are flushed every ``flush_interval`` seconds, at ``batch_size`` rows, or
at once when a submitted batch waits; a failed flush is retried (the rows stay queued), except
that submitted batches fail their futures instead (their requests answer with an error, so
nothing answered is lost); ``close`` flushes everything before the server exits. Only a hard
kill of the process (SIGKILL, power loss) can lose the rows of the last unflushed interval.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from concurrent.futures import Future, InvalidStateError
from typing import cast

from sqlalchemy.orm import Session, sessionmaker

from csguard.services.checks import LogRow, insert_check_logs

log = logging.getLogger(__name__)
_STOP = object()
_Item = tuple[list[LogRow], "Future[None] | None"]


def _settle(future: Future[None], exc: BaseException | None) -> None:
    """Complete a batch's future unless its request gave up waiting (cancelled it)."""
    try:
        if exc is None:
            future.set_result(None)
        else:
            future.set_exception(exc)
    except InvalidStateError:
        pass


class QueuedCheckLogWriter:
    def __init__(
        self, sessions: sessionmaker[Session], batch_size: int = 5000, flush_interval: float = 0.2
    ) -> None:
        self._sessions = sessions
        self._batch_size = batch_size
        self._interval = flush_interval
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._pending: list[_Item] = []
        self._pending_rows = 0
        self._urgent = False  # a submitted batch is pending: flush without waiting
        self._backlog = False  # the last drain stopped at batch_size
        self._wake = threading.Event()
        self._taken = 0  # rows moved from the queue to _pending
        self._thread = threading.Thread(target=self._run, name="csguard-check-log-writer", daemon=True)
        self._closed = False
        self._count_lock = threading.Lock()
        self.submitted = 0
        self.written = 0
        self.rejected = 0  # rows of submitted batches whose write failed (their callers were told)
        self._thread.start()

    def write(self, rows: list[LogRow]) -> None:
        """Queue ``rows``; they are written within ``flush_interval`` (retried until they are)."""
        self._put(rows, None)

    def submit(self, rows: list[LogRow]) -> Future[None]:
        """Queue ``rows`` for writing now; the future is done once they are committed.

        If the write fails the future holds the exception and the rows are not retried.
        """
        future: Future[None] = Future()
        if rows:
            self._put(rows, future)
        else:
            future.set_result(None)
        return future

    def _put(self, rows: list[LogRow], future: Future[None] | None) -> None:
        if self._closed:
            raise RuntimeError("the check log writer is closed")
        if rows:
            with self._count_lock:
                self.submitted += len(rows)
                backlog = self.submitted - self._taken
            self._queue.put((rows, future))
            # Wake the writer only when it must not wait for its interval: single checks arrive
            # thousands of times a second, and waking a thread each time costs the event loop.
            if future is not None or backlog >= self._batch_size:
                self._wake.set()

    def _add(self, item: object) -> None:
        rows, future = cast(_Item, item)
        self._pending.append((rows, future))
        self._pending_rows += len(rows)
        self._taken += len(rows)
        if future is not None:
            self._urgent = True

    def _drain(self, timeout: float) -> bool:
        """Wait up to ``timeout`` unless woken, then move queued rows to ``_pending`` (up to
        ``batch_size``); False once the stop marker was seen."""
        if not (self._urgent or self._backlog):
            self._wake.wait(timeout)
        self._wake.clear()  # before draining: whatever is put after this wakes the next wait
        self._backlog = False
        while self._pending_rows < self._batch_size:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return True
            if item is _STOP:
                return False
            self._add(item)
        self._backlog = True  # more may be queued: do not wait before the next drain
        return True

    def _flush(self) -> bool:
        if not self._pending:
            return True
        rows = [row for item_rows, _ in self._pending for row in item_rows]
        try:
            with self._sessions() as session, session.begin():
                insert_check_logs(session.connection(), rows)
        except Exception as exc:
            log.exception(
                "writing %d check logs failed; queued rows are kept for the next attempt", len(rows)
            )
            self._fail_submitted(exc)
            return False
        self.written += len(rows)
        for _, future in self._pending:
            if future is not None:
                _settle(future, None)
        self._pending = []
        self._pending_rows = 0
        self._urgent = False
        return True

    def _fail_submitted(self, exc: Exception) -> None:
        """Hand the error to the waiting batches and drop their rows; queued rows stay."""
        kept: list[_Item] = []
        for rows, future in self._pending:
            if future is None:
                kept.append((rows, future))
            else:
                self.rejected += len(rows)
                _settle(future, exc)
        self._pending = kept
        self._pending_rows = sum(len(rows) for rows, _ in kept)
        self._urgent = False

    def _run(self) -> None:
        try:
            self._loop()
        except BaseException as exc:  # a bug here must not leave batch requests waiting forever
            log.exception("the check log writer stopped")
            self._closed = True
            self._fail_submitted(exc if isinstance(exc, Exception) else RuntimeError("writer stopped"))
            while True:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                future = None if item is _STOP else cast(_Item, item)[1]
                if future is not None:
                    _settle(future, RuntimeError("the check log writer stopped"))
            raise

    def _loop(self) -> None:
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
                self._add(item)
        for _ in range(5):
            if self._flush():
                return
            time.sleep(0.2)
        log.error("could not write %d check logs at shutdown", self._pending_rows)

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until every row handed in so far is committed (or, if submitted, failed)."""
        target = self.submitted
        deadline = time.monotonic() + timeout
        while self.written + self.rejected < target:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.005)
        return True

    def close(self, timeout: float = 10.0) -> None:
        if self._closed:
            return
        self._closed = True
        self._queue.put(_STOP)
        self._wake.set()
        self._thread.join(timeout)
