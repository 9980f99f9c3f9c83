"""SQLite's one writer at a time, queued in-process: every transaction begins ``IMMEDIATE`` (the write lock up
front, no deadlocked upgrade from a read), and the writers of one engine wait on a lock instead of SQLite's busy
handler, which polls with sleeps of up to 100 ms — a waiting transaction begins the moment the previous one ends.

Other engines and processes on the same file (the CLI, a second worker) still meet SQLite's own lock and busy
timeout. If a COMMIT itself fails the gate is let go at once; the rollback that follows ends the transaction.
"""

import sqlite3
import threading
from typing import Any

from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

DRIVER = "sqlite+gated"


class WriterGate:
    """Held from a connection's ``BEGIN IMMEDIATE`` to its commit, rollback or close (any thread may end it)."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._lock = threading.Lock()
        self._holder: int | None = None  # id() of the DBAPI connection in its transaction

    def enter(self, dbapi_connection: Any) -> None:
        if not self._lock.acquire(timeout=self.timeout):
            raise sqlite3.OperationalError("database is locked (another request of this process is writing)")
        self._holder = id(dbapi_connection)

    def leave(self, dbapi_connection: Any) -> None:
        if self._holder is not None and self._holder == id(dbapi_connection):
            self._holder = None
            self._lock.release()


def _raw(connection: Any) -> Any:
    """The DBAPI connection behind SQLAlchemy's pool proxy (the dialect is handed either)."""
    return getattr(connection, "dbapi_connection", connection)


class GatedSQLiteDialect(SQLiteDialect_pysqlite):
    """pysqlite with the transaction begun by the dialect (``isolation_level = None`` on every connection, so
    SAVEPOINTs work) and the writer gate around it. ``make_engine`` gives each engine its own gate."""

    supports_statement_cache = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.gate = WriterGate(timeout=30.0)  # one per engine (``make_engine`` sets the timeout it uses)

    def do_begin(self, dbapi_connection: Any) -> None:
        raw = _raw(dbapi_connection)
        self.gate.enter(raw)
        try:
            raw.execute("BEGIN IMMEDIATE")
        except BaseException:
            self.gate.leave(raw)
            raise

    def do_commit(self, dbapi_connection: Any) -> None:
        try:
            super().do_commit(dbapi_connection)
        finally:
            self.gate.leave(_raw(dbapi_connection))

    def do_rollback(self, dbapi_connection: Any) -> None:
        try:
            super().do_rollback(dbapi_connection)
        finally:
            self.gate.leave(_raw(dbapi_connection))

    def do_close(self, dbapi_connection: Any) -> None:
        try:
            super().do_close(dbapi_connection)
        finally:
            self.gate.leave(_raw(dbapi_connection))


registry.register("sqlite.gated", __name__, "GatedSQLiteDialect")  # the driver of ``DRIVER``
