"""worker interviews; district scope of pulled reference data; the device hash of a submission

Revision ID: 0004_interviews
Revises: 0003_complaints_enforcement
Create Date: 2026-11-29 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import backend.db

revision: str = "0004_interviews"
down_revision: str | None = "0003_complaints_enforcement"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inspection_interview",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("inspection_id", sa.Uuid(), nullable=False),
        sa.Column("men", sa.Integer(), nullable=False),
        sa.Column("women", sa.Integer(), nullable=False),
        sa.Column("under_18", sa.Integer(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=False),
        sa.Column("recorded_at", backend.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "men >= 0 AND women >= 0 AND under_18 >= 0 AND under_18 <= men + women",
            name=op.f("ck_inspection_interview_counts"),
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
            name=op.f("fk_inspection_interview_inspection_id_inspection"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["user_account.id"], name=op.f("fk_inspection_interview_recorded_by_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_interview")),
    )
    op.create_index(
        op.f("ix_inspection_interview_inspection_id"), "inspection_interview", ["inspection_id"], unique=False
    )
    with op.batch_alter_table("inspection_submission") as batch:
        batch.add_column(sa.Column("device_content_hash", sqlmodel.sql.sqltypes.AutoString(length=71), nullable=True))
    with op.batch_alter_table("sync_record") as batch:
        batch.add_column(sa.Column("district_id", sa.Uuid(), nullable=True))
        batch.create_index(batch.f("ix_sync_record_district_id"), ["district_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("inspection_submission") as batch:
        batch.drop_column("device_content_hash")
    with op.batch_alter_table("sync_record") as batch:
        batch.drop_index(batch.f("ix_sync_record_district_id"))
        batch.drop_column("district_id")
    op.drop_index(op.f("ix_inspection_interview_inspection_id"), table_name="inspection_interview")
    op.drop_table("inspection_interview")
