"""complaint workplace description: for an unregistered workplace, how to find it (taken at the desk or on the tablet)

Revision ID: 0026_complaint_workplace_desc
Revises: 0025_inspection_rollup
Create Date: 2026-12-03 13:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026_complaint_workplace_desc"
down_revision: str | None = "0025_inspection_rollup"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (no table copy): SQLite and PostgreSQL both add a NOT NULL column with a default in place.
    op.add_column(
        "complaint", sa.Column("workplace_description", sa.String(length=2000), nullable=False, server_default="")
    )


def downgrade() -> None:
    op.drop_column("complaint", "workplace_description")  # SQLite ≥ 3.35 drops a plain column in place
