"""Database core: metadata naming convention, the engine, the application's session class with its typed
per-transaction context, and shared column helpers.

Every ``models.py`` imports from here, so the naming convention is set before any table is declared.
"""

import json
import logging
import os
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import DateTime, Engine, Table, event, make_url
from sqlalchemy import Enum as SAEnum
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, SQLModel, create_engine

from backend import sqlite_writer
from backend.config import settings

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

T = TypeVar("T")
P = TypeVar("P")
SQLITE_BUSY_SECONDS = 30  # how long a writer waits for another before "database is locked"


def utcnow() -> datetime:
    return datetime.now(UTC)


def uuid7() -> uuid.UUID:
    """A time-ordered UUID (RFC 9562 version 7): 48-bit milliseconds, then random bits."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")  # what secrets.token_bytes reads, without its two calls
    value = (ms & ((1 << 48) - 1)) << 80 | rand & ((1 << 80) - 1)
    value = (value & ~(0xF << 76)) | (0x7 << 76)
    value = (value & ~(0x3 << 62)) | (0x2 << 62)
    return uuid.UUID(int=value)


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a table model, for bulk Core statements. SQLModel's metaclass sets ``__table__`` but its
    type stubs do not declare it, hence the one ignore here instead of one at every use."""
    return model.__table__  # type: ignore[attr-defined]


def unique_violation(exc: IntegrityError) -> bool:
    """Whether an ``IntegrityError`` is a unique (or primary) key violation, on PostgreSQL or SQLite."""
    return getattr(exc.orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(exc.orig)


@dataclass
class InsertOnce:
    """A transaction's ``insert_once`` state: ``active`` while its savepoint ends, which fires ``before_commit``
    although it is not the request's commit (hooks that act once per transaction skip it)."""

    active: bool = False


def insert_once(session: Session, conflict: Exception, *rows: Any) -> None:
    """Add and flush ``rows`` in a savepoint. A unique key another transaction took between a service's check and
    this insert (a concurrent request, a retry overtaking its original) raises ``conflict`` instead of the
    ``IntegrityError``, which would have answered 500; the rest of the transaction stays usable."""
    session.flush()  # what else is pending is written outside the savepoint: its violations stay its own (a 500)
    state = context_of(session).part(InsertOnce)
    state.active = True
    try:
        with session.begin_nested():
            session.add_all(rows)
            session.flush()
    except IntegrityError as exc:
        if not unique_violation(exc):
            raise
        raise conflict from exc
    finally:
        state.active = False


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: store timezone-aware UTC times")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class JSONText(str):
    """JSON already serialised (e.g. the canonical text an audit event's hash covers): a JSON column stores it as
    is instead of serialising it again."""


def _json_serializer(value: Any) -> str:
    return value if type(value) is JSONText else json.dumps(value)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        sa_url = make_url(url)
        if sa_url.drivername in ("sqlite", "sqlite+pysqlite"):
            sa_url = sa_url.set(drivername=sqlite_writer.DRIVER)
        eng = create_engine(
            sa_url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_SECONDS},
            json_serializer=_json_serializer,
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
        )
        if isinstance(eng.dialect, sqlite_writer.GatedSQLiteDialect):
            eng.dialect.gate.timeout = SQLITE_BUSY_SECONDS

        @event.listens_for(eng, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy, not pysqlite, decide when transactions begin, so SAVEPOINTs work.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
            cur.close()

        return eng
    return create_engine(
        url, pool_pre_ping=True, pool_size=settings.db_pool_size, max_overflow=settings.db_max_overflow,
        json_serializer=_json_serializer,
    )  # fmt: skip


engine = make_engine(settings.database_url)


@dataclass
class RequestContext:
    """What one session's transaction keeps besides its rows, one typed part per kind (a dataclass each, made on
    first use): the domain change events the projection turns into sync rows, the audit events held back, ... —
    never string keys in ``session.info``."""

    _parts: dict[type, object] = field(default_factory=dict)

    def part(self, kind: type[P]) -> P:
        """This transaction's ``kind`` part, made with ``kind()`` when first asked for."""
        found = self._parts.get(kind)
        if found is None:
            found = self._parts[kind] = kind()
        return found  # type: ignore[return-value]

    def peek(self, kind: type[P]) -> P | None:
        """The ``kind`` part if there is one (none is made)."""
        return self._parts.get(kind)  # type: ignore[return-value]

    def take(self, kind: type[P]) -> P | None:
        """The ``kind`` part if there is one, forgotten."""
        return self._parts.pop(kind, None)  # type: ignore[return-value]


class AppSession(Session):
    """The application's session: every request, CLI command and test writes through one. Listeners (the sync
    projection at commit) are registered on this class, not on SQLAlchemy's global ``Session``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.context = RequestContext()


def context_of(session: OrmSession) -> RequestContext:
    """The session's typed context (only the application's ``AppSession`` has one)."""
    if not isinstance(session, AppSession):
        raise TypeError("domain writes go through backend.db.AppSession")
    return session.context


def get_session() -> Iterator[Session]:
    """One transaction per request: commits on success, rolls back on any exception (and then records what the
    ``register_after_rollback`` hooks make of it, in a transaction of their own)."""
    with AppSession(engine, expire_on_commit=False) as session:
        try:
            with session.begin():
                yield session
        except Exception as exc:
            session.context = RequestContext()  # the failed transaction's change events die with it
            with session.begin():
                after_rollback(session, exc)
            raise


# hardening (issue 21): called with a request's session after its transaction was rolled back by an exception
# (backend/auth/events.py records refused access there); never lets its own failure hide the exception.
_AFTER_ROLLBACK: list[Callable[[Session, BaseException], None]] = []


def register_after_rollback(hook: Callable[[Session, BaseException], None]) -> None:
    if hook not in _AFTER_ROLLBACK:
        _AFTER_ROLLBACK.append(hook)


def after_rollback(session: Session, exc: BaseException) -> None:
    for hook in _AFTER_ROLLBACK:  # each writes in a savepoint of its own, if it writes at all
        try:
            hook(session, exc)
        except Exception:
            logging.getLogger("backend.db").exception("an after-rollback hook failed")


def enum_column(enum: type[StrEnum]) -> SAEnum:
    """A StrEnum stored as VARCHAR (no native type to migrate); the table's CHECK constraint guards values."""
    return SAEnum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=16,
        values_callable=lambda e: [m.value for m in e],
    )
