"""Mirroring protocol rows into the inspection domain through its services, and turning domain
``Problem``s into ``Rejected`` outcomes (never a 5xx).
"""

import functools
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from backend.audit.service import jsonable
from backend.auth.models import User
from backend.checklists.definition import Checklist
from backend.device_sync.store import SqlStore
from backend.errors import Conflict, Forbidden, NotFound, Problem
from backend.inspections import findings, interviews, record, vocabulary
from backend.inspections import service as inspections
from backend.inspections.finding_batch import FindingBatch
from backend.inspections.interviews import InterviewCreate
from backend.inspections.models import Inspection
from backend.inspections.schemas import FindingRecord, InspectionUpdate
from backend.orgs import scope, timezone
from sync import mutations as mu
from sync.errors import Rejected
from sync.protocol import Outcome
from sync.registry import MutationContext

Ctx = MutationContext[SqlStore]
REASONS = {"inspection.id_taken": "exists", "inspection.locked": "immutable", "inspection.not_team_member": "forbidden"}


def rejection(problem: Problem) -> Rejected:
    if problem.code in REASONS:
        reason = REASONS[problem.code]
    elif isinstance(problem, NotFound):
        reason = "not_found"
    elif isinstance(problem, Forbidden):
        reason = "forbidden"
    elif isinstance(problem, Conflict) and problem.code == "inspection.missing_attachments":
        reason = "missing_attachments"
    else:
        reason = "invalid"
    return Rejected(reason, problem.detail, {"code": problem.code, **jsonable(problem.context)})


def domain_rules(fn: Callable[[Ctx, Any], Outcome]) -> Callable[[Ctx, Any], Outcome]:
    """A handler whose domain ``Problem``s and invalid domain shapes become ``rejected`` outcomes."""

    @functools.wraps(fn)
    def wrapper(ctx: Ctx, args: Any) -> Outcome:
        try:
            return fn(ctx, args)
        except Problem as problem:
            raise rejection(problem) from problem
        except ValidationError as exc:
            detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
            raise Rejected("invalid", detail) from exc

    return wrapper


def domain_inspection(ctx: Ctx, inspection_id: str) -> Inspection:
    """The domain record a protocol inspection writes to — the original, or after ``amendment.create`` its
    latest amendment (``record_id``) — if the actor may see it (outside the scope: ``not_found``)."""
    row = ctx.store.peek("inspection", inspection_id)
    target = row.get("record_id", inspection_id) if row else inspection_id
    memo, uid = ctx.store.memo, ctx.actor.user_id
    seen = memo.visible.setdefault(uid, {})
    found = seen.get(target)
    if found is None:  # the scope check's answer holds for the whole request
        session, user = ctx.store.session, ctx.store.user(ctx.actor)
        if uid not in memo.visible_units:
            memo.visible_units[uid] = scope.visible_units(session, user)
        found = seen[target] = inspections.get_visible_in(session, user, uuid.UUID(target), memo.visible_units[uid])
    return found


def acting_user(ctx: Ctx, inspection: Inspection, author: str | None = None) -> User:
    """Who a domain write is made as: the sender (the rules let only team members write), or for a resolved
    conflict the team member who wrote the value chosen; never someone outside the team."""
    session = ctx.store.session
    if author is not None:
        writer = session.get(User, uuid.UUID(author))
        if writer is not None and inspections.is_member(session, writer, inspection):
            return writer
    return ctx.store.user(ctx.actor)


def started_at(ctx: Ctx) -> datetime:
    """When the device made the change: its clock at the mutation (``client_ts``), never later than now (for
    ``inspection.create``, the start of the visit; for a photo, note or signature, when it was taken or made)."""
    now = datetime.now(UTC)
    return min(ctx.client_ts, now) if ctx.client_ts is not None and ctx.client_ts.tzinfo is not None else now


def created_header(ctx: Ctx, values: dict[str, Any], district_id: uuid.UUID) -> dict[str, Any]:
    """The header of ``inspection.create`` with the visit date the domain keeps: the app dated a new inspection
    with the UTC date of its clock (``toISOString``), so one started at 07:30 in Beijing was dated the day
    before. Such a date — the UTC date of ``client_ts`` where the local one differs — is the start's local date;
    any other date the inspector gave stands. Without a visit date, the domain derives it from the start."""
    given, sent = values.get("visit_date"), ctx.client_ts
    if sent is None or sent.tzinfo is None or not isinstance(given, str):
        return values
    local = timezone.local_date(ctx.store.session, district_id, started_at(ctx)).isoformat()
    if given == sent.astimezone(UTC).date().isoformat() and given != local:
        return {**values, "visit_date": local}
    return values


def header(ctx: Ctx, inspection_id: str, values: dict[str, Any], author: str | None = None) -> None:
    """Carry the written protocol header fields over to the domain inspection (only what differs)."""
    inspection = domain_inspection(ctx, inspection_id)
    changes: dict[str, Any] = {}
    for name, value in vocabulary.header_to_domain(values, started_at(ctx)).items():
        if name == "gps":
            fix = (inspection.gps_latitude, inspection.gps_longitude, inspection.gps_accuracy_m, inspection.gps_at)
            if inspection.gps_status != "fix" or fix != tuple(value.values()):
                changes["gps"] = value
        elif getattr(inspection, name) != value:
            changes[name] = value
    if inspection.started_at is None:  # assigned over REST: the visit starts with the team's first write
        changes["started_at"] = started_at(ctx)
    if changes:
        user = acting_user(ctx, inspection, author)
        inspections.update_header(ctx.store.session, user, inspection, InspectionUpdate(**changes))


def _pinned(ctx: Ctx, target: Inspection) -> dict[str, Checklist]:
    """The pinned checklist definitions of the domain record (fixed at creation; looked up once per request)."""
    found = ctx.store.memo.definitions.get(target.id)
    if found is None:
        found = ctx.store.memo.definitions[target.id] = findings.pinned_definitions(ctx.store.session, target.id)
    return found


def check_item(ctx: Ctx, inspection_id: str, item_id: str) -> None:
    """``finding.unknown_item`` unless the item is in the inspection's pinned checklist."""
    definitions = _pinned(ctx, domain_inspection(ctx, inspection_id))
    findings.find_item(definitions, next(iter(definitions)), item_id)


def finding(ctx: Ctx, inspection_id: str, item_id: str, author: str | None = None) -> None:
    """Record the item's merged fields (and photos as evidence) as the domain finding, once it has a status."""
    store = ctx.store
    row = store.peek("finding", f"{inspection_id}/{item_id}")
    fields = row["fields"] if row else {}
    status = fields.get("status")
    if status is None:
        return
    photos = store.peek_rows("photo", inspection_id).values()
    evidence = sorted({p["sha256"] for p in photos if p.get("item_id") == item_id and not p.get("detached")})
    inspection = domain_inspection(ctx, inspection_id)
    definitions = _pinned(ctx, inspection)
    data = FindingRecord(
        checklist_key=next(iter(definitions)), item_id=item_id, evidence=evidence,
        **vocabulary.finding_to_domain(fields),
    )  # fmt: skip
    user = acting_user(ctx, inspection, author)
    finding_batch(store).record(user, inspection, data, definitions)


def finding_batch(store: SqlStore) -> FindingBatch:
    """The request's domain finding writer: rows held back until ``write_behind`` when the store is batched."""
    batch = store.memo.finding_batch
    if batch is None:
        batch = store.memo.finding_batch = FindingBatch(store.session, deferred=store.batched)
    return batch


def interview(ctx: Ctx, inspection_id: str, args: mu.InterviewRecord) -> None:
    """Keep the interview (counts and an anonymous note) with the domain inspection."""
    inspection = domain_inspection(ctx, inspection_id)
    data = InterviewCreate(
        id=args.interview_id, men=args.men, women=args.women, under_18=args.under_18, note=args.note or ""
    )
    interviews.record(ctx.store.session, acting_user(ctx, inspection), inspection, data)


def photo(ctx: Ctx, inspection_id: str, args: mu.PhotoAttach) -> None:
    """Keep the photo (hash, preview, where and when it was taken, the item it documents) in the record."""
    inspection = domain_inspection(ctx, inspection_id)
    data = record.PhotoCreate(**vocabulary.photo_to_domain(args.model_dump(mode="json"), started_at(ctx)))
    record.attach_photo(ctx.store.session, acting_user(ctx, inspection), inspection, data)


def photo_detached(ctx: Ctx, inspection_id: str, photo_id: uuid.UUID) -> None:
    """A removed photo leaves the record (its protocol row stays as a tombstone for the devices)."""
    inspection = domain_inspection(ctx, inspection_id)
    record.detach_photo(ctx.store.session, acting_user(ctx, inspection), inspection, photo_id)


def signature(ctx: Ctx, inspection_id: str, args: mu.SignatureAttach) -> None:
    """Keep the signature (signer, role, when, the image's hash) in the record."""
    inspection = domain_inspection(ctx, inspection_id)
    data = record.SignatureCreate(
        id=args.signature_id, signer_name=args.signer_name, signer_role=args.signer_role, sha256=args.sha256,
        signed_at=started_at(ctx),
    )  # fmt: skip
    record.attach_signature(ctx.store.session, acting_user(ctx, inspection), inspection, data)


def note(ctx: Ctx, inspection_id: str, args: mu.FindingNote) -> None:
    """Keep an item's appended note in the record."""
    inspection = domain_inspection(ctx, inspection_id)
    data = record.NoteCreate(id=args.note_id, item_id=args.item_id, text=args.text, recorded_at=started_at(ctx))
    record.add_note(ctx.store.session, acting_user(ctx, inspection), inspection, data)
