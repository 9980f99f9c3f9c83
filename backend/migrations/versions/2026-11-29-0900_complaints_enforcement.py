"""complaints (confidential source) and enforcement actions

Revision ID: 0003_complaints_enforcement
Revises: 0002
Create Date: 2026-11-29 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import backend.db

revision: str = "0003_complaints_enforcement"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "complaint",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("establishment_id", sa.Uuid(), nullable=False),
        sa.Column("district_id", sa.Uuid(), nullable=False),
        sa.Column("summary", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "walk_in",
                "phone",
                "letter",
                "email",
                "online",
                "referral",
                "field",
                name="channel",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "received", "assigned", "investigated", "closed", name="complaintstatus", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", backend.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "channel IN ('walk_in','phone','letter','email','online','referral','field')",
            name=op.f("ck_complaint_channel"),
        ),
        sa.CheckConstraint(
            "status IN ('received','assigned','investigated','closed')", name=op.f("ck_complaint_status")
        ),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"], name=op.f("fk_complaint_created_by_user_account")),
        sa.ForeignKeyConstraint(["district_id"], ["org_unit.id"], name=op.f("fk_complaint_district_id_org_unit")),
        sa.ForeignKeyConstraint(
            ["establishment_id"], ["establishment.id"], name=op.f("fk_complaint_establishment_id_establishment")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint")),
    )
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complaint_created_by"), ["created_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_district_id"), ["district_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_establishment_id"), ["establishment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_status"), ["status"], unique=False)

    op.create_table(
        "enforcement_action",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("inspection_id", sa.Uuid(), nullable=False),
        sa.Column("establishment_id", sa.Uuid(), nullable=False),
        sa.Column("district_id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column(
            "measure",
            sa.Enum(
                "advice",
                "warning",
                "order_to_rectify",
                "stop_work",
                "penalty",
                "referral",
                name="measure",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
        sa.Column("deadline_days", sa.Integer(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("open", "complied", "withdrawn", name="actionstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("close_note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("closed_by", sa.Uuid(), nullable=True),
        sa.Column("closed_at", backend.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", backend.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "measure IN ('advice','warning','order_to_rectify','stop_work','penalty','referral')",
            name=op.f("ck_enforcement_action_measure"),
        ),
        sa.CheckConstraint("status IN ('open','complied','withdrawn')", name=op.f("ck_enforcement_action_status")),
        sa.CheckConstraint(
            "deadline_days IS NULL OR (deadline_days >= 0 AND deadline_days <= 365)",
            name=op.f("ck_enforcement_action_days"),
        ),
        sa.ForeignKeyConstraint(
            ["closed_by"], ["user_account.id"], name=op.f("fk_enforcement_action_closed_by_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["user_account.id"], name=op.f("fk_enforcement_action_created_by_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["district_id"], ["org_unit.id"], name=op.f("fk_enforcement_action_district_id_org_unit")
        ),
        sa.ForeignKeyConstraint(
            ["establishment_id"],
            ["establishment.id"],
            name=op.f("fk_enforcement_action_establishment_id_establishment"),
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"], ["inspection.id"], name=op.f("fk_enforcement_action_inspection_id_inspection")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enforcement_action")),
    )
    with op.batch_alter_table("enforcement_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enforcement_action_district_id"), ["district_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_enforcement_action_establishment_id"), ["establishment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_enforcement_action_inspection_id"), ["inspection_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_enforcement_action_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("enforcement_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enforcement_action_status"))
        batch_op.drop_index(batch_op.f("ix_enforcement_action_inspection_id"))
        batch_op.drop_index(batch_op.f("ix_enforcement_action_establishment_id"))
        batch_op.drop_index(batch_op.f("ix_enforcement_action_district_id"))

    op.drop_table("enforcement_action")
    with op.batch_alter_table("complaint", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_status"))
        batch_op.drop_index(batch_op.f("ix_complaint_establishment_id"))
        batch_op.drop_index(batch_op.f("ix_complaint_district_id"))
        batch_op.drop_index(batch_op.f("ix_complaint_created_by"))

    op.drop_table("complaint")
