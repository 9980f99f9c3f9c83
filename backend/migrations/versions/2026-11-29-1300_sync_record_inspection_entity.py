"""sync_record: index (inspection_id, entity) in place of (inspection_id)

A push reads the rows of its inspections ahead with ``entity IN (..) AND inspection_id IN (..)``; with only the
single-column index SQLite chose the primary key and walked every row of those entities, a cost that grew with
every finding ever recorded. The two-column index also serves every lookup by inspection alone.

On PostgreSQL ``CREATE INDEX`` blocks writes to ``sync_record`` while it builds (seconds per million rows): run
the upgrade in a quiet hour, as any schema upgrade.

Revision ID: 0007_sync_record_by_inspection
Revises: 0006_device_token_issued_at
Create Date: 2026-11-29 13:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007_sync_record_by_inspection"
down_revision: str | None = "0006_device_token_issued_at"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_record") as batch:
        batch.create_index("ix_sync_record_inspection_entity", ["inspection_id", "entity"], unique=False)
        batch.drop_index(batch.f("ix_sync_record_inspection_id"))


def downgrade() -> None:
    with op.batch_alter_table("sync_record") as batch:
        batch.create_index(batch.f("ix_sync_record_inspection_id"), ["inspection_id"], unique=False)
        batch.drop_index("ix_sync_record_inspection_entity")
