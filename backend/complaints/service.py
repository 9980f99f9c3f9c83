"""Recording and reading complaints. A confidential complaint (the default) is read only by its author and
by supervisors and admins whose area holds the establishment; anyone else is told it does not exist (404).
"""

import uuid
from datetime import date, timedelta

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from backend import changes
from backend.audit import service as audit_log
from backend.auth.models import Role, User
from backend.changes import ComplaintChanged
from backend.complaints.models import Complaint, ComplaintCreate, ComplaintPublic, ComplaintStatus
from backend.db import Page, insert_once, uuid7
from backend.errors import Conflict, Invalid, NotFound
from backend.orgs import scope
from backend.orgs import service as orgs

PRIVILEGED = (Role.supervisor, Role.admin)


def can_read(session: Session, user: User, complaint: Complaint) -> bool:
    """The author always; supervisors and admins in scope; other staff in scope only if not confidential."""
    if complaint.created_by == user.id:
        return True
    if not scope.can_see(session, user, complaint.district_id):
        return False
    return user.role in PRIVILEGED or not complaint.confidential


def get_visible(session: Session, user: User, complaint_id: uuid.UUID) -> Complaint:
    row = session.get(Complaint, complaint_id)
    if row is None or not can_read(session, user, row):
        raise NotFound("complaint.not_found", "No such complaint.", id=str(complaint_id))
    return row


def exists(session: Session, complaint_id: uuid.UUID) -> bool:
    return session.get(Complaint, complaint_id) is not None


def _audit_view(complaint: Complaint) -> dict[str, object]:
    """What the audit trail keeps: never the complainant's identity, only whether one was recorded."""
    public = ComplaintPublic.model_validate(complaint).model_dump(mode="json", exclude={"source"})
    return {**public, "source_recorded": bool(complaint.source)}


def create(session: Session, user: User, data: ComplaintCreate, *, today: date | None = None) -> Complaint:
    """Record a complaint about an establishment in the user's area (audited)."""
    establishment = orgs.get_establishment(session, user, data.establishment_id)
    if data.received_on > (today or date.today()) + timedelta(days=1):  # a day's grace for time zones
        raise Invalid("complaint.received_in_future", "A complaint cannot be received in the future.")
    if data.id is not None and exists(session, data.id):
        raise Conflict("complaint.id_taken", "A complaint with this id already exists.", id=str(data.id))
    complaint = Complaint(
        id=data.id or uuid7(),
        establishment_id=establishment.id,
        district_id=establishment.district_id,
        summary=data.summary,
        received_on=data.received_on,
        confidential=data.confidential,
        channel=data.channel,
        source=data.source,
        status=ComplaintStatus.received,
        created_by=user.id,
    )
    taken = Conflict("complaint.id_taken", "A complaint with this id already exists.", id=str(complaint.id))
    insert_once(session, taken, complaint)  # the check above, again under a race
    changes.record(session, ComplaintChanged(complaint.id))
    audit_log.record(session, user.id, "complaint.create", "complaint", complaint.id, after=_audit_view(complaint))
    return complaint


def search(
    session: Session,
    user: User,
    *,
    status: ComplaintStatus | None = None,
    establishment_id: uuid.UUID | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[ComplaintPublic]:
    """The complaints ``user`` may read, newest first."""
    stmt = select(Complaint)
    units = scope.visible_units(session, user)
    if units is not None:
        readable: ColumnElement[bool] = col(Complaint.district_id).in_(units)
        if user.role not in PRIVILEGED:
            readable = readable & ~col(Complaint.confidential)
        stmt = stmt.where(or_(col(Complaint.created_by) == user.id, readable))
    if status:
        stmt = stmt.where(Complaint.status == status)
    if establishment_id:
        stmt = stmt.where(Complaint.establishment_id == establishment_id)
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    order = (col(Complaint.received_on).desc(), col(Complaint.created_at).desc(), col(Complaint.id))
    rows = session.exec(stmt.order_by(*order).limit(limit).offset(offset)).all()
    return Page(items=[ComplaintPublic.model_validate(r) for r in rows], total=total, limit=limit, offset=offset)
