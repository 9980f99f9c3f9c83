"""establishments: whether they use hazardous chemicals or have underground work, and their union members
(checklist applicability: chemicals by attribute, mines underground/surface, the union committee threshold)

Revision ID: 0011_establishment_attributes
Revises: 0007_sync_record_by_inspection
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_establishment_attributes"
down_revision: str | None = "0007_sync_record_by_inspection"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("establishment") as batch:
        batch.add_column(sa.Column("uses_hazardous_chemicals", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("has_underground_work", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("union_members", sa.Integer(), nullable=False, server_default="0"))
        batch.create_check_constraint(
            "ck_establishment_union_members", "union_members >= 0 AND union_members <= workers_total"
        )
    with op.batch_alter_table("establishment") as batch:
        batch.alter_column("uses_hazardous_chemicals", server_default=None)
        batch.alter_column("has_underground_work", server_default=None)
        batch.alter_column("union_members", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("establishment") as batch:
        batch.drop_constraint("ck_establishment_union_members", type_="check")
        batch.drop_column("union_members")
        batch.drop_column("has_underground_work")
        batch.drop_column("uses_hazardous_chemicals")
