"""penalty disclosure: the penalty decisions disclosed to the public (Administrative Penalty Law 2021, Art. 48),
their frozen content with its SHA-256, and their withdrawal with the reason

Revision ID: 0023_penalty_disclosure
Revises: 0022_reporting_inputs
Create Date: 2026-12-03 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import backend.db

revision: str = "0023_penalty_disclosure"
down_revision: str | None = "0022_reporting_inputs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REASONS = "'varied','revoked','declared_unlawful','declared_void'"


def upgrade() -> None:
    op.create_table(
        "penalty_disclosure",
        sa.Column("action_id", sa.Uuid(), nullable=False),
        sa.Column("district_id", sa.Uuid(), nullable=False),
        sa.Column("disclosed_on", sa.Date(), nullable=False),
        sa.Column("disclosed_by", sa.Uuid(), nullable=False),
        sa.Column("disclosed_at", backend.db.UTCDateTime(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_by", sa.Uuid(), nullable=True),
        sa.Column("withdrawal_reason", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("withdrawal_note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.CheckConstraint(
            f"withdrawal_reason IS NULL OR withdrawal_reason IN ({REASONS})", name=op.f("ck_penalty_disclosure_reason")
        ),
        sa.ForeignKeyConstraint(
            ["action_id"], ["enforcement_action.id"], name=op.f("fk_penalty_disclosure_action_id_enforcement_action")
        ),
        sa.ForeignKeyConstraint(
            ["district_id"], ["org_unit.id"], name=op.f("fk_penalty_disclosure_district_id_org_unit")
        ),
        sa.ForeignKeyConstraint(
            ["disclosed_by"], ["user_account.id"], name=op.f("fk_penalty_disclosure_disclosed_by_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by"], ["user_account.id"], name=op.f("fk_penalty_disclosure_withdrawn_by_user_account")
        ),
        sa.PrimaryKeyConstraint("action_id", name=op.f("pk_penalty_disclosure")),
    )
    op.create_index(op.f("ix_penalty_disclosure_district_id"), "penalty_disclosure", ["district_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_penalty_disclosure_district_id"), table_name="penalty_disclosure")
    op.drop_table("penalty_disclosure")
