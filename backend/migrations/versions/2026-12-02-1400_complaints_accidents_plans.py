"""complaints handled to the end (triage, assignment, inspection, outcome, reply; the complainant's identity
sealed with Fernet, reveal grants), accidents and occupational diseases, risk-based plans and campaigns

Revision ID: 0018_complaints_accidents_plans
Revises: 0012_audit_hash_version
Create Date: 2026-12-02 14:00:00

The complaint table changes shape (an unregistered workplace has no establishment; ``source`` becomes a sealed
``complainant_token``; new statuses). PostgreSQL alters it in place; SQLite copies it (no other table references
it). The old ``source`` text is sealed under the configured keys as the identity's ``other`` field, and opened
again on downgrade. Downgrade deletes complaints about an unregistered workplace (the old table cannot hold them).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import backend.db
from backend.complaints import identity

revision: str = "0018_complaints_accidents_plans"
down_revision: str | None = "0014_review_comments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_STATUS = "status IN ('received','assigned','investigated','closed')"
NEW_STATUS = "status IN ('received','triaged','assigned','investigated','concluded','closed')"
CHANNEL = "channel IN ('walk_in','phone','letter','email','online','referral','field')"
NEW_CHECKS = {
    "priority": "priority IS NULL OR priority IN ('low','normal','high','urgent')",
    "outcome": "outcome IS NULL OR outcome IN ('upheld','partly_upheld','not_upheld','outside_remit','withdrawn')",
    "reply_channel": "reply_channel IS NULL OR reply_channel IN ('phone','letter','email','in_person')",
    "workplace": "establishment_id IS NOT NULL OR workplace_name <> ''",
    "anonymous": "anonymous = (complainant_token IS NULL)",
}
INDEXES = ("created_by", "district_id", "establishment_id", "status")
NEW_INDEXES = ("assigned_to", "inspection_id")


def _s(length: int) -> sa.types.TypeEngine[str]:
    return sa.String(length=length)


def _enum(length: int = 16) -> sa.types.TypeEngine[str]:
    return sa.String(length=length)


def _new_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("workplace_name", _s(200), nullable=False, server_default=""),
        sa.Column("workplace_address", _s(500), nullable=False, server_default=""),
        sa.Column("matters", sa.JSON(), nullable=False, server_default="[]"),
        sa.Column("anonymous", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("complainant_token", sa.Text(), nullable=True),
        sa.Column("priority", _enum(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "triaged_by",
            sa.Uuid(),
            sa.ForeignKey("user_account.id", name=op.f("fk_complaint_triaged_by_user_account")),
            nullable=True,
        ),
        sa.Column(
            "assigned_to",
            sa.Uuid(),
            sa.ForeignKey("user_account.id", name=op.f("fk_complaint_assigned_to_user_account")),
            nullable=True,
        ),
        sa.Column(
            "inspection_id",
            sa.Uuid(),
            sa.ForeignKey("inspection.id", name=op.f("fk_complaint_inspection_id_inspection")),
            nullable=True,
        ),
        sa.Column("outcome", _enum(), nullable=True),
        sa.Column("outcome_note", _s(4000), nullable=False, server_default=""),
        sa.Column("concluded_on", sa.Date(), nullable=True),
        sa.Column("reply_sent_on", sa.Date(), nullable=True),
        sa.Column("reply_channel", _enum(), nullable=True),
        sa.Column("reply_note", _s(4000), nullable=False, server_default=""),
    ]


def _sqlite_complaint(new: bool) -> None:
    """Create ``complaint`` in its new (or old) shape on SQLite, with its indexes."""
    columns: list[sa.Column[object]] = [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("establishment_id", sa.Uuid(), nullable=new),
        sa.Column("district_id", sa.Uuid(), nullable=False),
        sa.Column("summary", _s(10000), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("channel", _enum(), nullable=False),
        sa.Column("status", _enum(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", backend.db.UTCDateTime(timezone=True), nullable=False),
    ]
    constraints: list[sa.schema.SchemaItem] = [
        sa.CheckConstraint(CHANNEL, name=op.f("ck_complaint_channel")),
        sa.CheckConstraint(NEW_STATUS if new else OLD_STATUS, name=op.f("ck_complaint_status")),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"], name=op.f("fk_complaint_created_by_user_account")),
        sa.ForeignKeyConstraint(["district_id"], ["org_unit.id"], name=op.f("fk_complaint_district_id_org_unit")),
        sa.ForeignKeyConstraint(
            ["establishment_id"], ["establishment.id"], name=op.f("fk_complaint_establishment_id_establishment")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint")),
    ]
    if new:
        columns += _new_columns()
        constraints += [
            sa.CheckConstraint(text, name=op.f(f"ck_complaint_{name}")) for name, text in NEW_CHECKS.items()
        ]
    else:
        columns.append(sa.Column("source", _s(500), nullable=False))
    op.create_table("complaint", *columns, *constraints)
    for name in INDEXES + (NEW_INDEXES if new else ()):
        op.create_index(op.f(f"ix_complaint_{name}"), "complaint", [name])


def _seal(source: str) -> str:
    return identity.seal(identity.Complainant(other=source[:500]))


def _unseal(token: str) -> str:
    who = identity.unseal(token)
    parts = [who.name, who.phone, who.email, who.address, who.other]
    return "; ".join(p for p in parts if p)[:500]


def _upgrade_complaint() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.rename_table("complaint", "complaint_old")
        for name in INDEXES:
            op.drop_index(op.f(f"ix_complaint_{name}"), table_name="complaint_old")
        _sqlite_complaint(new=True)
        rows = bind.execute(sa.text("SELECT * FROM complaint_old")).mappings().all()
        for row in rows:
            values = {k: v for k, v in row.items() if k != "source"}
            source = row["source"] or ""
            values |= {"anonymous": not source, "complainant_token": _seal(source) if source else None}
            names = ", ".join(values)
            bind.execute(
                sa.text(f"INSERT INTO complaint ({names}) VALUES ({', '.join(':' + k for k in values)})"), values
            )
        op.drop_table("complaint_old")
        return
    for column in _new_columns():
        op.add_column("complaint", column)
    op.alter_column("complaint", "establishment_id", nullable=True)
    identified = bind.execute(sa.text("SELECT id, source FROM complaint WHERE source <> ''")).all()
    for cid, source in identified:
        bind.execute(
            sa.text("UPDATE complaint SET anonymous = false, complainant_token = :t WHERE id = :i"),
            {"t": _seal(source), "i": cid},
        )
    op.drop_column("complaint", "source")
    op.drop_constraint(op.f("ck_complaint_status"), "complaint", type_="check")
    op.create_check_constraint(op.f("ck_complaint_status"), "complaint", NEW_STATUS)
    for name, check in NEW_CHECKS.items():
        op.create_check_constraint(op.f(f"ck_complaint_{name}"), "complaint", check)
    for name in NEW_INDEXES:
        op.create_index(op.f(f"ix_complaint_{name}"), "complaint", [name])
    for name in ("workplace_name", "workplace_address", "matters", "anonymous", "outcome_note", "reply_note"):
        op.alter_column("complaint", name, server_default=None)


def _downgrade_complaint() -> None:
    bind = op.get_bind()
    bind.execute(sa.text("DELETE FROM complaint WHERE establishment_id IS NULL"))
    bind.execute(sa.text("UPDATE complaint SET status = 'received' WHERE status = 'triaged'"))
    bind.execute(sa.text("UPDATE complaint SET status = 'investigated' WHERE status = 'concluded'"))
    rows = bind.execute(
        sa.text("SELECT id, complainant_token FROM complaint WHERE complainant_token IS NOT NULL")
    ).all()
    sources = {cid: _unseal(token) for cid, token in rows}
    if bind.dialect.name == "sqlite":
        op.rename_table("complaint", "complaint_new")
        for name in INDEXES + NEW_INDEXES:
            op.drop_index(op.f(f"ix_complaint_{name}"), table_name="complaint_new")
        _sqlite_complaint(new=False)
        keep = "id, establishment_id, district_id, summary, received_on, confidential, channel, status, created_by, created_at"
        bind.execute(sa.text(f"INSERT INTO complaint ({keep}, source) SELECT {keep}, '' FROM complaint_new"))
        op.drop_table("complaint_new")
    else:
        for name in NEW_INDEXES:
            op.drop_index(op.f(f"ix_complaint_{name}"), table_name=op.f("complaint"))
        for name in NEW_CHECKS:
            op.drop_constraint(op.f(f"ck_complaint_{name}"), "complaint", type_="check")
        op.drop_constraint(op.f("ck_complaint_status"), "complaint", type_="check")
        op.create_check_constraint(op.f("ck_complaint_status"), "complaint", OLD_STATUS)
        op.add_column("complaint", sa.Column("source", _s(500), nullable=False, server_default=""))
        op.alter_column("complaint", "source", server_default=None)
        for column in _new_columns():
            op.drop_column("complaint", column.name)
        op.alter_column("complaint", "establishment_id", nullable=False)
    for cid, source in sources.items():
        bind.execute(sa.text("UPDATE complaint SET source = :s WHERE id = :i"), {"s": source, "i": cid})


def _create_accidents() -> None:
    op.create_table(
        "disease_case",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("establishment_id", sa.Uuid(), nullable=False),
        sa.Column("district_id", sa.Uuid(), nullable=False),
        sa.Column("disease", sa.String(length=200), nullable=False),
        sa.Column("exposure", sa.String(length=200), nullable=False),
        sa.Column("exposure_years", sa.Integer(), nullable=True),
        sa.Column("diagnosed_on", sa.Date(), nullable=False),
        sa.Column("sex", sa.Enum("male", "female", name="sex", native_enum=False, length=16), nullable=False),
        sa.Column(
            "age_group",
            sa.Enum(
                "under_15",
                "15_17",
                "18_24",
                "25_34",
                "35_44",
                "45_54",
                "55_64",
                "65_plus",
                "unknown",
                name="agegroup",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("occupation", sa.String(length=4), nullable=False),
        sa.Column("fatal", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", backend.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "age_group IN ('under_15','15_17','18_24','25_34','35_44','45_54','55_64','65_plus','unknown')",
            name=op.f("ck_disease_case_age_group"),
        ),
        sa.CheckConstraint("sex IN ('male','female')", name=op.f("ck_disease_case_sex")),
        sa.ForeignKeyConstraint(
            ["created_by"], ["user_account.id"], name=op.f("fk_disease_case_created_by_user_account")
        ),
        sa.ForeignKeyConstraint(["district_id"], ["org_unit.id"], name=op.f("fk_disease_case_district_id_org_unit")),
        sa.ForeignKeyConstraint(
            ["establishment_id"], ["establishment.id"], name=op.f("fk_disease_case_establishment_id_establishment")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disease_case")),
    )
    op.create_index(op.f("ix_disease_case_diagnosed_on"), "disease_case", ["diagnosed_on"], unique=False)
    op.create_index(op.f("ix_disease_case_district_id"), "disease_case", ["district_id"], unique=False)
    op.create_index(op.f("ix_disease_case_establishment_id"), "disease_case", ["establishment_id"], unique=False)
    op.create_table(
        "accident",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("establishment_id", sa.Uuid(), nullable=False),
        sa.Column("district_id", sa.Uuid(), nullable=False),
        sa.Column("occurred_at", backend.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("commuting", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("direct_loss_yuan", sa.BigInteger(), nullable=False),
        sa.Column("deaths", sa.Integer(), nullable=False),
        sa.Column("serious_injuries", sa.Integer(), nullable=False),
        sa.Column(
            "accident_class",
            sa.Enum("general", "larger", "major", "especially_major", name="accidentclass", native_enum=False),
            nullable=True,
        ),
        sa.Column("investigation_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", backend.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "accident_class IS NULL OR accident_class IN ('general','larger','major','especially_major')",
            name=op.f("ck_accident_class"),
        ),
        sa.CheckConstraint(
            "deaths >= 0 AND serious_injuries >= 0 AND direct_loss_yuan >= 0", name=op.f("ck_accident_counts")
        ),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"], name=op.f("fk_accident_created_by_user_account")),
        sa.ForeignKeyConstraint(["district_id"], ["org_unit.id"], name=op.f("fk_accident_district_id_org_unit")),
        sa.ForeignKeyConstraint(
            ["establishment_id"], ["establishment.id"], name=op.f("fk_accident_establishment_id_establishment")
        ),
        sa.ForeignKeyConstraint(
            ["investigation_id"], ["inspection.id"], name=op.f("fk_accident_investigation_id_inspection")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accident")),
    )
    op.create_index(op.f("ix_accident_district_id"), "accident", ["district_id"], unique=False)
    op.create_index(op.f("ix_accident_establishment_id"), "accident", ["establishment_id"], unique=False)
    op.create_index(op.f("ix_accident_investigation_id"), "accident", ["investigation_id"], unique=False)
    op.create_index(op.f("ix_accident_occurred_at"), "accident", ["occurred_at"], unique=False)
    op.create_table(
        "accident_person",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("accident_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sex", sa.Enum("male", "female", name="sex", native_enum=False, length=16), nullable=False),
        sa.Column(
            "age_group",
            sa.Enum(
                "under_15",
                "15_17",
                "18_24",
                "25_34",
                "35_44",
                "45_54",
                "55_64",
                "65_plus",
                "unknown",
                name="agegroup",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("occupation", sa.String(length=4), nullable=False),
        sa.Column(
            "employment_status",
            sa.Enum(
                "employee",
                "employer",
                "own_account",
                "coop_member",
                "family_worker",
                "other",
                name="employmentstatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "nature_of_injury",
            sa.Enum(
                "wound",
                "fracture",
                "dislocation",
                "amputation",
                "internal",
                "burn",
                "poisoning",
                "multiple",
                "other",
                "unknown",
                name="natureofinjury",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "part_of_body",
            sa.Enum(
                "head",
                "neck",
                "back",
                "trunk",
                "upper_limbs",
                "lower_limbs",
                "whole_body",
                "other",
                "unknown",
                name="bodypart",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("fatal", sa.Boolean(), nullable=False),
        sa.Column("serious", sa.Boolean(), nullable=False),
        sa.Column("days_lost", sa.Integer(), nullable=False),
        sa.Column(
            "incapacity",
            sa.Enum("none", "temporary", "permanent", name="incapacity", native_enum=False, length=16),
            nullable=False,
        ),
        sa.CheckConstraint(
            "age_group IN ('under_15','15_17','18_24','25_34','35_44','45_54','55_64','65_plus','unknown')",
            name=op.f("ck_accident_person_age_group"),
        ),
        sa.CheckConstraint(
            "employment_status IN ('employee','employer','own_account','coop_member','family_worker','other')",
            name=op.f("ck_accident_person_employment_status"),
        ),
        sa.CheckConstraint(
            "incapacity IN ('none','temporary','permanent')", name=op.f("ck_accident_person_incapacity")
        ),
        sa.CheckConstraint(
            "nature_of_injury IN ('wound','fracture','dislocation','amputation','internal','burn','poisoning','multiple','other','unknown')",
            name=op.f("ck_accident_person_nature_of_injury"),
        ),
        sa.CheckConstraint(
            "part_of_body IN ('head','neck','back','trunk','upper_limbs','lower_limbs','whole_body','other','unknown')",
            name=op.f("ck_accident_person_part_of_body"),
        ),
        sa.CheckConstraint("sex IN ('male','female')", name=op.f("ck_accident_person_sex")),
        sa.CheckConstraint("days_lost >= 0", name=op.f("ck_accident_person_days_lost")),
        sa.ForeignKeyConstraint(
            ["accident_id"], ["accident.id"], name=op.f("fk_accident_person_accident_id_accident"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accident_person")),
    )
    op.create_index(op.f("ix_accident_person_accident_id"), "accident_person", ["accident_id"], unique=False)


def _drop_accidents() -> None:
    op.drop_index(op.f("ix_accident_person_accident_id"), table_name="accident_person")
    op.drop_table("accident_person")
    op.drop_index(op.f("ix_accident_occurred_at"), table_name="accident")
    op.drop_index(op.f("ix_accident_investigation_id"), table_name="accident")
    op.drop_index(op.f("ix_accident_establishment_id"), table_name="accident")
    op.drop_index(op.f("ix_accident_district_id"), table_name="accident")
    op.drop_table("accident")
    op.drop_index(op.f("ix_disease_case_establishment_id"), table_name="disease_case")
    op.drop_index(op.f("ix_disease_case_district_id"), table_name="disease_case")
    op.drop_index(op.f("ix_disease_case_diagnosed_on"), table_name="disease_case")
    op.drop_table("disease_case")


def _create_planning() -> None:
    op.create_table(
        "campaign",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("checklist_key", sa.String(length=64), nullable=False),
        sa.Column("checklist_version", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", backend.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("period_end >= period_start", name=op.f("ck_campaign_period")),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"], name=op.f("fk_campaign_created_by_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign")),
    )
    op.create_table(
        "plan",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("district_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("weights", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", backend.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("period_end >= period_start", name=op.f("ck_plan_period")),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"], name=op.f("fk_plan_created_by_user_account")),
        sa.ForeignKeyConstraint(["district_id"], ["org_unit.id"], name=op.f("fk_plan_district_id_org_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan")),
    )
    op.create_index(op.f("ix_plan_district_id"), "plan", ["district_id"], unique=False)
    op.create_table(
        "campaign_target",
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("establishment_id", sa.Uuid(), nullable=False),
        sa.Column("district_id", sa.Uuid(), nullable=False),
        sa.Column("inspection_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_campaign_target_campaign_id_campaign"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["district_id"], ["org_unit.id"], name=op.f("fk_campaign_target_district_id_org_unit")),
        sa.ForeignKeyConstraint(
            ["establishment_id"], ["establishment.id"], name=op.f("fk_campaign_target_establishment_id_establishment")
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"], ["inspection.id"], name=op.f("fk_campaign_target_inspection_id_inspection")
        ),
        sa.PrimaryKeyConstraint("campaign_id", "establishment_id", name=op.f("pk_campaign_target")),
    )
    op.create_index(op.f("ix_campaign_target_district_id"), "campaign_target", ["district_id"], unique=False)
    op.create_index(op.f("ix_campaign_target_inspection_id"), "campaign_target", ["inspection_id"], unique=False)
    op.create_table(
        "plan_visit",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("establishment_id", sa.Uuid(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("components", sa.JSON(), nullable=False),
        sa.Column("inspection_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["establishment_id"], ["establishment.id"], name=op.f("fk_plan_visit_establishment_id_establishment")
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"], ["inspection.id"], name=op.f("fk_plan_visit_inspection_id_inspection")
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_plan_visit_plan_id_plan"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_visit")),
        sa.UniqueConstraint("plan_id", "establishment_id", name="uq_plan_visit_establishment"),
    )
    op.create_index(op.f("ix_plan_visit_establishment_id"), "plan_visit", ["establishment_id"], unique=False)
    op.create_index(op.f("ix_plan_visit_inspection_id"), "plan_visit", ["inspection_id"], unique=False)
    op.create_index(op.f("ix_plan_visit_plan_id"), "plan_visit", ["plan_id"], unique=False)


def _drop_planning() -> None:
    op.drop_index(op.f("ix_plan_visit_plan_id"), table_name="plan_visit")
    op.drop_index(op.f("ix_plan_visit_inspection_id"), table_name="plan_visit")
    op.drop_index(op.f("ix_plan_visit_establishment_id"), table_name="plan_visit")
    op.drop_table("plan_visit")
    op.drop_index(op.f("ix_campaign_target_inspection_id"), table_name="campaign_target")
    op.drop_index(op.f("ix_campaign_target_district_id"), table_name="campaign_target")
    op.drop_table("campaign_target")
    op.drop_index(op.f("ix_plan_district_id"), table_name="plan")
    op.drop_table("plan")
    op.drop_table("campaign")


def upgrade() -> None:
    _upgrade_complaint()
    _create_accidents()
    _create_planning()
    op.create_table(
        "complainant_reveal_grant",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("granted_by", sa.Uuid(), nullable=False),
        sa.Column("granted_at", backend.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", backend.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["granted_by"], ["user_account.id"], name=op.f("fk_complainant_reveal_grant_granted_by_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_complainant_reveal_grant_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complainant_reveal_grant")),
    )
    op.create_index(op.f("ix_complainant_reveal_grant_user_id"), "complainant_reveal_grant", ["user_id"])


def downgrade() -> None:
    _drop_planning()
    _drop_accidents()
    op.drop_index(op.f("ix_complainant_reveal_grant_user_id"), table_name="complainant_reveal_grant")
    op.drop_table("complainant_reveal_grant")
    _downgrade_complaint()
