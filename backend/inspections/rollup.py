"""Per-inspection rollup of its findings (non-compliance count, counts by severity, worst severity), written in
the same transaction as the submission so the desk's queue filters read one narrow row instead of scanning
findings. ``refresh`` recomputes it from the findings; ``backfill`` does so for every submitted inspection."""

import uuid
from collections import Counter

from sqlalchemy import delete, select
from sqlmodel import Field, Session, SQLModel, col

from backend.inspections import findings
from backend.inspections.models import Finding, FindingStatus, Inspection

SEVERITIES = ("critical", "major", "minor")  # worst first


class InspectionRollup(SQLModel, table=True):
    __tablename__ = "inspection_rollup"

    inspection_id: uuid.UUID = Field(foreign_key="inspection.id", primary_key=True, ondelete="CASCADE")
    non_compliances: int = Field(default=0, index=True)
    critical: int = Field(default=0, index=True)
    major: int = Field(default=0, index=True)
    minor: int = Field(default=0, index=True)
    worst_severity: str | None = Field(default=None, max_length=16)


def compute(session: Session, inspection_id: uuid.UUID) -> InspectionRollup:
    """The rollup as it follows from the inspection's non-compliant findings and its pinned checklists."""
    pinned = findings.pinned_definitions(session, inspection_id)
    rows = session.execute(
        select(col(Finding.checklist_key), col(Finding.item_id)).where(
            col(Finding.inspection_id) == inspection_id, col(Finding.status) == FindingStatus.non_compliant
        )
    ).all()
    by: Counter[str] = Counter()
    for key, item_id in rows:
        checklist = pinned.get(key)
        item = checklist.item(item_id) if checklist is not None else None
        if item is not None:
            by[str(item.severity)] += 1
    worst = next((s for s in SEVERITIES if by[s]), None)
    return InspectionRollup(inspection_id=inspection_id, non_compliances=len(rows), critical=by["critical"],
                            major=by["major"], minor=by["minor"], worst_severity=worst)  # fmt: skip


def refresh(session: Session, inspection_id: uuid.UUID) -> InspectionRollup:
    """Recompute and store (replacing) the rollup of one inspection, inside the caller's transaction."""
    session.execute(delete(InspectionRollup).where(col(InspectionRollup.inspection_id) == inspection_id))
    row = compute(session, inspection_id)
    session.add(row)
    session.flush()
    return row


def backfill(session: Session) -> int:
    """Rollups for every inspection that has been submitted (the migration's backfill)."""
    ids = session.execute(select(col(Inspection.id)).where(col(Inspection.submitted_at).is_not(None))).scalars()
    n = 0
    for inspection_id in list(ids):
        refresh(session, inspection_id)
        n += 1
    return n
