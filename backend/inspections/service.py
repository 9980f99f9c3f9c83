"""Creating, reading, listing and editing inspections, always through the caller's scope."""

import uuid
from datetime import datetime

from sqlalchemy import func, or_
from sqlalchemy.orm.attributes import set_attribute
from sqlmodel import Session, col, select

from backend import changes
from backend.audit import service as audit_log
from backend.auth.models import Role, User
from backend.changes import InspectionChanged
from backend.checklists import service as checklists
from backend.db import Page, insert_once, utcnow, uuid7
from backend.errors import Conflict, Forbidden, Invalid, NotFound
from backend.inspections import workflow
from backend.inspections.models import (
    Inspection,
    InspectionChecklist,
    InspectionMember,
    InspectionType,
)
from backend.inspections.schemas import GpsFix, InspectionCreate, InspectionPublic, InspectionUpdate, PinnedChecklist
from backend.inspections.workflow import Status
from backend.orgs import scope, timezone
from backend.orgs import service as orgs


def team_of(session: Session, inspection_id: uuid.UUID) -> list[uuid.UUID]:
    stmt = select(InspectionMember.user_id).where(InspectionMember.inspection_id == inspection_id)
    return sorted(session.exec(stmt).all())


def checklists_of(session: Session, inspection_id: uuid.UUID) -> list[PinnedChecklist]:
    rows = session.exec(
        select(InspectionChecklist)
        .where(InspectionChecklist.inspection_id == inspection_id)
        .order_by(col(InspectionChecklist.checklist_key))
    ).all()
    return [PinnedChecklist(key=r.checklist_key, version=r.checklist_version) for r in rows]


def to_public(session: Session, inspection: Inspection) -> InspectionPublic:
    return to_public_many(session, [inspection])[0]


def to_public_many(session: Session, inspections: list[Inspection]) -> list[InspectionPublic]:
    """Public shapes for many inspections in three queries, whatever their number."""
    ids = [i.id for i in inspections]
    teams: dict[uuid.UUID, list[uuid.UUID]] = {i: [] for i in ids}
    pinned: dict[uuid.UUID, list[PinnedChecklist]] = {i: [] for i in ids}
    members = select(InspectionMember).where(col(InspectionMember.inspection_id).in_(ids))
    for m in session.exec(members.order_by(col(InspectionMember.user_id))):
        teams[m.inspection_id].append(m.user_id)
    lists = select(InspectionChecklist).where(col(InspectionChecklist.inspection_id).in_(ids))
    for c in session.exec(lists.order_by(col(InspectionChecklist.checklist_key))):
        pinned[c.inspection_id].append(PinnedChecklist(key=c.checklist_key, version=c.checklist_version))
    return [
        InspectionPublic.model_validate(i.model_dump() | {"team": teams[i.id], "checklists": pinned[i.id]})
        for i in inspections
    ]


def is_member(session: Session, user: User, inspection: Inspection) -> bool:
    return inspection.lead_inspector_id == user.id or user.id in team_of(session, inspection.id)


def get_visible(session: Session, user: User, inspection_id: uuid.UUID) -> Inspection:
    """The inspection if ``user`` may see it; outside the scope it does not exist (404, not 403)."""
    return get_visible_in(session, user, inspection_id, scope.visible_units(session, user))


def get_visible_in(session: Session, user: User, inspection_id: uuid.UUID, units: set[uuid.UUID] | None) -> Inspection:
    """``get_visible`` for a caller that looks up many inspections and read ``scope.visible_units`` once."""
    row = session.get(Inspection, inspection_id)
    if row is None or not (units is None or row.district_id in units or is_member(session, user, row)):
        raise NotFound("inspection.not_found", "No such inspection.", id=str(inspection_id))
    return row


def require_member(session: Session, user: User, inspection: Inspection) -> None:
    if not is_member(session, user, inspection):
        raise Forbidden("inspection.not_team_member", "Only the inspection team can change this inspection.")


def require_member_or_supervisor(session: Session, user: User, inspection: Inspection) -> None:
    """The team, or a supervisor (admin) of the inspection's area: who may submit or amend it."""
    if user.role in (Role.supervisor, Role.admin) and scope.can_see(session, user, inspection.district_id):
        return
    require_member(session, user, inspection)


def _check_inspectors(session: Session, user_ids: list[uuid.UUID], district_id: uuid.UUID) -> None:
    for user_id in user_ids:
        member = session.get(User, user_id)
        if member is None or not member.active or member.role == Role.admin:
            raise Invalid(
                "inspection.unknown_inspector",
                "A team member is not an active inspector.",
                user_id=str(user_id),
            )
        if not scope.can_see(session, member, district_id):
            raise Invalid(
                "inspection.inspector_out_of_area",
                "A team member does not work in this establishment's district.",
                user_id=str(user_id),
            )


def _set_team(session: Session, inspection: Inspection, team: list[uuid.UUID]) -> None:
    for row in session.exec(select(InspectionMember).where(InspectionMember.inspection_id == inspection.id)):
        session.delete(row)
    session.flush()
    for user_id in dict.fromkeys([inspection.lead_inspector_id, *team]):
        session.add(InspectionMember(inspection_id=inspection.id, user_id=user_id))


def _apply_gps(inspection: Inspection, gps: GpsFix | None, status: str | None) -> None:
    if gps is not None:
        inspection.gps_latitude = gps.latitude
        inspection.gps_longitude = gps.longitude
        inspection.gps_accuracy_m = gps.accuracy_m
        inspection.gps_at = gps.at
        inspection.gps_status = "fix"
    elif status is not None:
        inspection.gps_status = status
        if status != "fix":
            inspection.gps_latitude = inspection.gps_longitude = inspection.gps_accuracy_m = None
            inspection.gps_at = None


def create(session: Session, user: User, data: InspectionCreate) -> Inspection:
    if user.role == Role.admin:
        raise Forbidden("inspection.inspectors_only", "Inspections are carried out by inspectors.")
    establishment = orgs.get_establishment(session, user, data.establishment_id)
    if data.id is not None and session.get(Inspection, data.id) is not None:
        raise Conflict("inspection.id_taken", "An inspection with this id already exists.", id=str(data.id))
    if len({c.key for c in data.checklists}) != len(data.checklists):
        raise Invalid("inspection.duplicate_checklist", "Each checklist can be used once per inspection.")
    for pinned in data.checklists:
        checklists.get_published(session, pinned.key, pinned.version)
    lead = data.lead_inspector_id or user.id
    _check_inspectors(session, [lead, *data.team], establishment.district_id)
    if data.gps is not None and data.gps_status not in (None, "fix"):
        raise Invalid("inspection.gps_conflict", "A GPS fix was given with gps_status other than 'fix'.")
    inspection = Inspection(
        id=data.id or uuid7(),
        establishment_id=establishment.id,
        district_id=establishment.district_id,
        type=data.type,
        lead_inspector_id=lead,
        created_by=user.id,
        started_at=data.started_at,
        visit_date=data.visit_date
        or (timezone.local_date(session, establishment.district_id, data.started_at) if data.started_at else None),
        location=data.location,
        employer_representative=data.employer_representative,
        workers_present=data.workers_present,
    )
    _apply_gps(inspection, data.gps, data.gps_status)
    taken = Conflict("inspection.id_taken", "An inspection with this id already exists.", id=str(inspection.id))
    insert_once(session, taken, inspection)  # the check above, again under a race
    _set_team(session, inspection, data.team)
    for pinned in data.checklists:
        session.add(
            InspectionChecklist(inspection_id=inspection.id, checklist_key=pinned.key, checklist_version=pinned.version)
        )
    session.flush()
    changes.record(session, InspectionChanged(inspection.id))
    audit_log.record(
        session,
        user.id,
        "inspection.create",
        "inspection",
        inspection.id,
        after=to_public(session, inspection).model_dump(mode="json"),
    )
    return inspection


def update_header(session: Session, user: User, inspection: Inspection, data: InspectionUpdate) -> Inspection:
    workflow.require_editable(inspection.status)
    require_member(session, user, inspection)
    before = to_public(session, inspection).model_dump(mode="json")
    fields = data.model_dump(exclude_unset=True, exclude={"gps", "gps_status", "team"})
    if data.started_at is not None and "visit_date" not in fields:
        fields["visit_date"] = timezone.local_date(session, inspection.district_id, data.started_at)
    inspection.sqlmodel_update(fields)
    if inspection.started_at and inspection.ended_at and inspection.ended_at < inspection.started_at:
        raise Invalid("inspection.times", "The inspection cannot end before it starts.")
    if "gps" in data.model_fields_set or "gps_status" in data.model_fields_set:
        _apply_gps(inspection, data.gps, data.gps_status)
    if data.team is not None:
        _check_inspectors(session, data.team, inspection.district_id)
        _set_team(session, inspection, data.team)
    touch(inspection)
    session.add(inspection)
    session.flush()
    changes.record(session, InspectionChanged(inspection.id))
    audit_log.record(
        session,
        user.id,
        "inspection.update",
        "inspection",
        inspection.id,
        before=before,
        after=to_public(session, inspection).model_dump(mode="json"),
    )
    return inspection


def lineage(session: Session, inspection: Inspection) -> list[uuid.UUID]:
    """The inspection's id, then those of the versions it amends, newest first (an amendment carries their
    evidence)."""
    ids = [inspection.id]
    while inspection.amends_id is not None and inspection.amends_id not in ids:
        ids.append(inspection.amends_id)
        found = session.get(Inspection, inspection.amends_id)
        if found is None:
            break
        inspection = found
    return ids


def touch(inspection: Inspection) -> None:
    # Through SQLAlchemy's instrumentation alone: SQLModel's ``__setattr__`` would also note the fields as set on
    # the pydantic side, which no one reads on a table row, at three times the cost (once per finding recorded).
    set_attribute(inspection, "version", inspection.version + 1)
    set_attribute(inspection, "updated_at", utcnow())


def search(
    session: Session,
    user: User,
    *,
    status: Status | None = None,
    type: InspectionType | None = None,
    district_id: uuid.UUID | None = None,
    establishment_id: uuid.UUID | None = None,
    inspector_id: uuid.UUID | None = None,
    date_from: datetime | None = None,
    date_to: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[InspectionPublic]:
    stmt = select(Inspection)
    units = scope.visible_units(session, user)
    if units is not None:
        member_of = select(InspectionMember.inspection_id).where(InspectionMember.user_id == user.id)
        stmt = stmt.where(or_(col(Inspection.district_id).in_(units), col(Inspection.id).in_(member_of)))
    if status:
        stmt = stmt.where(Inspection.status == status)
    if type:
        stmt = stmt.where(Inspection.type == type)
    if district_id:
        stmt = stmt.where(col(Inspection.district_id).in_(scope.descendants(session, [district_id])))
    if establishment_id:
        stmt = stmt.where(Inspection.establishment_id == establishment_id)
    if inspector_id:
        team = select(InspectionMember.inspection_id).where(InspectionMember.user_id == inspector_id)
        stmt = stmt.where(col(Inspection.id).in_(team))
    when = func.coalesce(Inspection.started_at, Inspection.created_at)
    if date_from:
        stmt = stmt.where(when >= date_from)
    if date_to:
        stmt = stmt.where(when < date_to)
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = session.exec(stmt.order_by(when.desc(), col(Inspection.id)).limit(limit).offset(offset)).all()
    return Page(items=to_public_many(session, list(rows)), total=total, limit=limit, offset=offset)


def reassign(session: Session, user: User, inspection: Inspection, lead: uuid.UUID, team: list[uuid.UUID]) -> None:
    """A supervisor (admin) of the area gives a draft or returned inspection to another lead and team; it leaves
    the old team's devices and reaches the new one's on their next pull (the projection)."""
    if user.role not in (Role.supervisor, Role.admin) or not scope.can_see(session, user, inspection.district_id):
        raise Forbidden("inspection.review_forbidden", "Only a supervisor of this district reassigns it.")
    workflow.require_editable(inspection.status)
    _check_inspectors(session, [lead, *team], inspection.district_id)
    before = to_public(session, inspection).model_dump(mode="json")
    inspection.lead_inspector_id = lead
    _set_team(session, inspection, team)
    touch(inspection)
    session.add(inspection)
    session.flush()
    changes.record(session, InspectionChanged(inspection.id))
    audit_log.record(
        session,
        user.id,
        "inspection.reassign",
        "inspection",
        inspection.id,
        before=before,
        after=to_public(session, inspection).model_dump(mode="json"),
    )
