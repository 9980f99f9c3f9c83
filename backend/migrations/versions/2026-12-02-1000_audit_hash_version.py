"""audit events: the version of the encoding each event's hash covers (1: sorted ``json.dumps``, until now;
2: canonical JSON, RFC 8785, as submissions use), so the chain verifies across the switch

Revision ID: 0012_audit_hash_version
Revises: 0009_inspection_record
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_audit_hash_version"
down_revision: str | None = "0009_inspection_record"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every existing event was hashed with the old encoding. Plain ADD COLUMN (no batch copy on SQLite, where
    # the default stays: the application always writes the version).
    op.add_column("audit_event", sa.Column("hash_version", sa.Integer(), nullable=False, server_default="1"))
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("audit_event", "hash_version", server_default=None)


def downgrade() -> None:
    op.drop_column("audit_event", "hash_version")  # SQLite 3.35+ drops a column in place
