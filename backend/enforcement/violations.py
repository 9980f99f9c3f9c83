"""Violations from the non-compliant findings of a submitted record, citing the item's provisions, with severity,
workers exposed and whether they repeat a violation of the same provision at the establishment.

Derived on submission (``InspectionSubmitted``, consumed at commit by ``on_submitted``): the inspector's record is
the finding, approval can come weeks later and deadlines run from the visit. One row per visit and item
(``uq_violation_item``, keyed on the original version): a resubmission or an amendment updates it (``superseded``
when the item is no longer non-compliant), never writes a second.
"""

import uuid
from datetime import date, timedelta

from sqlalchemy import event
from sqlmodel import Session, col, select

from backend import db
from backend.audit import service as audit_log
from backend.changes import ActionChanged, InspectionSubmitted, changes_of
from backend.checklists.citation import format_citation
from backend.checklists.present import current_registry
from backend.db import AppSession, context_of, utcnow
from backend.enforcement.models import ActionViolation, EnforcementAction, Violation, ViolationStatus
from backend.inspections import findings
from backend.inspections import service as inspections
from backend.inspections.models import FindingStatus, Inspection


def root_of(session: Session, inspection: Inspection) -> uuid.UUID:
    """The original version of the record (the visit) an amendment chain starts from."""
    return inspections.lineage(session, inspection)[-1]


def repeat_years() -> int:
    from backend.config import settings

    return settings.repeat_violation_years


def _keys(provisions: list[dict[str, str]]) -> set[tuple[str, str]]:
    return {(p["instrument"], p["article"]) for p in provisions}


def earlier_of(session: Session, violation: Violation, years: int) -> Violation | None:
    """The latest active violation of one of the same provisions at the same establishment, from another visit,
    found within ``years`` before this one (one of the same item first)."""
    since = violation.found_on - timedelta(days=365 * years + years // 4)
    stmt = select(Violation).where(
        Violation.establishment_id == violation.establishment_id,
        Violation.inspection_id != violation.inspection_id,
        Violation.status == ViolationStatus.active,
        col(Violation.found_on) >= since,
        col(Violation.found_on) <= violation.found_on,
    )
    mine = _keys(violation.provisions)
    earlier = [v for v in session.exec(stmt).all() if _keys(v.provisions) & mine or v.item_id == violation.item_id]
    earlier.sort(key=lambda v: (v.item_id == violation.item_id, v.found_on, v.created_at))
    return earlier[-1] if earlier else None


def derive(session: Session, inspection: Inspection, actor_id: uuid.UUID | None) -> list[Violation]:
    """Write (or update) the violations of this submitted version; returns those active."""
    root = root_of(session, inspection)
    registry = current_registry()
    definitions = findings.pinned_definitions(session, inspection.id)
    found_on = inspection.visit_date or (inspection.started_at or utcnow()).date()
    held = {
        (v.checklist_key, v.item_id): v for v in session.exec(select(Violation).where(Violation.inspection_id == root))
    }
    active: list[Violation] = []
    seen: set[tuple[str, str]] = set()
    now = utcnow()
    for finding in findings.findings_of(session, inspection.id):
        if finding.status != FindingStatus.non_compliant:
            continue
        checklist = definitions.get(finding.checklist_key)
        item = checklist.item(finding.item_id) if checklist is not None else None
        if checklist is None or item is None:
            continue
        key = (finding.checklist_key, finding.item_id)
        seen.add(key)
        authority = item.authority_in(checklist)
        provisions = [
            {"instrument": b.instrument, "article": b.article, "en": c.line.en, "zh": c.line.zh}
            for b in item.legal_basis
            for c in [format_citation(b, registry)]
        ]
        violation = held.get(key)
        created = violation is None
        if violation is None:
            violation = Violation(
                inspection_id=root,
                source_inspection_id=inspection.id,
                establishment_id=inspection.establishment_id,
                district_id=inspection.district_id,
                checklist_key=finding.checklist_key,
                checklist_version=checklist.version,
                item_id=finding.item_id,
                severity=item.severity.value,
                found_on=found_on,
                created_at=now,
            )
        violation.source_inspection_id = inspection.id
        violation.provisions = provisions
        violation.severity = item.severity.value
        violation.authority = authority.value if authority is not None else None
        violation.workers_exposed = finding.workers_men + finding.workers_women
        violation.workers_women = finding.workers_women
        violation.workers_under_18 = finding.workers_under_18
        violation.status = ViolationStatus.active
        violation.found_on = found_on
        violation.updated_at = now
        earlier = earlier_of(session, violation, repeat_years())
        violation.repeat_of_id = earlier.id if earlier is not None else None
        session.add(violation)
        session.flush()
        _link_measures(session, inspection, violation)
        details = {
            "item_id": violation.item_id,
            "severity": violation.severity,
            "workers_exposed": violation.workers_exposed,
            "repeat_of": str(violation.repeat_of_id) if violation.repeat_of_id else None,
            "source_inspection_id": str(inspection.id),
        }
        verb = "violation.record" if created else "violation.update"
        audit_log.record(session, actor_id, verb, "violation", violation.id, **details)
        active.append(violation)
    for key, violation in held.items():
        if key not in seen and violation.status == ViolationStatus.active:
            violation.status = ViolationStatus.superseded
            violation.source_inspection_id = inspection.id
            violation.updated_at = now
            session.add(violation)
            audit_log.record(
                session,
                actor_id,
                "violation.supersede",
                "violation",
                violation.id,
                source_inspection_id=str(inspection.id),
            )
    session.flush()
    return active


def _link_measures(session: Session, inspection: Inspection, violation: Violation) -> None:
    """Link every measure of the record (any version) that remedies the violation's item."""
    versions = inspections.lineage(session, inspection)
    stmt = select(EnforcementAction).where(col(EnforcementAction.inspection_id).in_(versions))
    linked = set(
        session.exec(select(ActionViolation.action_id).where(ActionViolation.violation_id == violation.id)).all()
    )
    for action in session.exec(stmt).all():
        if violation.item_id in (action.item_ids or []) and action.id not in linked:
            session.add(ActionViolation(action_id=action.id, violation_id=violation.id))
            changes_of(session).events[ActionChanged(action.id)] = None


def link_new_measure(session: Session, action: EnforcementAction, inspection: Inspection) -> list[uuid.UUID]:
    """Link a measure recorded after submission to the record's violations of the items it remedies."""
    if not action.item_ids:
        return []
    stmt = select(Violation).where(
        Violation.inspection_id == root_of(session, inspection), col(Violation.item_id).in_(action.item_ids)
    )
    ids = [v.id for v in session.exec(stmt).all()]
    for violation_id in ids:
        session.add(ActionViolation(action_id=action.id, violation_id=violation_id))
    return ids


def violations_of_action(session: Session, action_id: uuid.UUID) -> list[uuid.UUID]:
    stmt = select(ActionViolation.violation_id).where(ActionViolation.action_id == action_id)
    return sorted(session.exec(stmt).all())


def of_establishment(session: Session, establishment_id: uuid.UUID) -> list[Violation]:
    stmt = select(Violation).where(Violation.establishment_id == establishment_id)
    return list(session.exec(stmt.order_by(col(Violation.found_on), col(Violation.created_at))).all())


def of_inspection(session: Session, inspection: Inspection) -> list[Violation]:
    stmt = select(Violation).where(Violation.inspection_id == root_of(session, inspection))
    return list(session.exec(stmt.order_by(col(Violation.checklist_key), col(Violation.item_id))).all())


def found_between(first: date, last: date, violation: Violation) -> bool:
    return first <= violation.found_on <= last


@event.listens_for(AppSession, "before_commit")
def on_submitted(session: Session) -> None:
    """Derive the violations of every inspection this transaction submitted (registered before the sync
    projection's listener, which then publishes the measures this links)."""
    changes = changes_of(session)
    if changes.in_mutation or context_of(session).part(db.InsertOnce).active:
        return
    submitted = [e for e in changes.events if isinstance(e, InspectionSubmitted)]
    for submission in submitted:
        del changes.events[submission]
        inspection = session.get(Inspection, submission.id)
        if inspection is not None and inspection.submitted_at is not None:
            derive(session, inspection, submission.actor_id)
