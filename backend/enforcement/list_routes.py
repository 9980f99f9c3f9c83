"""HTTP routes of the desk's enforcement lists: every measure and every violation of the area, filtered, paged."""

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from backend.api import SessionDep
from backend.auth.deps import CurrentUser
from backend.db import Page
from backend.enforcement import lists
from backend.enforcement.models import ActionStatus, Measure, ViolationStatus

router = APIRouter(prefix="/enforcement", tags=["enforcement"])
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=2**53 - 1)]


@router.get("/measures", response_model=Page[lists.MeasureRow])
def list_area_measures(
    session: SessionDep,
    user: CurrentUser,
    status: ActionStatus | None = None,
    district_id: uuid.UUID | None = None,
    establishment_id: uuid.UUID | None = None,
    measure: Measure | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[lists.MeasureRow]:
    """Every measure in your area (or under ``district_id``) by state, establishment and kind, newest first."""
    return lists.measures(
        session,
        user,
        status=status,
        district_id=district_id,
        establishment_id=establishment_id,
        measure=measure,
        limit=limit,
        offset=offset,
    )


@router.get("/violations", response_model=Page[lists.ViolationRow])
def list_area_violations(
    session: SessionDep,
    user: CurrentUser,
    status: ViolationStatus | None = None,
    severity: Literal["critical", "major", "minor"] | None = None,
    repeat: bool | None = None,
    district_id: uuid.UUID | None = None,
    establishment_id: uuid.UUID | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[lists.ViolationRow]:
    """Every violation in your area with its provisions, severity, repeat flag and the states of its measures."""
    return lists.violations(
        session,
        user,
        status=status,
        severity=severity,
        repeat=repeat,
        district_id=district_id,
        establishment_id=establishment_id,
        limit=limit,
        offset=offset,
    )
