"""One export, whatever asks for it (a route, a worker job, the CLI): the dataset resolved and its filters checked,
the request audited, the rows streamed as CSV or written to a file (CSV or XLSX) with a progress tick."""

from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from backend.audit import service as audit_log
from backend.auth.models import User
from backend.exports import csv_stream, datasets, xlsx
from backend.exports.datasets import Dataset
from backend.exports.filters import Filters

Format = Literal["csv", "xlsx"]
MEDIA = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def audit(session: Session, user: User | None, name: str, fmt: str, f: Filters, **extra: Any) -> None:
    """Every export is a security event (issue 21), with what was asked for."""
    audit_log.record(session, user.id if user else None, f"export.{name}_{fmt}", "export", f"{name}.{fmt}",
                     **f.asked(), **extra)  # fmt: skip


def csv_body(session: Session, user: User | None, dataset: Dataset, f: Filters) -> Iterator[bytes]:
    """The CSV, read when the response is sent. FastAPI has ended the request's session by then (its transaction
    committed, the session closed): read through it then and a new transaction would be begun that nothing ends
    (on SQLite holding the one writer's gate: every later request waited 30 s, then 503; on PostgreSQL a pooled
    connection lost). So the rows are read in a session of the body's own, closed when the body ends or the client
    goes, through ``reader`` (no write lock). A session still in its transaction (the tests') is read as it is."""
    if session.in_transaction():
        yield from csv_stream.stream(dataset.header, datasets.rows(session, user, dataset, f))
        return
    with Session(reader(session.get_bind())) as own:  # type: ignore[arg-type]
        yield from csv_stream.stream(dataset.header, datasets.rows(own, user, dataset, f))


@lru_cache(maxsize=8)
def _sqlite_reader(url: str) -> Engine:
    """A plain (ungated) SQLite engine: its SELECTs take no write lock, so writers (the job's progress, other
    requests) go on meanwhile (WAL: readers and the writer do not block each other)."""
    return sa.create_engine(sa.make_url(url).set(drivername="sqlite"), poolclass=NullPool,
                            connect_args={"check_same_thread": False, "timeout": 30})  # fmt: skip


def reader(engine: Engine) -> Engine:
    """The engine to read a long export through: ``engine`` itself, or on SQLite an ungated one."""
    if engine.dialect.name == "sqlite":
        return _sqlite_reader(engine.url.render_as_string(hide_password=False))
    return engine


def write(session: Session, user: User | None, dataset: Dataset, f: Filters, fmt: Format, path: Path,
          tick: Callable[[int], None] | None = None) -> int:  # fmt: skip
    """Write the export to ``path``; ``tick(rows so far)`` every 1,000 rows; returns the row count."""
    count = 0

    def counted() -> Iterator[Any]:
        nonlocal count
        for row in datasets.rows(session, user, dataset, f):
            yield row
            count += 1
            if tick is not None and count % 1000 == 0:
                tick(count)

    if fmt == "xlsx":
        xlsx.write(path, dataset.name, dataset.header, counted())
        return count
    with path.open("wb") as out:
        for chunk in csv_stream.stream(dataset.header, counted()):  # a chunk is 256 rows: written as it comes
            out.write(chunk)
    return count
