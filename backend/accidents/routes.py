"""HTTP routes for accidents (notify, read, correct, open the investigation, yearly counts) and occupational
disease cases."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from backend.accidents import service
from backend.accidents.models import (
    Accident,
    AccidentCreate,
    AccidentPublic,
    AccidentStatistics,
    AccidentUpdate,
    DiseaseCaseCreate,
    DiseaseCasePublic,
    InvestigationCreate,
)
from backend.api import SessionDep
from backend.auth.deps import CurrentUser
from backend.inspections import service as inspections
from backend.inspections.schemas import InspectionPublic

router = APIRouter(tags=["accidents"])
Year = Annotated[int, Query(ge=1990, le=2100)]


def current_accident(session: SessionDep, user: CurrentUser, accident_id: uuid.UUID) -> Accident:
    return service.get_visible(session, user, accident_id)


CurrentAccident = Annotated[Accident, Depends(current_accident)]


@router.post("/accidents", response_model=AccidentPublic, status_code=201)
def notify_accident(session: SessionDep, user: CurrentUser, data: AccidentCreate) -> AccidentPublic:
    return service.to_public(session, service.create(session, user, data))


@router.get("/accidents", response_model=list[AccidentPublic])
def list_accidents(
    session: SessionDep, user: CurrentUser, year: Year | None = None, district_id: uuid.UUID | None = None
) -> list[AccidentPublic]:
    return [service.to_public(session, a) for a in service.search(session, user, year=year, district_id=district_id)]


@router.get("/accidents/statistics", response_model=AccidentStatistics)
def accident_statistics(
    session: SessionDep, user: CurrentUser, year: Year, district_id: uuid.UUID | None = None
) -> AccidentStatistics:
    return service.statistics(session, user, year, district_id)


@router.get("/accidents/{accident_id}", response_model=AccidentPublic)
def read_accident(session: SessionDep, accident: CurrentAccident) -> AccidentPublic:
    return service.to_public(session, accident)


@router.put("/accidents/{accident_id}/casualties", response_model=AccidentPublic)
def correct_casualties(
    session: SessionDep, user: CurrentUser, accident: CurrentAccident, data: AccidentUpdate
) -> AccidentPublic:
    return service.to_public(session, service.update(session, user, accident, data))


@router.post("/accidents/{accident_id}/investigation", response_model=InspectionPublic, status_code=201)
def open_investigation(
    session: SessionDep, user: CurrentUser, accident: CurrentAccident, data: InvestigationCreate
) -> InspectionPublic:
    return inspections.to_public(session, service.open_investigation(session, user, accident, data))


@router.post("/disease-cases", response_model=DiseaseCasePublic, status_code=201)
def record_disease_case(session: SessionDep, user: CurrentUser, data: DiseaseCaseCreate) -> DiseaseCasePublic:
    return DiseaseCasePublic.model_validate(service.record_disease(session, user, data))


@router.get("/disease-cases", response_model=list[DiseaseCasePublic])
def list_disease_cases(session: SessionDep, user: CurrentUser, year: Year | None = None) -> list[DiseaseCasePublic]:
    return [DiseaseCasePublic.model_validate(d) for d in service.diseases(session, user, year=year)]
