"""reporting inputs: the denominators (employed persons, hours worked) per year, org unit, sex and ISIC section that
the standards reports' rates divide by

Revision ID: 0022_reporting_inputs
Revises: 0020_sign_in_guard
Create Date: 2026-12-03 07:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import backend.db

revision: str = "0022_reporting_inputs"
down_revision: str | None = "0020_sign_in_guard"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_denominator",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Uuid(), nullable=False),
        sa.Column(
            "sex",
            sa.Enum(
                "total", "male", "female", name="denominatorsex", native_enum=False, length=16, create_constraint=False
            ),
            nullable=False,
        ),
        sa.Column("isic_section", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("employed", sa.BigInteger(), nullable=True),
        sa.Column("hours_worked", sa.BigInteger(), nullable=True),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=False),
        sa.Column("updated_at", backend.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("sex IN ('total','male','female')", name=op.f("ck_report_denominator_sex")),
        sa.CheckConstraint("employed IS NULL OR employed >= 0", name=op.f("ck_report_denominator_employed")),
        sa.CheckConstraint("hours_worked IS NULL OR hours_worked >= 0", name=op.f("ck_report_denominator_hours")),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_unit.id"], name=op.f("fk_report_denominator_org_unit_id_org_unit")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["user_account.id"], name=op.f("fk_report_denominator_updated_by_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_denominator")),
        sa.UniqueConstraint("year", "org_unit_id", "sex", "isic_section", name=op.f("uq_report_denominator_key")),
    )
    op.create_index(op.f("ix_report_denominator_year"), "report_denominator", ["year"], unique=False)
    op.create_index(op.f("ix_report_denominator_org_unit_id"), "report_denominator", ["org_unit_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_report_denominator_org_unit_id"), table_name="report_denominator")
    op.drop_index(op.f("ix_report_denominator_year"), table_name="report_denominator")
    op.drop_table("report_denominator")
