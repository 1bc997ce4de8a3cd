"""One sqlite3 connection on a thread of its own, and a plain batch writer in front of it.

Every call runs a function on the connection's thread, so nothing on the event loop waits on
the disk. Writes queue up while a batch is being applied; the next batch takes the whole
queue and applies it as ONE transaction (BEGIN IMMEDIATE, which takes SQLite's write lock
across processes at once), each caller's function under a savepoint of its own: a caller
whose function fails is rolled back alone, the others commit. A caller resumes only once its
transaction is committed. Reads run on the same thread between batches, so they never see a
transaction half applied. A batch is one trip to the thread instead of one per statement:
that is what keeps 64 readers at 0.58 of raw single-statement upserts in `bench_storage`.
aiosqlite is the same design (one connection on its own thread) without batches: its public
calls are a trip per statement, which measured 0.25 of raw there, below issue 12's 0.5, and
only its private `_execute` runs a function on its thread.

A fault of the database as a whole (disk full, I/O error, read-only, locked past the busy
timeout, damaged) fails the whole batch with `StorageUnavailable`: nothing of it was written.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from bot.storage.errors import StorageReadUnavailable, StorageUnavailable, StoreClosed
from bot.storage.faults import FaultEpisodes

log = logging.getLogger(__name__)

T = TypeVar("T")
Work = Callable[[sqlite3.Connection], Any]

# Primary result codes that concern the database, not one caller's statement.
_FAULT_CODES = frozenset(
    {
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
        sqlite3.SQLITE_NOMEM,
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_CORRUPT,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_PROTOCOL,
        sqlite3.SQLITE_NOTADB,
    }
)


def is_database_fault(error: BaseException) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return isinstance(error, sqlite3.Error) and code is not None and code & 0xFF in _FAULT_CODES


def _apply_batch(conn: sqlite3.Connection, works: list[Work]) -> list[tuple[bool, Any]]:
    """On the connection's thread: every work in one transaction, a savepoint each."""
    outcomes: list[tuple[bool, Any]] = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        for work in works:
            conn.execute("SAVEPOINT caller")
            try:
                outcomes.append((True, work(conn)))
            except Exception as error:
                if is_database_fault(error):
                    raise
                conn.execute("ROLLBACK TO caller")
                outcomes.append((False, error))
            conn.execute("RELEASE caller")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):  # the fault is what the callers hear
                conn.execute("ROLLBACK")
        raise
    return outcomes


class SQLiteWorker:
    """Open with `await SQLiteWorker.start(connect, faults)`; `connect` runs on the thread."""

    def __init__(
        self, executor: ThreadPoolExecutor, conn: sqlite3.Connection, faults: FaultEpisodes
    ) -> None:
        self._executor = executor
        self._conn = conn
        self._faults = faults
        self._queue: list[tuple[Work, asyncio.Future[Any]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self._closing = False
        self._closed = False
        self._close_lock = asyncio.Lock()

    @classmethod
    async def start(
        cls, connect: Callable[[], sqlite3.Connection], faults: FaultEpisodes
    ) -> SQLiteWorker:
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storybot-sqlite")
        try:
            conn = await asyncio.get_running_loop().run_in_executor(executor, connect)
        except BaseException:
            executor.shutdown(wait=False)
            raise
        return cls(executor, conn, faults)

    async def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """`work(connection)` on the thread, as it is: for setting up, and by `read`."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, work, self._conn)

    async def read(self, work: Callable[[sqlite3.Connection], T]) -> T:
        if self._closing:
            raise StoreClosed("the SQLite storage is closed")
        try:
            result = await self.run(work)
        except sqlite3.Error as error:
            if not is_database_fault(error):
                raise
            self._faults.failed(error, doing="reading")
            raise StorageReadUnavailable(str(error)) from error
        self._faults.worked(doing="reading")
        return result

    async def write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Apply `work(connection)` in the next batch; its result once committed."""
        if self._closing:
            raise StoreClosed("the SQLite storage is closed")
        done: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queue.append((work, done))
        if self._flusher is None:
            self._flusher = asyncio.create_task(self._flush(), name="storybot-sqlite-writer")
        return await done

    async def _flush(self) -> None:
        try:
            while self._queue:
                batch, self._queue = self._queue, []
                live = [(work, done) for work, done in batch if not done.done()]  # not cancelled
                if live:
                    await self._commit(live)
        finally:
            self._flusher = None

    async def _commit(self, batch: list[tuple[Work, asyncio.Future[Any]]]) -> None:
        works = [work for work, _ in batch]
        try:
            outcomes = await self.run(lambda conn: _apply_batch(conn, works))
        except BaseException as error:
            failure: BaseException = error
            if is_database_fault(error):
                self._faults.failed(error, doing="writing")
                failure = StorageUnavailable(str(error))
                failure.__cause__ = error
            elif isinstance(error, Exception):
                log.exception("an SQLite write batch failed")
            else:  # cancelled: the batch may still commit on the thread, so say nothing done
                failure = StoreClosed("the SQLite writer was stopped")
            for _, done in batch:
                if not done.done():
                    done.set_exception(failure)
            if not isinstance(error, Exception):
                raise
            return
        self._faults.worked(doing="writing")
        for (_, done), (ok, value) in zip(batch, outcomes, strict=True):
            if done.done():
                continue
            if ok:
                done.set_result(value)
            else:
                done.set_exception(value)

    @property
    def closed(self) -> bool:
        return self._closed

    async def close(self) -> None:
        """Commit the writes already queued, then close the connection. Idempotent."""
        async with self._close_lock:
            if self._closed:
                return
            self._closing = True
            if self._flusher is not None:
                await asyncio.wait([self._flusher])
            try:
                await self.run(lambda conn: conn.close())
            finally:
                self._executor.shutdown(wait=False)
                self._closed = True
