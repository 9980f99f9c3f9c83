"""Request and response shapes of the inspections API (unknown fields are refused)."""

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from backend.fields import Input, PositiveInt64
from backend.inspections.models import FindingStatus, InspectionType
from backend.inspections.review_comments import FindingComments
from backend.inspections.workflow import Status

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Note = Annotated[str, StringConstraints(max_length=4000)]


class In(Input):
    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class GpsFix(In):
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    accuracy_m: float | None = Field(default=None, ge=0, le=100_000)
    at: AwareDatetime | None = Field(default=None, description="When the fix was taken")


class PinnedChecklist(In):
    key: str = Field(max_length=64)
    version: PositiveInt64


class InspectionCreate(In):
    id: uuid.UUID | None = Field(default=None, description="Client-generated UUIDv7; makes creation idempotent")
    establishment_id: uuid.UUID
    type: InspectionType
    lead_inspector_id: uuid.UUID | None = None
    team: list[uuid.UUID] = []
    checklists: Annotated[list[PinnedChecklist], Field(min_length=1, max_length=30)]
    started_at: AwareDatetime | None = None
    visit_date: date | None = Field(default=None, description="Defaults to the start's local date")
    gps: GpsFix | None = None
    gps_status: Literal["fix", "no_fix", "not_taken"] | None = None
    location: Annotated[str, StringConstraints(max_length=500)] = ""
    employer_representative: Annotated[str, StringConstraints(max_length=200)] = ""
    workers_present: int | None = Field(default=None, ge=0, le=1_000_000)

    @model_validator(mode="after")
    def _fix_has_coordinates(self) -> "InspectionCreate":
        _check_fix(self.gps, self.gps_status)
        return self


def _check_fix(gps: GpsFix | None, status: str | None) -> None:
    if status == "fix" and gps is None:  # a fix without coordinates: send ``gps`` (it implies the status)
        raise ValueError("gps_status 'fix' needs the fix itself in gps")


class InspectionUpdate(In):
    type: InspectionType | None = None
    started_at: AwareDatetime | None = None
    ended_at: AwareDatetime | None = None
    visit_date: date | None = None
    gps: GpsFix | None = None
    gps_status: Literal["fix", "no_fix", "not_taken"] | None = None
    location: Annotated[str, StringConstraints(max_length=500)] | None = None
    employer_representative: Annotated[str, StringConstraints(max_length=200)] | None = None
    workers_present: int | None = Field(default=None, ge=0, le=1_000_000)
    summary: Note | None = None
    team: list[uuid.UUID] | None = None

    @model_validator(mode="after")
    def _no_nulls(self) -> "InspectionUpdate":
        # Omit a field to leave it unchanged; only the times and the GPS fix can be cleared with null.
        nulls = sorted(f for f in self.model_fields_set & NOT_NULL if getattr(self, f) is None)
        if nulls:
            raise ValueError(f"these fields cannot be null (omit them to leave them unchanged): {', '.join(nulls)}")
        _check_fix(self.gps, self.gps_status)
        return self


NOT_NULL = frozenset({"type", "gps_status", "summary", "team", "location", "employer_representative"})


class FindingRecord(In):
    checklist_key: str = Field(max_length=64)
    item_id: str = Field(max_length=64)
    status: FindingStatus
    value: Annotated[str, StringConstraints(max_length=500)] | None = None
    note: Note = ""
    workers_men: int = Field(default=0, ge=0, le=1_000_000)
    workers_women: int = Field(default=0, ge=0, le=1_000_000)
    workers_under_18: int = Field(default=0, ge=0, le=1_000_000)
    evidence: Annotated[list[Sha256], Field(max_length=50)] = []
    base_version: int | None = Field(
        default=None, ge=0, le=2**63 - 1, description="The finding version this edit starts from"
    )


class ReviewCreate(In):
    decision: Literal["approve", "return"]
    comment: Note = ""
    finding_comments: FindingComments = Field(
        default=[], description="On a return: a comment on any finding, shown beside its item on the device"
    )

    @model_validator(mode="after")
    def _comment_on_return(self) -> "ReviewCreate":
        if self.decision == "return" and not self.comment.strip():
            raise ValueError("a returned inspection needs a comment saying what to correct")
        if self.decision == "approve" and self.finding_comments:
            raise ValueError("finding comments go with a return")
        return self


class SubmitRequest(In):
    ended_at: AwareDatetime | None = Field(default=None, description="When the visit ended; defaults to now")
    content_sha256: Sha256 | None = Field(default=None, description="The hash the device computed, if any")


class AmendmentCreate(In):
    id: uuid.UUID | None = None
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]


class FindingPublic(Out):
    id: uuid.UUID
    checklist_key: str
    item_id: str
    status: FindingStatus
    value: str | None
    note: str
    workers_men: int
    workers_women: int
    workers_under_18: int
    evidence: list[str]
    version: int
    recorded_by: uuid.UUID
    recorded_at: datetime


class InspectionPublic(Out):
    id: uuid.UUID
    establishment_id: uuid.UUID
    district_id: uuid.UUID
    type: InspectionType
    status: Status
    lead_inspector_id: uuid.UUID
    team: list[uuid.UUID]
    checklists: list[PinnedChecklist]
    started_at: datetime | None
    ended_at: datetime | None
    visit_date: date | None
    location: str
    employer_representative: str
    workers_present: int | None
    gps_latitude: float | None
    gps_longitude: float | None
    gps_accuracy_m: float | None
    gps_at: datetime | None
    gps_status: str
    summary: str
    version: int
    revision: int
    amends_id: uuid.UUID | None
    amendment_reason: str | None
    content_sha256: str | None
    submitted_at: datetime | None
    reviewed_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ReviewPublic(Out):
    revision: int
    reviewer_id: uuid.UUID
    decision: str
    comment: str
    at: datetime


class SubmissionPublic(Out):
    revision: int
    sha256: str
    device_content_hash: str | None = None
    submitted_by: uuid.UUID
    submitted_at: datetime


class InspectionDetail(InspectionPublic):
    findings: list[FindingPublic]
    submissions: list[SubmissionPublic]
    reviews: list[ReviewPublic]
