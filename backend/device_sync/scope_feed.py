"""Scope changes in the device change feed, from the domain's explicit events (``ScopeChanged`` from
``auth.service.update_user``, ``EstablishmentMoved`` from ``orgs.service.move_establishment``), projected by
``feed.publish``: a user who loses a district (or whose establishment leaves it) gets a ``delete`` of each row their
devices may no longer hold; rows a user gains get a new version, so devices pulling from their own cursors receive
them, after any earlier ``delete``."""

import uuid
from collections.abc import Set

from sqlalchemy import select
from sqlmodel import Session, col

from backend.auth.models import Device, Role, User, UserOrgUnit
from backend.changes import EstablishmentMoved, ScopeChanged
from backend.device_sync.models import SyncRecord
from backend.device_sync.store import SqlStore
from backend.device_sync.visibility import PRIVILEGED, REVOCATION
from backend.inspections.models import Inspection, InspectionMember
from backend.orgs import scope
from backend.orgs.models import Establishment, OrgUnit

Units = frozenset[uuid.UUID] | None  # None: every unit (an admin)


def revocation_key(user_id: str, entity: str, key: str) -> str:
    """One revocation row per (user, entity, key); an inspection's keeps the team revocation's older form."""
    return f"{user_id}:{key}" if entity == "inspection" else f"{user_id}:{entity}:{key}"


def revoke(store: SqlStore, user_id: str, entity: str, key: str) -> None:
    """Tell ``user_id``'s devices (only theirs) to drop ``entity``/``key`` at the next version."""
    data = {"entity": entity, "id": key}
    store.put(REVOCATION, revocation_key(user_id, entity, key), data, None, owner_id=user_id)


def left_team(store: SqlStore, user: User, inspection_id: str) -> None:
    """An inspector removed from a team: their devices drop the inspection, and its orders unless one of their
    districts still shows them."""
    uid, units = str(user.id), scope.visible_units(store.session, user)
    revoke(store, uid, "inspection", inspection_id)
    stmt = select(SyncRecord).where(
        col(SyncRecord.inspection_id) == uuid.UUID(inspection_id), col(SyncRecord.district_id).is_not(None)
    )
    for row in sorted(store.session.scalars(stmt).all(), key=lambda r: r.version):
        if row.entity != REVOCATION and row.owner_id != user.id and not _in(units, row.district_id):
            revoke(store, uid, row.entity, row.key)


def publish(store: SqlStore, scopes: list[ScopeChanged], moves: list[EstablishmentMoved]) -> None:
    """Write the revocations and re-deliveries the transaction's scope events call for (after the rows of its other
    events, so a moved establishment's row already has its new district). Per user or establishment, the first
    event holds the state before the transaction."""
    users: dict[uuid.UUID, ScopeChanged] = {}
    for changed in scopes:
        users.setdefault(changed.id, changed)
    for user_id, changed in sorted(users.items()):
        _user_scope(store, user_id, Role(changed.role_before), changed.units_before)
    left: dict[uuid.UUID, uuid.UUID] = {}
    for moved in moves:
        left.setdefault(moved.id, moved.from_district)
    for establishment_id, district_id in sorted(left.items()):
        _moved(store, establishment_id, district_id)


def _has_device(session: Session, user_id: uuid.UUID) -> bool:
    """Only a user with a tablet needs deletes or re-delivery: a new device pulls its current scope from 0."""
    stmt = select(col(Device.id)).where(col(Device.user_id) == user_id, col(Device.revoked_at).is_(None)).limit(1)
    return session.execute(stmt).first() is not None


def _units(session: Session, role: Role, roots: frozenset[uuid.UUID]) -> Units:
    """The units a user of ``role`` with these own units sees (None: all)."""
    return None if role == Role.admin else frozenset(scope.descendants(session, list(roots)))


def _in(units: Set[uuid.UUID] | None, unit_id: uuid.UUID | None) -> bool:
    """Whether ``unit_id`` is among ``units``."""
    return unit_id is not None and (units is None or unit_id in units)


def _user_scope(store: SqlStore, user_id: uuid.UUID, role_before: Role, roots_before: frozenset[uuid.UUID]) -> None:
    """Compare what the user could pull before and now (the rules of ``visibility.changes_since``): only rows of
    districts in either scope can differ, since team membership and ownership did not change."""
    session = store.session
    user = session.get(User, user_id)
    if user is None or not _has_device(session, user_id):
        return
    role_now = Role(user.role)
    before, now_units = _units(session, role_before, roots_before), scope.visible_units(session, user)
    now = None if now_units is None else frozenset(now_units)
    if before == now and (role_before in PRIVILEGED) == (role_now in PRIVILEGED):
        return
    either = None if before is None or now is None else before | now
    members = set(
        session.scalars(select(col(InspectionMember.inspection_id)).where(col(InspectionMember.user_id) == user_id))
    )

    inspections = select(col(Inspection.id), col(Inspection.district_id)).join(
        SyncRecord, (col(SyncRecord.inspection_id) == col(Inspection.id)) & (col(SyncRecord.entity) == "inspection")
    )
    if either is not None:
        inspections = inspections.where(col(Inspection.district_id).in_(either))
    districts: dict[uuid.UUID, uuid.UUID] = {i: d for i, d in session.execute(inspections)}

    def sees_inspection(role: Role, units: Units, inspection_id: uuid.UUID) -> bool:
        return inspection_id in members or (role in PRIVILEGED and _in(units, districts[inspection_id]))

    def sees_row(role: Role, units: Units, row: SyncRecord) -> bool:
        if row.owner_id == user_id or row.inspection_id in members:
            return True
        return _in(units, row.district_id) and (role in PRIVILEGED or row.entity != "complaint")

    rows = select(SyncRecord).where(col(SyncRecord.district_id).is_not(None), col(SyncRecord.entity) != REVOCATION)
    if either is not None:
        rows = rows.where(col(SyncRecord.district_id).in_(either))
    district_rows = sorted(session.scalars(rows).all(), key=lambda r: r.version)
    held = {i for i in districts if sees_inspection(role_before, before, i)}
    holds = {i for i in districts if sees_inspection(role_now, now, i)}
    uid = str(user_id)
    for inspection_id in sorted(held - holds):
        revoke(store, uid, "inspection", str(inspection_id))
    gained = []
    for row in district_rows:
        seen, sees = sees_row(role_before, before, row), sees_row(role_now, now, row)
        if seen and not sees:
            revoke(store, uid, row.entity, row.key)
        elif sees and not seen:
            gained.append(row)
    redeliver(store, sorted(holds - held), gained)


def redeliver(store: SqlStore, inspection_ids: list[uuid.UUID], rows: list[SyncRecord]) -> None:
    """Give the rows a new version: each inspection's own row first (a device adds interviews to it), then the
    rest of its rows, then ``rows``, each in its old order. Other devices that hold them just get them again."""
    session = store.session
    again: dict[tuple[str, str], SyncRecord] = {}
    for inspection_id in inspection_ids:
        of_inspection = session.scalars(select(SyncRecord).where(col(SyncRecord.inspection_id) == inspection_id)).all()
        for row in sorted(of_inspection, key=lambda r: (r.entity != "inspection", r.version)):
            again[(row.entity, row.key)] = row
    for row in sorted(rows, key=lambda r: r.version):
        again.setdefault((row.entity, row.key), row)
    for row in list(again.values()):
        store.put(
            row.entity, row.key, row.data, None if row.inspection_id is None else str(row.inspection_id),
            owner_id=None if row.owner_id is None else str(row.owner_id),
            district_id=None if row.district_id is None else str(row.district_id),
        )  # fmt: skip


def _ancestors(session: Session, unit_id: uuid.UUID) -> set[uuid.UUID]:
    """The unit and every unit above it (the tree is a few levels deep)."""
    found: set[uuid.UUID] = set()
    current: uuid.UUID | None = unit_id
    while current is not None and current not in found:
        found.add(current)
        unit = session.get(OrgUnit, current)
        current = None if unit is None else unit.parent_id
    return found


def _moved(store: SqlStore, establishment_id: uuid.UUID, old_district: uuid.UUID) -> None:
    """An establishment moved out of ``old_district``: its row now carries the new district (written by ``feed``),
    so the new district's staff get it; the old district's staff who cannot see the new one get a delete.
    Its complaints and orders keep the district they were recorded in (an inspection's district is fixed)."""
    session = store.session
    establishment = session.get(Establishment, establishment_id)
    key = str(establishment_id)
    if establishment is None or establishment.district_id == old_district:
        return
    if session.get(SyncRecord, ("establishment", key)) is None:
        return
    stmt = (
        select(User)
        .join(UserOrgUnit, col(UserOrgUnit.user_id) == col(User.id))
        .where(col(UserOrgUnit.org_unit_id).in_(_ancestors(session, old_district)), col(User.role) != Role.admin)
        .distinct()
    )
    for user in sorted(session.execute(stmt).scalars(), key=lambda u: u.id):
        if _has_device(session, user.id) and not scope.can_see(session, user, establishment.district_id):
            revoke(store, str(user.id), "establishment", key)
