"""The SQLite writer gate (``backend/sqlite_writer.py``): one writer at a time per process, the next one let in
when the previous transaction ends — however it ends — and never left held."""

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from backend.db import make_engine
from backend.sqlite_writer import GatedSQLiteDialect, WriterGate


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    eng = make_engine(f"sqlite:///{tmp_path / 'gate.db'}")
    with eng.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
    return eng


def gate(engine: Engine) -> WriterGate:
    assert isinstance(engine.dialect, GatedSQLiteDialect)
    return engine.dialect.gate


def count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM t")).scalar_one())


def test_the_gate_is_free_after_commit_rollback_and_close(engine: Engine) -> None:
    with Session(engine) as s, s.begin():
        s.execute(text("INSERT INTO t VALUES (1)"))
        assert gate(engine)._lock.locked()
    assert not gate(engine)._lock.locked()
    with pytest.raises(KeyError), Session(engine) as s, s.begin():
        s.execute(text("INSERT INTO t VALUES (2)"))
        raise KeyError
    assert not gate(engine)._lock.locked()
    conn = engine.connect()
    conn.execute(text("INSERT INTO t VALUES (3)"))  # autobegins
    conn.close()  # without commit: rolled back when returned to the pool
    assert not gate(engine)._lock.locked()
    conn = engine.connect()
    conn.execute(text("INSERT INTO t VALUES (4)"))
    conn.invalidate()  # the DBAPI connection is closed under its transaction
    assert not gate(engine)._lock.locked()
    assert count(engine) == 1


def test_a_second_writer_waits_for_the_first_and_then_runs(engine: Engine) -> None:
    order: list[str] = []
    second_started = threading.Event()

    def second() -> None:
        second_started.set()
        with Session(engine) as s, s.begin():
            s.execute(text("INSERT INTO t VALUES (2)"))  # the session begins here, at its first statement
            order.append("second wrote")

    with Session(engine) as s, s.begin():
        s.execute(text("INSERT INTO t VALUES (1)"))
        other = threading.Thread(target=second)
        other.start()
        assert second_started.wait(5)
        other.join(0.3)
        assert other.is_alive(), "a second writer began while the first held the gate"
        order.append("first commits")
    other.join(5)
    assert not other.is_alive()
    assert order == ["first commits", "second wrote"]
    assert count(engine) == 2 and not gate(engine)._lock.locked()


def test_a_writer_gives_up_after_the_timeout_with_database_locked(engine: Engine) -> None:
    gate(engine).timeout = 0.2
    errors: list[BaseException] = []

    def second() -> None:
        try:
            with Session(engine) as s, s.begin():
                s.execute(text("INSERT INTO t VALUES (2)"))
        except OperationalError as exc:
            errors.append(exc)

    with Session(engine) as s, s.begin():
        s.execute(text("INSERT INTO t VALUES (1)"))
        other = threading.Thread(target=second)
        started = time.monotonic()
        other.start()
        other.join(5)
    assert time.monotonic() - started >= 0.2
    assert len(errors) == 1 and "database is locked" in str(errors[0])
    assert count(engine) == 1 and not gate(engine)._lock.locked()


def test_only_the_holder_lets_the_gate_go() -> None:
    # ``do_rollback`` also runs when the pool resets a connection that never began (or already ended) its
    # transaction: that must not free the gate another connection holds.
    gate_ = WriterGate(timeout=0.1)
    holder, other = object(), object()
    gate_.enter(holder)
    gate_.leave(other)
    assert gate_._lock.locked()
    gate_.leave(holder)
    assert not gate_._lock.locked()
    gate_.leave(holder)  # ending twice (commit, then the pool's reset) is harmless
    assert not gate_._lock.locked()


def test_an_engine_made_from_the_dialect_url_alone_has_its_gate(tmp_path: Path) -> None:
    plain = create_engine(f"sqlite+gated:///{tmp_path / 'plain.db'}")
    with plain.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
        assert gate(plain)._lock.locked()
    assert not gate(plain)._lock.locked()
