"""Submission (with its frozen, hashed snapshot), supervisor review, and amendments of submitted records."""

import hashlib
import uuid
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from backend import changes
from backend.attachments import service as attachments
from backend.audit import service as audit_log
from backend.auth.models import Role, User
from backend.changes import InspectionChanged, InspectionSubmitted
from backend.checklists.definition import EstablishmentProfile
from backend.db import insert_once, utcnow, uuid7
from backend.errors import Conflict, Forbidden, Invalid
from backend.inspections import attested as attested_doc
from backend.inspections import findings, interviews, record, review_comments, rollup, workflow
from backend.inspections import service as inspections
from backend.inspections.interviews import InterviewPublic
from backend.inspections.models import (
    Finding,
    FindingStatus,
    Inspection,
    InspectionChecklist,
    InspectionMember,
    InspectionReview,
    InspectionSubmission,
)
from backend.inspections.record import NotePublic, PhotoPublic, SignaturePublic
from backend.inspections.schemas import AmendmentCreate, FindingPublic, ReviewCreate
from backend.inspections.workflow import Action, Status
from backend.orgs import scope
from backend.orgs import service as orgs
from sync.canonical import canonical_bytes

HEADER_FIELDS = (
    "id",
    "establishment_id",
    "district_id",
    "type",
    "lead_inspector_id",
    "started_at",
    "ended_at",
    "visit_date",
    "location",
    "employer_representative",
    "workers_present",
    "gps_latitude",
    "gps_longitude",
    "gps_accuracy_m",
    "gps_at",
    "gps_status",
    "summary",
    "amends_id",
    "amendment_reason",
)
FINDING_FIELDS = ("status", "value", "note", "workers_men", "workers_women", "workers_under_18", "evidence")


def snapshot(session: Session, inspection: Inspection, device_content_hash: str | None = None) -> dict[str, Any]:
    """The content a submission attests, as plain JSON: the whole record (header with GPS, findings, notes,
    photos with their metadata, signatures with the signer, interviews, measures) and, when a device submitted
    it, the content hash the device attested (``sync/PROTOCOL.md`` §7), so the snapshot's hash covers both."""
    public = inspections.to_public(session, inspection).model_dump(mode="json")
    rows = [
        FindingPublic.model_validate(f).model_dump(mode="json") for f in findings.findings_of(session, inspection.id)
    ]
    return {
        "header": {k: public[k] for k in HEADER_FIELDS},
        "team": public["team"],
        "checklists": public["checklists"],
        "findings": [
            {
                "checklist_key": f["checklist_key"],
                "item_id": f["item_id"],
                **{k: f[k] for k in FINDING_FIELDS},
            }
            for f in rows
        ],
        "notes": [
            NotePublic.model_validate(n).model_dump(mode="json") for n in record.notes_of(session, inspection.id)
        ],
        "photos": [
            PhotoPublic.model_validate(p).model_dump(mode="json") for p in record.photos_of(session, inspection.id)
        ],
        "signatures": [
            SignaturePublic.model_validate(s).model_dump(mode="json")
            for s in record.signatures_of(session, inspection.id)
        ],
        "interviews": [
            InterviewPublic.model_validate(i).model_dump(mode="json", exclude={"inspection_id"})
            for i in interviews.interviews_of(session, inspection.id)
        ],
        "measures": record.measures_of(session, inspection.id),
        "device_content_hash": device_content_hash,
    }


def content_sha256(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(content)).hexdigest()


def missing_for_submit(session: Session, inspection: Inspection) -> list[dict[str, str]]:
    """Applicable items with no finding, and non-compliances that lack required evidence."""
    establishment = orgs.get_establishment_unscoped(session, inspection.establishment_id)
    profile = EstablishmentProfile.of(establishment)
    recorded: dict[tuple[str, str], Finding] = {
        (f.checklist_key, f.item_id): f for f in findings.findings_of(session, inspection.id)
    }
    missing: list[dict[str, str]] = []
    for key, checklist in findings.pinned_definitions(session, inspection.id).items():
        for item in checklist.items():
            finding = recorded.get((key, item.id))
            if finding is None:
                if item.applies_to(profile):
                    missing.append({"checklist_key": key, "item_id": item.id, "reason": "no_answer"})
            elif finding.status == FindingStatus.non_compliant and item.evidence_required and not finding.evidence:
                missing.append({"checklist_key": key, "item_id": item.id, "reason": "evidence_required"})
    return missing


def submit(
    session: Session,
    user: User,
    inspection: Inspection,
    *,
    ended_at: datetime | None = None,
    device_sha256: str | None = None,
    device_content_hash: str | None = None,
    attested: str | None = None,
) -> InspectionSubmission:
    """Freeze the record. Without ``attested`` the snapshot is today's whole-record shape (``snapshot``); with it
    (the id a device knows the record by, after a ``hash_version: 2`` submission) the snapshot is the v2 document of
    ``attested.document``, whose SHA-256 is the device's content hash."""
    inspections.require_member_or_supervisor(session, user, inspection)
    new_status = workflow.advance(inspection.status, Action.submit)
    missing = missing_for_submit(session, inspection)
    if missing:
        raise Invalid("inspection.incomplete", f"{len(missing)} item(s) need an answer or evidence.", missing=missing)
    evidence = [sha for f in findings.findings_of(session, inspection.id) for sha in f.evidence]
    pending = attachments.unverified(session, evidence)
    if pending:
        raise Conflict("inspection.missing_attachments", f"{len(pending)} photo(s) or file(s) are not uploaded yet.",
                       missing=pending)  # fmt: skip
    if inspection.started_at is None:
        raise Invalid("inspection.not_started", "Record when the inspection started before submitting.")
    if ended_at is not None:
        inspection.ended_at = ended_at
    elif inspection.ended_at is None:
        inspection.ended_at = utcnow()
    if inspection.ended_at < inspection.started_at:
        raise Invalid("inspection.times", "The inspection cannot end before it starts.")
    if attested is None:
        content = snapshot(session, inspection, device_content_hash)
    else:
        content = attested_doc.document(session, inspection, attested)
    digest = content_sha256(content)
    if device_sha256 is not None and device_sha256 != digest:
        raise Conflict(
            "inspection.content_mismatch",
            "The device's copy differs from the server's.",
            server_sha256=digest,
        )
    inspection.status = new_status
    inspection.revision += 1
    inspection.content_sha256 = digest
    inspection.submitted_at = utcnow()
    inspections.touch(inspection)
    submission = InspectionSubmission(
        inspection_id=inspection.id,
        revision=inspection.revision,
        sha256=digest,
        content=content,
        device_content_hash=device_content_hash,
        submitted_by=user.id,
    )
    session.add_all([inspection, submission])
    session.flush()
    rollup.refresh(session, inspection.id)  # the desk's filters read it; same transaction as the submission
    changes.record(session, InspectionChanged(inspection.id), InspectionSubmitted(inspection.id, user.id))
    audit_log.record(
        session,
        user.id,
        "inspection.submit",
        "inspection",
        inspection.id,
        revision=inspection.revision,
        sha256=digest,
    )
    return submission


def review(session: Session, user: User, inspection: Inspection, data: ReviewCreate) -> InspectionReview:
    if user.role not in (Role.supervisor, Role.admin) or not scope.can_see(session, user, inspection.district_id):
        raise Forbidden("inspection.review_forbidden", "Only a supervisor of this district reviews it.")
    submitted = session.exec(
        select(InspectionSubmission.submitted_by).where(
            InspectionSubmission.inspection_id == inspection.id, InspectionSubmission.revision == inspection.revision
        )
    ).first()
    if inspections.is_member(session, user, inspection) or submitted == user.id:
        raise Forbidden("inspection.self_review", "Nobody reviews an inspection they took part in or submitted.")
    amendment = _amendment_of(session, inspection.id)
    if amendment is not None:
        # Superseded: returning it would reopen a version that already has a successor; review the newest one.
        raise Conflict(
            "inspection.superseded",
            "This version has been amended; review the amendment instead.",
            amendment_id=str(amendment),
        )
    action = Action.approve if data.decision == "approve" else Action.return_
    inspection.status = workflow.advance(inspection.status, action)
    inspection.reviewed_at = utcnow()
    inspections.touch(inspection)
    row = InspectionReview(
        inspection_id=inspection.id,
        revision=inspection.revision,
        reviewer_id=user.id,
        decision=data.decision,
        comment=data.comment,
    )
    pinned = findings.pinned_definitions(session, inspection.id)
    for c in data.finding_comments:
        findings.find_item(pinned, c.checklist_key, c.item_id)  # finding.unknown_item / checklist_not_pinned
    session.add_all([inspection, row])
    session.flush()
    review_comments.add(session, row.id, data.finding_comments)
    session.flush()
    changes.record(session, InspectionChanged(inspection.id))
    extra = {"finding_comments": [c.model_dump() for c in data.finding_comments]} if data.finding_comments else {}
    audit_log.record(
        session,
        user.id,
        f"inspection.{action.value}",
        "inspection",
        inspection.id,
        revision=inspection.revision,
        comment=data.comment,
        **extra,
    )
    return row


def _amendment_of(session: Session, inspection_id: uuid.UUID) -> uuid.UUID | None:
    return session.exec(select(Inspection.id).where(Inspection.amends_id == inspection_id)).first()


def amend(session: Session, user: User, original: Inspection, data: AmendmentCreate) -> Inspection:
    """A new draft that copies a submitted record and references it; the original stays untouched.

    Amending a submitted (not yet reviewed) version supersedes it: from then on it is never reviewed, so it
    cannot be returned for correction and edited under its amendment (``review`` refuses it)."""
    if original.status not in workflow.AMENDABLE:
        raise Conflict("inspection.not_amendable", "Only a submitted or approved inspection is amended.")
    inspections.require_member(session, user, original)
    open_amendment = _amendment_of(session, original.id)
    if open_amendment is not None:
        raise Conflict(
            "inspection.already_amended",
            "This version already has an amendment; amend that one.",
            amendment_id=str(open_amendment),
        )
    if data.id is not None and session.get(Inspection, data.id) is not None:
        raise Conflict("inspection.id_taken", "An inspection with this id already exists.")
    fields = original.model_dump(include=set(HEADER_FIELDS) - {"id", "amends_id", "amendment_reason"})
    copy = Inspection(
        **fields,
        id=data.id or uuid7(),
        created_by=user.id,
        amends_id=original.id,
        amendment_reason=data.reason,
        status=Status.draft,
    )
    insert_once(session, Conflict("inspection.id_taken", "An inspection with this id already exists."), copy)
    for member in inspections.team_of(session, original.id):
        session.add(InspectionMember(inspection_id=copy.id, user_id=member))
    for pinned in inspections.checklists_of(session, original.id):
        session.add(
            InspectionChecklist(inspection_id=copy.id, checklist_key=pinned.key, checklist_version=pinned.version)
        )
    for f in findings.findings_of(session, original.id):
        session.add(Finding(**f.model_dump(exclude={"id", "inspection_id"}), inspection_id=copy.id))
    record.copy_parts(session, original, copy)
    session.flush()
    changes.record(session, InspectionChanged(copy.id))
    audit_log.record(
        session,
        user.id,
        "amendment.create",
        "inspection",
        copy.id,
        amends_id=str(original.id),
        reason=data.reason,
    )
    return copy


def submissions_of(session: Session, inspection_id: uuid.UUID) -> list[InspectionSubmission]:
    stmt = select(InspectionSubmission).where(InspectionSubmission.inspection_id == inspection_id)
    return list(session.exec(stmt.order_by(col(InspectionSubmission.revision))).all())


def reviews_of(session: Session, inspection_id: uuid.UUID) -> list[InspectionReview]:
    stmt = select(InspectionReview).where(InspectionReview.inspection_id == inspection_id)
    return list(session.exec(stmt.order_by(col(InspectionReview.at))).all())
