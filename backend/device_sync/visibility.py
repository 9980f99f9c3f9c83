"""What a device may pull: the scope rules over ``sync_record`` (an inspection's team, a district's staff, one
owner, or everyone) and how a stored row is served."""

import uuid

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from backend.auth.models import Role, User
from backend.device_sync.models import SyncRecord
from backend.inspections.models import Inspection, InspectionMember
from backend.orgs import scope
from sync.protocol import Change, Op
from sync.store import Actor

PRIVILEGED = frozenset({Role.supervisor.value, Role.admin.value})
REVOCATION = "revocation"  # a row that tells one user's devices to drop a record they may no longer hold


def change(r: SyncRecord) -> Change:
    """A stored row as pulled: a revocation row is a ``delete`` of the record it names."""
    if r.entity == REVOCATION:
        return Change(version=r.version, entity=r.data["entity"], id=r.data["id"], op=Op.delete)
    return Change(version=r.version, entity=r.entity, id=r.key, op=Op.upsert, data={**r.data, "version": r.version})


def changes_since(session: Session, user: User, actor: Actor, cursor: int, limit: int) -> list[Change]:
    """Up to ``limit`` changes after ``cursor`` that ``actor`` may hold, by version (``Store.changes_since``)."""
    stmt = select(SyncRecord).where(SyncRecord.version > cursor)
    uid = uuid.UUID(actor.user_id)
    units = scope.visible_units(session, user)
    public = and_(
        col(SyncRecord.inspection_id).is_(None), col(SyncRecord.owner_id).is_(None),
        col(SyncRecord.district_id).is_(None),
    )  # fmt: skip
    own = col(SyncRecord.owner_id) == uid
    member_of = select(InspectionMember.inspection_id).where(InspectionMember.user_id == uid)
    if units is None:  # national scope: everything
        pass
    elif actor.role in PRIVILEGED:  # their area, and the teams they are on wherever these work
        in_area = select(Inspection.id).where(col(Inspection.district_id).in_(units))
        team = or_(col(SyncRecord.inspection_id).in_(in_area), col(SyncRecord.inspection_id).in_(member_of))
        stmt = stmt.where(or_(team, col(SyncRecord.district_id).in_(units), own, public))
    else:
        # complaints are district-scoped for supervisors only: inspectors pull just their own (C81 Art. 15(c))
        staff_only = and_(col(SyncRecord.district_id).in_(units), col(SyncRecord.entity) != "complaint")
        stmt = stmt.where(or_(col(SyncRecord.inspection_id).in_(member_of), staff_only, own, public))
    # A revocation is its owner's alone, whatever else the scope lets the user see.
    stmt = stmt.where(or_(col(SyncRecord.entity) != REVOCATION, own))
    rows = session.exec(stmt.order_by(col(SyncRecord.version)).limit(limit)).all()
    return [change(r) for r in rows]
