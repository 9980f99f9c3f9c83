"""A pull cursor never skips a change that commits late (PROTOCOL.md §2, §5; SYNC.md §5.7 invariant 9), with
real connections, real threads and a real lock wait, on PostgreSQL and on SQLite.

Transaction A takes versions from the global change counter and stays open (not committed). Transaction B, in
another thread on its own connection, then tries to write sync rows: another device's push (``routes.push``, the
code behind ``POST /sync/push``) or a REST write (``orgs.update_establishment``, committed the way ``get_session``
commits, so the feed writes the establishment's sync row in ``before_commit``). A third device pulls
(``routes.pull``) while A is open, then again from the cursor it got once A and B have committed.

What must hold: the cursor returned while A was open is below every version A holds, and pulling on from that
cursor delivers A's rows (and B's). A version is taken inside the writing transaction while it holds the
``sync_counter`` row lock (``SqlStore._counter``: ``SELECT … FOR UPDATE``), so B cannot take the next version
before A commits; it waits. On PostgreSQL the test sees that wait (``pg_stat_activity``: B waits on a lock that
A's backend holds) and pulls during it; on SQLite every transaction begins with ``BEGIN IMMEDIATE``
(``backend.db.make_engine``), so B *and the pull* wait for A's commit (the pull cannot even start in between).

Two kinds of A:

* ``feed``: the lowest-level writer. A edits an establishment and runs ``feed.publish`` (what ``before_commit``
  runs) without an audit event, so it holds the counter lock and nothing else that B needs: B waits on
  ``sync_counter`` itself (asserted from the waiting query's text).
* ``push``: a device's push (``routes.push``) held open before its commit. Pushes and audited REST writes also
  lock the audit chain head (``audit.lock_head``) before the counter, so here B may wait on that lock first;
  this is the end-to-end case, not a test of the counter lock alone.

Why the ``feed`` cases fail without the counter lock (checked by hand in a scratch copy, with ``.with_for_update()``
dropped from ``SqlStore._counter``): B then reads the last *committed* counter value, gives its rows A's first
version, blocks on A's row lock or on the unique index of ``sync_record.version``, and fails with a unique
violation once A commits — the test requires B to succeed. Had the versions come from an allocator outside
the transaction (a sequence, or a counter bumped in its own transaction — also tried in the scratch copy), B
would commit first with a higher version, the pull in between would return B's version as its cursor, and A's
row, committed later below that cursor, would never be pulled: the cursor assertion fails.

Every wait is bounded (PostgreSQL ``lock_timeout``, thread joins and polls with timeouts, A rolled back if a check
fails), so the test cannot hang.
"""

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, text
from sqlmodel import Session, col, select
from world import World, build_world

from backend import changes, migrate
from backend.auth.deps import Principal
from backend.auth.models import Device, User
from backend.checklists import service as checklists
from backend.config import settings
from backend.db import AppSession, make_engine, uuid7
from backend.device_sync import feed, routes
from backend.device_sync.models import SyncRecord
from backend.orgs import service as orgs
from backend.orgs.models import Establishment, EstablishmentUpdate

WAIT = 15.0  # seconds: the longest any step may take before the test gives up (never reached when it passes)
CHECKLIST = "general-administration@2"


@dataclass
class Db:
    kind: str
    engine: Engine
    world: World


@pytest.fixture(scope="module")
def db(db_kind: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Db]:
    """A database of its own with committed data (the tests commit across connections, nothing is rolled back)."""
    if db_kind == "sqlite":
        tmp: Path = tmp_path_factory.mktemp("late-sqlite")
        url = f"sqlite:///{tmp / 'late.db'}"
    else:
        url = request.getfixturevalue("pg_cluster").create_database("late_commit")
    migrate.upgrade(url=url)
    eng = make_engine(url)
    if db_kind == "postgresql":

        @event.listens_for(eng, "connect")
        def _bounded(dbapi_conn: Any, _record: Any) -> None:  # no lock wait outlasts WAIT (SQLite: busy_timeout)
            with dbapi_conn.cursor() as cur:
                cur.execute(f"SET lock_timeout = '{int(WAIT * 1000)}ms'")
            dbapi_conn.commit()

    with AppSession(eng, expire_on_commit=False) as session, session.begin():
        checklists.publish_dir(session, settings.checklists_dir, actor_id=None)
        world = build_world(session)
    yield Db(db_kind, eng, world)
    eng.dispose()


def _session(db: Db) -> Session:
    return AppSession(db.engine, expire_on_commit=False)


def _device(db: Db, user: User) -> Principal:
    device = Device(id=uuid7(), user_id=user.id, name="late-commit test", token_hash=uuid.uuid4().hex)
    with AppSession(db.engine, expire_on_commit=False) as session, session.begin():
        session.add(device)
    return Principal(user=user, device=device)


@dataclass
class Tablet:
    principal: Principal
    seq: int = 0
    cursor: int = 0
    seen: dict[tuple[str, str], int] = field(default_factory=dict)  # (entity, id) -> newest version pulled

    def push_body(self, *mutations: tuple[str, dict[str, Any]]) -> dict[str, Any]:
        assert self.principal.device is not None
        batch = []
        for name, args in mutations:
            self.seq += 1
            batch.append({"id": str(uuid7()), "seq": self.seq, "name": name, "args": args})
        return {"protocol": 1, "device_id": str(self.principal.device.id), "mutations": batch}

    def pull(self, session: Session) -> int:
        """Pull to the end inside ``session``; returns the cursor (also kept)."""
        assert self.principal.device is not None
        while True:
            body = {"protocol": 1, "device_id": str(self.principal.device.id), "cursor": self.cursor, "limit": 50}
            answer = routes.pull(json.dumps(body).encode(), session, self.principal)
            assert answer.status_code == 200, answer.body
            page = json.loads(answer.body)
            assert page["cursor"] >= self.cursor, "the cursor only moves forward"
            for c in page["changes"]:
                self.seen[(c["entity"], c["id"])] = c["version"]
            self.cursor = page["cursor"]
            if not page["more"]:
                return self.cursor


def _pull(db: Db, tablet: Tablet) -> int:
    with _session(db) as session, session.begin():
        return tablet.pull(session)


def _written_after(session: Session, version: int) -> dict[tuple[str, str], int]:
    """Sync rows with a version above ``version``, as ``session`` sees them (its own uncommitted ones too)."""
    rows = session.exec(select(SyncRecord).where(col(SyncRecord.version) > version))
    return {(r.entity, r.key): r.version for r in rows}


def _backend_pid(session: Session) -> int:
    return int(session.execute(text("SELECT pg_backend_pid()")).scalar_one())


class Worker(threading.Thread):
    """Runs ``work`` in its own transaction and commits; notes its backend pid (PostgreSQL) before it writes."""

    def __init__(self, db: Db, work: Callable[[Session], Any]) -> None:
        super().__init__(daemon=True)
        self.db, self.work = db, work
        self.pid: int | None = None
        self.started_writing = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with _session(self.db) as session, session.begin():
                if self.db.kind == "postgresql":
                    self.pid = _backend_pid(session)  # the connection this transaction holds to the end
                self.started_writing.set()  # SQLite: the first statement's BEGIN IMMEDIATE waits for A's commit
                self.result = self.work(session)
        except BaseException as exc:  # reported by the test thread
            self.error = exc
        finally:
            self.started_writing.set()


def _lock_wait_or_end(db: Db, worker: Worker, holder: int) -> str | None:
    """PostgreSQL: wait until ``worker`` waits on a lock held by backend ``holder`` (returns the waiting query) or
    has finished (returns None)."""
    deadline = time.monotonic() + WAIT
    with AppSession(db.engine) as probe:
        while time.monotonic() < deadline:
            if not worker.is_alive():
                return None
            if worker.pid is not None:
                query = "SELECT wait_event_type, pg_blocking_pids(pid), query FROM pg_stat_activity WHERE pid = :pid"
                row = probe.execute(text(query), {"pid": worker.pid}).first()
                probe.rollback()  # a fresh snapshot of pg_stat_activity per poll
                if row is not None and row[0] == "Lock" and holder in row[1]:
                    return str(row[2])
            time.sleep(0.02)
    raise AssertionError("B neither finished nor waited on a lock held by A")


# --- what A and B do -------------------------------------------------------------------------------------------


def _feed_write(world: World) -> Callable[[Session], None]:
    """A change the feed publishes, made without an audit event: only the counter lock is taken."""

    def write(session: Session) -> None:
        site = session.get(Establishment, world.factory.id)
        assert site is not None
        site.contact_phone = f"+86 10 {uuid.uuid4().int % 10**8:08d}"
        session.add(site)
        session.flush()
        changes.record(session, changes.EstablishmentChanged(site.id))  # as orgs.update_establishment does
        feed.publish(session)  # what before_commit runs: the establishment's sync row, at the next version

    return write


def _push(tablet: Tablet, establishment_id: uuid.UUID, location: str) -> Callable[[Session], dict[str, Any]]:
    args = {"inspection_id": str(uuid7()), "establishment_id": str(establishment_id), "checklist": CHECKLIST,
            "team": [], "header": {"location": location}}  # fmt: skip
    body = tablet.push_body(("inspection.create", args))

    def push(session: Session) -> dict[str, Any]:
        answer = routes.push(routes.push_request(json.dumps(body).encode()), session, tablet.principal)
        assert answer.status_code == 200, answer.body
        response = json.loads(answer.body)
        assert [r["outcome"] for r in response["results"]] == ["applied"], response
        return response

    return push


def _rest_write(world: World) -> Callable[[Session], None]:
    """``PATCH /establishments/{id}``: the service call; the feed writes the sync row when the session commits."""

    def write(session: Session) -> None:
        user = session.get(User, world.supervisor.id)
        assert user is not None
        site = orgs.get_establishment(session, user, world.building_site.id)
        phone = f"+86 10 {uuid.uuid4().int % 10**8:08d}"
        orgs.update_establishment(session, user, site, EstablishmentUpdate(contact_phone=phone))

    return write


# --- the test ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("a_kind", "b_kind"), [("feed", "push"), ("feed", "rest"), ("push", "push")])
def test_a_cursor_never_passes_a_version_that_commits_late(db: Db, a_kind: str, b_kind: str) -> None:
    world = db.world
    puller = Tablet(_device(db, world.supervisor))  # the province's supervisor holds every row written below
    lead, second = Tablet(_device(db, world.inspector)), Tablet(_device(db, world.second_inspector))
    _pull(db, puller)
    with _session(db) as session:
        start = _written_after(session, -1)  # every row's version now: A and B write above these
    before = max(start.values())

    a_work = _feed_write(world) if a_kind == "feed" else _push(lead, world.factory.id, "gate")
    b_work = _push(second, world.building_site.id, "yard") if b_kind == "push" else _rest_write(world)

    a = _session(db)
    b: Worker | None = None
    between: Worker | None = None
    try:
        a.begin()
        a_pid = _backend_pid(a) if db.kind == "postgresql" else None
        a_work(a)
        held = _written_after(a, before)  # A's versions, not visible to anyone else yet
        assert held, "A wrote no sync row"
        lowest_held = min(held.values())

        b = Worker(db, b_work)
        b.start()
        assert b.started_writing.wait(WAIT)
        if db.kind == "postgresql":
            assert a_pid is not None
            waiting_in = _lock_wait_or_end(db, b, a_pid)
            middle = _pull(db, puller)  # the pull in between: A holds versions, B waits for one
            assert middle < lowest_held, f"cursor {middle} handed out past version {lowest_held}, not yet committed"
            assert b.error is None, f"B failed instead of waiting: {b.error!r}"
            assert waiting_in is not None, "B wrote and committed while A, holding the counter, had not committed"
            if a_kind == "feed":  # B waits for the change counter itself
                assert "sync_counter" in waiting_in, waiting_in
        else:
            # SQLite: B and the pull both wait in BEGIN IMMEDIATE until A commits (busy_timeout)
            between = Worker(db, puller.pull)
            between.start()
            b.join(0.5)
            between.join(0.5)
            assert b.is_alive() and between.is_alive(), "SQLite let a transaction begin while A held the write lock"
            middle = -1
        assert all(puller.seen.get(k, 0) < v for k, v in held.items()), "a pull saw A's rows before A committed"
        a.commit()
    finally:
        if a.in_transaction():
            a.rollback()
        a.close()
        for worker in (b, between):
            if worker is not None:
                worker.join(WAIT)

    assert b is not None and not b.is_alive(), "B never finished"
    assert b.error is None, f"B failed: {b.error!r}"
    if between is not None:
        assert not between.is_alive() and between.error is None, between.error
        middle = puller.cursor
        # SQLite let the pull run only after A's commit: its cursor is past A's versions, and it holds them
        assert all(puller.seen.get(k, 0) >= v for k, v in held.items()), "the pull after A's commit missed A"

    # After both commits: pulling on from the cursor handed out in between delivers A's rows and B's.
    with _session(db) as session:
        written = _written_after(session, before)
    b_rows = {k: v for k, v in written.items() if k not in held}
    assert b_rows, "B wrote no sync row"
    assert max(b_rows.values()) > max(held.values()), "B's versions come after A's"
    end = _pull(db, puller)
    assert end >= middle
    missed = {k: v for k, v in written.items() if puller.seen.get(k, 0) < v}
    assert not missed, f"pulling from cursor {middle} skipped {missed}"
