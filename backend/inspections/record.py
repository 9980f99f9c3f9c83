"""The parts of an inspection's record besides its header and findings: photos (with the item they document),
signatures, notes on items and — read only here — the measures decided on it. Each is written once, as recorded.
"""

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from pydantic import AwareDatetime, BaseModel, Field
from sqlmodel import Session, col, select

from backend.attachments import citations
from backend.auth.models import User
from backend.inspections import findings, interviews, workflow
from backend.inspections import service as inspections
from backend.inspections.interviews import InterviewPublic
from backend.inspections.models import (
    FindingNote,
    Inspection,
    InspectionInterview,
    InspectionPhoto,
    InspectionSignature,
)
from backend.inspections.schemas import In, InspectionDetail, Out, Sha256
from sync.canonical import MAX_SAFE_INTEGER

ItemId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]{1,63}$")]
# ``enforcement`` sits above ``inspections`` (a measure needs its inspection), so the submission snapshot reads the
# measures through a plain table clause rather than importing their model.
ACTIONS = sa.table(
    "enforcement_action", sa.column("id", sa.Uuid), sa.column("inspection_id", sa.Uuid),
    sa.column("item_id", sa.String), sa.column("item_ids", sa.JSON), sa.column("measure", sa.String),
    sa.column("text", sa.String), sa.column("deadline_days", sa.Integer), sa.column("deadline", sa.Date),
    sa.column("status", sa.String), sa.column("created_by", sa.Uuid),
)  # fmt: skip


class PhotoCreate(In):
    id: uuid.UUID
    item_id: ItemId | None = None
    sha256: Sha256
    bytes: int = Field(ge=1, le=MAX_SAFE_INTEGER)
    mime: Annotated[str, Field(max_length=100)]
    preview_sha256: Sha256 | None = None
    preview_bytes: int | None = Field(default=None, ge=1, le=MAX_SAFE_INTEGER)
    preview_mime: Annotated[str, Field(max_length=32)] | None = None
    taken_at: AwareDatetime | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    accuracy_m: float | None = Field(default=None, ge=0)
    caption: Annotated[str, Field(max_length=2000)] = ""


class PhotoPublic(Out):
    id: uuid.UUID
    item_id: str | None
    sha256: str
    bytes: int
    mime: str
    preview_sha256: str | None
    preview_bytes: int | None
    preview_mime: str | None
    taken_at: datetime | None
    latitude: float | None
    longitude: float | None
    accuracy_m: float | None
    caption: str
    recorded_by: uuid.UUID


class SignatureCreate(In):
    id: uuid.UUID
    signer_name: Annotated[str, Field(min_length=1, max_length=200)]
    signer_role: Literal["inspector", "employer", "worker_representative", "witness"]
    sha256: Sha256
    signed_at: AwareDatetime | None = None


class SignaturePublic(Out):
    id: uuid.UUID
    signer_name: str
    signer_role: str
    sha256: str
    signed_at: datetime | None
    recorded_by: uuid.UUID


class NoteCreate(In):
    id: uuid.UUID
    item_id: ItemId
    text: Annotated[str, Field(min_length=1, max_length=10_000)]
    recorded_at: AwareDatetime | None = None  # when the inspector wrote it (default: now)


class NotePublic(Out):
    id: uuid.UUID
    item_id: str
    text: str
    recorded_by: uuid.UUID
    recorded_at: datetime


class MeasurePublic(BaseModel):
    id: uuid.UUID
    measure: str
    item_ids: list[str]
    text: str
    deadline_days: int | None
    deadline: date | None
    status: str
    created_by: uuid.UUID


class InspectionRecord(InspectionDetail):
    """``GET /inspections/{id}``: everything recorded, as the submission snapshot holds it."""

    notes: list[NotePublic]
    photos: list[PhotoPublic]
    signatures: list[SignaturePublic]
    interviews: list[InterviewPublic]
    measures: list[MeasurePublic]


def parts_of(session: Session, inspection_id: uuid.UUID) -> dict[str, Any]:
    """The parts ``InspectionRecord`` adds to ``InspectionDetail``, as models."""
    return {
        "notes": [NotePublic.model_validate(n) for n in notes_of(session, inspection_id)],
        "photos": [PhotoPublic.model_validate(p) for p in photos_of(session, inspection_id)],
        "signatures": [SignaturePublic.model_validate(s) for s in signatures_of(session, inspection_id)],
        "interviews": [InterviewPublic.model_validate(i) for i in interviews.interviews_of(session, inspection_id)],
        "measures": [MeasurePublic.model_validate(m) for m in measures_of(session, inspection_id)],
    }


def _writable(session: Session, user: User, inspection: Inspection) -> None:
    workflow.require_editable(inspection.status)
    inspections.require_member(session, user, inspection)


def attach_photo(session: Session, user: User, inspection: Inspection, data: PhotoCreate) -> InspectionPhoto:
    _writable(session, user, inspection)
    photo = InspectionPhoto(inspection_id=inspection.id, recorded_by=user.id, **data.model_dump())
    session.add(photo)
    return photo


def detach_photo(session: Session, user: User, inspection: Inspection, photo_id: uuid.UUID) -> None:
    """A draft's photo removed before submission (``photo.detach``): it leaves the record and its snapshot."""
    _writable(session, user, inspection)
    pending = next((o for o in session.new if isinstance(o, InspectionPhoto) and o.id == photo_id), None)
    if pending is not None:  # attached in the same batched push, not flushed yet
        session.expunge(pending)
        return
    photo = session.get(InspectionPhoto, photo_id)
    if photo is not None and photo.inspection_id == inspection.id:
        session.delete(photo)


def attach_signature(
    session: Session, user: User, inspection: Inspection, data: SignatureCreate
) -> InspectionSignature:
    _writable(session, user, inspection)
    signature = InspectionSignature(inspection_id=inspection.id, recorded_by=user.id, **data.model_dump())
    session.add(signature)
    return signature


def add_note(session: Session, user: User, inspection: Inspection, data: NoteCreate) -> FindingNote:
    _writable(session, user, inspection)
    note = FindingNote(inspection_id=inspection.id, recorded_by=user.id, **data.model_dump(exclude_none=True))
    session.add(note)
    return note


def photos_of(session: Session, inspection_id: uuid.UUID) -> list[InspectionPhoto]:
    stmt = select(InspectionPhoto).where(InspectionPhoto.inspection_id == inspection_id)
    return list(session.exec(stmt.order_by(col(InspectionPhoto.id))).all())


def signatures_of(session: Session, inspection_id: uuid.UUID) -> list[InspectionSignature]:
    stmt = select(InspectionSignature).where(InspectionSignature.inspection_id == inspection_id)
    return list(session.exec(stmt.order_by(col(InspectionSignature.id))).all())


def notes_of(session: Session, inspection_id: uuid.UUID) -> list[FindingNote]:
    stmt = select(FindingNote).where(FindingNote.inspection_id == inspection_id)
    return list(session.exec(stmt.order_by(col(FindingNote.item_id), col(FindingNote.id))).all())


def measures_of(session: Session, inspection_id: uuid.UUID) -> list[dict[str, Any]]:
    """The measures decided on this version of the record, as plain JSON, oldest first."""
    stmt = sa.select(ACTIONS).where(ACTIONS.c.inspection_id == inspection_id).order_by(ACTIONS.c.id)
    return [
        {
            "id": str(r.id), "measure": r.measure, "item_ids": sorted(r.item_ids or ([r.item_id] if r.item_id else [])),
            "text": r.text, "deadline_days": r.deadline_days,
            "deadline": r.deadline.isoformat() if r.deadline else None, "status": r.status,
            "created_by": str(r.created_by),
        }
        for r in session.execute(stmt)
    ]  # fmt: skip


def cites(session: Session, inspection_id: uuid.UUID, sha256: str) -> bool:
    """Whether the record holds this file: a finding's evidence, a photo or its preview, a signature image."""
    if any(sha256 in f.evidence for f in findings.findings_of(session, inspection_id)):
        return True
    photo = select(InspectionPhoto.id).where(
        InspectionPhoto.inspection_id == inspection_id,
        sa.or_(col(InspectionPhoto.sha256) == sha256, col(InspectionPhoto.preview_sha256) == sha256),
    )
    signed = select(InspectionSignature.id).where(
        InspectionSignature.inspection_id == inspection_id, InspectionSignature.sha256 == sha256
    )
    return session.exec(photo).first() is not None or session.exec(signed).first() is not None


def holds(session: Session, inspection: Inspection, sha256: str) -> bool:
    """Whether the record cites the file and holds it (its uploader cited it here, or in a version this one
    amends): what a download of it through this inspection needs."""
    if not cites(session, inspection.id, sha256):
        return False
    return sha256 in citations.held(session, inspections.lineage(session, inspection), [sha256])


def copy_parts(session: Session, original: Inspection, copy: Inspection) -> None:
    """An amendment starts from everything the original recorded (new ids, the same content)."""
    for model in (InspectionPhoto, InspectionSignature, FindingNote, InspectionInterview):
        rows = session.exec(select(model).where(model.inspection_id == original.id)).all()
        for row in rows:
            values = row.model_dump(exclude={"inspection_id"})
            row_id = values.pop("id")
            session.add(model(**values, id=uuid.uuid5(copy.id, str(row_id)), inspection_id=copy.id))
