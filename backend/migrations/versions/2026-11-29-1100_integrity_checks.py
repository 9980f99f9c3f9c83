"""integrity checks: an inspection whose GPS status is "fix" has its coordinates

Revision ID: 0005_integrity_checks
Revises: 0004_interviews
Create Date: 2026-11-29 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_integrity_checks"
down_revision: str | None = "0004_interviews"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GPS_FIX = "gps_status <> 'fix' OR (gps_latitude IS NOT NULL AND gps_longitude IS NOT NULL)"


def upgrade() -> None:
    # Inspections are legal records (their content is hashed): never repaired silently. Stop and name them.
    bad = op.get_bind().execute(sa.text(f"SELECT id FROM inspection WHERE NOT ({GPS_FIX})")).scalars().all()
    if bad:
        raise RuntimeError(f"inspections with gps_status 'fix' but no coordinates, correct them first: {bad}")
    with op.batch_alter_table("inspection") as batch:
        batch.create_check_constraint(op.f("ck_inspection_gps_fix"), GPS_FIX)


def downgrade() -> None:
    with op.batch_alter_table("inspection") as batch:
        batch.drop_constraint(op.f("ck_inspection_gps_fix"), type_="check")
