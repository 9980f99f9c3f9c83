"""org units: the time zone each works in (``time_zone``, an IANA name; NULL: the parent's, at the top
``LI_DEFAULT_TIMEZONE``), so an inspection's visit date is the local date of its district

Revision ID: 0013_org_unit_time_zone
Revises: 0012_audit_hash_version
Create Date: 2026-12-02 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_org_unit_time_zone"
down_revision: str | None = "0012_audit_hash_version"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN: org_unit is referenced by users, establishments and inspections (no batch copy on SQLite).
    # Existing units keep NULL: they work in LI_DEFAULT_TIMEZONE, as every visit date was computed until now.
    op.add_column("org_unit", sa.Column("time_zone", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("org_unit", "time_zone")  # SQLite 3.35+ drops a column in place
