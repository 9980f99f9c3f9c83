"""Recording findings against the items of an inspection's pinned checklists."""

import uuid

from sqlmodel import Session, col, select

from backend.attachments import citations
from backend.audit import service as audit_log
from backend.auth.models import User
from backend.checklists import service as checklists
from backend.checklists.definition import AnswerType, Checklist, Item
from backend.db import utcnow
from backend.errors import Conflict, Invalid
from backend.inspections import service as inspections
from backend.inspections import workflow
from backend.inspections.models import Finding, FindingStatus, Inspection, InspectionChecklist
from backend.inspections.schemas import FindingPublic, FindingRecord


def pinned_definitions(session: Session, inspection_id: uuid.UUID) -> dict[str, Checklist]:
    """The parsed definitions of the checklist versions an inspection pinned. A published version never
    changes, so each is looked up once per session."""
    cache: dict[tuple[str, int], Checklist] = session.info.setdefault("published_definitions", {})
    result: dict[str, Checklist] = {}
    for p in inspections.checklists_of(session, inspection_id):
        if (p.key, p.version) not in cache:
            cache[(p.key, p.version)] = checklists.published_definition(session, p.key, p.version)
        result[p.key] = cache[(p.key, p.version)]
    return result


def pinned_definitions_many(session: Session, inspection_ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, Checklist]]:
    """``pinned_definitions`` of many inspections, read in one query (an inspection without pins maps to {})."""
    cache: dict[tuple[str, int], Checklist] = session.info.setdefault("published_definitions", {})
    result: dict[uuid.UUID, dict[str, Checklist]] = {i: {} for i in inspection_ids}
    stmt = (
        select(InspectionChecklist)
        .where(col(InspectionChecklist.inspection_id).in_(inspection_ids))
        .order_by(col(InspectionChecklist.inspection_id), col(InspectionChecklist.checklist_key))
    )
    for pin in session.exec(stmt).all():
        pinned = (pin.checklist_key, pin.checklist_version)
        if pinned not in cache:
            cache[pinned] = checklists.published_definition(session, *pinned)
        result[pin.inspection_id][pin.checklist_key] = cache[pinned]
    return result


def find_item(definitions: dict[str, Checklist], key: str, item_id: str) -> Item:
    checklist = definitions.get(key)
    if checklist is None:
        raise Invalid("finding.checklist_not_pinned", f"Checklist {key} is not used by this inspection.")
    item = checklist.item(item_id)
    if item is None:
        raise Invalid("finding.unknown_item", f"Checklist {key} has no item {item_id}.", item_id=item_id)
    return item


def check_value(item: Item, data: FindingRecord) -> None:
    if data.value is None or data.status in (FindingStatus.not_applicable, FindingStatus.not_verified):
        return
    if item.answer_type == AnswerType.number:
        try:
            float(data.value)
        except ValueError:
            raise Invalid("finding.value_not_number", f"Item {item.id} needs a number.") from None
    if item.answer_type == AnswerType.choice and data.value not in {c.en for c in item.choices}:
        raise Invalid("finding.value_not_choice", f"Item {item.id} needs one of its choices.")


def findings_of(session: Session, inspection_id: uuid.UUID) -> list[Finding]:
    stmt = (
        select(Finding)
        .where(Finding.inspection_id == inspection_id)
        .order_by(col(Finding.checklist_key), col(Finding.item_id))
    )
    return list(session.exec(stmt).all())


def holds_evidence(session: Session, inspection: Inspection, sha256: str) -> bool:
    """Whether a finding of the inspection cites the file and the inspection holds it (its uploader cited it
    here, or in a version this one amends): what a download of it through this inspection needs."""
    if not any(sha256 in f.evidence for f in findings_of(session, inspection.id)):
        return False
    return sha256 in citations.held(session, inspections.lineage(session, inspection), [sha256])


def get_finding(session: Session, inspection_id: uuid.UUID, key: str, item_id: str) -> Finding | None:
    stmt = select(Finding).where(
        Finding.inspection_id == inspection_id, Finding.checklist_key == key, Finding.item_id == item_id
    )
    return session.exec(stmt).first()


def record(session: Session, user: User, inspection: Inspection, data: FindingRecord) -> Finding:
    """Create or replace the finding for one item. A stale ``base_version`` is a conflict, never a silent win."""
    workflow.require_editable(inspection.status)
    inspections.require_member(session, user, inspection)
    item = find_item(pinned_definitions(session, inspection.id), data.checklist_key, data.item_id)
    check_value(item, data)
    citations.cite(session, user.id, data.evidence, inspections.lineage(session, inspection))
    finding = get_finding(session, inspection.id, data.checklist_key, data.item_id)
    current = finding.version if finding else 0
    if data.base_version is not None and data.base_version != current:
        raise Conflict(
            "finding.version_conflict",
            f"Item {data.item_id} changed since version {data.base_version}; it is now version {current}.",
            current_version=current,
        )
    before = FindingPublic.model_validate(finding).model_dump(mode="json") if finding else None
    fields = data.model_dump(exclude={"base_version"})
    if finding is None:
        finding = Finding(inspection_id=inspection.id, recorded_by=user.id, **fields)
    else:
        finding.sqlmodel_update(fields)
        finding.version += 1
        finding.recorded_by = user.id
    finding.recorded_at = utcnow()
    session.add(finding)
    inspections.touch(inspection)
    session.add(inspection)
    session.flush()
    after = FindingPublic.model_validate(finding).model_dump(mode="json")
    audit_log.record(session, user.id, "finding.record", "inspection", inspection.id, before=before, after=after)
    return finding
