"""The violations dataset: one row per violation (a non-compliant item of a visit, as a case), its provisions in
the official citation form, severity, enforcing authority, workers exposed and whether it repeats an earlier one."""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from backend.auth.models import User
from backend.enforcement.models import Violation
from backend.exports import filters as flt
from backend.exports.datasets import Dataset, Mapper, register
from backend.orgs.models import Establishment

HEADER = (
    "violation_id", "inspection_id", "establishment_id", "establishment_name", "isic", "district_id", "found_on",
    "checklist_key", "checklist_version", "item_id", "severity", "authority", "workers_exposed", "workers_women",
    "workers_under_18", "repeat_of_id", "status", "provisions_en", "provisions_zh",
)  # fmt: skip


def statement(session: Session, user: User | None, f: flt.Filters) -> Any:
    columns: list[Any] = [
        Violation.id, Violation.inspection_id, Violation.establishment_id, Establishment.name, Establishment.isic,
        Violation.district_id, Violation.found_on, Violation.checklist_key, Violation.checklist_version,
        Violation.item_id, Violation.severity, Violation.authority, Violation.workers_exposed, Violation.workers_women,
        Violation.workers_under_18, Violation.repeat_of_id, Violation.status, Violation.provisions,
    ]  # fmt: skip
    stmt = sa.select(*columns).join(Establishment, col(Establishment.id) == Violation.establishment_id)
    stmt = flt.where_units(stmt, Violation.district_id, flt.units(session, user, f))
    stmt = flt.where_period(stmt, col(Violation.found_on), f)
    stmt = flt.where_isic(stmt, Establishment.isic, f)
    cond = flt.item_condition(session, col(Violation.checklist_key), col(Violation.item_id), f)
    if cond is not None:
        stmt = stmt.where(cond)
    return stmt.order_by(col(Violation.found_on), col(Violation.id))


def provisions(values: list[dict[str, str]] | None, lang: str) -> str:
    return ("；" if lang == "zh" else "; ").join(str(p.get(lang) or p.get("instrument", "")) for p in values or [])


def mapper(session: Session) -> Mapper:
    def row(r: Any) -> Sequence[Any]:
        return (*r[:-1], provisions(r[-1], "en"), provisions(r[-1], "zh"))

    return row


DATASET = register(Dataset("violations", HEADER, frozenset({"isic", "checklist", "convention"}), statement, mapper))
