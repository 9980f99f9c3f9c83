"""What the risk score is computed from, read for all of a district's establishments at once (a few queries,
whatever their number): visits and their non-compliant findings with each item's severity, open and overdue
measures, complaints and accidents at work."""

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, select

from backend.accidents.models import Accident
from backend.checklists import service as checklists
from backend.checklists.definition import Checklist
from backend.complaints.models import Complaint, Outcome
from backend.enforcement.models import ActionStatus, EnforcementAction
from backend.inspections.models import Finding, FindingStatus, Inspection, InspectionChecklist
from backend.inspections.workflow import Status
from backend.orgs.models import Establishment
from backend.planning import risk, sectors

VISITED = (Status.submitted, Status.returned, Status.approved)


def gather(session: Session, establishments: list[Establishment], as_of: date) -> dict[uuid.UUID, risk.RiskInputs]:
    ids = [e.id for e in establishments]
    out = {e.id: risk.RiskInputs(hazard=sectors.hazard(e.isic), workers=e.workers_total) for e in establishments}
    amended = set(
        session.exec(
            select(Inspection.amends_id).where(
                col(Inspection.amends_id).is_not(None), col(Inspection.establishment_id).in_(ids)
            )
        ).all()
    )
    visits = session.exec(
        select(Inspection).where(
            col(Inspection.establishment_id).in_(ids),
            col(Inspection.status).in_(VISITED),
            col(Inspection.visit_date).is_not(None),
            col(Inspection.visit_date) <= as_of,
        )
    ).all()
    visit_on: dict[uuid.UUID, date] = {}
    for v in visits:
        assert v.visit_date is not None
        last = out[v.establishment_id].last_visit
        out[v.establishment_id].last_visit = v.visit_date if last is None else max(last, v.visit_date)
        if v.id not in amended:  # an amended version's findings are its amendment's
            visit_on[v.id] = v.visit_date
    by_inspection = {v.id: v.establishment_id for v in visits}
    findings = session.exec(
        select(
            Finding.inspection_id,
            Finding.item_id,
            InspectionChecklist.checklist_key,
            InspectionChecklist.checklist_version,
        )
        .join(
            InspectionChecklist,
            (col(InspectionChecklist.inspection_id) == col(Finding.inspection_id))
            & (col(InspectionChecklist.checklist_key) == col(Finding.checklist_key)),
        )
        .where(col(Finding.inspection_id).in_(list(visit_on)), Finding.status == FindingStatus.non_compliant)
    ).all()
    definitions: dict[tuple[str, int], Checklist] = {}
    for inspection_id, item_id, key, version in findings:
        if (key, version) not in definitions:
            definitions[key, version] = checklists.published_definition(session, key, version)
        item = definitions[key, version].item(item_id)
        severity = item.severity.value if item is not None else "minor"
        out[by_inspection[inspection_id]].violations.append((severity, visit_on[inspection_id]))
    for action in session.exec(
        select(EnforcementAction).where(
            col(EnforcementAction.establishment_id).in_(ids), EnforcementAction.status == ActionStatus.open
        )
    ):
        out[action.establishment_id].open_orders += 1
        if action.deadline is not None and action.deadline < as_of:
            out[action.establishment_id].overdue_orders += 1
    for establishment_id in session.exec(
        select(Complaint.establishment_id).where(
            col(Complaint.establishment_id).in_(ids),
            col(Complaint.received_on) > as_of - timedelta(days=365),
            col(Complaint.received_on) <= as_of,
            (col(Complaint.outcome).is_(None)) | col(Complaint.outcome).not_in([Outcome.not_upheld, Outcome.withdrawn]),
        )
    ):
        assert establishment_id is not None
        out[establishment_id].complaints += 1
    since = datetime.combine(as_of - timedelta(days=risk.LOOKBACK_DAYS), datetime.min.time(), UTC)
    for accident in session.exec(
        select(Accident).where(
            col(Accident.establishment_id).in_(ids), ~col(Accident.commuting), col(Accident.occurred_at) >= since
        )
    ):
        on = accident.occurred_at.date()
        out[accident.establishment_id].accidents.append((accident.deaths, accident.serious_injuries, on))
    return out
