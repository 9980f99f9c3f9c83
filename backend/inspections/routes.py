"""HTTP routes for inspections: create, edit, record findings, submit, review, amend, list."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from pydantic import AwareDatetime

from backend.api import SessionDep
from backend.attachments import routes as blobs
from backend.attachments import service as attachments
from backend.auth.deps import CurrentUser, FieldUser
from backend.db import Page
from backend.errors import NotFound
from backend.fields import NonNegInt64
from backend.inspections import findings, review, service
from backend.inspections.models import Inspection, InspectionType
from backend.inspections.schemas import (
    AmendmentCreate,
    FindingPublic,
    FindingRecord,
    InspectionCreate,
    InspectionDetail,
    InspectionPublic,
    InspectionUpdate,
    ReviewCreate,
    ReviewPublic,
    SubmissionPublic,
    SubmitRequest,
)
from backend.inspections.workflow import Status

router = APIRouter(prefix="/inspections", tags=["inspections"])


def current_inspection(session: SessionDep, user: CurrentUser, inspection_id: uuid.UUID) -> Inspection:
    return service.get_visible(session, user, inspection_id)


CurrentInspection = Annotated[Inspection, Depends(current_inspection)]


def _detail(session: SessionDep, inspection: Inspection) -> InspectionDetail:
    return InspectionDetail.model_validate(
        service.to_public(session, inspection).model_dump()
        | {
            "findings": [FindingPublic.model_validate(f) for f in findings.findings_of(session, inspection.id)],
            "submissions": [SubmissionPublic.model_validate(s) for s in review.submissions_of(session, inspection.id)],
            "reviews": [ReviewPublic.model_validate(r) for r in review.reviews_of(session, inspection.id)],
        }
    )


@router.get("", response_model=Page[InspectionPublic])
def list_inspections(
    session: SessionDep,
    user: FieldUser,
    status: Status | None = None,
    type: InspectionType | None = None,
    district_id: uuid.UUID | None = None,
    establishment_id: uuid.UUID | None = None,
    inspector_id: uuid.UUID | None = None,
    date_from: AwareDatetime | None = None,
    date_to: AwareDatetime | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[NonNegInt64, Query()] = 0,
) -> Page[InspectionPublic]:
    return service.search(
        session,
        user,
        status=status,
        type=type,
        district_id=district_id,
        establishment_id=establishment_id,
        inspector_id=inspector_id,
        date_from=date_from,
        date_to=date_to,
        limit=limit,
        offset=offset,
    )


@router.post("", response_model=InspectionDetail, status_code=201)
def create_inspection(session: SessionDep, user: CurrentUser, data: InspectionCreate) -> InspectionDetail:
    return _detail(session, service.create(session, user, data))


@router.get("/{inspection_id}", response_model=InspectionDetail)
def read_inspection(session: SessionDep, inspection: CurrentInspection) -> InspectionDetail:
    return _detail(session, inspection)


@router.patch("/{inspection_id}", response_model=InspectionDetail)
def update_inspection(
    session: SessionDep, user: CurrentUser, inspection: CurrentInspection, data: InspectionUpdate
) -> InspectionDetail:
    return _detail(session, service.update_header(session, user, inspection, data))


@router.put("/{inspection_id}/findings", response_model=FindingPublic)
def record_finding(
    session: SessionDep, user: CurrentUser, inspection: CurrentInspection, data: FindingRecord
) -> FindingPublic:
    return FindingPublic.model_validate(findings.record(session, user, inspection, data))


@router.get("/{inspection_id}/missing")
def list_missing(session: SessionDep, inspection: CurrentInspection) -> list[dict[str, str]]:
    return review.missing_for_submit(session, inspection)


@router.post("/{inspection_id}/submit", response_model=InspectionDetail)
def submit_inspection(
    session: SessionDep, user: CurrentUser, inspection: CurrentInspection, data: SubmitRequest
) -> InspectionDetail:
    review.submit(session, user, inspection, ended_at=data.ended_at, device_sha256=data.content_sha256)
    return _detail(session, inspection)


@router.post("/{inspection_id}/review", response_model=InspectionDetail)
def review_inspection(
    session: SessionDep, user: CurrentUser, inspection: CurrentInspection, data: ReviewCreate
) -> InspectionDetail:
    review.review(session, user, inspection, data)
    return _detail(session, inspection)


@router.post("/{inspection_id}/amendments", response_model=InspectionDetail, status_code=201)
def amend_inspection(
    session: SessionDep, user: CurrentUser, inspection: CurrentInspection, data: AmendmentCreate
) -> InspectionDetail:
    return _detail(session, review.amend(session, user, inspection, data))


@router.get("/{inspection_id}/evidence/{sha256}")
def download_evidence(session: SessionDep, user: CurrentUser, inspection: CurrentInspection, sha256: str) -> Response:
    """A photo or document cited by one of this inspection's findings and held by it (uploaded by whoever cited it
    here, or in a version this one amends; scope: the inspection's), verified on read."""
    if not findings.holds_evidence(session, inspection, sha256):
        raise NotFound("blob.not_found", "This inspection holds no such file.")
    return blobs.serve(session, user, attachments.get_verified(session, sha256))
