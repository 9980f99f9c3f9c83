"""The sync state machine (tests/sync/sync_machine.py) over ``SqlStore`` and the SQL handlers, on SQLite and on
a throwaway PostgreSQL.

The machine's made-up identities are mapped onto the test world: users ``u-lead``/``u-two``/``u-sup`` to the
inspector, the second inspector and the supervisor, establishments ``e0``/``e1`` to two Riverside sites,
items ``a.1``/``a.2`` to items of ``general-administration@1``. The reference replay runs on a copy of the
database taken before any sync traffic, so both stores share the world's ids.
"""

import atexit
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from hypothesis import HealthCheck, settings
from sqlalchemy import Connection, Engine
from sqlmodel import Session, col, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "sync"))

from pgcluster import start_cluster
from sync_machine import make_machine
from world import World, build_world

from backend import migrate
from backend.attachments.models import Blob
from backend.audit.models import AuditEvent
from backend.auth.models import Device
from backend.checklists import service as checklists
from backend.config import settings as app_settings
from backend.db import make_engine, utcnow
from backend.device_sync.handlers import sql_registry
from backend.device_sync.models import AppliedMutation, SyncRecord
from backend.device_sync.store import SqlStore
from backend.inspections.models import Finding, Inspection, InspectionInterview
from sync import mutations as mu
from sync.hashing import Tables
from sync.registry import Registry
from sync.store import Actor, AppliedRecord

ITEMS = {"a.1": "ga.est.01", "a.2": "ga.est.03"}
_db: dict[str, tuple[World, Engine, Engine]] = {}
_live: dict[tuple[str, str], tuple[Connection, Any, Session]] = {}


def _seed(url: str) -> World:
    migrate.upgrade(url=url)
    eng = make_engine(url)
    with Session(eng, expire_on_commit=False) as session, session.begin():
        checklists.publish_dir(session, app_settings.checklists_dir, actor_id=None)
        world = build_world(session)
    eng.dispose()
    return world


def _databases(backend: str) -> tuple[World, Engine, Engine]:
    """Two identical databases holding the world and the published checklists (made once per backend): a
    SQLite file and its copy, or a PostgreSQL database and a copy made from it as a template."""
    if backend not in _db:
        if backend == "sqlite":
            tmp = Path(tempfile.mkdtemp(prefix="device-sync-machine-"))
            atexit.register(shutil.rmtree, tmp, ignore_errors=True)
            world = _seed(f"sqlite:///{tmp / 'main.db'}")
            shutil.copy(tmp / "main.db", tmp / "replay.db")
            urls = (f"sqlite:///{tmp / 'main.db'}", f"sqlite:///{tmp / 'replay.db'}")
        else:
            cluster = start_cluster()  # fails loudly when PostgreSQL is missing
            atexit.register(cluster.stop)
            main_url = cluster.create_database("machine_main")
            world = _seed(main_url)
            with psycopg.connect(f"host=127.0.0.1 port={cluster.port} user=postgres dbname=postgres",
                                 autocommit=True) as c:  # fmt: skip
                c.execute('CREATE DATABASE "machine_replay" TEMPLATE "machine_main"')
            urls = (main_url, main_url.rsplit("/", 1)[0] + "/machine_replay")
        _db[backend] = (world, make_engine(urls[0]), make_engine(urls[1]))
    return _db[backend]


class SqlHarness(SqlStore):
    """``SqlStore`` plus the hooks the machine needs, inside a connection-level transaction rolled back later."""

    def __init__(self, session: Session, world: World) -> None:
        super().__init__(session)
        self.world = world
        self.users = {"u-lead": world.inspector, "u-two": world.second_inspector, "u-sup": world.supervisor}

    @contextmanager
    def transaction(self) -> Any:
        self.forget()  # one store instance serves every "request" here; a real request gets a fresh one
        try:
            with self.session.begin_nested():
                yield self
        finally:
            self.forget()

    def register_device(self, device_id: uuid.UUID, user_id: str, role: str = "inspector") -> Actor:
        user = self.users[user_id]
        if self.session.get(Device, device_id) is None:
            self.session.add(Device(id=device_id, user_id=user.id, name="machine", token_hash=device_id.hex))
            self.session.flush()
        return Actor(str(user.id), user.role.value, device_id)

    def verify_blob(self, sha256: str) -> None:
        if self.session.get(Blob, sha256) is None:
            blob = Blob(sha256=sha256, bytes=1, mime="image/jpeg", created_by=self.world.inspector.id)
            blob.verified_at = utcnow()
            self.session.add(blob)
            self.session.flush()

    def snapshot(self) -> Tables:
        stmt = select(SyncRecord).execution_options(populate_existing=True)
        tables: Tables = {}
        for r in self.session.exec(stmt):
            tables.setdefault(r.entity, {})[r.key] = {**r.data, "version": r.version}
        # The domain rows the handlers wrote, too: a crash or a rejection must leave none of them behind, and
        # replaying each mutation once must write the same ones (timestamps aside).
        fresh = {"populate_existing": True}
        for f in self.session.exec(select(Finding).execution_options(**fresh)):
            tables.setdefault("domain:finding", {})[f"{f.inspection_id}/{f.item_id}"] = {
                "status": f.status.value, "value": f.value, "note": f.note, "evidence": f.evidence,
                "workers": [f.workers_men, f.workers_women, f.workers_under_18], "version": f.version,
            }  # fmt: skip
        for i in self.session.exec(select(Inspection).execution_options(**fresh)):
            tables.setdefault("domain:inspection", {})[str(i.id)] = {
                "status": i.status.value, "revision": i.revision, "sha256": i.content_sha256, "summary": i.summary,
            }  # fmt: skip
        for v in self.session.exec(select(InspectionInterview).execution_options(**fresh)):
            tables.setdefault("domain:interview", {})[str(v.id)] = {"counts": [v.men, v.women, v.under_18]}
        domain_events = select(AuditEvent.action).where(AuditEvent.action != "sync.mutation")
        counts: dict[str, int] = {}
        for action in self.session.exec(domain_events):
            counts[action] = counts.get(action, 0) + 1
        tables["domain:audit"] = {"count": dict(sorted(counts.items()))}
        return tables

    def visible(self, actor: Actor) -> Tables:
        tables: Tables = {}
        for c in self.changes_since(actor, 0, 1_000_000):
            tables.setdefault(c.entity, {})[c.id] = c.data or {}
        return tables

    def applied_records(self) -> list[AppliedRecord]:
        rows = self.session.exec(select(AppliedMutation).execution_options(populate_existing=True)).all()
        records = [self.get_applied(r.mutation_id) for r in rows]
        return [r for r in records if r is not None]

    def first_applications(self) -> list[uuid.UUID]:
        stmt = select(AuditEvent).where(AuditEvent.action == "sync.mutation").order_by(col(AuditEvent.seq))
        events = self.session.exec(stmt.execution_options(populate_existing=True)).all()
        return [uuid.UUID(e.subject_id) for e in events if e.details["outcome"] != "duplicate"]


def _translate(world: World, args: Any) -> Any:
    users = {"u-lead": world.inspector, "u-two": world.second_inspector, "u-sup": world.supervisor}
    if isinstance(args, mu.InspectionCreate):
        site = world.factory if args.establishment_id == "e0" else world.building_site
        return args.model_copy(
            update={
                "establishment_id": str(site.id),
                "checklist": "general-administration@1",
                "team": [str(users[t].id) for t in args.team],
            }
        )
    item = getattr(args, "item_id", None)
    return args.model_copy(update={"item_id": ITEMS[item]}) if item in ITEMS else args


def _registry(world: World) -> Registry:
    sql, registry = sql_registry(), Registry()
    for name, v in mu.MUTATIONS:
        found = sql.lookup(name, v)
        assert found is not None
        registry.register(name, lambda ctx, args, fn=found.fn: fn(ctx, _translate(world, args)), v)
    return registry


def _close(key: tuple[str, str]) -> None:
    if key in _live:
        connection, outer, session = _live.pop(key)
        session.close()
        outer.rollback()
        connection.close()


def sql_factory(backend: str) -> Callable[[], tuple[SqlHarness, Registry]]:
    def factory() -> tuple[SqlHarness, Registry]:
        """A fresh store: the main database per example, the replay copy for the machine's reference replay."""
        world, main, replay = _databases(backend)
        # the machine calls its factory once per example and once more, from _replay_reference, in teardown
        kind = "replay" if sys._getframe(1).f_code.co_name == "_replay_reference" else "main"
        if kind == "main":
            _close((backend, "replay"))
        _close((backend, kind))
        connection = (main if kind == "main" else replay).connect()
        outer = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
        _live[(backend, kind)] = (connection, outer, session)
        return SqlHarness(session, world), _registry(world)

    return factory


TestSqlStoreSync = make_machine(sql_factory("sqlite")).TestCase
TestSqlStoreSync.settings = settings(
    max_examples=25, stateful_step_count=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestSqlStoreSyncPostgres = make_machine(sql_factory("postgresql")).TestCase
TestSqlStoreSyncPostgres.settings = settings(
    max_examples=15, stateful_step_count=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
