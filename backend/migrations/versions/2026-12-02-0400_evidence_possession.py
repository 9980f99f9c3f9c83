"""blob_citation: who cited which blob in which inspection (proof of possession for evidence downloads)

An inspection holds a blob when the blob's uploader cited it there (``backend/attachments/citations.py``).
Existing evidence is backfilled from the findings: a blob cited by a finding of an inspection whose team (or
lead) includes the blob's uploader is recorded as cited there by the uploader; other citations are not carried
over (they are the hole this closes). Amendments need no rows: they hold what the versions they amend hold.

Revision ID: 0010_evidence_possession
Revises: 0011_establishment_attributes
Create Date: 2026-12-02 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import backend.db

revision: str = "0010_evidence_possession"
down_revision: str | None = "0011_establishment_attributes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "blob_citation",
        sa.Column("holder_id", sa.Uuid(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("cited_by", sa.Uuid(), nullable=False),
        sa.Column("cited_at", backend.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["holder_id"], ["inspection.id"], name=op.f("fk_blob_citation_holder_id_inspection"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["cited_by"], ["user_account.id"], name=op.f("fk_blob_citation_cited_by_user_account")),
        sa.PrimaryKeyConstraint("holder_id", "sha256", "cited_by", name=op.f("pk_blob_citation")),
    )
    _backfill()


def _backfill() -> None:
    bind = op.get_bind()
    finding = sa.table("finding", sa.column("inspection_id", sa.Uuid()), sa.column("evidence", sa.JSON()))
    blob = sa.table("blob", sa.column("sha256", sa.String()), sa.column("created_by", sa.Uuid()))
    member = sa.table("inspection_member", sa.column("inspection_id", sa.Uuid()), sa.column("user_id", sa.Uuid()))
    inspection = sa.table("inspection", sa.column("id", sa.Uuid()), sa.column("lead_inspector_id", sa.Uuid()))
    citation = sa.table(
        "blob_citation",
        sa.column("holder_id", sa.Uuid()),
        sa.column("sha256", sa.String()),
        sa.column("cited_by", sa.Uuid()),
        sa.column("cited_at", backend.db.UTCDateTime(timezone=True)),
    )
    uploader = dict(bind.execute(sa.select(blob.c.sha256, blob.c.created_by)).all())
    team: dict[object, set[object]] = {}
    for iid, uid in bind.execute(sa.select(member.c.inspection_id, member.c.user_id)):
        team.setdefault(iid, set()).add(uid)
    for iid, uid in bind.execute(sa.select(inspection.c.id, inspection.c.lead_inspector_id)):
        team.setdefault(iid, set()).add(uid)
    rows = {
        (iid, sha, uploader[sha])
        for iid, evidence in bind.execute(sa.select(finding.c.inspection_id, finding.c.evidence))
        for sha in evidence or []
        if sha in uploader and uploader[sha] in team.get(iid, set())
    }
    now = backend.db.utcnow()
    ordered = sorted(rows, key=str)
    for start in range(0, len(ordered), 1000):
        chunk = ordered[start : start + 1000]
        bind.execute(
            citation.insert(), [{"holder_id": h, "sha256": s, "cited_by": c, "cited_at": now} for h, s, c in chunk]
        )


def downgrade() -> None:
    op.drop_table("blob_citation")
