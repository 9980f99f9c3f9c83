"""The hashed document of ``hash_version: 2`` (PROTOCOL.md §7.2): the whole record a submission attests, built
from a device's protocol rows. The server builds the same document from its domain record
(``backend/inspections/attested.py``) and stores it as the submission snapshot, so both hash it alike.
"""

import contextlib
import hashlib
from collections.abc import Iterable
from datetime import date
from typing import Any

from .canonical import canonical_bytes, canonical_json
from .hashing import Tables

HASH_VERSION = 2
WORKERS = ("men", "women", "under_18")


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _text(value: Any) -> str | None:
    """A finding's ``value``/``remark`` as the record keeps it: a string as it is, any other JSON canonical."""
    return None if value is None else value if isinstance(value, str) else canonical_json(value)


def utf16_order(entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entries sorted by their canonical JSON compared as UTF-16 code units (``<`` on strings in ECMAScript)."""
    return sorted(entries, key=lambda e: canonical_json(e).encode("utf-16-be"))


def _keeps(name: str, value: Any) -> bool:
    if name == "workers_present":
        return isinstance(value, int) and not isinstance(value, bool)
    return name in ("location", "employer_representative", "summary") and isinstance(value, str) and value != ""


def header_v2(header: dict[str, Any]) -> dict[str, Any]:
    """The header fields the record keeps, of the values it keeps (as ``vocabulary.header_to_domain`` reads them):
    text fields that are non-empty text, ``workers_present`` an integer, a ``location`` object with coordinates as
    ``gps: {lat, lon, accuracy_m}``."""
    out: dict[str, Any] = {}
    for name, value in header.items():
        if name == "visit_date" and isinstance(value, str):
            with contextlib.suppress(ValueError):
                out["visit_date"] = date.fromisoformat(value).isoformat()
        elif name == "location" and isinstance(value, dict):
            lat, lon = _number(value.get("lat")), _number(value.get("lon"))
            if lat is not None and lon is not None:
                out["gps"] = {"lat": lat, "lon": lon, "accuracy_m": _number(value.get("accuracy_m"))}
        elif _keeps(name, value):
            out[name] = value
    return out


def finding_v2(item_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    workers = fields.get("workers_affected") or {}
    return {
        "item_id": item_id,
        "status": fields["status"],
        "value": _text(fields.get("value")),
        "remark": _text(fields.get("remark")) or "",
        "workers_affected": {k: workers.get(k, 0) for k in WORKERS},
    }


def document_v2(tables: Tables, inspection_id: str) -> dict[str, Any]:
    """The v2 document of an inspection from pulled rows (a device's replica, or the reference server's)."""

    def rows(entity: str) -> list[dict[str, Any]]:
        return [r for r in tables.get(entity, {}).values() if r.get("inspection_id") == inspection_id]

    inspection = tables["inspection"][inspection_id]
    photos = [p for p in rows("photo") if not p.get("detached")]
    return {
        "hash_version": HASH_VERSION,
        "inspection_id": inspection_id.lower(),
        "checklist": inspection["checklist"],
        "header": header_v2(inspection["header"]),
        "findings": sorted(
            (finding_v2(f["item_id"], f["fields"]) for f in rows("finding") if f["fields"].get("status") is not None),
            key=lambda f: f["item_id"],
        ),
        "notes": utf16_order({"item_id": n["item_id"], "text": n["text"]} for n in rows("note")),
        "photos": utf16_order(
            {
                "sha256": p["sha256"],
                "preview_sha256": (p.get("preview") or {}).get("sha256"),
                "item_id": p.get("item_id"),
                "latitude": _number((p.get("geo") or {}).get("lat")),
                "longitude": _number((p.get("geo") or {}).get("lon")),
                "accuracy_m": _number((p.get("geo") or {}).get("accuracy_m")),
                "caption": p.get("caption") or "",
            }
            for p in photos
        ),
        "signatures": utf16_order(
            {"signer_name": s["signer_name"], "signer_role": s["signer_role"], "sha256": s["sha256"]}
            for s in rows("signature")
        ),
        "interviews": utf16_order(
            {"men": i["men"], "women": i["women"], "under_18": i["under_18"], "note": i.get("note") or ""}
            for i in rows("interview")
        ),
        "measures": utf16_order(
            {
                "measure": a["measure"],
                "item_ids": [a["item_id"]] if a.get("item_id") else [],
                "deadline_days": a.get("deadline_days"),
                "text": a.get("text") or "",
            }
            for a in rows("action")
        ),
    }


def hash_of(document: dict[str, Any]) -> str:
    """``sha256:<64 hex>`` of a hashed document's canonical JSON (any ``hash_version``)."""
    return "sha256:" + hashlib.sha256(canonical_bytes(document)).hexdigest()


def content_hash_v2(tables: Tables, inspection_id: str) -> str:
    return hash_of(document_v2(tables, inspection_id))
