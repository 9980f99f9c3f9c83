"""Migration 0017 on SQLite and PostgreSQL: after it a statistician account can be stored; the old check still
refuses other roles; the downgrade with a statistician in the table makes it an inactive supervisor and restores
the old check, every row kept."""

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from backend import migrate
from backend.db import make_engine
from tests.backend.conftest import fresh_url

BEFORE = "0018_complaints_accidents_plans"


def _user(conn: sa.Connection, db_kind: str, role: str) -> None:
    table = sa.Table("user_account", sa.MetaData(), autoload_with=conn)
    ident = uuid.uuid4().hex if db_kind == "sqlite" else uuid.uuid4()
    conn.execute(table.insert().values(id=ident, email=f"{uuid.uuid4().hex}@x.example", name="N", sex="female",
                                       role=role, active=True, password_hash="x",
                                       created_at=datetime.now(UTC)))  # fmt: skip


def test_statistician_role_both_ways(db_kind, request, tmp_path):
    url = fresh_url(db_kind, request, "statistician_role", tmp_path)
    migrate.upgrade(BEFORE, url=url)
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            _user(conn, db_kind, "supervisor")
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            _user(conn, db_kind, "statistician")
        migrate.upgrade(url=url)
        with engine.begin() as conn:
            _user(conn, db_kind, "statistician")
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            _user(conn, db_kind, "janitor")
        migrate.downgrade(BEFORE, url=url)
        with engine.begin() as conn:
            rows = conn.execute(sa.text("SELECT role, active FROM user_account ORDER BY active")).all()
            assert [(r[0], bool(r[1])) for r in rows] == [("supervisor", False), ("supervisor", True)]
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            _user(conn, db_kind, "statistician")
        migrate.upgrade(url=url)
    finally:
        engine.dispose()
