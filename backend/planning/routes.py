"""HTTP routes for planning: the risk ranking of a district, plans and their visits, campaigns and their targets."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends

from backend.api import SessionDep
from backend.auth.deps import SupervisorUser
from backend.planning import service
from backend.planning.models import (
    Campaign,
    CampaignCreate,
    CampaignPublic,
    Plan,
    PlanCreate,
    PlanPublic,
    PlanVisitPublic,
    RankedEstablishment,
    VisitAssign,
)

router = APIRouter(tags=["planning"])


def current_plan(session: SessionDep, user: SupervisorUser, plan_id: uuid.UUID) -> Plan:
    return service.get_plan(session, user, plan_id)


def current_campaign(session: SessionDep, user: SupervisorUser, campaign_id: uuid.UUID) -> Campaign:
    return service.get_campaign(session, user, campaign_id)


CurrentPlan = Annotated[Plan, Depends(current_plan)]
CurrentCampaign = Annotated[Campaign, Depends(current_campaign)]


@router.get(
    "/planning/risk",
    response_model=list[RankedEstablishment],
    responses={404: {"description": "No such district in your area"}},
)
def risk_ranking(
    session: SessionDep, user: SupervisorUser, district_id: uuid.UUID, as_of: date | None = None
) -> list[RankedEstablishment]:
    """Every establishment of the district ranked by its risk score, each with its components."""
    return service.rank(session, user, district_id, as_of or date.today())


@router.post("/plans", response_model=PlanPublic, status_code=201)
def create_plan(session: SessionDep, user: SupervisorUser, data: PlanCreate) -> PlanPublic:
    return service.plan_public(session, service.create_plan(session, user, data))


@router.get("/plans", response_model=list[PlanPublic])
def list_plans(session: SessionDep, user: SupervisorUser, district_id: uuid.UUID | None = None) -> list[PlanPublic]:
    return [service.plan_public(session, p) for p in service.list_plans(session, user, district_id)]


@router.get("/plans/{plan_id}", response_model=PlanPublic)
def read_plan(session: SessionDep, plan: CurrentPlan) -> PlanPublic:
    return service.plan_public(session, plan)


@router.post("/plans/{plan_id}/visits/{visit_id}/assign", response_model=PlanVisitPublic)
def assign_plan_visit(
    session: SessionDep, user: SupervisorUser, plan: CurrentPlan, visit_id: uuid.UUID, data: VisitAssign
) -> PlanVisitPublic:
    return service.visit_public(service.assign_visit(session, user, plan, visit_id, data))


@router.post("/campaigns", response_model=CampaignPublic, status_code=201)
def create_campaign(session: SessionDep, user: SupervisorUser, data: CampaignCreate) -> CampaignPublic:
    return service.campaign_public(session, service.create_campaign(session, user, data))


@router.get("/campaigns", response_model=list[CampaignPublic])
def list_campaigns(session: SessionDep, user: SupervisorUser) -> list[CampaignPublic]:
    return [service.campaign_public(session, c) for c in service.list_campaigns(session, user)]


@router.get("/campaigns/{campaign_id}", response_model=CampaignPublic)
def read_campaign(session: SessionDep, campaign: CurrentCampaign) -> CampaignPublic:
    return service.campaign_public(session, campaign)


@router.post("/campaigns/{campaign_id}/targets/{establishment_id}/assign", response_model=CampaignPublic)
def assign_campaign_target(
    session: SessionDep,
    user: SupervisorUser,
    campaign: CurrentCampaign,
    establishment_id: uuid.UUID,
    data: VisitAssign,
) -> CampaignPublic:
    service.assign_target(session, user, campaign, establishment_id, data)
    return service.campaign_public(session, campaign)
