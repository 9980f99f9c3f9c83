"""The administrator's org-unit pages: create a unit under a parent, rename one (moving is refused: tablets
would keep rows outside the new scopes, ``org_unit.move_unsupported``)."""

import uuid
from typing import Annotated

from pydantic import StringConstraints
from sqlmodel import Session

from backend.audit import service as audit_log
from backend.errors import Invalid, NotFound
from backend.fields import Input
from backend.orgs import service as orgs
from backend.orgs.models import Level, OrgUnit

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
PARENT_LEVEL = {Level.national: None, Level.province: Level.national, Level.district: Level.province}


class OrgUnitCreate(Input):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,32}$")]
    level: Level
    name_en: Name
    name_zh: Name
    parent_id: uuid.UUID | None = None


class OrgUnitRename(Input):
    name_en: Name | None = None
    name_zh: Name | None = None


def create(session: Session, data: OrgUnitCreate, *, actor_id: uuid.UUID) -> OrgUnit:
    parent = session.get(OrgUnit, data.parent_id) if data.parent_id else None
    if data.parent_id is not None and parent is None:
        raise NotFound("org_unit.not_found", "No such parent org unit.")
    if (parent.level if parent else None) != PARENT_LEVEL[data.level]:
        raise Invalid("org_unit.invalid_parent", "A district sits under a province, a province under the nation.")
    return orgs.create_unit(
        session, code=data.code, level=data.level, name_en=data.name_en, name_zh=data.name_zh,
        parent_id=data.parent_id, actor_id=actor_id,
    )  # fmt: skip


def rename(session: Session, unit_id: uuid.UUID, data: OrgUnitRename, *, actor_id: uuid.UUID) -> OrgUnit:
    unit = session.get(OrgUnit, unit_id)
    if unit is None:
        raise NotFound("org_unit.not_found", "No such org unit.")
    before = {"name_en": unit.name_en, "name_zh": unit.name_zh}
    if data.name_en is not None:
        unit.name_en = data.name_en
    if data.name_zh is not None:
        unit.name_zh = data.name_zh
    session.add(unit)
    session.flush()
    after = {"name_en": unit.name_en, "name_zh": unit.name_zh}
    audit_log.record(session, actor_id, "org_unit.update", "org_unit", unit.id, before=before, after=after)
    return unit
