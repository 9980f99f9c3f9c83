"""SQL mutation handlers: the reference rules of ``sync.memory_handlers`` over ``SqlStore``, with every
change also made through the inspection domain's services (see ``mirror``).
"""

from typing import Any
from uuid import UUID, uuid5

from backend.attachments import citations
from backend.attachments import service as attachments
from backend.device_sync import (
    followup,
    mirror,
    notices,  # enforcement cases (issue 17)
    verification,  # enforcement cases (issue 17)
)
from backend.device_sync.mirror import Ctx, domain_rules
from backend.device_sync.visibility import PRIVILEGED
from backend.inspections import attested, review
from backend.inspections import service as inspections
from backend.inspections.models import InspectionType
from backend.inspections.schemas import AmendmentCreate, InspectionCreate, PinnedChecklist
from sync import mutations as mu
from sync.attested import hash_of
from sync.errors import Rejected
from sync.hashing import Tables, content_hash, finding_key, inspection_content
from sync.protocol import Outcome
from sync.registry import Registry, applied, conflict
from sync.rules import (
    NS,
    check_fields,
    detach_photo,
    draft_check,
    empty_finding,
    member_check,
    new_record,
    open_conflicts,
    resolve_conflict,
    team_check,
    write_fields,
)


def _inspection(ctx: Ctx, inspection_id: UUID, *, draft: bool = True, lead: bool = False) -> dict[str, Any]:
    """The inspection's row (a copy to change) once the actor may write to it."""
    _check(ctx, inspection_id, draft=draft, lead=lead)
    insp = ctx.store.get("inspection", str(inspection_id))
    assert insp is not None
    return insp


def _check(ctx: Ctx, inspection_id: UUID, *, draft: bool = True, lead: bool = False) -> None:
    """``not_found``, ``forbidden`` or ``immutable`` unless the actor may write to the inspection."""
    insp = ctx.store.peek("inspection", str(inspection_id))
    if insp is None:
        raise Rejected("not_found", f"inspection {inspection_id} does not exist")
    privileged = ctx.actor.role in PRIVILEGED
    if privileged:
        mirror.domain_inspection(ctx, str(inspection_id))  # outside the supervisor's area: not_found
    member_check(ctx.actor, insp, privileged=privileged, lead=lead)
    if draft:
        draft_check(insp)


def _uuid(value: str, what: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise Rejected("invalid", f"{what} {value!r} is not a UUID") from None


@domain_rules
def inspection_create(ctx: Ctx, a: mu.InspectionCreate) -> Outcome:
    check_fields(a.header, mu.HEADER_FIELDS)
    iid = str(a.inspection_id)
    if ctx.store.get("inspection", iid) is not None:
        raise Rejected("exists", f"inspection {iid} already exists")
    key, _, version = a.checklist.partition("@")
    team = [_uuid(t, "team member") for t in a.team]
    data = InspectionCreate(
        id=a.inspection_id, establishment_id=_uuid(a.establishment_id, "establishment_id"),
        type=InspectionType(a.type), team=team, checklists=[PinnedChecklist(key=key, version=int(version))],
        started_at=mirror.started_at(ctx),
    )  # fmt: skip
    inspection = inspections.create(ctx.store.session, ctx.store.user(ctx.actor), data)
    version_ = ctx.store.next_version()
    me = {"version": version_, "author": ctx.actor.user_id, "mutation_id": str(ctx.mutation_id)}
    row = {
        "establishment_id": a.establishment_id, "checklist": a.checklist, "lead": ctx.actor.user_id,
        "team": sorted(str(u) for u in inspections.team_of(ctx.store.session, inspection.id)),
        "status": "draft", "header": dict(a.header), "header_meta": {f: dict(me) for f in a.header},
        "header_conflicts": {}, "submission_id": None, "submitted_hash": None, "type": a.type,
    }  # fmt: skip
    outcome = new_record(ctx, "inspection", a.inspection_id, row, iid)
    mirror.header(ctx, iid, mirror.created_header(ctx, a.header, inspection.district_id))
    return outcome


@domain_rules
def inspection_update(ctx: Ctx, a: mu.InspectionUpdate) -> Outcome:
    iid = str(a.inspection_id)
    insp = _inspection(ctx, a.inspection_id)
    check_fields(a.fields, mu.HEADER_FIELDS)
    outcome = write_fields(ctx, "inspection", iid, insp, "header", a, iid)
    mirror.header(ctx, iid, {f: insp["header"][f] for f in a.fields if f in insp["header"]})
    return outcome


@domain_rules
def finding_record(ctx: Ctx, a: mu.FindingRecord) -> Outcome:
    iid = str(a.inspection_id)
    _check(ctx, a.inspection_id)
    check_fields(a.fields, mu.FINDING_FIELDS)
    mirror.check_item(ctx, iid, a.item_id)
    key = finding_key(iid, a.item_id)
    row = ctx.store.get_in("finding", key, iid) or empty_finding(iid, a.item_id)
    outcome = write_fields(ctx, "finding", key, row, "fields", a, iid)
    mirror.finding(ctx, iid, a.item_id)
    return outcome


@domain_rules
def finding_note(ctx: Ctx, a: mu.FindingNote) -> Outcome:
    _check(ctx, a.inspection_id)
    data = {"inspection_id": str(a.inspection_id), "item_id": a.item_id, "text": a.text}
    outcome = new_record(ctx, "note", a.note_id, data, str(a.inspection_id))
    mirror.note(ctx, str(a.inspection_id), a)
    return outcome


@domain_rules
def photo_attach(ctx: Ctx, a: mu.PhotoAttach) -> Outcome:
    iid = str(a.inspection_id)
    _check(ctx, a.inspection_id)
    outcome = new_record(ctx, "photo", a.photo_id, a.model_dump(mode="json", exclude={"photo_id"}), iid)
    session, target = ctx.store.session, mirror.domain_inspection(ctx, iid)  # someone else's blob: forbidden
    shas = [a.sha256] if a.preview is None else [a.sha256, a.preview.sha256]
    citations.cite(session, UUID(ctx.actor.user_id), shas, inspections.lineage(session, target))
    mirror.photo(ctx, iid, a)
    if a.item_id is not None:
        mirror.finding(ctx, iid, a.item_id)
    return outcome


@domain_rules
def photo_detach(ctx: Ctx, a: mu.PhotoDetach) -> Outcome:
    iid, key = str(a.inspection_id), str(a.photo_id)
    _check(ctx, a.inspection_id)
    row = ctx.store.get_in("photo", key, iid)
    outcome = detach_photo(ctx, row, key, iid)
    mirror.photo_detached(ctx, iid, a.photo_id)
    if row is not None and row.get("item_id") is not None:
        mirror.finding(ctx, iid, row["item_id"])  # the photo leaves the finding's evidence
    return outcome


@domain_rules
def signature_attach(ctx: Ctx, a: mu.SignatureAttach) -> Outcome:
    _check(ctx, a.inspection_id)
    data = a.model_dump(mode="json", exclude={"signature_id"})
    outcome = new_record(ctx, "signature", a.signature_id, data, str(a.inspection_id))
    session, target = ctx.store.session, mirror.domain_inspection(ctx, str(a.inspection_id))
    citations.cite(session, UUID(ctx.actor.user_id), [a.sha256], inspections.lineage(session, target))
    mirror.signature(ctx, str(a.inspection_id), a)
    return outcome


def _seal(ctx: Ctx, insp: dict[str, Any], iid: str, claimed: str, extra: dict[str, Any]) -> Outcome:
    """Check attachments and the device's hash, submit the domain record, and record the submission.

    A ``hash_version: 2`` hash is of the domain record's v2 document, which becomes the submission snapshot;
    a ``hash_version: 1`` hash (older app versions) is of the protocol rows, stored beside today's snapshot."""
    tables: Tables = {e: ctx.store.rows(e, iid) for e in ("finding", "note", "photo", "signature")}
    tables["inspection"] = {iid: insp}
    content = inspection_content(tables, iid)
    missing = attachments.unverified(ctx.store.session, sorted(set(content.attachments)))
    if missing:
        raise Rejected("missing_attachments", "some attachments are not uploaded and verified", {"missing": missing})
    session, inspection = ctx.store.session, mirror.domain_inspection(ctx, iid)  # after an amendment: its copy
    v1_hash, v2_hash = content_hash(content), hash_of(attested.document(session, inspection, iid))
    if claimed not in (v1_hash, v2_hash):
        detail = {"server_hash": v1_hash, "server_hash_v2": v2_hash}
        raise Rejected("hash_mismatch", "the server computed another content hash", detail)
    ctx.store.put_in("inspection", iid, insp, iid)  # the domain record to submit may have changed (amendment)
    version_2 = claimed == v2_hash
    review.submit(session, ctx.store.user(ctx.actor), inspection, device_content_hash=claimed,
                  attested=iid if version_2 else None)  # fmt: skip
    submission_id = uuid5(NS, f"{ctx.mutation_id}:submission")
    data = {"inspection_id": iid, "content_hash": claimed, "submitted_by": ctx.actor.user_id, **extra}
    ctx.store.put_in("submission", str(submission_id), data, iid)
    insp.update(status="submitted", submission_id=str(submission_id), submitted_hash=claimed)
    version = ctx.store.put_in("inspection", iid, insp, iid)
    return applied(version, {"submission_id": str(submission_id), "server_hash": claimed})


@domain_rules
def inspection_submit(ctx: Ctx, a: mu.InspectionSubmit) -> Outcome:
    iid = str(a.inspection_id)
    insp = _inspection(ctx, a.inspection_id, lead=True)
    open_ = open_conflicts(ctx, iid)
    if open_:
        return conflict("open_conflicts", open_)
    return _seal(ctx, insp, iid, a.content_hash, {"amends": None, "reason": None})


@domain_rules
def amendment_create(ctx: Ctx, a: mu.AmendmentCreate) -> Outcome:
    """A new submitted version of a submitted record: the domain copies the current version into an amendment
    (the original stays untouched), the device's changes are applied to it, and it is submitted at once."""
    iid = str(a.inspection_id)
    insp = _inspection(ctx, a.inspection_id, draft=False, lead=True)
    team_check(ctx.actor, insp)
    if insp["status"] != "submitted":
        raise Rejected("not_submitted", "only a submitted inspection can be amended")
    if insp["submission_id"] != str(a.amends):
        return conflict("stale_amendment", current=insp["submission_id"])
    check_fields(a.header, mu.HEADER_FIELDS)
    for item_id, fields in a.findings.items():
        check_fields(fields, mu.FINDING_FIELDS)
        mirror.check_item(ctx, iid, item_id)
    current = mirror.domain_inspection(ctx, iid)
    copy = review.amend(
        ctx.store.session, ctx.store.user(ctx.actor), current,
        AmendmentCreate(id=a.amendment_id, reason=a.reason),
    )  # fmt: skip
    insp["record_id"] = str(copy.id)
    ctx.store.put_in("inspection", iid, insp, iid)
    version = ctx.store.next_version()
    me = {"version": version, "author": ctx.actor.user_id, "mutation_id": str(ctx.mutation_id)}
    for item_id, fields in a.findings.items():
        key = finding_key(iid, item_id)
        row = ctx.store.get("finding", key) or empty_finding(iid, item_id)
        row["fields"].update(fields)
        row["fields_meta"].update({f: dict(me) for f in fields})
        ctx.store.put_in("finding", key, row, iid)
        mirror.finding(ctx, iid, item_id)
        me["version"] = ctx.store.next_version()
    insp = ctx.store.get("inspection", iid) or insp
    insp["header"].update(a.header)
    insp["header_meta"].update({f: dict(me) for f in a.header})
    ctx.store.put_in("inspection", iid, insp, iid)
    mirror.header(ctx, iid, {f: insp["header"][f] for f in a.header})
    insp = ctx.store.get("inspection", iid) or insp
    return _seal(ctx, insp, iid, a.content_hash, {"amends": str(a.amends), "reason": a.reason})


@domain_rules
def conflict_resolve(ctx: Ctx, a: mu.ConflictResolve) -> Outcome:
    record = ctx.store.get("conflict", str(a.conflict_id))
    if record is None:
        raise Rejected("not_found", f"conflict {a.conflict_id} does not exist")
    iid = record["inspection_id"]
    _inspection(ctx, UUID(iid), lead=True)
    version, row = resolve_conflict(ctx, record, a)
    part, _, name = record["field"].partition(".")
    chosen_author = row[part + "_meta"][name]["author"]  # the domain keeps who wrote the value that stands
    if record["entity"] == "finding":
        mirror.finding(ctx, iid, row["item_id"], author=chosen_author)
    else:
        mirror.header(ctx, iid, {name: row["header"].get(name)}, author=chosen_author)
    return applied(version)


@domain_rules
def interview_record(ctx: Ctx, a: mu.InterviewRecord) -> Outcome:
    iid = str(a.inspection_id)
    _check(ctx, a.inspection_id)
    outcome = new_record(ctx, "interview", a.interview_id, a.model_dump(mode="json", exclude={"interview_id"}), iid)
    mirror.interview(ctx, iid, a)
    return outcome


def sql_registry() -> Registry:
    """A registry with every protocol-1 mutation bound to its SQL handler."""
    registry = Registry()
    for name, fn in {
        "inspection.create": inspection_create, "inspection.update": inspection_update,
        "finding.record": finding_record, "finding.note": finding_note, "photo.attach": photo_attach,
        "photo.detach": photo_detach, "signature.attach": signature_attach, "inspection.submit": inspection_submit,
        "conflict.resolve": conflict_resolve, "interview.record": interview_record,
        "amendment.create": amendment_create, "complaint.create": followup.complaint_create,
        "action.record": followup.action_record,
        "accident.report": followup.accident_report,  # accidents (cpl)
        # enforcement cases (issue 17)
        "notice.issue": notices.notice_issue, "notice.void": notices.notice_void,
        "follow_up.result": verification.follow_up_result,
        "disease.report": followup.disease_report,  # occupational disease cases (cpl2)
    }.items():  # fmt: skip
        registry.register(name, fn)
    return registry
