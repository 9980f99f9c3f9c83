"""Migrations: upgrade, downgrade to base and upgrade again, on a fresh SQLite and PostgreSQL database."""

from sqlalchemy import inspect
from sqlmodel import SQLModel

import backend.models  # noqa: F401
from backend import migrate
from backend.db import make_engine
from tests.backend.conftest import fresh_url


def test_upgrade_downgrade_upgrade(db_kind, request, tmp_path):
    url = fresh_url(db_kind, request, "migrations_roundtrip", tmp_path)
    migrate.upgrade(url=url)
    engine = make_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert set(SQLModel.metadata.tables) <= tables
        migrate.downgrade("base", url=url)
        inspector = inspect(engine)
        assert set(inspector.get_table_names()) <= {"alembic_version"}
        migrate.upgrade(url=url)
        assert set(SQLModel.metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_models_and_migrations_agree(db_kind, request, tmp_path):
    """Autogenerate finds nothing to do: every model change has its migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    url = fresh_url(db_kind, request, "migrations_drift", tmp_path)
    migrate.upgrade(url=url)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, SQLModel.metadata)
        assert diff == []
    finally:
        engine.dispose()
