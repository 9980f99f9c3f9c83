"""enforcement cases (issue 17): violations from non-compliant findings, the measure's states, history, penalty
particulars and appeals; official notices numbered from server-reserved blocks; follow-up checks; supply-chain
relations between establishments

Revision ID: 0015_enforcement_cases
Revises: 0012_audit_hash_version
Create Date: 2026-12-02 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import backend.db

STATUSES = "'open','complied','overdue','escalated','closed','withdrawn'"
REFERRALS = (
    "'work_safety','health','special_equipment','mine_safety','construction','public_security','prosecution','court'"
)

revision: str = "0015_enforcement_cases"
down_revision: str | None = "0016_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # First the measure itself (a batch copy on SQLite: its status CHECK changes), while no table references it.
    with op.batch_alter_table("enforcement_action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("authority", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
        batch_op.add_column(sa.Column("referral_to", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("penalty_minor", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True)
        )
        batch_op.add_column(sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True))
        batch_op.add_column(
            sa.Column(
                "penalty_article", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False, server_default=""
            )
        )
        batch_op.add_column(
            sa.Column(
                "decision_number", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False, server_default=""
            )
        )
        batch_op.add_column(
            sa.Column(
                "payment_status",
                sa.Enum("unpaid", "paid", "waived", name="paymentstatus", native_enum=False, length=16),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("paid_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("overdue_since", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "proposed_measure",
                sa.Enum(
                    "advice",
                    "warning",
                    "order_to_rectify",
                    "stop_work",
                    "penalty",
                    "referral",
                    name="measure",
                    native_enum=False,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("escalated_to_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("escalated_from_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("claimed_at", backend.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("updated_at", backend.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_enforcement_action_escalated_to_id_enforcement_action"),
            "enforcement_action",
            ["escalated_to_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_enforcement_action_escalated_from_id_enforcement_action"),
            "enforcement_action",
            ["escalated_from_id"],
            ["id"],
        )
        batch_op.drop_constraint(op.f("ck_enforcement_action_status"), type_="check")
        batch_op.create_check_constraint("status", f"status IN ({STATUSES})")
        batch_op.create_check_constraint("penalty", "penalty_minor IS NULL OR penalty_minor >= 0")
        batch_op.create_check_constraint(
            "payment", "payment_status IS NULL OR payment_status IN ('unpaid','paid','waived')"
        )
        batch_op.create_check_constraint("referral_to", f"referral_to IS NULL OR referral_to IN ({REFERRALS})")

    op.create_table(
        "notice_counter",
        sa.Column("org_unit_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("next_serial", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(["org_unit_id"], ["org_unit.id"], name=op.f("fk_notice_counter_org_unit_id_org_unit")),
        sa.PrimaryKeyConstraint("org_unit_id", "year", name=op.f("pk_notice_counter")),
    )
    op.create_table(
        "establishment_relation",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("principal_id", sa.Uuid(), nullable=False),
        sa.Column("partner_id", sa.Uuid(), nullable=False),
        sa.Column("project", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", backend.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('subcontracting','dispatch','supply')", name=op.f("ck_establishment_relation_kind")
        ),
        sa.CheckConstraint("principal_id <> partner_id", name=op.f("ck_establishment_relation_distinct")),
        sa.ForeignKeyConstraint(
            ["created_by"], ["user_account.id"], name=op.f("fk_establishment_relation_created_by_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["establishment.id"], name=op.f("fk_establishment_relation_partner_id_establishment")
        ),
        sa.ForeignKeyConstraint(
            ["principal_id"], ["establishment.id"], name=op.f("fk_establishment_relation_principal_id_establishment")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_establishment_relation")),
        sa.UniqueConstraint("kind", "principal_id", "partner_id", "project", name="uq_establishment_relation"),
    )
    with op.batch_alter_table("establishment_relation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_establishment_relation_partner_id"), ["partner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_establishment_relation_principal_id"), ["principal_id"], unique=False)

    op.create_table(
        "notice_block",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_unit_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("first_serial", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("last_serial", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("reserved_by", sa.Uuid(), nullable=False),
        sa.Column("reserved_at", backend.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("last_serial >= first_serial AND first_serial >= 1", name=op.f("ck_notice_block_range")),
        sa.ForeignKeyConstraint(["device_id"], ["device.id"], name=op.f("fk_notice_block_device_id_device")),
        sa.ForeignKeyConstraint(["org_unit_id"], ["org_unit.id"], name=op.f("fk_notice_block_org_unit_id_org_unit")),
        sa.ForeignKeyConstraint(
            ["reserved_by"], ["user_account.id"], name=op.f("fk_notice_block_reserved_by_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_block")),
        sa.UniqueConstraint("org_unit_id", "year", "first_serial", name="uq_notice_block_first"),
    )
    with op.batch_alter_table("notice_block", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_block_device_id"), ["device_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notice_block_org_unit_id"), ["org_unit_id"], unique=False)

    op.create_table(
        "violation",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("inspection_id", sa.Uuid(), nullable=False),
        sa.Column("source_inspection_id", sa.Uuid(), nullable=False),
        sa.Column("establishment_id", sa.Uuid(), nullable=False),
        sa.Column("district_id", sa.Uuid(), nullable=False),
        sa.Column("checklist_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("checklist_version", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("item_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("provisions", sa.JSON(), nullable=False),
        sa.Column("severity", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("authority", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("workers_exposed", sa.Integer(), nullable=False),
        sa.Column("workers_women", sa.Integer(), nullable=False),
        sa.Column("workers_under_18", sa.Integer(), nullable=False),
        sa.Column("repeat_of_id", sa.Uuid(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("active", "superseded", name="violationstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("found_on", sa.Date(), nullable=False),
        sa.Column("created_at", backend.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", backend.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("severity IN ('critical','major','minor')", name=op.f("ck_violation_severity")),
        sa.CheckConstraint("status IN ('active','superseded')", name=op.f("ck_violation_status")),
        sa.CheckConstraint("workers_exposed >= 0", name=op.f("ck_violation_workers")),
        sa.ForeignKeyConstraint(["district_id"], ["org_unit.id"], name=op.f("fk_violation_district_id_org_unit")),
        sa.ForeignKeyConstraint(
            ["establishment_id"], ["establishment.id"], name=op.f("fk_violation_establishment_id_establishment")
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"], ["inspection.id"], name=op.f("fk_violation_inspection_id_inspection")
        ),
        sa.ForeignKeyConstraint(["repeat_of_id"], ["violation.id"], name=op.f("fk_violation_repeat_of_id_violation")),
        sa.ForeignKeyConstraint(
            ["source_inspection_id"], ["inspection.id"], name=op.f("fk_violation_source_inspection_id_inspection")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_violation")),
        sa.UniqueConstraint("inspection_id", "checklist_key", "item_id", name="uq_violation_item"),
    )
    with op.batch_alter_table("violation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_violation_district_id"), ["district_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_violation_establishment_id"), ["establishment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_violation_inspection_id"), ["inspection_id"], unique=False)

    op.create_table(
        "action_appeal",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("action_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("reconsideration", "litigation", name="appealkind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum("pending", "upheld", "varied", "revoked", name="appealstatus", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("lodged_on", sa.Date(), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("grounds", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decision_note", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=False),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", backend.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('reconsideration','litigation')", name=op.f("ck_action_appeal_kind")),
        sa.CheckConstraint("status IN ('pending','upheld','varied','revoked')", name=op.f("ck_action_appeal_status")),
        sa.ForeignKeyConstraint(
            ["action_id"], ["enforcement_action.id"], name=op.f("fk_action_appeal_action_id_enforcement_action")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["user_account.id"], name=op.f("fk_action_appeal_decided_by_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["user_account.id"], name=op.f("fk_action_appeal_recorded_by_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_appeal")),
    )
    with op.batch_alter_table("action_appeal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_appeal_action_id"), ["action_id"], unique=False)

    op.create_table(
        "action_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("action_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("from_status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("to_status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("at", backend.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["enforcement_action.id"],
            name=op.f("fk_action_event_action_id_enforcement_action"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["actor_id"], ["user_account.id"], name=op.f("fk_action_event_actor_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_event")),
    )
    with op.batch_alter_table("action_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_event_action_id"), ["action_id"], unique=False)

    op.create_table(
        "action_violation",
        sa.Column("action_id", sa.Uuid(), nullable=False),
        sa.Column("violation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["enforcement_action.id"],
            name=op.f("fk_action_violation_action_id_enforcement_action"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["violation_id"], ["violation.id"], name=op.f("fk_action_violation_violation_id_violation")
        ),
        sa.PrimaryKeyConstraint("action_id", "violation_id", name=op.f("pk_action_violation")),
    )
    with op.batch_alter_table("action_violation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_violation_violation_id"), ["violation_id"], unique=False)

    op.create_table(
        "follow_up_check",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("inspection_id", sa.Uuid(), nullable=False),
        sa.Column("action_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("result", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", backend.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("scheduled_at", backend.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "reason IN ('deadline_passed','compliance_claimed')", name=op.f("ck_follow_up_check_reason")
        ),
        sa.CheckConstraint(
            "result IS NULL OR result IN ('complied','not_complied')", name=op.f("ck_follow_up_check_result")
        ),
        sa.ForeignKeyConstraint(
            ["action_id"], ["enforcement_action.id"], name=op.f("fk_follow_up_check_action_id_enforcement_action")
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"], ["inspection.id"], name=op.f("fk_follow_up_check_inspection_id_inspection")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["user_account.id"], name=op.f("fk_follow_up_check_recorded_by_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_check")),
        sa.UniqueConstraint("inspection_id", "action_id", name="uq_follow_up_check"),
    )
    with op.batch_alter_table("follow_up_check", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_check_action_id"), ["action_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_up_check_inspection_id"), ["inspection_id"], unique=False)

    op.create_table(
        "notice",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_unit_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("serial", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column(
            "status", sa.Enum("issued", "voided", name="noticestatus", native_enum=False, length=16), nullable=False
        ),
        sa.Column("action_id", sa.Uuid(), nullable=True),
        sa.Column("block_id", sa.Uuid(), nullable=True),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("void_reason", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("issued_by", sa.Uuid(), nullable=False),
        sa.Column("issued_at", backend.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('order_to_rectify','penalty_decision','stop_work','referral')", name=op.f("ck_notice_kind")
        ),
        sa.CheckConstraint(
            "status = 'voided' OR (action_id IS NOT NULL AND sha256 IS NOT NULL)", name=op.f("ck_notice_issued")
        ),
        sa.CheckConstraint("status IN ('issued','voided')", name=op.f("ck_notice_status")),
        sa.ForeignKeyConstraint(
            ["action_id"], ["enforcement_action.id"], name=op.f("fk_notice_action_id_enforcement_action")
        ),
        sa.ForeignKeyConstraint(["block_id"], ["notice_block.id"], name=op.f("fk_notice_block_id_notice_block")),
        sa.ForeignKeyConstraint(["issued_by"], ["user_account.id"], name=op.f("fk_notice_issued_by_user_account")),
        sa.ForeignKeyConstraint(["org_unit_id"], ["org_unit.id"], name=op.f("fk_notice_org_unit_id_org_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice")),
        sa.UniqueConstraint("org_unit_id", "year", "serial", name="uq_notice_serial"),
    )
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notice_action_id"), ["action_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notice_org_unit_id"), ["org_unit_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_org_unit_id"))
        batch_op.drop_index(batch_op.f("ix_notice_action_id"))

    op.drop_table("notice")
    with op.batch_alter_table("follow_up_check", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_check_inspection_id"))
        batch_op.drop_index(batch_op.f("ix_follow_up_check_action_id"))

    op.drop_table("follow_up_check")
    with op.batch_alter_table("action_violation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_violation_violation_id"))

    op.drop_table("action_violation")
    with op.batch_alter_table("action_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_event_action_id"))

    op.drop_table("action_event")
    with op.batch_alter_table("action_appeal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_appeal_action_id"))

    op.drop_table("action_appeal")
    with op.batch_alter_table("violation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_violation_inspection_id"))
        batch_op.drop_index(batch_op.f("ix_violation_establishment_id"))
        batch_op.drop_index(batch_op.f("ix_violation_district_id"))

    op.drop_table("violation")
    with op.batch_alter_table("notice_block", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notice_block_org_unit_id"))
        batch_op.drop_index(batch_op.f("ix_notice_block_device_id"))

    op.drop_table("notice_block")
    with op.batch_alter_table("establishment_relation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_establishment_relation_principal_id"))
        batch_op.drop_index(batch_op.f("ix_establishment_relation_partner_id"))

    op.drop_table("establishment_relation")
    op.drop_table("notice_counter")
    # The statuses the old CHECK knows: overdue and escalated measures are open again, closed ones complied.
    op.execute("UPDATE enforcement_action SET status = 'open' WHERE status IN ('overdue','escalated')")
    op.execute("UPDATE enforcement_action SET status = 'complied' WHERE status = 'closed'")
    with op.batch_alter_table("enforcement_action", schema=None) as batch_op:
        for name in ("status", "penalty", "payment", "referral_to"):
            batch_op.drop_constraint(op.f(f"ck_enforcement_action_{name}"), type_="check")
        batch_op.create_check_constraint("status", "status IN ('open','complied','withdrawn')")
        batch_op.drop_constraint(
            batch_op.f("fk_enforcement_action_escalated_from_id_enforcement_action"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_enforcement_action_escalated_to_id_enforcement_action"), type_="foreignkey"
        )
        batch_op.drop_column("updated_at")
        batch_op.drop_column("claimed_at")
        batch_op.drop_column("escalated_from_id")
        batch_op.drop_column("escalated_to_id")
        batch_op.drop_column("proposed_measure")
        batch_op.drop_column("overdue_since")
        batch_op.drop_column("paid_on")
        batch_op.drop_column("payment_status")
        batch_op.drop_column("decision_number")
        batch_op.drop_column("penalty_article")
        batch_op.drop_column("currency")
        batch_op.drop_column("penalty_minor")
        batch_op.drop_column("referral_to")
        batch_op.drop_column("authority")
