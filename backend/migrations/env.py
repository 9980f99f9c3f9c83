"""Alembic environment: the URL comes from settings, or a connection handed over by the caller (tests)."""

from alembic import context
from sqlmodel import SQLModel

import backend.models  # noqa: F401  (fills the metadata)
from backend.config import settings
from backend.db import make_engine

target_metadata = SQLModel.metadata


def _configure(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(context.config.attributes.get("url") or settings.database_url)
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
