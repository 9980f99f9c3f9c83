"""user accounts: the role ``statistician`` (reads and exports its area, changes nothing)

The role is stored as a string with a CHECK constraint. PostgreSQL swaps the constraint. SQLite cannot alter a
CHECK constraint in place and ``user_account`` is referenced by other tables, so no table copy: the constraint's
text is rewritten in the schema, the procedure SQLite documents for changing constraints without a rebuild
(``lang_altertable.html``, "other kinds of table schema changes"). Downgrade makes every statistician an
inactive supervisor first (an inactive account cannot sign in, so nobody gains a right), then restores the check.

Revision ID: 0017_statistician_role
Revises: 0018_complaints_accidents_plans
Create Date: 2026-12-02 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_statistician_role"
down_revision: str | None = "0015_enforcement_cases"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = "role IN ('inspector','supervisor','admin')"
NEW = "role IN ('inspector','supervisor','admin','statistician')"


def _swap(old: str, new: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        sql = bind.execute(sa.text("SELECT sql FROM sqlite_master WHERE type='table' AND name='user_account'"))
        text = sql.scalar_one()
        if old not in text:
            raise RuntimeError("user_account's role check is not the expected one")
        version = bind.execute(sa.text("PRAGMA schema_version")).scalar_one()
        bind.execute(sa.text("PRAGMA writable_schema=ON"))
        bind.execute(
            sa.text("UPDATE sqlite_master SET sql=:sql WHERE type='table' AND name='user_account'"),
            {"sql": text.replace(old, new)},
        )
        bind.execute(sa.text(f"PRAGMA schema_version={int(version) + 1}"))
        bind.execute(sa.text("PRAGMA writable_schema=OFF"))
    else:
        op.drop_constraint(op.f("ck_user_account_role"), "user_account", type_="check")
        op.create_check_constraint(op.f("ck_user_account_role"), "user_account", sa.text(new))


def upgrade() -> None:
    _swap(OLD, NEW)


def downgrade() -> None:
    op.execute("UPDATE user_account SET role='supervisor', active=false WHERE role='statistician'")
    _swap(NEW, OLD)
