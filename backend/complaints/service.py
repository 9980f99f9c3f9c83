"""Complaints from intake to reply. A confidential complaint (the default) is read only by its author, its assignee
and supervisors and admins whose area holds it; anyone else is told it does not exist (404). The complainant's
identity is sealed at intake (``identity.py``) and opened only by ``reveal``, for a user an admin granted it to,
each time audited without it (C81 Art. 15(c)).
"""

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, false, func, or_
from sqlmodel import Session, col, select

from backend import changes
from backend.audit import service as audit_log
from backend.auth.models import Role, User
from backend.changes import ComplaintChanged
from backend.checklists import service as checklists
from backend.complaints import identity
from backend.complaints.models import (
    Complaint,
    ComplaintAssign,
    ComplaintCreate,
    ComplaintInspection,
    ComplaintOutcome,
    ComplaintPublic,
    ComplaintReply,
    ComplaintStatus,
    ComplaintTriage,
    RevealGrant,
)
from backend.db import Page, insert_once, utcnow, uuid7
from backend.errors import Conflict, Forbidden, Invalid, NotFound, Problem
from backend.inspections import service as inspections
from backend.inspections.models import Inspection, InspectionType
from backend.inspections.schemas import InspectionCreate, PinnedChecklist
from backend.orgs import scope
from backend.orgs import service as orgs
from backend.orgs.models import Level, OrgUnit

PRIVILEGED = (Role.supervisor, Role.admin)
S = ComplaintStatus


class KeysUnavailable(Problem):
    status = 503
    title = "Service unavailable"


def can_read(session: Session, user: User, complaint: Complaint) -> bool:
    """The author and the assignee always; supervisors and admins in scope; other staff in scope only if not
    confidential."""
    if user.role == Role.statistician:
        return False  # statisticians read only the statistical view (no free text, no complainant)
    if user.id in (complaint.created_by, complaint.assigned_to):
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


def audit_view(complaint: Complaint) -> dict[str, Any]:
    """What the audit trail keeps: never the complainant's identity (nor its token), only whether there is one."""
    return ComplaintPublic.model_validate(complaint).model_dump(mode="json")


def _check_matters(session: Session, matters: list[str]) -> list[str]:
    known = {c.key for c in checklists.list_published(session)}
    unknown = sorted(set(matters) - known)
    if unknown:
        raise Invalid("complaint.unknown_matter", "A matter alleged is not a published checklist.", unknown=unknown)
    return list(dict.fromkeys(matters))


def _district(session: Session, user: User, district_id: uuid.UUID) -> uuid.UUID:
    unit = session.get(OrgUnit, district_id)
    if unit is None or unit.level != Level.district or not scope.can_see(session, user, unit.id):
        raise NotFound("org_unit.not_found", "No such district in your area.", id=str(district_id))
    return unit.id


def create(session: Session, user: User, data: ComplaintCreate, *, today: date | None = None) -> Complaint:
    """Record a complaint about an establishment, or an unregistered workplace, in the user's area (audited)."""
    if user.role == Role.statistician:
        raise Forbidden("complaint.statistician_reads_only", "A statistician reads complaints' statistics only.")
    if data.establishment_id is not None:
        establishment = orgs.get_establishment(session, user, data.establishment_id)
        establishment_id, district_id = establishment.id, establishment.district_id
    else:
        assert data.district_id is not None  # the model requires it without an establishment
        establishment_id, district_id = None, _district(session, user, data.district_id)
    if data.received_on > (today or date.today()) + timedelta(days=1):  # a day's grace for time zones
        raise Invalid("complaint.received_in_future", "A complaint cannot be received in the future.")
    if data.id is not None and exists(session, data.id):
        raise Conflict("complaint.id_taken", "A complaint with this id already exists.", id=str(data.id))
    who = data.complainant
    identified = who is not None and not who.is_empty()
    complaint = Complaint(
        id=data.id or uuid7(),
        establishment_id=establishment_id,
        district_id=district_id,
        workplace_name=data.workplace_name,
        workplace_address=data.workplace_address,
        workplace_description=data.workplace_description,
        summary=data.summary,
        matters=_check_matters(session, data.matters),
        received_on=data.received_on,
        confidential=data.confidential,
        channel=data.channel,
        anonymous=not identified,
        complainant_token=identity.seal(who) if identified and who is not None else None,
        status=S.received,
        created_by=user.id,
    )
    taken = Conflict("complaint.id_taken", "A complaint with this id already exists.", id=str(complaint.id))
    insert_once(session, taken, complaint)  # the check above, again under a race
    changes.record(session, ComplaintChanged(complaint.id))
    audit_log.record(session, user.id, "complaint.create", "complaint", complaint.id, after=audit_view(complaint))
    return complaint


def _require_supervisor(session: Session, user: User, complaint: Complaint) -> None:
    if user.role not in PRIVILEGED or not scope.can_see(session, user, complaint.district_id):
        raise Forbidden("complaint.supervisor_only", "Only a supervisor of the complaint's area does this.")


def _require_handler(session: Session, user: User, complaint: Complaint) -> None:
    """The assignee, or a supervisor of the area."""
    if complaint.assigned_to != user.id:
        _require_supervisor(session, user, complaint)


def _require_status(complaint: Complaint, *allowed: ComplaintStatus) -> None:
    if complaint.status not in allowed:
        raise Conflict(
            "complaint.invalid_transition",
            f"Not possible while the complaint is {complaint.status.value}.",
            status=complaint.status.value,
        )


def _changed(session: Session, user: User, complaint: Complaint, action: str, before: dict[str, Any]) -> Complaint:
    session.add(complaint)
    session.flush()
    changes.record(session, ComplaintChanged(complaint.id))
    audit_log.record(session, user.id, action, "complaint", complaint.id, before=before, after=audit_view(complaint))
    return complaint


def triage(session: Session, user: User, complaint: Complaint, data: ComplaintTriage) -> Complaint:
    """Set priority and due date (and the matters, or the establishment found for an unregistered workplace)."""
    _require_supervisor(session, user, complaint)
    _require_status(complaint, S.received, S.triaged, S.assigned)
    if data.due_on < complaint.received_on:
        raise Invalid("complaint.due_before_received", "The due date is before the complaint was received.")
    before = audit_view(complaint)
    if data.establishment_id is not None:
        establishment = orgs.get_establishment(session, user, data.establishment_id)
        complaint.establishment_id, complaint.district_id = establishment.id, establishment.district_id
    if data.matters is not None:
        complaint.matters = _check_matters(session, data.matters)
    complaint.priority, complaint.due_on, complaint.triaged_by = data.priority, data.due_on, user.id
    if complaint.status == S.received:
        complaint.status = S.triaged
    return _changed(session, user, complaint, "complaint.triage", before)


def assign(session: Session, user: User, complaint: Complaint, data: ComplaintAssign) -> Complaint:
    _require_supervisor(session, user, complaint)
    _require_status(complaint, S.triaged, S.assigned)
    assignee = session.get(User, data.assignee_id)
    if (
        assignee is None
        or not assignee.active
        or assignee.role not in (Role.inspector, Role.supervisor)
        or not scope.can_see(session, assignee, complaint.district_id)
    ):
        raise Invalid(
            "complaint.assignee_invalid",
            "The assignee is not an active inspector of the complaint's district.",
            user_id=str(data.assignee_id),
        )
    before = audit_view(complaint)
    complaint.assigned_to, complaint.status = assignee.id, S.assigned
    return _changed(session, user, complaint, "complaint.assign", before)


def _latest(session: Session, matters: list[str]) -> list[PinnedChecklist]:
    versions = {c.key: c.version for c in checklists.list_published(session)}
    return [PinnedChecklist(key=k, version=versions[k]) for k in matters if k in versions]


def open_inspection(session: Session, user: User, complaint: Complaint, data: ComplaintInspection) -> Inspection:
    """The inspection the complaint triggers: type ``complaint``, through the ordinary assignment path (it reaches
    the team's tablets by sync). The link is held by the complaint only: the inspection names no complaint."""
    _require_supervisor(session, user, complaint)
    _require_status(complaint, S.assigned)
    if complaint.establishment_id is None:
        raise Invalid(
            "complaint.establishment_required", "Find and register the workplace first (triage: establishment_id)."
        )
    pinned = data.checklists or _latest(session, complaint.matters)
    if not pinned:
        raise Invalid("complaint.checklists_required", "Name the checklists: the complaint alleges no matter.")
    inspection = inspections.create(
        session,
        user,
        InspectionCreate(
            id=data.id,
            establishment_id=complaint.establishment_id,
            type=InspectionType.complaint,
            lead_inspector_id=data.lead_inspector_id or complaint.assigned_to,
            team=data.team,
            checklists=pinned,
            visit_date=data.visit_date,
        ),
    )
    before = audit_view(complaint)
    complaint.inspection_id, complaint.status = inspection.id, S.investigated
    _changed(session, user, complaint, "complaint.inspect", before)
    return inspection


def conclude(session: Session, user: User, complaint: Complaint, data: ComplaintOutcome) -> Complaint:
    """Record the outcome. An anonymous complaint closes here; an identified one awaits its reply."""
    _require_handler(session, user, complaint)
    _require_status(complaint, S.triaged, S.assigned, S.investigated)
    before = audit_view(complaint)
    complaint.outcome, complaint.outcome_note = data.outcome, data.note
    complaint.concluded_on = data.concluded_on or date.today()
    complaint.status = S.closed if complaint.anonymous else S.concluded
    return _changed(session, user, complaint, "complaint.conclude", before)


def reply(session: Session, user: User, complaint: Complaint, data: ComplaintReply) -> Complaint:
    """Record the reply sent to an identified complainant; the complaint is closed."""
    _require_handler(session, user, complaint)
    if complaint.anonymous:
        raise Conflict("complaint.anonymous", "An anonymous complaint gets no reply.")
    _require_status(complaint, S.concluded)
    before = audit_view(complaint)
    complaint.reply_sent_on, complaint.reply_channel, complaint.reply_note = data.sent_on, data.channel, data.note
    complaint.status = S.closed
    return _changed(session, user, complaint, "complaint.reply", before)


# --- the identity: grants and reveals -------------------------------------------------------------------------


def active_grant(session: Session, user_id: uuid.UUID) -> RevealGrant | None:
    stmt = select(RevealGrant).where(RevealGrant.user_id == user_id, col(RevealGrant.revoked_at).is_(None))
    return session.exec(stmt).first()


def grant(session: Session, admin: User, user_id: uuid.UUID) -> RevealGrant:
    grantee = session.get(User, user_id)
    if grantee is None or not grantee.active:
        raise NotFound("user.not_found", "No such user.", id=str(user_id))
    if grantee.role == Role.statistician:
        raise Forbidden("complaint.statistician_reads_only", "A statistician is never shown a complainant.")
    existing = active_grant(session, user_id)
    if existing is not None:
        return existing
    row = RevealGrant(user_id=user_id, granted_by=admin.id)
    session.add(row)
    session.flush()
    audit_log.record(session, admin.id, "complainant.grant", "user", user_id, grant_id=str(row.id))
    return row


def revoke_grant(session: Session, admin: User, grant_id: uuid.UUID) -> RevealGrant:
    row = session.get(RevealGrant, grant_id)
    if row is None:
        raise NotFound("complaint.grant_not_found", "No such grant.", id=str(grant_id))
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        session.flush()
        audit_log.record(session, admin.id, "complainant.revoke", "user", row.user_id, grant_id=str(row.id))
    return row


def list_grants(session: Session) -> list[RevealGrant]:
    return list(session.exec(select(RevealGrant).order_by(col(RevealGrant.granted_at))).all())


def reveal(session: Session, user: User, complaint: Complaint, reason: str) -> identity.ComplainantRevealed:
    """The identity, for a user holding a grant who may read the complaint; audited (who, when, why — never it)."""
    if active_grant(session, user.id) is None:
        raise Forbidden("complaint.reveal_forbidden", "You have not been granted access to complainants' identities.")
    if complaint.complainant_token is None:
        raise Conflict("complaint.anonymous", "An anonymous complaint has no complainant to reveal.")
    try:
        revealed = identity.unseal(complaint.complainant_token)
    except identity.IdentityUnreadable:
        raise KeysUnavailable(
            "complaint.identity_unreadable", "No configured key opens this identity (LI_COMPLAINANT_KEYS)."
        ) from None
    audit_log.record(session, user.id, "complainant.reveal", "complaint", complaint.id, reason=reason)
    return revealed


def rotate_keys(session: Session, keys: str | None = None) -> int:
    """Re-encrypt every identity under the newest key (``cli rotate-complainant-key``); audited with the count."""
    stmt = select(Complaint).where(col(Complaint.complainant_token).is_not(None)).order_by(col(Complaint.id))
    count = 0
    for row in session.exec(stmt):
        assert row.complainant_token is not None
        row.complainant_token = identity.rotate(row.complainant_token, keys)
        session.add(row)
        count += 1
    session.flush()
    audit_log.record(session, None, "complainant.rotate_keys", "complaint", "*", rotated=count)
    return count


def readable(session: Session, user: User) -> Any:
    """The query of the complaints ``user`` may read (``can_read`` as SQL)."""
    stmt = select(Complaint)
    if user.role == Role.statistician:
        return stmt.where(false())
    units = scope.visible_units(session, user)
    if units is not None:
        in_area: ColumnElement[bool] = col(Complaint.district_id).in_(units)
        if user.role not in PRIVILEGED:
            in_area = in_area & ~col(Complaint.confidential)
        mine = or_(col(Complaint.created_by) == user.id, col(Complaint.assigned_to) == user.id)
        stmt = stmt.where(or_(mine, in_area))
    return stmt


def statistical_rows(session: Session, user: User, *, limit: int, offset: int) -> list[Complaint]:
    order = (col(Complaint.received_on).desc(), col(Complaint.id))
    return list(session.exec(readable(session, user).order_by(*order).limit(limit).offset(offset)).all())


def unreadable_identities(session: Session, keys: str | None = None) -> int:
    """How many sealed identities no configured key opens (for a start-up or production check: 0 expected)."""
    stmt = select(Complaint.complainant_token).where(col(Complaint.complainant_token).is_not(None))
    missing = 0
    for token in session.exec(stmt):
        assert token is not None
        try:
            identity.unseal(token, keys)
        except identity.IdentityUnreadable:
            missing += 1
    return missing


def search(
    session: Session,
    user: User,
    *,
    status: ComplaintStatus | None = None,
    establishment_id: uuid.UUID | None = None,
    assigned_to: uuid.UUID | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[ComplaintPublic]:
    """The complaints ``user`` may read, newest first."""
    stmt = readable(session, user)
    if status:
        stmt = stmt.where(Complaint.status == status)
    if establishment_id:
        stmt = stmt.where(Complaint.establishment_id == establishment_id)
    if assigned_to:
        stmt = stmt.where(Complaint.assigned_to == assigned_to)
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    order = (col(Complaint.received_on).desc(), col(Complaint.created_at).desc(), col(Complaint.id))
    rows = session.exec(stmt.order_by(*order).limit(limit).offset(offset)).all()
    return Page(items=[ComplaintPublic.model_validate(r) for r in rows], total=total, limit=limit, offset=offset)
