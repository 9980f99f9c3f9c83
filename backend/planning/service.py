"""Ranking a district's establishments by risk, plans built from the ranking, campaigns, and assigning their
visits as inspections through ``inspections.service.create`` (so they reach the lead's tablet by sync)."""

import uuid
from datetime import date

from sqlmodel import Session, col, select

from backend.audit import service as audit_log
from backend.auth.models import Role, User
from backend.checklists import service as checklists
from backend.config import settings
from backend.errors import Conflict, Forbidden, Invalid, NotFound
from backend.inspections import service as inspections
from backend.inspections.models import Inspection, InspectionType
from backend.inspections.schemas import InspectionCreate, PinnedChecklist
from backend.orgs import scope
from backend.orgs import service as orgs
from backend.orgs.models import Establishment, Level, OrgUnit
from backend.planning import inputs, risk
from backend.planning.models import (
    FIRST_DAY,
    LAST_DAY,
    Campaign,
    CampaignCreate,
    CampaignProgress,
    CampaignPublic,
    CampaignTarget,
    CampaignTargetPublic,
    Plan,
    PlanCreate,
    PlanPublic,
    PlanVisit,
    PlanVisitPublic,
    RankedEstablishment,
    VisitAssign,
)

PRIVILEGED = (Role.supervisor, Role.admin)


def _district(session: Session, user: User, district_id: uuid.UUID) -> OrgUnit:
    unit = session.get(OrgUnit, district_id)
    if unit is None or unit.level != Level.district or not scope.can_see(session, user, unit.id):
        raise NotFound("org_unit.not_found", "No such district in your area.", id=str(district_id))
    return unit


def _require_supervisor(user: User) -> None:
    if user.role not in PRIVILEGED:
        raise Forbidden("auth.role_required", "This needs the role supervisor or admin.")


def weights() -> dict[str, float]:
    return {name: float(settings.risk_weights.get(name, 1.0)) for name in risk.COMPONENTS}


def rank(session: Session, user: User, district_id: uuid.UUID, as_of: date) -> list[RankedEstablishment]:
    """Every establishment of the district, highest score first (ties: name, then id)."""
    _require_supervisor(user)
    if not FIRST_DAY <= as_of <= LAST_DAY:
        raise Invalid("planning.as_of_out_of_range", "Rank as of a day between the years 2000 and 2100.")
    unit = _district(session, user, district_id)
    stmt = select(Establishment).where(Establishment.district_id == unit.id)
    establishments = list(session.exec(stmt).all())
    known = inputs.gather(session, establishments, as_of)
    w = weights()
    scored = [(risk.score(known[e.id], as_of, w), e) for e in establishments]
    scored.sort(key=lambda pair: (-pair[0].score, pair[1].name, str(pair[1].id)))
    return [
        RankedEstablishment(rank=i + 1, establishment_id=e.id, name=e.name, score=s.score, components=s.components)
        for i, (s, e) in enumerate(scored)
    ]


def visit_public(v: PlanVisit) -> PlanVisitPublic:
    return PlanVisitPublic.model_validate(v.model_dump())


def plan_public(session: Session, plan: Plan) -> PlanPublic:
    stmt = select(PlanVisit).where(PlanVisit.plan_id == plan.id).order_by(col(PlanVisit.rank))
    visits = [visit_public(v) for v in session.exec(stmt)]
    return PlanPublic.model_validate(plan.model_dump() | {"visits": visits})


def create_plan(session: Session, user: User, data: PlanCreate) -> Plan:
    """The plan of the ``visits`` highest-ranked establishments, scored as of the period's first day."""
    ranked = rank(session, user, data.district_id, data.period_start)
    plan = Plan(
        district_id=data.district_id,
        name=data.name,
        period_start=data.period_start,
        period_end=data.period_end,
        weights=weights(),
        created_by=user.id,
    )
    session.add(plan)
    session.flush()
    for r in ranked[: data.visits]:
        session.add(
            PlanVisit(
                plan_id=plan.id,
                establishment_id=r.establishment_id,
                rank=r.rank,
                score=r.score,
                components=[c.model_dump() for c in r.components],
            )
        )
    session.flush()
    audit_log.record(
        session,
        user.id,
        "plan.create",
        "plan",
        plan.id,
        district_id=str(plan.district_id),
        period=[plan.period_start.isoformat(), plan.period_end.isoformat()],
        visits=min(data.visits, len(ranked)),
    )
    return plan


def get_plan(session: Session, user: User, plan_id: uuid.UUID) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None or not scope.can_see(session, user, plan.district_id):
        raise NotFound("plan.not_found", "No such plan in your area.", id=str(plan_id))
    return plan


def list_plans(session: Session, user: User, district_id: uuid.UUID | None = None) -> list[Plan]:
    stmt = select(Plan)
    units = scope.visible_units(session, user)
    if units is not None:
        stmt = stmt.where(col(Plan.district_id).in_(units))
    if district_id is not None:
        stmt = stmt.where(Plan.district_id == district_id)
    return list(session.exec(stmt.order_by(col(Plan.period_start).desc(), col(Plan.id))).all())


def _assign(
    session: Session,
    user: User,
    establishment_id: uuid.UUID,
    kind: InspectionType,
    pinned: list[PinnedChecklist],
    data: VisitAssign,
) -> Inspection:
    return inspections.create(
        session,
        user,
        InspectionCreate(
            id=data.id,
            establishment_id=establishment_id,
            type=kind,
            lead_inspector_id=data.lead_inspector_id,
            team=data.team,
            checklists=pinned,
            visit_date=data.visit_date,
        ),
    )


def assign_visit(session: Session, user: User, plan: Plan, visit_id: uuid.UUID, data: VisitAssign) -> PlanVisit:
    _require_supervisor(user)
    visit = session.get(PlanVisit, visit_id)
    if visit is None or visit.plan_id != plan.id:
        raise NotFound("plan.visit_not_found", "No such visit in this plan.", id=str(visit_id))
    if visit.inspection_id is not None:
        raise Conflict("plan.visit_assigned", "This visit is assigned.", inspection_id=str(visit.inspection_id))
    if not data.checklists:
        raise Invalid("plan.checklists_required", "Name the checklists of the planned visit.")
    inspection = _assign(session, user, visit.establishment_id, InspectionType.planned, data.checklists, data)
    visit.inspection_id = inspection.id
    session.add(visit)
    session.flush()
    audit_log.record(
        session, user.id, "plan.assign", "plan", plan.id, visit_id=str(visit.id), inspection_id=str(inspection.id)
    )
    return visit


# --- campaigns ----------------------------------------------------------------------------------------------------


def create_campaign(session: Session, user: User, data: CampaignCreate) -> Campaign:
    _require_supervisor(user)
    checklists.get_published(session, data.checklist_key, data.checklist_version)
    targets = [orgs.get_establishment(session, user, eid) for eid in dict.fromkeys(data.establishment_ids)]
    campaign = Campaign(
        name=data.name,
        checklist_key=data.checklist_key,
        checklist_version=data.checklist_version,
        period_start=data.period_start,
        period_end=data.period_end,
        created_by=user.id,
    )
    session.add(campaign)
    session.flush()
    for e in targets:
        session.add(CampaignTarget(campaign_id=campaign.id, establishment_id=e.id, district_id=e.district_id))
    session.flush()
    audit_log.record(
        session,
        user.id,
        "campaign.create",
        "campaign",
        campaign.id,
        name=campaign.name,
        checklist=[campaign.checklist_key, campaign.checklist_version],
        targets=len(targets),
    )
    return campaign


def _targets(session: Session, campaign_id: uuid.UUID) -> list[CampaignTarget]:
    stmt = select(CampaignTarget).where(CampaignTarget.campaign_id == campaign_id)
    return list(session.exec(stmt.order_by(col(CampaignTarget.establishment_id))).all())


def get_campaign(session: Session, user: User, campaign_id: uuid.UUID) -> Campaign:
    campaign = session.get(Campaign, campaign_id)
    units = scope.visible_units(session, user)
    visible = campaign is not None and (
        units is None
        or campaign.created_by == user.id
        or any(t.district_id in units for t in _targets(session, campaign.id))
    )
    if campaign is None or not visible:
        raise NotFound("campaign.not_found", "No such campaign in your area.", id=str(campaign_id))
    return campaign


def list_campaigns(session: Session, user: User) -> list[Campaign]:
    stmt = select(Campaign).order_by(col(Campaign.period_start).desc(), col(Campaign.id))
    units = scope.visible_units(session, user)
    if units is not None:
        mine = select(CampaignTarget.campaign_id).where(col(CampaignTarget.district_id).in_(units))
        stmt = stmt.where(col(Campaign.id).in_(mine) | (col(Campaign.created_by) == user.id))
    return list(session.exec(stmt).all())


def campaign_public(session: Session, campaign: Campaign) -> CampaignPublic:
    targets = _targets(session, campaign.id)
    ids = [t.inspection_id for t in targets if t.inspection_id is not None]
    found = {i.id: i for i in session.exec(select(Inspection).where(col(Inspection.id).in_(ids)))}
    rows, started, submitted, approved = [], 0, 0, 0
    for t in targets:
        inspection = found.get(t.inspection_id) if t.inspection_id else None
        status = inspection.status.value if inspection is not None else "not_assigned"
        started += inspection is not None and inspection.started_at is not None
        submitted += status in ("submitted", "approved")
        approved += status == "approved"
        rows.append(
            CampaignTargetPublic(
                establishment_id=t.establishment_id,
                district_id=t.district_id,
                inspection_id=t.inspection_id,
                status=status,
            )
        )
    progress = CampaignProgress(
        targets=len(targets), assigned=len(ids), started=started, submitted=submitted, approved=approved
    )
    return CampaignPublic.model_validate(campaign.model_dump() | {"targets": rows, "progress": progress})


def assign_target(
    session: Session, user: User, campaign: Campaign, establishment_id: uuid.UUID, data: VisitAssign
) -> CampaignTarget:
    _require_supervisor(user)
    target = session.get(CampaignTarget, (campaign.id, establishment_id))
    if target is None or not scope.can_see(session, user, target.district_id):
        raise NotFound("campaign.target_not_found", "No such target in this campaign.", id=str(establishment_id))
    if target.inspection_id is not None:
        raise Conflict("campaign.target_assigned", "This target is assigned.", inspection_id=str(target.inspection_id))
    pinned = [PinnedChecklist(key=campaign.checklist_key, version=campaign.checklist_version)]
    inspection = _assign(session, user, establishment_id, InspectionType.campaign, pinned, data)
    target.inspection_id = inspection.id
    session.add(target)
    session.flush()
    audit_log.record(
        session,
        user.id,
        "campaign.assign",
        "campaign",
        campaign.id,
        establishment_id=str(establishment_id),
        inspection_id=str(inspection.id),
    )
    return target
