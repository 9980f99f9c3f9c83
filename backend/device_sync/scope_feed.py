"""Scope changes in the device change feed: a user who loses a district (or whose establishment leaves it) gets a
``delete`` of each row their devices may no longer hold; rows a user gains get a new version, so devices pulling
from their own cursors receive them, after any earlier ``delete``."""

import uuid
from collections import defaultdict
from collections.abc import Set
from dataclasses import dataclass, field

from sqlalchemy import event, inspect, select
from sqlmodel import Session, col

from backend.auth.models import Device, Role, User, UserOrgUnit
from backend.db import AppSession, context_of
from backend.device_sync.models import SyncRecord
from backend.device_sync.store import SqlStore
from backend.device_sync.visibility import PRIVILEGED, REVOCATION
from backend.errors import Conflict
from backend.inspections.models import Inspection, InspectionMember
from backend.orgs import scope
from backend.orgs.models import Establishment, OrgUnit

Units = frozenset[uuid.UUID] | None  # None: every unit (an admin)


@dataclass
class Pending:
    """What a transaction changed, as it was before: each user's role and own units, each establishment's district."""

    users: dict[uuid.UUID, tuple[Role, frozenset[uuid.UUID]]] = field(default_factory=dict)
    moves: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)


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


@event.listens_for(AppSession, "after_flush")
def _collect(session: Session, _flush_context: object) -> None:
    """Note the state before the first change of a user's units or role, and an establishment's old district."""
    added: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    removed: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    roles: dict[uuid.UUID, Role] = {}
    moves: dict[uuid.UUID, uuid.UUID] = {}
    for obj in session.new:
        if isinstance(obj, UserOrgUnit):
            added[obj.user_id].add(obj.org_unit_id)
    for obj in session.deleted:
        if isinstance(obj, UserOrgUnit):
            removed[obj.user_id].add(obj.org_unit_id)
    for obj in session.dirty:
        if isinstance(obj, OrgUnit) and inspect(obj).attrs["parent_id"].history.has_changes():
            # Nothing moves a unit today. Moving one would change what the staff above its old and new places
            # see, with no revocation sent to their devices: refused rather than leak rows outside a scope.
            raise Conflict("org_unit.move_unsupported", "An org unit cannot be moved to another parent.")
        if isinstance(obj, User | Establishment):
            name = "role" if isinstance(obj, User) else "district_id"
            old = inspect(obj).attrs[name].history.deleted
            if old and old[0] is not None and old[0] != getattr(obj, name):
                if isinstance(obj, User):
                    roles[obj.id] = Role(old[0])
                else:
                    moves[obj.id] = old[0]
    if not (added or removed or roles or moves):
        return
    pending = context_of(session).part(Pending)
    for establishment_id, district_id in moves.items():
        pending.moves.setdefault(establishment_id, district_id)
    for user_id in (added.keys() | removed.keys() | roles.keys()) - pending.users.keys():
        user = session.get(User, user_id)
        if user is None or user in session.deleted:
            continue
        stmt = select(col(UserOrgUnit.org_unit_id)).where(col(UserOrgUnit.user_id) == user_id)
        now = set(session.execute(stmt).scalars())
        role = roles.get(user_id, Role(user.role))
        pending.users[user_id] = (role, frozenset(now - added[user_id] | removed[user_id]))


def take(session: Session) -> Pending | None:
    """The scope changes of this transaction (forgotten once taken)."""
    pending = context_of(session).take(Pending)
    return pending if pending is not None and (pending.users or pending.moves) else None


def publish(store: SqlStore, pending: Pending) -> None:
    """Write the revocations and re-deliveries (after the touched rows, so an establishment has its new district)."""
    for user_id, (role, roots) in sorted(pending.users.items()):
        _user_scope(store, user_id, role, roots)
    for establishment_id, district_id in sorted(pending.moves.items()):
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
