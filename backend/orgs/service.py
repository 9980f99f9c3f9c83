"""Org units and the establishments registry, always read and written through the caller's scope."""

import uuid

from pydantic import ValidationError
from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from backend import changes
from backend.audit import service as audit_log
from backend.auth.models import Role, User, UserOrgUnit
from backend.changes import EstablishmentChanged, EstablishmentMoved
from backend.db import Page, utcnow
from backend.errors import Conflict, Invalid, NotFound
from backend.orgs import scope, timezone
from backend.orgs.models import (
    Establishment,
    EstablishmentCreate,
    EstablishmentPublic,
    EstablishmentUpdate,
    Level,
    OrgUnit,
)


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {err['msg']}" if where else err["msg"]


def list_units(session: Session, user: User) -> list[OrgUnit]:
    stmt = select(OrgUnit).order_by(col(OrgUnit.code))
    units = scope.visible_units(session, user)
    if units is not None:
        stmt = stmt.where(col(OrgUnit.id).in_(units))
    return list(session.exec(stmt).all())


def colleagues(session: Session, user: User) -> list[User]:
    """The active inspectors and supervisors of the caller's org units and those below (the people a device
    offers as team members), without the caller; every one of them for an admin."""
    stmt = select(User).where(col(User.active), User.role != Role.admin, User.id != user.id)
    units = scope.visible_units(session, user)
    if units is not None:
        members = select(UserOrgUnit.user_id).where(col(UserOrgUnit.org_unit_id).in_(units))
        stmt = stmt.where(col(User.id).in_(members))
    return list(session.exec(stmt.order_by(col(User.name), col(User.id))).all())


def unit_by_code(session: Session, code: str) -> OrgUnit | None:
    return session.exec(select(OrgUnit).where(OrgUnit.code == code)).first()


def create_unit(
    session: Session,
    *,
    code: str,
    level: Level,
    name_en: str,
    name_zh: str,
    parent_id: uuid.UUID | None,
    actor_id: uuid.UUID | None,
    time_zone: str | None = None,
) -> OrgUnit:
    if time_zone is not None:
        timezone.require_zone(time_zone)
    unit = OrgUnit(code=code, level=level, name_en=name_en, name_zh=name_zh, parent_id=parent_id, time_zone=time_zone)
    try:
        with session.begin_nested():
            session.add(unit)
            session.flush()
    except IntegrityError as exc:
        raise Conflict("org_unit.code_taken", f"An org unit with code {code} already exists.", unit_code=code) from exc
    audit_log.record(session, actor_id, "org_unit.create", "org_unit", unit.id, code=code, level=level)
    return unit


def _require_district(session: Session, user: User, district_id: uuid.UUID) -> OrgUnit:
    unit = session.get(OrgUnit, district_id)
    if unit is None or not scope.can_see(session, user, district_id):
        raise NotFound("org_unit.not_found", "No such district in your area.", district_id=str(district_id))
    if unit.level != Level.district:
        raise Invalid("establishment.district_required", "An establishment belongs to a district.")
    return unit


def search_establishments(
    session: Session,
    user: User,
    *,
    q: str | None = None,
    district_id: uuid.UUID | None = None,
    isic: str | None = None,
    registration_number: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[EstablishmentPublic]:
    stmt = select(Establishment)
    units = scope.visible_units(session, user)
    if units is not None:
        stmt = stmt.where(col(Establishment.district_id).in_(units))
    if district_id is not None:
        stmt = stmt.where(col(Establishment.district_id).in_(scope.descendants(session, [district_id])))
    if isic:
        stmt = stmt.where(col(Establishment.isic).startswith(isic))
    if registration_number:  # exact, ignoring case: USCCs are stored upper-cased, other identifiers as given
        number = registration_number.strip().upper()
        stmt = stmt.where(func.upper(Establishment.registration_number) == number)
    if q:
        pattern = f"%{q.strip().lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(Establishment.name).like(pattern),
                func.lower(Establishment.registration_number).like(pattern),
                func.lower(Establishment.address).like(pattern),
            )
        )
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = session.exec(stmt.order_by(col(Establishment.name), col(Establishment.id)).limit(limit).offset(offset))
    items = [EstablishmentPublic.model_validate(r) for r in rows.all()]
    return Page(items=items, total=total, limit=limit, offset=offset)


def get_establishment(session: Session, user: User, establishment_id: uuid.UUID) -> Establishment:
    """The establishment if ``user`` may see it; outside the scope it does not exist (404, not 403)."""
    row = session.get(Establishment, establishment_id)
    if row is None or not scope.can_see(session, user, row.district_id):
        raise NotFound("establishment.not_found", "No such establishment.", id=str(establishment_id))
    return row


def _ensure_unique(session: Session, data: EstablishmentCreate) -> None:
    existing = session.exec(
        select(Establishment.id).where(
            Establishment.registration_type == data.registration_type,
            Establishment.registration_number == data.registration_number,
        )
    ).first()
    if existing is not None:
        raise _duplicate(data)


def _duplicate(data: EstablishmentCreate) -> Conflict:
    return Conflict(
        "establishment.duplicate_registration",
        f"An establishment with {data.registration_type} {data.registration_number} is already registered.",
    )


def create_establishment(session: Session, user: User, data: EstablishmentCreate) -> Establishment:
    _require_district(session, user, data.district_id)
    _ensure_unique(session, data)
    row = Establishment.model_validate(data)
    try:
        with session.begin_nested():  # a concurrent insert of the same number loses here, not with a 500
            session.add(row)
            session.flush()
    except IntegrityError as exc:
        raise _duplicate(data) from exc
    changes.record(session, EstablishmentChanged(row.id))
    after = EstablishmentPublic.model_validate(row).model_dump(mode="json")
    audit_log.record(session, user.id, "establishment.create", "establishment", row.id, after=after)
    return row


def update_establishment(session: Session, user: User, row: Establishment, data: EstablishmentUpdate) -> Establishment:
    before = EstablishmentPublic.model_validate(row).model_dump(mode="json")
    fields = {k: v for k, v in before.items() if k not in {"id", "created_at", "updated_at"}}
    try:
        EstablishmentCreate.model_validate({**fields, **data.model_dump(mode="json", exclude_unset=True)})
    except ValidationError as exc:
        raise Invalid("establishment.invalid", _first_error(exc)) from exc
    row.sqlmodel_update(data.model_dump(exclude_unset=True))
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    changes.record(session, EstablishmentChanged(row.id))
    after = EstablishmentPublic.model_validate(row).model_dump(mode="json")
    audit_log.record(session, user.id, "establishment.update", "establishment", row.id, before=before, after=after)
    return row


def move_establishment(
    session: Session, user: User | None, row: Establishment, district_id: uuid.UUID
) -> Establishment:
    """Put an establishment in another district (no route does yet: a registry correction). Recorded as
    ``EstablishmentMoved``: the staff of the district it left get a delete on their tablets, the new one's get it."""
    if user is not None:
        _require_district(session, user, district_id)
    if session.get(OrgUnit, district_id) is None:
        raise NotFound("org_unit.not_found", "No such district in your area.", district_id=str(district_id))
    old = row.district_id
    if old == district_id:
        return row
    row.district_id = district_id
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    changes.record(session, EstablishmentMoved(row.id, old), EstablishmentChanged(row.id))
    audit_log.record(session, user.id if user else None, "establishment.move", "establishment", row.id,
                     from_district=str(old), to_district=str(district_id))  # fmt: skip
    return row


def get_establishment_unscoped(session: Session, establishment_id: uuid.UUID) -> Establishment:
    """For callers that already checked access to a record linked to this establishment."""
    row = session.get(Establishment, establishment_id)
    if row is None:
        raise NotFound("establishment.not_found", "No such establishment.", id=str(establishment_id))
    return row
