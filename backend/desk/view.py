"""The whole inspection as a reviewer reads it (``GET /inspections/{id}/desk``): the record, and beside it what
a supervisor checks first — the team by name, the GPS fix's distance from the establishment's registered
location (flagged when far), findings by section with their legal basis in words, each submission's
differences from the one before, the reviews with their finding comments, and the amendment chain."""

import itertools
import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, col, select

from backend.auth.models import User
from backend.config import settings
from backend.desk import catalogue, diff, geo
from backend.inspections import findings, record, review, review_comments
from backend.inspections import service as inspections
from backend.inspections.models import Inspection
from backend.inspections.record import InspectionRecord
from backend.inspections.schemas import FindingPublic, ReviewPublic, SubmissionPublic
from backend.orgs import service as orgs
from backend.orgs.models import OrgUnit


class Gps(BaseModel):
    status: str
    latitude: float | None
    longitude: float | None
    accuracy_m: float | None
    at: datetime | None
    registered_latitude: float | None
    registered_longitude: float | None
    distance_m: float | None
    far: bool
    far_threshold_m: float


class TeamMember(BaseModel):
    id: uuid.UUID
    name: str
    lead: bool


class DeskItem(BaseModel):
    checklist_key: str
    item_id: str
    text: dict[str, str]
    severity: str
    citations: list[dict[str, Any]]
    finding: FindingPublic | None
    comment: str | None
    changed: bool


class DeskSection(BaseModel):
    checklist_key: str
    checklist_title: dict[str, str]
    id: str
    title: dict[str, str]
    items: list[DeskItem]


class DeskSubmission(SubmissionPublic):
    submitted_by_name: str
    changes: diff.Differences | None


class DeskReview(ReviewPublic):
    reviewer_name: str
    finding_comments: list[review_comments.FindingCommentPublic]


class DeskView(BaseModel):
    record: InspectionRecord
    establishment: dict[str, Any]
    district: dict[str, str]
    team: list[TeamMember]
    gps: Gps
    sections: list[DeskSection]
    submissions: list[DeskSubmission]
    reviews: list[DeskReview]
    amends: list[uuid.UUID]
    amended_by: uuid.UUID | None
    names: dict[str, str]


def _gps(inspection: Inspection, lat: float | None, lon: float | None) -> Gps:
    threshold = float(settings.gps_far_metres)
    distance = None
    if (
        inspection.gps_latitude is not None
        and inspection.gps_longitude is not None
        and lat is not None
        and lon is not None
    ):
        distance = round(geo.distance_m(inspection.gps_latitude, inspection.gps_longitude, lat, lon), 1)
    return Gps(
        status=inspection.gps_status,
        latitude=inspection.gps_latitude,
        longitude=inspection.gps_longitude,
        accuracy_m=inspection.gps_accuracy_m,
        at=inspection.gps_at,
        registered_latitude=lat,
        registered_longitude=lon,
        distance_m=distance,
        far=distance is not None and geo.is_far(distance, inspection.gps_accuracy_m, threshold),
        far_threshold_m=threshold,
    )


def _names(session: Session, ids: set[uuid.UUID]) -> dict[str, str]:
    if not ids:
        return {}
    rows = session.exec(select(User.id, User.name).where(col(User.id).in_(ids))).all()
    return {str(k): n for k, n in rows}


def desk_view(session: Session, inspection: Inspection) -> DeskView:
    est = orgs.get_establishment_unscoped(session, inspection.establishment_id)
    district = session.get(OrgUnit, inspection.district_id)
    found = findings.findings_of(session, inspection.id)
    public = inspections.to_public(session, inspection).model_dump()
    parts = record.parts_of(session, inspection.id)
    subs = review.submissions_of(session, inspection.id)
    revs = review.reviews_of(session, inspection.id)
    comments = review_comments.comments_of(session, [r.id for r in revs])
    rec = InspectionRecord.model_validate(
        public
        | {
            "findings": [FindingPublic.model_validate(f) for f in found],
            "submissions": [SubmissionPublic.model_validate(s) for s in subs],
            "reviews": [ReviewPublic.model_validate(r) for r in revs],
            **parts,
        }
    )
    team_ids = inspections.team_of(session, inspection.id)
    people = set(team_ids) | {s.submitted_by for s in subs} | {r.reviewer_id for r in revs}
    people |= {p.recorded_by for p in parts["photos"]} | {n.recorded_by for n in parts["notes"]}
    names = _names(session, people)
    differences = ([None] if subs else []) + [diff.between(a.content, b.content) for a, b in itertools.pairwise(subs)]
    latest_changes = differences[-1] if subs else None
    changed = set((latest_changes.items_changed + latest_changes.items_added) if latest_changes else [])
    latest_review = revs[-1] if revs else None
    item_comments = {
        (c.checklist_key, c.item_id): c.comment for c in (comments[latest_review.id] if latest_review else [])
    }
    by_item = {(f.checklist_key, f.item_id): f for f in found}
    sections: list[DeskSection] = []
    for pinned in inspections.checklists_of(session, inspection.id):
        definition = catalogue.served(session, pinned.key, pinned.version)
        for section in definition["sections"]:
            items = []
            for item in section["items"]:
                f = by_item.get((pinned.key, item["id"]))
                items.append(
                    DeskItem(
                        checklist_key=pinned.key,
                        item_id=item["id"],
                        text=item["text"],
                        severity=item["severity"],
                        citations=item.get("citations", []),
                        finding=FindingPublic.model_validate(f) if f else None,
                        comment=item_comments.get((pinned.key, item["id"])),
                        changed=f"{pinned.key}/{item['id']}" in changed or item["id"] in changed,
                    )
                )
            sections.append(
                DeskSection(
                    checklist_key=pinned.key,
                    checklist_title=definition["title"],
                    id=section["id"],
                    title=section["title"],
                    items=items,
                )
            )
    amended_by = session.exec(select(Inspection.id).where(Inspection.amends_id == inspection.id)).first()
    return DeskView(
        record=rec,
        establishment={
            "id": est.id,
            "name": est.name,
            "address": est.address,
            "isic": est.isic,
            "latitude": est.latitude,
            "longitude": est.longitude,
            "registration_number": est.registration_number,
        },
        district={"en": district.name_en, "zh": district.name_zh} if district else {"en": "", "zh": ""},
        team=[
            TeamMember(id=u, name=names.get(str(u), ""), lead=u == inspection.lead_inspector_id)
            for u in sorted(team_ids, key=lambda u: (u != inspection.lead_inspector_id, names.get(str(u), "")))
        ],
        gps=_gps(inspection, est.latitude, est.longitude),
        sections=sections,
        submissions=[
            DeskSubmission.model_validate(
                SubmissionPublic.model_validate(s).model_dump()
                | {"submitted_by_name": names.get(str(s.submitted_by), ""), "changes": d}
            )
            for s, d in zip(subs, differences, strict=True)
        ],
        reviews=[
            DeskReview.model_validate(
                ReviewPublic.model_validate(r).model_dump()
                | {"reviewer_name": names.get(str(r.reviewer_id), ""), "finding_comments": comments[r.id]}
            )
            for r in revs
        ],
        amends=inspections.lineage(session, inspection)[1:],
        amended_by=amended_by,
        names=names,
    )
