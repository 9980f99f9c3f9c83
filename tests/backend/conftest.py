"""Backend fixtures: every test runs on SQLite and on a throwaway PostgreSQL, inside a rolled-back transaction.

Personas (inspector, other_district_inspector, supervisor, admin) and the org tree are committed once per
database; each test's own writes vanish at teardown.
"""

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pgcluster import Cluster, start_cluster
from world import World, build_world

from backend import migrate
from backend.audit import service as audit_log
from backend.auth import service as auth
from backend.auth.models import User
from backend.checklists import service as checklists
from backend.config import settings
from backend.db import AppSession, after_rollback, get_session, make_engine
from backend.main import app
from sync.canonical import canonical_json
from tests.backend.devices import CHECKLIST, Dev

DATABASES = ["sqlite", "postgresql"]


@pytest.fixture(autouse=True)
def _record_plain_keeps_its_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ``audit.record_plain`` call in the suite passes JSON types only, keys sorted, whose pydantic-core JSON
    is byte for byte their ``canonical_json``, the text ``record`` hashes: nothing at run time checks this (a push
    records two such events a finding)."""
    plain = audit_log.record_plain

    def checked(session: Session, actor_id: Any, action: str, subject_type: str, subject_id: Any,
                details: dict[str, Any]) -> None:  # fmt: skip
        assert audit_log._json_safe(details) and not _has_float(details), details
        assert audit_log.to_json(details).decode() == canonical_json(details), details
        plain(session, actor_id, action, subject_type, subject_id, details)

    monkeypatch.setattr(audit_log, "record_plain", checked)


def _has_float(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_float(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_float(v) for v in value)
    return type(value) is float


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    cluster = start_cluster()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session", params=DATABASES)
def db_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def fresh_url(kind: str, request: pytest.FixtureRequest, name: str, tmp: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp / name}.db"
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    return cluster.create_database(name)


@pytest.fixture(scope="session")
def engine(db_kind: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    url = fresh_url(db_kind, request, "suite", tmp_path_factory.mktemp(db_kind))
    migrate.upgrade(url=url)
    eng = make_engine(url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def world(engine: Engine) -> World:
    """Org tree, personas and the published checklists, committed once per database."""
    with AppSession(engine, expire_on_commit=False) as session, session.begin():
        checklists.publish_dir(session, settings.checklists_dir, actor_id=None)
        return build_world(session)


@pytest.fixture
def session(engine: Engine, world: World) -> Iterator[Session]:
    with engine.connect() as connection:
        outer = connection.begin()
        with AppSession(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False) as s:
            yield s
        outer.rollback()


class Api:
    """A test client speaking as one user; every request runs in the test's transaction."""

    def __init__(self, client: TestClient, user: User | None) -> None:
        self.client = client
        self.headers: dict[str, str] = {}
        if user is not None:
            token, _ = auth.issue_access_token(user)
            self.headers["Authorization"] = f"Bearer {token}"

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.request(method, f"/api/v1{url}", headers=headers, **kwargs)

    def get(self, url: str, **kw: Any) -> Any:
        return self.request("GET", url, **kw)

    def post(self, url: str, **kw: Any) -> Any:
        return self.request("POST", url, **kw)

    def put(self, url: str, **kw: Any) -> Any:
        return self.request("PUT", url, **kw)

    def patch(self, url: str, **kw: Any) -> Any:
        return self.request("PATCH", url, **kw)


@pytest.fixture
def client(session: Session) -> Iterator[TestClient]:
    def _session() -> Iterator[Session]:
        nested = session.begin_nested()
        try:
            yield session
        except BaseException as exc:
            nested.rollback()
            if isinstance(exc, Exception):  # as backend.db.get_session: security events of a refusal (issue 21)
                after_rollback(session, exc)
            raise
        nested.commit()

    app.dependency_overrides[get_session] = _session
    with TestClient(app, raise_server_exceptions=True) as c:
        yield c
    app.dependency_overrides.clear()


@pytest.fixture
def as_(client: TestClient) -> Any:
    return lambda user: Api(client, user)


@pytest.fixture
def anon(client: TestClient) -> Api:
    return Api(client, None)


@pytest.fixture
def inspector(world: World) -> User:
    return world.inspector


@pytest.fixture
def other_district_inspector(world: World) -> User:
    return world.other_district_inspector


@pytest.fixture
def supervisor(world: World) -> User:
    return world.supervisor


@pytest.fixture
def admin(world: World) -> User:
    return world.admin


# --- simulated tablets for the device-sync tests (tests/backend/devices.py) ---------------------------


@pytest.fixture
def checklist(as_: Any, inspector: User) -> dict[str, Any]:
    """The published general-administration checklist, as a device downloads it."""
    summary = next(c for c in as_(inspector).get("/checklists").json() if c["key"] == CHECKLIST)
    return as_(inspector).get(f"/checklists/{CHECKLIST}/{summary['version']}").json()


@pytest.fixture
def lead(as_: Any, inspector: User) -> Dev:
    """The district inspector's tablet (the lead of the inspections it creates)."""
    return Dev(as_, inspector)


@pytest.fixture
def second(as_: Any, world: World) -> Dev:
    """A second inspector's tablet in the same district."""
    return Dev(as_, world.second_inspector)
