"""establishments: whether they use hazardous chemicals or have underground work, and their union members
(checklist applicability: chemicals by attribute, mines underground/surface, the union committee threshold)

Revision ID: 0011_establishment_attributes
Revises: 0008_bigint_counters
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_establishment_attributes"
down_revision: str | None = "0008_bigint_counters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


COLUMNS = ("uses_hazardous_chemicals", "has_underground_work", "union_members")
CHECK = "ck_establishment_union_members"


def upgrade() -> None:
    # Plain ADD COLUMN: on SQLite a batch copy of ``establishment`` would drop the table that inspections
    # reference, which SQLite's foreign keys refuse once there is data. SQLite cannot add a CHECK without that
    # copy, so there the rule (union members within the workforce) is the API's validation alone.
    op.add_column("establishment", sa.Column(COLUMNS[0], sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("establishment", sa.Column(COLUMNS[1], sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("establishment", sa.Column(COLUMNS[2], sa.Integer(), nullable=False, server_default="0"))
    if op.get_bind().dialect.name != "sqlite":
        op.create_check_constraint(CHECK, "establishment", "union_members >= 0 AND union_members <= workers_total")
        for column in COLUMNS:
            op.alter_column("establishment", column, server_default=None)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(CHECK, "establishment", type_="check")
    for column in reversed(COLUMNS):
        op.drop_column("establishment", column)  # SQLite 3.35+ drops a column in place
