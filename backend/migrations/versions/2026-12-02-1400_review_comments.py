"""review comments: a supervisor's comment on a finding when returning an inspection (beside the overall
comment), and the indexes the supervisor's desk reads (the review queue: submitted, oldest first; the
non-compliant findings)

Revision ID: 0014_review_comments
Revises: 0012_audit_hash_version
Create Date: 2026-12-02 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0014_review_comments"
down_revision: str | None = "0013_org_unit_time_zone"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inspection_review_comment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("review_id", sa.Uuid(), nullable=False),
        sa.Column("checklist_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("item_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("comment", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["inspection_review.id"],
            name=op.f("fk_inspection_review_comment_review_id_inspection_review"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_review_comment")),
    )
    op.create_index(
        op.f("ix_inspection_review_comment_review_id"), "inspection_review_comment", ["review_id"], unique=False
    )
    # The review queue: submitted inspections of some districts, oldest submission first (keyset on the id).
    op.create_index("ix_inspection_queue", "inspection", ["status", "submitted_at", "id"], unique=False)
    # "Has non-compliances", severity, and the dashboard's counts read only the non-compliant findings.
    where = sa.text("status = 'non_compliant'")
    op.create_index(
        "ix_finding_non_compliant",
        "finding",
        ["inspection_id", "checklist_key", "item_id"],
        unique=False,
        postgresql_where=where,
        sqlite_where=where,
    )


def downgrade() -> None:
    op.drop_index("ix_finding_non_compliant", table_name="finding")
    op.drop_index("ix_inspection_queue", table_name="inspection")
    op.drop_index(op.f("ix_inspection_review_comment_review_id"), table_name="inspection_review_comment")
    op.drop_table("inspection_review_comment")
