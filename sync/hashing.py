"""The content hash of an inspection that ``inspection.submit`` and ``amendment.create`` carry.

``content_hash = "sha256:" + hex(SHA-256(canonical_json(content_document(...))))``; PROTOCOL.md §7 is the
normative text and holds the test vectors the PWA checks against.
"""

import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .canonical import canonical_bytes

HASH_VERSION = 1
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
Tables = dict[str, dict[str, dict[str, Any]]]  # entity -> id -> pulled ``data`` (PROTOCOL.md §5)


class FindingContent(BaseModel):
    """One checklist item's recorded fields and its notes (note texts in ascending ``note_id`` order)."""

    model_config = ConfigDict(extra="forbid")

    item_id: str
    fields: dict[str, Any] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)


class InspectionContent(BaseModel):
    """What a submission attests: header, findings and the hashes of every photo and signature."""

    model_config = ConfigDict(extra="forbid")

    inspection_id: str
    checklist: str
    header: dict[str, Any] = Field(default_factory=dict)
    findings: list[FindingContent] = Field(default_factory=list)
    attachments: list[str] = Field(default_factory=list)


def content_document(content: InspectionContent) -> dict[str, Any]:
    """The JSON document that is hashed: findings sorted by ``item_id``, attachments sorted and unique."""
    for sha in content.attachments:
        if not SHA256_HEX.match(sha):
            raise ValueError(f"attachment hash {sha!r} is not 64 lowercase hex digits")
    findings = sorted(content.findings, key=lambda f: f.item_id)
    if len({f.item_id for f in findings}) != len(findings):
        raise ValueError("duplicate item_id in findings")
    return {
        "hash_version": HASH_VERSION,
        "inspection_id": content.inspection_id.lower(),
        "checklist": content.checklist,
        "header": dict(content.header),
        "findings": [{"item_id": f.item_id, "fields": dict(f.fields), "notes": list(f.notes)} for f in findings],
        "attachments": sorted(set(content.attachments)),
    }


def content_hash(content: InspectionContent) -> str:
    """``sha256:<64 hex>`` of the canonical JSON of :func:`content_document`."""
    return "sha256:" + hashlib.sha256(canonical_bytes(content_document(content))).hexdigest()


def build_content(
    inspection_id: str,
    checklist: str,
    header: Mapping[str, Any],
    findings: Mapping[str, Mapping[str, Any]],
    notes: Mapping[str, Sequence[tuple[str, str]]],
    attachments: Sequence[str],
) -> InspectionContent:
    """Assemble content from stored rows; ``notes`` maps item_id to ``(note_id, text)`` pairs in any order."""
    item_ids = set(findings) | set(notes)
    return InspectionContent(
        inspection_id=inspection_id,
        checklist=checklist,
        header=dict(header),
        findings=[
            FindingContent(
                item_id=item,
                fields=dict(findings.get(item, {})),
                notes=[text for _, text in sorted(notes.get(item, ()))],
            )
            for item in item_ids
        ],
        attachments=list(attachments),
    )


def finding_key(inspection_id: object, item_id: str) -> str:
    """The pull id of a finding: ``<inspection_id>/<item_id>``."""
    return f"{inspection_id}/{item_id}"


def inspection_content(tables: Tables, inspection_id: str) -> InspectionContent:
    """The hashed content of an inspection from pulled rows (server tables and device replicas alike)."""

    def rows(entity: str) -> list[dict[str, Any]]:
        return [r for r in tables.get(entity, {}).values() if r["inspection_id"] == inspection_id]

    notes: dict[str, list[tuple[str, str]]] = {}
    for key, row in tables.get("note", {}).items():
        if row["inspection_id"] == inspection_id:
            notes.setdefault(row["item_id"], []).append((key, row["text"]))
    inspection = tables["inspection"][inspection_id]
    return build_content(
        inspection_id,
        inspection["checklist"],
        inspection["header"],
        {r["item_id"]: r["fields"] for r in rows("finding")},
        notes,
        [r["sha256"] for r in rows("photo") if not r.get("detached")] + [r["sha256"] for r in rows("signature")],
    )
