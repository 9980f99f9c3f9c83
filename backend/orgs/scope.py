"""Who sees what: a user's org units and everything under them; an admin sees everything."""

import uuid
from collections import defaultdict

from sqlmodel import Session, select

from backend.auth import service as auth
from backend.auth.models import Role, User
from backend.orgs.models import OrgUnit


def descendants(session: Session, roots: list[uuid.UUID]) -> set[uuid.UUID]:
    children: dict[uuid.UUID | None, list[uuid.UUID]] = defaultdict(list)
    for unit_id, parent_id in session.exec(select(OrgUnit.id, OrgUnit.parent_id)).all():
        children[parent_id].append(unit_id)
    seen: set[uuid.UUID] = set()
    stack = list(roots)
    while stack:
        unit = stack.pop()
        if unit not in seen:
            seen.add(unit)
            stack.extend(children.get(unit, []))
    return seen


def visible_units(session: Session, user: User) -> set[uuid.UUID] | None:
    """The org units whose data ``user`` may see and change, or None for all (admin)."""
    if user.role == Role.admin:
        return None
    return descendants(session, auth.org_unit_ids(session, user.id))


def can_see(session: Session, user: User, unit_id: uuid.UUID) -> bool:
    units = visible_units(session, user)
    return units is None or unit_id in units
