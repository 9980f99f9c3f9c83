"""device tokens: when the current token was issued, for an absolute lifetime (LI_DEVICE_TOKEN_MAX_DAYS)

Revision ID: 0006_device_token_issued_at
Revises: 0005_integrity_checks
Create Date: 2026-11-29 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import backend.db

revision: str = "0006_device_token_issued_at"
down_revision: str | None = "0005_integrity_checks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("device") as batch:
        batch.add_column(sa.Column("token_issued_at", backend.db.UTCDateTime(), nullable=True))
    # Existing tokens start their lifetime at the upgrade, not at created_at. created_at is not the issue time
    # of a renewed token (renewal keeps the row), and every tablet registered more than LI_DEVICE_TOKEN_MAX_DAYS
    # ago would be refused the moment the new code starts: a fleet-wide "sign in again" in the field, offline
    # tablets included. With the upgrade time every existing token still dies within the limit from now on, and
    # the inactivity expiry (LI_DEVICE_TOKEN_DAYS) keeps applying to them meanwhile.
    now = sa.bindparam("now", backend.db.utcnow(), type_=backend.db.UTCDateTime())
    op.execute(sa.text("UPDATE device SET token_issued_at = :now").bindparams(now))
    with op.batch_alter_table("device") as batch:
        batch.alter_column("token_issued_at", existing_type=backend.db.UTCDateTime(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("device") as batch:
        batch.drop_column("token_issued_at")
