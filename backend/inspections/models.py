"""Inspection, team, pinned checklists, findings, submission snapshots and reviews."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from backend.db import UTCDateTime, enum_column, utcnow, uuid7
from backend.fields import Counter
from backend.inspections.workflow import Status


class InspectionType(StrEnum):
    planned = "planned"
    complaint = "complaint"
    accident = "accident"
    follow_up = "follow_up"
    campaign = "campaign"


class FindingStatus(StrEnum):
    compliant = "compliant"
    non_compliant = "non_compliant"
    not_applicable = "not_applicable"
    not_verified = "not_verified"


class Inspection(SQLModel, table=True):
    __tablename__ = "inspection"
    __table_args__ = (
        CheckConstraint("status IN ('draft','submitted','returned','approved')", name="status"),
        CheckConstraint("type IN ('planned','complaint','accident','follow_up','campaign')", name="type"),
        CheckConstraint("ended_at IS NULL OR started_at IS NULL OR ended_at >= started_at", name="times"),
        CheckConstraint(
            "gps_status <> 'fix' OR (gps_latitude IS NOT NULL AND gps_longitude IS NOT NULL)", name="gps_fix"
        ),
        Index("ix_inspection_queue", "status", "submitted_at", "id"),  # the review queue (migration 0014)
    )

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    establishment_id: uuid.UUID = Field(foreign_key="establishment.id", index=True)
    district_id: uuid.UUID = Field(foreign_key="org_unit.id", index=True)
    type: InspectionType = Field(sa_type=enum_column(InspectionType))
    status: Status = Field(default=Status.draft, index=True, sa_type=enum_column(Status))
    lead_inspector_id: uuid.UUID = Field(foreign_key="user_account.id", index=True)
    created_by: uuid.UUID = Field(foreign_key="user_account.id")
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    gps_latitude: float | None = None
    gps_longitude: float | None = None
    gps_accuracy_m: float | None = None
    gps_status: str = Field(default="not_taken", max_length=16, description="fix | no_fix | not_taken")
    gps_at: datetime | None = Field(default=None, sa_type=UTCDateTime, description="When the GPS fix was taken")
    visit_date: date | None = Field(default=None, description="The local date of the visit (the unit's time zone)")
    location: str = Field(default="", max_length=500, description="Where the visit took place, as written")
    employer_representative: str = Field(default="", max_length=200)
    workers_present: int | None = Field(default=None, ge=0)
    summary: str = Field(default="", max_length=4000)
    version: int = Field(default=1, sa_type=Counter, description="Row version, bumped by every change")
    revision: int = Field(default=0, sa_type=Counter, description="How many times it was submitted")
    amends_id: uuid.UUID | None = Field(default=None, foreign_key="inspection.id", index=True)
    amendment_reason: str | None = Field(default=None, max_length=2000)
    content_sha256: str | None = Field(default=None, max_length=64)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class InspectionMember(SQLModel, table=True):
    """The team: the lead inspector and the others who carried out the visit."""

    __tablename__ = "inspection_member"

    inspection_id: uuid.UUID = Field(foreign_key="inspection.id", primary_key=True, ondelete="CASCADE")
    user_id: uuid.UUID = Field(foreign_key="user_account.id", primary_key=True)


class InspectionChecklist(SQLModel, table=True):
    """The checklist versions an inspection uses, pinned when it is created."""

    __tablename__ = "inspection_checklist"

    inspection_id: uuid.UUID = Field(foreign_key="inspection.id", primary_key=True, ondelete="CASCADE")
    checklist_key: str = Field(max_length=64, primary_key=True)
    checklist_version: int = Field(sa_type=Counter)


class Finding(SQLModel, table=True):
    __tablename__ = "finding"
    __table_args__ = (
        UniqueConstraint("inspection_id", "checklist_key", "item_id", name="uq_finding_item"),
        CheckConstraint("status IN ('compliant','non_compliant','not_applicable','not_verified')", name="status"),
        CheckConstraint("workers_men >= 0 AND workers_women >= 0 AND workers_under_18 >= 0", name="workers"),
        # The desk's non-compliance filters and counts read only these rows (migration 0014).
        Index(
            "ix_finding_non_compliant",
            "inspection_id",
            "checklist_key",
            "item_id",
            postgresql_where=text("status = 'non_compliant'"),
            sqlite_where=text("status = 'non_compliant'"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    inspection_id: uuid.UUID = Field(foreign_key="inspection.id", index=True, ondelete="CASCADE")
    checklist_key: str = Field(max_length=64)
    item_id: str = Field(max_length=64)
    status: FindingStatus = Field(sa_type=enum_column(FindingStatus))
    value: str | None = Field(default=None, max_length=500)
    note: str = Field(default="", max_length=4000)
    workers_men: int = 0
    workers_women: int = 0
    workers_under_18: int = 0
    evidence: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    version: int = Field(default=1, sa_type=Counter)
    recorded_by: uuid.UUID = Field(foreign_key="user_account.id")
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class InspectionInterview(SQLModel, table=True):
    """A worker interview: counts of the workers heard and an anonymous note (never a name)."""

    __tablename__ = "inspection_interview"
    __table_args__ = (
        CheckConstraint("men >= 0 AND women >= 0 AND under_18 >= 0 AND under_18 <= men + women", name="counts"),
    )

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    inspection_id: uuid.UUID = Field(foreign_key="inspection.id", index=True, ondelete="CASCADE")
    men: int = 0
    women: int = 0
    under_18: int = 0
    note: str = Field(default="", max_length=2000)
    recorded_by: uuid.UUID = Field(foreign_key="user_account.id")
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class FindingNote(SQLModel, table=True):
    """An append-only note on an item (``finding.note``), besides the finding's own ``note``."""

    __tablename__ = "finding_note"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    inspection_id: uuid.UUID = Field(foreign_key="inspection.id", index=True, ondelete="CASCADE")
    item_id: str = Field(max_length=64)
    text: str = Field(max_length=10_000)
    recorded_by: uuid.UUID = Field(foreign_key="user_account.id")
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class InspectionPhoto(SQLModel, table=True):
    """A photo taken during the visit: the original's hash (the evidence), its preview's, where and when."""

    __tablename__ = "inspection_photo"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    inspection_id: uuid.UUID = Field(foreign_key="inspection.id", index=True, ondelete="CASCADE")
    item_id: str | None = Field(default=None, max_length=64, description="The checklist item it documents")
    sha256: str = Field(max_length=64)
    bytes: int = Field(ge=1, sa_type=Counter)  # a photo's size as the protocol allows it (up to 2^53 - 1)
    mime: str = Field(max_length=100)
    preview_sha256: str | None = Field(default=None, max_length=64)
    preview_bytes: int | None = Field(default=None, sa_type=Counter)
    preview_mime: str | None = Field(default=None, max_length=32)
    taken_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None
    caption: str = Field(default="", max_length=2000)
    recorded_by: uuid.UUID = Field(foreign_key="user_account.id")
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class InspectionSignature(SQLModel, table=True):
    """A signature on the record: who signed, in what role, when, and the hash of the signature image."""

    __tablename__ = "inspection_signature"
    __table_args__ = (
        CheckConstraint(
            "signer_role IN ('inspector','employer','worker_representative','witness')", name="signer_role"
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    inspection_id: uuid.UUID = Field(foreign_key="inspection.id", index=True, ondelete="CASCADE")
    signer_name: str = Field(max_length=200)
    signer_role: str = Field(max_length=32)
    sha256: str = Field(max_length=64)
    signed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, description="unknown for older records")
    recorded_by: uuid.UUID = Field(foreign_key="user_account.id")


class InspectionSubmission(SQLModel, table=True):
    """The frozen content of each submission: the legal record. Never updated, never deleted."""

    __tablename__ = "inspection_submission"
    __table_args__ = (UniqueConstraint("inspection_id", "revision", name="uq_inspection_submission_rev"),)

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    inspection_id: uuid.UUID = Field(foreign_key="inspection.id", index=True)
    revision: int = Field(sa_type=Counter)
    sha256: str = Field(max_length=64)
    content: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    device_content_hash: str | None = Field(
        default=None, max_length=71, description="sync/PROTOCOL.md §7 hash the device attested, when submitted by sync"
    )
    submitted_by: uuid.UUID = Field(foreign_key="user_account.id")
    submitted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class InspectionReview(SQLModel, table=True):
    __tablename__ = "inspection_review"
    __table_args__ = (CheckConstraint("decision IN ('approve','return')", name="decision"),)

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    inspection_id: uuid.UUID = Field(foreign_key="inspection.id", index=True)
    revision: int = Field(sa_type=Counter)
    reviewer_id: uuid.UUID = Field(foreign_key="user_account.id")
    decision: str = Field(max_length=16)
    comment: str = Field(default="", max_length=4000)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
