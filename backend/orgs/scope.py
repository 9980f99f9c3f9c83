"""Who sees what: a user's org units and everything under them; an admin sees everything.

Each check is one recursive query (``WITH RECURSIVE``, on SQLite and PostgreSQL alike), not a load of the tree.
"""

import uuid
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlmodel import Session, col

from backend.auth.models import Role, User, UserOrgUnit
from backend.db import table_of
from backend.orgs.models import OrgUnit


def _below(roots: Select[Any]) -> Select[Any]:
    """``roots`` (a SELECT of unit ids labelled ``id``) and every unit under them: one ``WITH RECURSIVE``."""
    tree = roots.cte("tree", recursive=True)
    parent = tree.alias("parent")
    children: Select[Any] = select(col(OrgUnit.id).label("id")).join(parent, col(OrgUnit.parent_id) == parent.c.id)
    return select(tree.union(children).c.id)


def descendants(session: Session, roots: list[uuid.UUID]) -> set[uuid.UUID]:
    if not roots:
        return set()
    start: Select[Any] = select(col(OrgUnit.id).label("id")).where(col(OrgUnit.id).in_(roots))
    return set(session.execute(_below(start)).scalars())


# Built once (every request asks): the units of one user and everything under them.
_MINE: Select[Any] = select(col(UserOrgUnit.org_unit_id).label("id")).where(
    col(UserOrgUnit.user_id) == bindparam("user_id", type_=table_of(UserOrgUnit).c.user_id.type)
)
_VISIBLE = _below(_MINE)


def visible_units(session: Session, user: User) -> set[uuid.UUID] | None:
    """The org units whose data ``user`` may see and change, or None for all (admin)."""
    if user.role == Role.admin:
        return None
    return set(session.execute(_VISIBLE, {"user_id": user.id}).scalars())


def can_see(session: Session, user: User, unit_id: uuid.UUID) -> bool:
    units = visible_units(session, user)
    return units is None or unit_id in units
