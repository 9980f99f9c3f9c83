"""export files: an export run as a worker job, who asked for it, and the file with its expiring download link

Revision ID: 0027_export_files
Revises: 0026_complaint_workplace_desc
Create Date: 2026-12-03 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import backend.db

revision: str = "0027_export_files"
down_revision: str | None = "0026_complaint_workplace_desc"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "export_file",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("dataset", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("format", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("rows", sa.BigInteger(), nullable=True),
        sa.Column("bytes", sa.BigInteger(), nullable=True),
        sa.Column("created_at", backend.db.UTCDateTime(), nullable=False),
        sa.Column("finished_at", backend.db.UTCDateTime(), nullable=True),
        sa.Column("expires_at", backend.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_export_file_user_id_user_account")),
        sa.ForeignKeyConstraint(["job_id"], ["job.id"], name=op.f("fk_export_file_job_id_job")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_export_file")),
    )
    op.create_index(op.f("ix_export_file_user_id"), "export_file", ["user_id"], unique=False)
    op.create_index(op.f("ix_export_file_job_id"), "export_file", ["job_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_export_file_job_id"), table_name="export_file")
    op.drop_index(op.f("ix_export_file_user_id"), table_name="export_file")
    op.drop_table("export_file")
