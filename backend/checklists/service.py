"""Publishing checklist files to immutable versions, and reading the published ones."""

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from backend import changes
from backend.audit import service as audit_log
from backend.changes import ChecklistChanged
from backend.checklists import present
from backend.checklists.authority import configured_authorities
from backend.checklists.definition import Checklist
from backend.checklists.loader import content_sha256, load_library
from backend.checklists.models import ChecklistPublic, ChecklistSummary, PublishedChecklist, Title
from backend.db import insert_once
from backend.errors import Conflict, NotFound


@dataclass(frozen=True)
class PublishResult:
    key: str
    version: int
    created: bool


class _Taken(Exception):
    """The (key, version) row was inserted by another transaction between the check and the insert."""


def publish(session: Session, checklist: Checklist, *, actor_id: uuid.UUID | None) -> PublishResult:
    """Publish one checklist version. Identical content again is a no-op; changed content is refused."""
    digest = content_sha256(checklist)
    published = _already(session, checklist, digest)
    if published is not None:
        return published
    row = PublishedChecklist(
        key=checklist.key,
        version=checklist.version,
        sha256=digest,
        title_en=checklist.title.en,
        title_zh=checklist.title.zh,
        item_count=len(checklist.items()),
        definition=checklist.model_dump(mode="json"),
    )
    try:
        insert_once(session, _Taken(), row)
    except _Taken:  # published by a concurrent start-up since the check: the same answer as if it had been first
        published = _already(session, checklist, digest)
        if published is None:
            raise
        return published
    changes.record(session, ChecklistChanged(row.id))
    audit_log.record(session, actor_id, "checklist.publish", "checklist", f"{row.key}@{row.version}", sha256=digest)
    return PublishResult(checklist.key, checklist.version, created=True)


def _already(session: Session, checklist: Checklist, digest: str) -> PublishResult | None:
    """``created=False`` when this version is published with this content, ``checklist.version_changed`` when with
    other content, None when it is not published."""
    existing = session.exec(
        select(PublishedChecklist).where(
            PublishedChecklist.key == checklist.key, PublishedChecklist.version == checklist.version
        )
    ).first()
    if existing is None:
        return None
    if existing.sha256 != digest:
        raise Conflict(
            "checklist.version_changed",
            f"{checklist.key} version {checklist.version} is already published with other content; "
            "bump the version to publish a change.",
            key=checklist.key,
            version=checklist.version,
        )
    return PublishResult(checklist.key, checklist.version, created=False)


def publish_dir(session: Session, directory: Path, *, actor_id: uuid.UUID | None) -> list[PublishResult]:
    """Publish the library, and have every published version served to devices again: what the server adds to
    a definition (authority, the measure offered, citations) follows the registry and the inspectorate's
    authorities, which may have changed since (the projection rewrites only the rows that differ)."""
    library = load_library(directory)
    results = [publish(session, c, actor_id=actor_id) for c in library.checklists]
    ids = session.exec(select(PublishedChecklist.id)).all()
    changes.record(session, *(ChecklistChanged(i) for i in ids))
    return results


def _summary(row: PublishedChecklist) -> ChecklistSummary:
    return ChecklistSummary.model_validate(row, update={"title": Title(en=row.title_en, zh=row.title_zh)})


def list_published(session: Session, *, all_versions: bool = False) -> list[ChecklistSummary]:
    stmt = select(PublishedChecklist).order_by(col(PublishedChecklist.key), col(PublishedChecklist.version))
    if not all_versions:
        latest = (
            select(PublishedChecklist.key, func.max(PublishedChecklist.version).label("v"))
            .group_by(col(PublishedChecklist.key))
            .subquery()
        )
        stmt = stmt.join(
            latest, (col(PublishedChecklist.key) == latest.c.key) & (col(PublishedChecklist.version) == latest.c.v)
        )
    return [_summary(row) for row in session.exec(stmt).all()]


def get_published(session: Session, key: str, version: int) -> PublishedChecklist:
    row = session.exec(
        select(PublishedChecklist).where(PublishedChecklist.key == key, PublishedChecklist.version == version)
    ).first()
    if row is None:
        raise NotFound("checklist.not_found", f"No published checklist {key} version {version}.")
    return row


def served_definition(row: PublishedChecklist) -> dict[str, Any]:
    """The definition as clients receive it: each item with its official citations and the measure this
    inspectorate can take (``backend.checklists.present``)."""
    return present.annotate(row.definition, definition_of(row), present.current_registry(), configured_authorities())


def to_public(row: PublishedChecklist) -> ChecklistPublic:
    return ChecklistPublic.model_validate(_summary(row), update={"definition": served_definition(row)})


_PARSED: dict[tuple[str, int, str], Checklist] = {}


def definition_of(row: PublishedChecklist) -> Checklist:
    """The parsed definition. A published version never changes (its content hash is checked on publishing),
    so the parse is kept per process, keyed by key, version and hash; callers must not mutate it."""
    cache_key = (row.key, row.version, row.sha256)
    parsed = _PARSED.get(cache_key)
    if parsed is None:
        parsed = _PARSED[cache_key] = Checklist.model_validate(row.definition)
    return parsed


def published_definition(session: Session, key: str, version: int) -> Checklist:
    """``definition_of(get_published(...))``, reading the definition's JSON only when its parse is not kept yet
    (a device's push looks up the checklists its inspections pinned once per request)."""
    sha256 = session.exec(
        select(PublishedChecklist.sha256).where(PublishedChecklist.key == key, PublishedChecklist.version == version)
    ).first()
    parsed = _PARSED.get((key, version, sha256)) if sha256 is not None else None
    return parsed if parsed is not None else definition_of(get_published(session, key, version))
