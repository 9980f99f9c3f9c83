"""counters 64-bit: versions, seqs, revisions, the change counter and blob sizes become BIGINT on PostgreSQL

A pull with a cursor of 2**31 answered 500 (the cursor is compared with an INTEGER column) and the change log, the
audit chain and every device's seq would have stopped at about 2.1 billion. SQLite's INTEGER already holds 64 bits
(and an autoincrementing key must stay the rowid alias ``INTEGER``): nothing changes there.

On PostgreSQL each ``ALTER COLUMN .. TYPE BIGINT`` rewrites its table under an exclusive lock (seconds per million
rows): run the upgrade in a quiet hour, as any schema upgrade.

Revision ID: 0008_bigint_counters
Revises: 0007_sync_record_by_inspection
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_bigint_counters"
down_revision: str | None = "0007_sync_record_by_inspection"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTERS = {
    "audit_event": ("id", "seq"),
    "audit_head": ("seq",),
    "checklist_version": ("version",),
    "sync_counter": ("version",),
    "sync_record": ("version",),
    "blob": ("bytes",),
    "applied_mutation": ("seq", "v"),
    "device_sync_state": ("last_seq",),
    "inspection": ("version", "revision"),
    "finding": ("version",),
    "inspection_checklist": ("checklist_version",),
    "inspection_review": ("revision",),
    "inspection_submission": ("revision",),
}


def _alter(to: sa.types.TypeEngine, sequence_type: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, columns in COUNTERS.items():
        for column in columns:
            op.alter_column(table, column, type_=to, existing_nullable=False)
    # The audit event key is a SERIAL: its sequence has a type of its own.
    op.execute(f"ALTER SEQUENCE IF EXISTS audit_event_id_seq AS {sequence_type}")


def upgrade() -> None:
    _alter(sa.BigInteger(), "BIGINT")


def downgrade() -> None:
    _alter(sa.Integer(), "INTEGER")
