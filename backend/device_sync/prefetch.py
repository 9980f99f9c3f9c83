"""Reading ahead for a batched push: the rows its mutations will need, fetched a few queries per request instead
of a few per inspection. Only caches are filled; every check still runs when the mutation is applied."""

from collections.abc import Sequence
from uuid import UUID

from sqlmodel import col, select

from backend.device_sync import mirror
from backend.device_sync.store import SqlStore
from backend.errors import Problem
from backend.inspections import findings
from backend.inspections.models import Inspection
from sync.protocol import Mutation

HELD = ("finding", "photo")  # the protocol rows ``finding.record`` and ``photo.attach`` read per inspection


def _canonical_id(value: str) -> str | None:
    try:
        return str(UUID(value))
    except ValueError:
        return None  # the mutation will be rejected as invalid; nothing to read for it


def warm(store: SqlStore, mutations: Sequence[Mutation]) -> None:
    """Fill ``store``'s caches for the inspections that ``mutations`` not applied yet name: their protocol rows (with
    their findings and photos), the domain records they write to, the checklists those pinned and their findings."""
    known = store.applied_many([m.id for m in mutations])  # cached: the engine's own lookup reads no more
    named = {v for m in mutations if m.id not in known and isinstance(v := m.args.get("inspection_id"), str)}
    ids = sorted({i for v in named if (i := _canonical_id(v)) is not None})
    if not ids:
        return
    store.preload(ids, HELD)
    targets: list[UUID] = []
    for iid in ids:
        row = store.peek("inspection", iid)
        if row is not None:
            targets.append(UUID(row.get("record_id", iid)))
    if not targets:
        return
    session = store.session
    # Held here, strongly: the session's identity map is weak, and ``mirror.domain_inspection`` finds them there.
    store.memo.prefetched = session.exec(select(Inspection).where(col(Inspection.id).in_(targets))).all()
    try:
        pinned = findings.pinned_definitions_many(session, targets)
    except Problem:  # e.g. a pinned checklist not published: left to the mutation, which is then rejected
        pinned = {}
    for target, definitions in pinned.items():
        store.memo.definitions.setdefault(target, definitions)
    mirror.finding_batch(store).preload(targets)
