"""An establishment's compliance history (visits with their compliance rate, violations with repeats, measures,
penalties, appeals, in one timeline) and its supply-chain relations, with the wage arrears of a subcontractor on a
construction project shown on the general contractor, who pays them first (Regulation on Guaranteeing the Payment
of Wages to Migrant Workers, Art. 30(3): 分包单位拖欠农民工工资的，由施工总承包单位先行清偿，再依法进行追偿)."""

import uuid
from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, col, or_, select

from backend.audit import service as audit_log
from backend.auth.models import User
from backend.checklists.citation import format_citation
from backend.checklists.definition import LegalBasis
from backend.checklists.present import current_registry
from backend.complaints.public import employer_facing_type
from backend.db import insert_once
from backend.enforcement import history, violations
from backend.enforcement.case_models import EstablishmentRelation, RelationKind
from backend.enforcement.models import EnforcementAction, Violation, ViolationStatus
from backend.errors import Conflict
from backend.inspections import findings
from backend.inspections.models import FindingStatus, Inspection
from backend.inspections.workflow import Status
from backend.orgs import service as orgs

# The items whose non-compliance is unpaid wages (wages.yaml: paid in full on the agreed date; arrears found).
WAGE_ARREARS_ITEMS = frozenset({"wa.pay.01", "wa.pay.02"})
LIABILITY = LegalBasis(instrument="CN-MWP", article="30(3)")
LIABILITY_TEXT = "分包单位拖欠农民工工资的，由施工总承包单位先行清偿，再依法进行追偿。"


class Visit(BaseModel):
    inspection_id: uuid.UUID
    type: str
    visit_date: date | None
    status: str
    compliant: int
    non_compliant: int
    compliance_rate: float | None


class TimelineEntry(BaseModel):
    on: date | None
    kind: str
    id: uuid.UUID
    summary: dict[str, Any]


class RelationPublic(BaseModel):
    id: uuid.UUID
    kind: str
    role: str  # this establishment's side: general_contractor / subcontractor, user_enterprise / dispatch_agency...
    other_id: uuid.UUID
    other_name: str
    project: str
    since: date | None
    until: date | None


class Liability(BaseModel):
    """A subcontractor's wage-arrears violation the general contractor answers for."""

    violation_id: uuid.UUID
    subcontractor_id: uuid.UUID
    subcontractor_name: str
    project: str
    item_id: str
    found_on: date
    provision: dict[str, str]


class ComplianceHistory(BaseModel):
    establishment_id: uuid.UUID
    visits: list[Visit]
    repeat_violations: int
    timeline: list[TimelineEntry]
    relations: list[RelationPublic]
    liabilities: list[Liability]


ROLES = {
    RelationKind.subcontracting: ("general_contractor", "subcontractor"),
    RelationKind.dispatch: ("user_enterprise", "dispatch_agency"),
    RelationKind.supply: ("buyer", "supplier"),
}


def _visits(session: Session, establishment_id: uuid.UUID) -> list[Visit]:
    """The latest version of each submitted or approved visit, with its compliance rate."""
    stmt = select(Inspection).where(
        Inspection.establishment_id == establishment_id,
        col(Inspection.status).in_([Status.submitted.value, Status.approved.value]),
    )
    rows = list(session.exec(stmt).all())
    amended = {i.amends_id for i in rows if i.amends_id is not None}
    visits = []
    for i in sorted((i for i in rows if i.id not in amended), key=lambda i: (i.visit_date or date.min, str(i.id))):
        statuses = [f.status for f in findings.findings_of(session, i.id)]
        yes, no = statuses.count(FindingStatus.compliant), statuses.count(FindingStatus.non_compliant)
        rate = round(yes / (yes + no), 4) if yes + no else None
        visits.append(
            Visit(
                inspection_id=i.id,
                type=employer_facing_type(i.type).value,  # C81 Art. 15(c): no complaint origin
                visit_date=i.visit_date,
                status=i.status.value,
                compliant=yes,
                non_compliant=no,
                compliance_rate=rate,
            )
        )
    return visits


def relations_of(session: Session, establishment_id: uuid.UUID) -> list[RelationPublic]:
    stmt = select(EstablishmentRelation).where(
        or_(
            EstablishmentRelation.principal_id == establishment_id, EstablishmentRelation.partner_id == establishment_id
        )
    )
    found = []
    for r in session.exec(stmt.order_by(col(EstablishmentRelation.created_at))).all():
        mine_principal = r.principal_id == establishment_id
        other_id = r.partner_id if mine_principal else r.principal_id
        other = orgs.get_establishment_unscoped(session, other_id)
        principal_role, partner_role = ROLES[RelationKind(r.kind)]
        found.append(
            RelationPublic(
                id=r.id,
                kind=r.kind,
                role=principal_role if mine_principal else partner_role,
                other_id=other_id,
                other_name=other.name,
                project=r.project,
                since=r.since,
                until=r.until,
            )
        )
    return found


def liabilities_of(session: Session, establishment_id: uuid.UUID) -> list[Liability]:
    """Active wage-arrears violations of this general contractor's subcontractors, with Art. 30(3)."""
    stmt = select(EstablishmentRelation).where(
        EstablishmentRelation.principal_id == establishment_id,
        EstablishmentRelation.kind == RelationKind.subcontracting.value,
    )
    citation = format_citation(LIABILITY, current_registry())
    provision = {
        "instrument": LIABILITY.instrument,
        "article": LIABILITY.article,
        "en": citation.line.en,
        "zh": citation.line.zh,
        "text_zh": LIABILITY_TEXT,
    }
    found = []
    for relation in session.exec(stmt).all():
        sub = orgs.get_establishment_unscoped(session, relation.partner_id)
        arrears = select(Violation).where(
            Violation.establishment_id == relation.partner_id,
            Violation.status == ViolationStatus.active,
            col(Violation.item_id).in_(sorted(WAGE_ARREARS_ITEMS)),
        )
        for v in session.exec(arrears).all():
            if relation.since is not None and v.found_on < relation.since:
                continue
            found.append(
                Liability(
                    violation_id=v.id,
                    subcontractor_id=sub.id,
                    subcontractor_name=sub.name,
                    project=relation.project,
                    item_id=v.item_id,
                    found_on=v.found_on,
                    provision=provision,
                )
            )
    return found


def compliance_history(session: Session, user: User, establishment_id: uuid.UUID) -> ComplianceHistory:
    establishment = orgs.get_establishment(session, user, establishment_id)
    visits = _visits(session, establishment.id)
    timeline = [
        TimelineEntry(
            on=v.visit_date,
            kind="visit",
            id=v.inspection_id,
            summary={"type": v.type, "compliance_rate": v.compliance_rate},
        )
        for v in visits
    ]
    found = violations.of_establishment(session, establishment.id)
    for v in found:
        timeline.append(
            TimelineEntry(
                on=v.found_on,
                kind="violation",
                id=v.id,
                summary={
                    "item_id": v.item_id,
                    "severity": v.severity,
                    "repeat": v.repeat_of_id is not None,
                    "status": v.status.value,
                },
            )
        )
    actions = session.exec(select(EnforcementAction).where(EnforcementAction.establishment_id == establishment.id))
    for a in actions.all():
        summary: dict[str, Any] = {
            "measure": a.measure.value,
            "status": a.status.value,
            "deadline": a.deadline.isoformat() if a.deadline else None,
        }
        if a.penalty_minor is not None:
            summary |= {
                "penalty_minor": a.penalty_minor,
                "currency": a.currency,
                "decision_number": a.decision_number,
                "payment_status": a.payment_status.value if a.payment_status else None,
            }
        timeline.append(TimelineEntry(on=a.created_at.date(), kind="measure", id=a.id, summary=summary))
        for appeal in history.appeals_of(session, a.id):
            timeline.append(
                TimelineEntry(
                    on=appeal.lodged_on,
                    kind="appeal",
                    id=appeal.id,
                    summary={"action_id": str(a.id), "kind": appeal.kind.value, "status": appeal.status.value},
                )
            )
    timeline.sort(key=lambda e: (e.on or date.min, e.kind, str(e.id)))
    return ComplianceHistory(
        establishment_id=establishment.id,
        visits=visits,
        repeat_violations=sum(1 for v in found if v.repeat_of_id is not None),
        timeline=timeline,
        relations=relations_of(session, establishment.id),
        liabilities=liabilities_of(session, establishment.id),
    )


def relate(
    session: Session,
    user: User,
    principal_id: uuid.UUID,
    partner_id: uuid.UUID,
    kind: RelationKind,
    project: str,
    since: date | None,
    until: date | None,
) -> EstablishmentRelation:
    """Record a supply-chain link; both establishments must be in the user's area."""
    principal = orgs.get_establishment(session, user, principal_id)
    partner = orgs.get_establishment(session, user, partner_id)
    if principal.id == partner.id:
        raise Conflict("relation.self", "An establishment is not related to itself.")
    relation = EstablishmentRelation(
        kind=kind.value,
        principal_id=principal.id,
        partner_id=partner.id,
        project=project,
        since=since,
        until=until,
        created_by=user.id,
    )
    insert_once(session, Conflict("relation.exists", "This relation is recorded already."), relation)
    audit_log.record(
        session,
        user.id,
        "relation.create",
        "establishment_relation",
        relation.id,
        kind=kind.value,
        principal_id=str(principal.id),
        partner_id=str(partner.id),
        project=project,
    )
    return relation
