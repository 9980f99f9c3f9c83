"""The findings dataset: one row per answered checklist item, with its question and its legal basis in the
official citation form (《中华人民共和国劳动法》第三十六条; "Labour Law of the PRC, Art. 36") from the pinned
checklist version."""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from backend.auth.models import User
from backend.checklists import service as checklists
from backend.checklists.citation import citation_line, format_citation
from backend.checklists.present import current_registry
from backend.errors import NotFound
from backend.exports import filters as flt
from backend.exports.datasets import Dataset, Mapper, register
from backend.inspections.models import Finding, Inspection, InspectionChecklist
from backend.orgs.models import Establishment

HEADER = (
    "finding_id", "inspection_id", "establishment_id", "establishment_name", "isic", "district_id", "visit_date",
    "checklist_key", "checklist_version", "item_id", "question_en", "question_zh", "status", "value", "note",
    "workers_men", "workers_women", "workers_under_18", "legal_basis_en", "legal_basis_zh",
)  # fmt: skip
Described = tuple[str, str, str, str]


def statement(session: Session, user: User | None, f: flt.Filters) -> Any:
    ids = flt.ids_as_text(session, col(Finding.id), col(Finding.inspection_id), col(Inspection.establishment_id),
                          col(Inspection.district_id))  # fmt: skip
    columns: list[Any] = [
        ids[0], ids[1], ids[2], Establishment.name, Establishment.isic, ids[3], Inspection.visit_date,
        Finding.checklist_key, InspectionChecklist.checklist_version, Finding.item_id, Finding.status, Finding.value,
        Finding.note, Finding.workers_men, Finding.workers_women, Finding.workers_under_18,
    ]  # fmt: skip
    stmt = (
        sa.select(*columns)
        .join(Inspection, col(Inspection.id) == Finding.inspection_id)
        .join(Establishment, col(Establishment.id) == Inspection.establishment_id)
        .outerjoin(
            InspectionChecklist,
            sa.and_(col(InspectionChecklist.inspection_id) == Finding.inspection_id,
                    col(InspectionChecklist.checklist_key) == Finding.checklist_key),
        )
    )  # fmt: skip
    stmt = flt.where_units(stmt, Inspection.district_id, flt.units(session, user, f))
    stmt = flt.where_period(stmt, col(Inspection.visit_date), f)
    stmt = flt.where_isic(stmt, Establishment.isic, f)
    cond = flt.item_condition(session, col(Finding.checklist_key), col(Finding.item_id), f)
    if cond is not None:
        stmt = stmt.where(cond)
    return stmt.order_by(col(Inspection.visit_date), col(Finding.inspection_id), col(Finding.id))


class Describer:
    """Question and citations of (checklist, version, item), each checklist version parsed once per export."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.registry = current_registry()
        self.cache: dict[tuple[str, int], dict[str, Described]] = {}

    def _version(self, key: str, version: int) -> dict[str, Described]:
        out: dict[str, Described] = {}
        try:
            checklist = checklists.published_definition(self.session, key, version)
        except (NotFound, ValueError):  # a version that is not (any longer) published: the row keeps its ids
            return out
        for item in checklist.items():
            cites = [format_citation(b, self.registry) for b in item.legal_basis]
            out[item.id] = (item.text.en, item.text.zh, "; ".join(citation_line(c, "en") for c in cites),
                            "；".join(citation_line(c, "zh") for c in cites))  # fmt: skip
        return out

    def __call__(self, key: str, version: int | None, item_id: str) -> Described:
        if version is None:
            return ("", "", "", "")
        items = self.cache.get((key, version))
        if items is None:
            items = self.cache[(key, version)] = self._version(key, version)
        return items.get(item_id, ("", "", "", ""))


def mapper(session: Session) -> Mapper:
    describe = Describer(session)

    def row(r: Any) -> Sequence[Any]:
        q_en, q_zh, basis_en, basis_zh = describe(r[7], r[8], r[9])
        return (*r[:10], q_en, q_zh, *r[10:], basis_en, basis_zh)

    return row


DATASET = register(Dataset("findings", HEADER, frozenset({"isic", "checklist", "convention"}), statement, mapper))
