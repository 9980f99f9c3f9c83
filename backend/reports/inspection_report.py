"""What the inspection report (the notice of findings handed over at the worksite) says, gathered from the domain
record: establishment, date and times in the district's time zone, GPS, team, each non-compliance with its question
and legal basis in the official citation form, notes and photo thumbnails, measures with deadlines and notice
numbers, and the content hash of the newest submission. The inspection's type is left out: a complaint-triggered
visit must not say so (C81 Art. 15(c)). Rendered by ``report_pdf.py``.
"""

import hashlib
import io
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from backend.attachments import storage
from backend.auth.models import User
from backend.checklists.citation import format_citation
from backend.checklists.definition import MeasureType
from backend.checklists.present import current_registry
from backend.checklists.render import MEASURE, SEVERITY
from backend.enforcement import service as enforcement
from backend.enforcement.case_models import Notice, NoticeStatus
from backend.inspections import findings, record, review
from backend.inspections import service as inspections
from backend.inspections.models import FindingStatus, Inspection
from backend.orgs import service as orgs
from backend.orgs.models import OrgUnit
from backend.orgs.timezone import zone_of

THUMB_PX = 480  # the longer side of a photo thumbnail, in pixels (about 300 dpi at 40 mm)
MAX_PHOTOS = 6  # thumbnails per non-compliance


@dataclass(frozen=True)
class Bi:
    """A text in English and Chinese (either may be empty where the record holds one text only)."""

    en: str
    zh: str

    @classmethod
    def same(cls, text: str) -> "Bi":
        return cls(text, text)


@dataclass
class Photo:
    sha256: str
    caption: str
    taken_at: str
    thumbnail: bytes | None  # JPEG; None when the file is not on this server (not uploaded yet, or damaged)


@dataclass
class NonCompliance:
    item_id: str
    question: Bi
    citations: list[Bi]
    severity: Bi
    value: str | None
    note: str
    workers: tuple[int, int, int]  # men, women, under 18
    notes: list[str] = field(default_factory=list)
    photos: list[Photo] = field(default_factory=list)


@dataclass
class MeasureLine:
    measure: Bi
    item_ids: list[str]
    text: str
    deadline: date | None
    notices: list[str]


@dataclass
class InspectionReport:
    inspection_id: uuid.UUID
    status: str
    revision: int
    inspectorate: Bi
    establishment: str
    registration: str
    address: str
    visit_date: date | None
    zone: str
    started_at: str
    ended_at: str
    location: str
    gps: str | None  # "lat, lon ± m (time)", None without a fix
    team: list[str]
    employer_representative: str
    workers_present: int | None
    summary: str
    counts: dict[str, int]
    non_compliances: list[NonCompliance]
    measures: list[MeasureLine]
    signatures: list[tuple[str, str, str]]  # name, role, when
    sha256: str | None
    submitted_at: str


def _local(moment: datetime | None, zone: object) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment is not None else ""  # type: ignore[arg-type]


def thumbnail(sha256: str) -> bytes | None:
    """A small JPEG of a verified stored image, re-hashed first (a damaged file gives no thumbnail)."""
    from PIL import Image

    try:
        data = storage.open_blob(sha256).read_bytes() if storage.is_verified(sha256) else None
    except OSError:
        return None
    if data is None or hashlib.sha256(data).hexdigest() != sha256:
        return None
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", (THUMB_PX, THUMB_PX))
            small = image.convert("RGB")
            small.thumbnail((THUMB_PX, THUMB_PX))
            out = io.BytesIO()
            small.save(out, "JPEG", quality=80)
            return out.getvalue()
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def _photos(session: Session, inspection: Inspection, item_id: str, evidence: list[str], zone: object) -> list[Photo]:
    photos: list[Photo] = []
    seen: set[str] = set()
    for p in record.photos_of(session, inspection.id):
        if p.item_id != item_id or p.sha256 in seen:
            continue
        seen.add(p.sha256)
        shown = p.preview_sha256 or p.sha256
        held = record.holds(session, inspection, shown)
        photos.append(Photo(p.sha256, p.caption, _local(p.taken_at, zone), thumbnail(shown) if held else None))
    for sha in evidence:
        if sha not in seen:
            seen.add(sha)
            held = record.holds(session, inspection, sha)
            photos.append(Photo(sha, "", "", thumbnail(sha) if held else None))
    return photos[:MAX_PHOTOS]


def _measures(session: Session, inspection: Inspection) -> list[MeasureLine]:
    lines = []
    for iid in inspections.lineage(session, inspection):
        for action in enforcement.actions_of(session, iid):
            issued = session.exec(
                select(Notice.number)
                .where(Notice.action_id == action.id, Notice.status == NoticeStatus.issued)
                .order_by(col(Notice.year), col(Notice.serial))
            ).all()
            label = MEASURE[MeasureType(action.measure.value)]
            items = sorted(action.item_ids or ([action.item_id] if action.item_id else []))
            lines.append(MeasureLine(Bi(label.en, label.zh), items, action.text, action.deadline, list(issued)))
    return lines


def _registration(establishment: object) -> str:
    kind = getattr(establishment, "registration_type", "")
    number = getattr(establishment, "registration_number", "")
    return number if kind == "uscc" else f"{number} ({kind})"


def build(session: Session, inspection: Inspection) -> InspectionReport:
    """The report of this version of the record, as it stands now."""
    zone = zone_of(session, inspection.district_id)
    unit = session.get(OrgUnit, inspection.district_id)
    establishment = orgs.get_establishment_unscoped(session, inspection.establishment_id)
    definitions = findings.pinned_definitions(session, inspection.id)
    registry = current_registry()
    team_ids = [inspection.lead_inspector_id] + [
        u for u in inspections.team_of(session, inspection.id) if u != inspection.lead_inspector_id
    ]
    team = [u.name for u in (session.get(User, uid) for uid in team_ids) if u is not None]
    notes: dict[str, list[str]] = {}
    for n in record.notes_of(session, inspection.id):
        notes.setdefault(n.item_id, []).append(n.text)
    counts = {s.value: 0 for s in FindingStatus}
    entries: list[NonCompliance] = []
    for f in sorted(findings.findings_of(session, inspection.id), key=lambda f: (f.checklist_key, f.item_id)):
        counts[f.status.value] += 1
        if f.status != FindingStatus.non_compliant:
            continue
        checklist = definitions.get(f.checklist_key)
        item = checklist.item(f.item_id) if checklist is not None else None
        question = Bi(item.text.en, item.text.zh) if item is not None else Bi.same(f.item_id)
        cited = [format_citation(b, registry).line for b in item.legal_basis] if item is not None else []
        severity = SEVERITY[item.severity] if item is not None else None
        entries.append(
            NonCompliance(
                item_id=f.item_id,
                question=question,
                citations=[Bi(c.en, c.zh) for c in cited],
                severity=Bi(severity.en, severity.zh) if severity is not None else Bi("", ""),
                value=f.value,
                note=f.note,
                workers=(f.workers_men, f.workers_women, f.workers_under_18),
                notes=notes.get(f.item_id, []),
                photos=_photos(session, inspection, f.item_id, list(f.evidence), zone),
            )
        )
    gps = None
    if inspection.gps_status == "fix" and inspection.gps_latitude is not None and inspection.gps_longitude is not None:
        accuracy = f" ± {inspection.gps_accuracy_m:.1f} m" if inspection.gps_accuracy_m is not None else ""
        when = f" ({_local(inspection.gps_at, zone)})" if inspection.gps_at else ""
        gps = f"{inspection.gps_latitude:.6f}, {inspection.gps_longitude:.6f}{accuracy}{when}"
    submissions = review.submissions_of(session, inspection.id)
    latest = submissions[-1] if submissions else None
    return InspectionReport(
        inspection_id=inspection.id,
        status=inspection.status.value,
        revision=inspection.revision,
        inspectorate=Bi(unit.name_en, unit.name_zh) if unit is not None else Bi("", ""),
        establishment=establishment.name,
        registration=_registration(establishment),
        address=establishment.address,
        visit_date=inspection.visit_date,
        zone=str(zone),
        started_at=_local(inspection.started_at, zone),
        ended_at=_local(inspection.ended_at, zone),
        location=inspection.location,
        gps=gps,
        team=team,
        employer_representative=inspection.employer_representative,
        workers_present=inspection.workers_present,
        summary=inspection.summary,
        counts=counts,
        non_compliances=entries,
        measures=_measures(session, inspection),
        signatures=[
            (s.signer_name, s.signer_role, _local(s.signed_at, zone))
            for s in record.signatures_of(session, inspection.id)
        ],
        sha256=latest.sha256 if latest is not None else None,
        submitted_at=_local(latest.submitted_at, zone) if latest is not None else "",
    )
