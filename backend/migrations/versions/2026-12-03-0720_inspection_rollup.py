"""inspection rollup: per-inspection non-compliance count, counts by severity and worst severity (a new table,
backfilled here from the findings and the pinned checklist versions)

Revision ID: 0025_inspection_rollup
Revises: 0023_penalty_disclosure
Create Date: 2026-12-03 07:20:00
"""

import json
import uuid
from collections import Counter
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0025_inspection_rollup"
down_revision: str | None = "0023_penalty_disclosure"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEVERITIES = ("critical", "major", "minor")
COUNTS = ("non_compliances", *SEVERITIES)


def upgrade() -> None:
    op.create_table(
        "inspection_rollup",
        sa.Column("inspection_id", sa.Uuid(), nullable=False),
        *(sa.Column(c, sa.Integer(), nullable=False) for c in COUNTS),
        sa.Column("worst_severity", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
            name=op.f("fk_inspection_rollup_inspection_id_inspection"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("inspection_id", name=op.f("pk_inspection_rollup")),
    )
    for c in COUNTS:
        op.create_index(op.f(f"ix_inspection_rollup_{c}"), "inspection_rollup", [c], unique=False)
    _backfill(op.get_bind())


def _backfill(conn: sa.Connection) -> None:
    """Every submitted inspection's rollup, from its non-compliant findings and its pinned checklist versions."""
    severity: dict[tuple[str, int, str], str] = {}
    for key, version, definition in conn.execute(sa.text("SELECT key, version, definition FROM checklist_version")):
        if isinstance(definition, str):
            definition = json.loads(definition)
        for section in definition["sections"]:
            for item in section["items"]:
                severity[(key, int(version), item["id"])] = item["severity"]
    by: dict[object, Counter[str]] = {}
    for (iid,) in conn.execute(sa.text("SELECT id FROM inspection WHERE submitted_at IS NOT NULL")):
        by[_uuid(iid)] = Counter()
    rows = conn.execute(
        sa.text("""
        SELECT f.inspection_id, f.checklist_key, ic.checklist_version, f.item_id
        FROM finding f JOIN inspection i ON i.id = f.inspection_id
        LEFT JOIN inspection_checklist ic ON ic.inspection_id = f.inspection_id AND ic.checklist_key = f.checklist_key
        WHERE f.status = 'non_compliant' AND i.submitted_at IS NOT NULL""")
    )
    for iid, key, version, item_id in rows:
        c = by[_uuid(iid)]
        c["non_compliances"] += 1
        s = severity.get((key, int(version), item_id)) if version is not None else None
        if s is not None:
            c[s] += 1
    table = sa.table(
        "inspection_rollup", sa.column("inspection_id", sa.Uuid()), *(sa.column(c, sa.Integer()) for c in COUNTS),
        sa.column("worst_severity", sa.String()),
    )  # fmt: skip
    batch = []
    for iid, c in by.items():
        worst = next((s for s in SEVERITIES if c[s]), None)
        batch.append({"inspection_id": iid, **{k: c[k] for k in COUNTS}, "worst_severity": worst})
        if len(batch) >= 5000:
            conn.execute(table.insert(), batch)
            batch = []
    if batch:
        conn.execute(table.insert(), batch)


def _uuid(value: object) -> uuid.UUID:
    """An id as read by raw SQL: a UUID on PostgreSQL, 32 hex characters on SQLite."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def downgrade() -> None:
    for c in COUNTS:
        op.drop_index(op.f(f"ix_inspection_rollup_{c}"), table_name="inspection_rollup")
    op.drop_table("inspection_rollup")
