"""The one translation between the protocol's field names (``sync/PROTOCOL.md`` §6, what tablets send and pull)
and the inspection domain's. Nothing else maps one to the other: ``device_sync.mirror`` (protocol → domain),
``device_sync.feed`` (domain → protocol rows) and ``inspections.attested`` (the hashed v2 document) all go through
these tables. Wire names never change: old tablets keep sending them.
"""

import contextlib
from datetime import date, datetime
from typing import Any

from backend.inspections.models import Finding, Inspection
from sync.canonical import canonical_json

# protocol field → the domain columns it fills
HEADER: dict[str, tuple[str, ...]] = {
    "visit_date": ("visit_date",),
    # text: where the visit took place; an object {lat, lon, accuracy_m, at?}: the GPS fix (today's tablets)
    "location": ("location", "gps_latitude", "gps_longitude", "gps_accuracy_m", "gps_at", "gps_status"),
    "employer_representative": ("employer_representative",),
    "workers_present": ("workers_present",),
    "summary": ("summary",),
}
FINDING: dict[str, tuple[str, ...]] = {
    "status": ("status",),
    "value": ("value",),
    "remark": ("note",),
    "workers_affected": ("workers_men", "workers_women", "workers_under_18"),
}
STATUS_TO_DOMAIN = {"not_checked": "not_verified"}
STATUS_TO_WIRE = {domain: wire for wire, domain in STATUS_TO_DOMAIN.items()}
WORKERS = {"men": "workers_men", "women": "workers_women", "under_18": "workers_under_18"}


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def moment(value: Any) -> datetime | None:
    """An ISO 8601 time with its offset (``Z`` included), or None."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def gps(value: Any, taken_at: datetime | None) -> dict[str, Any]:
    """A device's fix ``{lat, lon, accuracy_m, at?}`` as domain values (no coordinates: ``no_fix``)."""
    lat, lon = _number(value.get("lat")), _number(value.get("lon"))
    if lat is None or lon is None:
        return {"gps_status": "no_fix"}
    at = moment(value.get("at")) or taken_at
    return {"gps": {"latitude": lat, "longitude": lon, "accuracy_m": _number(value.get("accuracy_m")), "at": at}}


def header_to_domain(values: dict[str, Any], taken_at: datetime | None) -> dict[str, Any]:
    """``InspectionUpdate`` fields for the written protocol header fields; a value of another type than the
    domain keeps (the protocol row holds any JSON) is left out."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name == "visit_date" and isinstance(value, str):
            with contextlib.suppress(ValueError):
                out["visit_date"] = date.fromisoformat(value)
        elif name == "location" and isinstance(value, str):
            out["location"] = value
        elif name == "location" and isinstance(value, dict):
            out.update(gps(value, taken_at))
        elif (name in ("employer_representative", "summary") and isinstance(value, str)) or (
            name == "workers_present" and isinstance(value, int) and not isinstance(value, bool)
        ):
            out[name] = value
    return out


def finding_to_domain(fields: dict[str, Any]) -> dict[str, Any]:
    """``FindingRecord`` fields (without the item and evidence) for a protocol finding's merged fields; a value or
    remark that is not text is kept as its canonical JSON (what the v2 content hash holds, PROTOCOL.md §7.2)."""
    value, remark = fields.get("value"), fields.get("remark")
    workers = fields.get("workers_affected") or {}
    status = fields["status"]
    return {
        "status": STATUS_TO_DOMAIN.get(status, status),
        "value": None if value is None else value if isinstance(value, str) else canonical_json(value),
        "note": remark if isinstance(remark, str) else "" if remark is None else canonical_json(remark),
        **{column: workers.get(wire, 0) for wire, column in WORKERS.items()},
    }


def finding_to_wire(finding: Finding) -> dict[str, Any]:
    """A domain finding's values under the protocol's names (``remark`` None when there is no note)."""
    status = finding.status.value
    return {
        "status": STATUS_TO_WIRE.get(status, status),
        "remark": finding.note or None,
        "value": finding.value,
        "workers_affected": {wire: getattr(finding, column) for wire, column in WORKERS.items()},
    }


def header_to_wire(inspection: Inspection) -> dict[str, Any]:
    """The protocol header of an inspection created outside sync: only the fields it has."""
    header: dict[str, Any] = {}
    if inspection.visit_date is not None:
        header["visit_date"] = inspection.visit_date.isoformat()
    for name in ("location", "employer_representative", "summary"):
        if getattr(inspection, name):
            header[name] = getattr(inspection, name)
    if inspection.workers_present is not None:
        header["workers_present"] = inspection.workers_present
    return header


def photo_to_domain(args: dict[str, Any], taken_at: datetime | None) -> dict[str, Any]:
    """``PhotoCreate`` fields for ``photo.attach`` args (``geo`` and ``preview`` flattened)."""
    geo, preview = args.get("geo") or {}, args.get("preview") or {}
    return {
        "id": args["photo_id"], "item_id": args.get("item_id"), "sha256": args["sha256"], "bytes": args["bytes"],
        "mime": args["mime"], "preview_sha256": preview.get("sha256"), "preview_bytes": preview.get("bytes"),
        "preview_mime": preview.get("mime"), "latitude": _number(geo.get("lat")), "longitude": _number(geo.get("lon")),
        "accuracy_m": _number(geo.get("accuracy_m")), "taken_at": moment(geo.get("at")) or taken_at,
    }  # fmt: skip
