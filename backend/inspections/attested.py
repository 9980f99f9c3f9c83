"""The ``hash_version: 2`` document of ``sync/PROTOCOL.md`` §7.2 built from the domain record: what a device's
submission attests and the server stores as the submission snapshot, so the snapshot's SHA-256 is the device's
content hash (``sync.attested`` builds the same document from the device's rows).
"""

from typing import Any

from sqlmodel import Session

from backend.inspections import findings, interviews, record, vocabulary
from backend.inspections import service as inspections
from backend.inspections.models import Inspection
from sync.attested import HASH_VERSION, utf16_order


def _header(inspection: Inspection) -> dict[str, Any]:
    header = vocabulary.header_to_wire(inspection)
    if inspection.gps_status == "fix" and inspection.gps_latitude is not None and inspection.gps_longitude is not None:
        header["gps"] = {
            "lat": inspection.gps_latitude, "lon": inspection.gps_longitude, "accuracy_m": inspection.gps_accuracy_m,
        }  # fmt: skip
    return header


def document(session: Session, inspection: Inspection, inspection_id: str | None = None) -> dict[str, Any]:
    """The v2 document of the domain record; ``inspection_id`` is the id the device knows it by (for an
    amendment, the original's), by default the record's own. Measures are those of every version it amends too."""
    pinned = inspections.checklists_of(session, inspection.id)
    measures = [m for iid in inspections.lineage(session, inspection) for m in record.measures_of(session, iid)]
    return {
        "hash_version": HASH_VERSION,
        "inspection_id": (inspection_id or str(inspection.id)).lower(),
        "checklist": f"{pinned[0].key}@{pinned[0].version}" if pinned else "",
        "header": _header(inspection),
        "findings": sorted(
            (
                {
                    "item_id": f.item_id,
                    **(wire := vocabulary.finding_to_wire(f)),
                    "remark": wire["remark"] or "",  # v2 hashes an absent remark as ""
                }
                for f in findings.findings_of(session, inspection.id)
            ),
            key=lambda f: f["item_id"],
        ),
        "notes": utf16_order({"item_id": n.item_id, "text": n.text} for n in record.notes_of(session, inspection.id)),
        "photos": utf16_order(
            {
                "sha256": p.sha256,
                "preview_sha256": p.preview_sha256,
                "item_id": p.item_id,
                "latitude": p.latitude,
                "longitude": p.longitude,
                "accuracy_m": p.accuracy_m,
                "caption": p.caption or "",
            }
            for p in record.photos_of(session, inspection.id)
        ),
        "signatures": utf16_order(
            {"signer_name": s.signer_name, "signer_role": s.signer_role, "sha256": s.sha256}
            for s in record.signatures_of(session, inspection.id)
        ),
        "interviews": utf16_order(
            {"men": i.men, "women": i.women, "under_18": i.under_18, "note": i.note or ""}
            for i in interviews.interviews_of(session, inspection.id)
        ),
        "measures": utf16_order(
            {
                "measure": m["measure"],
                "item_ids": m["item_ids"],
                "deadline_days": m["deadline_days"],
                "text": m["text"] or "",
            }
            for m in measures
        ),
    }
