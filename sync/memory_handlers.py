"""Reference mutation handlers over ``MemoryStore``: the domain rules the SQL handlers must match."""

from typing import Any
from uuid import UUID, uuid5

from . import mutations as mu
from .attested import content_hash_v2
from .errors import Rejected
from .hashing import Tables, content_hash, finding_key, inspection_content
from .memory import PRIVILEGED, MemoryStore
from .protocol import Outcome
from .registry import Handler, MutationContext, Registry, applied, conflict
from .rules import (
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

Ctx = MutationContext[MemoryStore]


def _inspection(ctx: Ctx, inspection_id: UUID, *, draft: bool = True, lead: bool = False) -> dict[str, Any]:
    insp = ctx.store.get("inspection", str(inspection_id))
    if insp is None:
        raise Rejected("not_found", f"inspection {inspection_id} does not exist")
    member_check(ctx.actor, insp, privileged=ctx.actor.role in PRIVILEGED, lead=lead)
    if draft:
        draft_check(insp)
    return insp


def inspection_create(ctx: Ctx, a: mu.InspectionCreate) -> Outcome:
    check_fields(a.header, mu.HEADER_FIELDS)
    version = ctx.store.next_version()
    me = {"version": version, "author": ctx.actor.user_id, "mutation_id": str(ctx.mutation_id)}
    data = {
        "establishment_id": a.establishment_id, "checklist": a.checklist, "lead": ctx.actor.user_id,
        "team": sorted({*a.team, ctx.actor.user_id}), "status": "draft", "header": dict(a.header),
        "header_meta": {f: dict(me) for f in a.header}, "header_conflicts": {},
        "submission_id": None, "submitted_hash": None, "type": a.type,
    }  # fmt: skip
    return new_record(ctx, "inspection", a.inspection_id, data, str(a.inspection_id))


def inspection_update(ctx: Ctx, a: mu.InspectionUpdate) -> Outcome:
    insp = _inspection(ctx, a.inspection_id)
    check_fields(a.fields, mu.HEADER_FIELDS)
    return write_fields(ctx, "inspection", str(a.inspection_id), insp, "header", a, str(a.inspection_id))


def finding_record(ctx: Ctx, a: mu.FindingRecord) -> Outcome:
    _inspection(ctx, a.inspection_id)
    check_fields(a.fields, mu.FINDING_FIELDS)
    key = finding_key(a.inspection_id, a.item_id)
    row = ctx.store.get("finding", key) or empty_finding(str(a.inspection_id), a.item_id)
    return write_fields(ctx, "finding", key, row, "fields", a, str(a.inspection_id))


def finding_note(ctx: Ctx, a: mu.FindingNote) -> Outcome:
    _inspection(ctx, a.inspection_id)
    data = {"inspection_id": str(a.inspection_id), "item_id": a.item_id, "text": a.text}
    return new_record(ctx, "note", a.note_id, data, str(a.inspection_id))


def photo_attach(ctx: Ctx, a: mu.PhotoAttach) -> Outcome:
    _inspection(ctx, a.inspection_id)
    data = a.model_dump(mode="json", exclude={"photo_id"})
    return new_record(ctx, "photo", a.photo_id, data, str(a.inspection_id))


def photo_detach(ctx: Ctx, a: mu.PhotoDetach) -> Outcome:
    _inspection(ctx, a.inspection_id)
    return detach_photo(ctx, ctx.store.get("photo", str(a.photo_id)), str(a.photo_id), str(a.inspection_id))


def signature_attach(ctx: Ctx, a: mu.SignatureAttach) -> Outcome:
    _inspection(ctx, a.inspection_id)
    data = a.model_dump(mode="json", exclude={"signature_id"})
    return new_record(ctx, "signature", a.signature_id, data, str(a.inspection_id))


def _seal(ctx: Ctx, insp: dict[str, Any], inspection_id: str, claimed: str, extra: dict[str, Any]) -> Outcome:
    """Check attachments and the device's hash, then record a submission (original or amendment)."""
    tables: Tables = {e: ctx.store.rows(e) for e in ("finding", "note", "photo", "signature")}
    tables["inspection"] = {inspection_id: insp}
    content = inspection_content(tables, inspection_id)
    missing = sorted(h for h in set(content.attachments) if not ctx.store.blob_verified(h))
    if missing:
        raise Rejected("missing_attachments", "some attachments are not uploaded and verified", {"missing": missing})
    for entity in ("interview", "action"):
        tables[entity] = ctx.store.rows(entity)
    server_hash, v2_hash = content_hash(content), content_hash_v2(tables, inspection_id)
    if claimed == v2_hash:  # hash_version 2; older app versions send version 1
        server_hash = v2_hash
    elif server_hash != claimed:
        detail = {"server_hash": server_hash, "server_hash_v2": v2_hash}
        raise Rejected("hash_mismatch", "the server computed another content hash", detail)
    submission_id = uuid5(NS, f"{ctx.mutation_id}:submission")
    data = {
        "inspection_id": inspection_id,
        "content_hash": server_hash,
        "submitted_by": ctx.actor.user_id,
        **extra,
    }
    ctx.store.put_in("submission", str(submission_id), data, inspection_id)
    insp.update(status="submitted", submission_id=str(submission_id), submitted_hash=server_hash)
    version = ctx.store.put_in("inspection", inspection_id, insp, inspection_id)
    return applied(version, {"submission_id": str(submission_id), "server_hash": server_hash})


def inspection_submit(ctx: Ctx, a: mu.InspectionSubmit) -> Outcome:
    insp = _inspection(ctx, a.inspection_id, lead=True)
    open_ = open_conflicts(ctx, str(a.inspection_id))
    if open_:
        return conflict("open_conflicts", open_)
    return _seal(ctx, insp, str(a.inspection_id), a.content_hash, {"amends": None, "reason": None})


def amendment_create(ctx: Ctx, a: mu.AmendmentCreate) -> Outcome:
    iid = str(a.inspection_id)
    insp = _inspection(ctx, a.inspection_id, draft=False, lead=True)
    team_check(ctx.actor, insp)
    if insp["status"] != "submitted":
        raise Rejected("not_submitted", "only a submitted inspection can be amended")
    if insp["submission_id"] != str(a.amends):
        return conflict("stale_amendment", current=insp["submission_id"])
    check_fields(a.header, mu.HEADER_FIELDS)
    version = ctx.store.next_version()
    me = {"version": version, "author": ctx.actor.user_id, "mutation_id": str(ctx.mutation_id)}
    for item_id, fields in a.findings.items():
        check_fields(fields, mu.FINDING_FIELDS)
        key = finding_key(iid, item_id)
        row = ctx.store.get("finding", key) or empty_finding(iid, item_id)
        row["fields"].update(fields)
        row["fields_meta"].update({f: dict(me) for f in fields})
        ctx.store.put_in("finding", key, row, iid)
        me["version"] = ctx.store.next_version()
    insp["header"].update(a.header)
    insp["header_meta"].update({f: dict(me) for f in a.header})
    return _seal(ctx, insp, iid, a.content_hash, {"amends": str(a.amends), "reason": a.reason})


def conflict_resolve(ctx: Ctx, a: mu.ConflictResolve) -> Outcome:
    record = ctx.store.get("conflict", str(a.conflict_id))
    if record is None:
        raise Rejected("not_found", f"conflict {a.conflict_id} does not exist")
    _inspection(ctx, UUID(record["inspection_id"]), lead=True)
    version, _ = resolve_conflict(ctx, record, a)
    return applied(version)


def interview_record(ctx: Ctx, a: mu.InterviewRecord) -> Outcome:
    _inspection(ctx, a.inspection_id)
    data = a.model_dump(mode="json", exclude={"interview_id"})
    return new_record(ctx, "interview", a.interview_id, data, str(a.inspection_id))


def complaint_create(ctx: Ctx, a: mu.ComplaintCreate) -> Outcome:
    if ctx.store.get("complaint", str(a.complaint_id)) is not None:
        raise Rejected("exists", f"complaint {a.complaint_id} already exists")
    data = {**a.model_dump(mode="json", exclude={"complaint_id"}), "author": ctx.actor.user_id}
    return applied(ctx.store.put("complaint", str(a.complaint_id), data, f"user:{ctx.actor.user_id}"))


def action_record(ctx: Ctx, a: mu.ActionRecord) -> Outcome:
    insp = ctx.store.get("inspection", str(a.inspection_id))
    if insp is None:
        raise Rejected("not_found", f"inspection {a.inspection_id} does not exist")
    member_check(ctx.actor, insp, privileged=ctx.actor.role in PRIVILEGED, lead=False, supervisors=True)
    data = a.model_dump(mode="json", exclude={"action_id"})
    return new_record(ctx, "action", a.action_id, data, str(a.inspection_id))


def accident_report(ctx: Ctx, a: mu.AccidentReport) -> Outcome:
    """Recorded by the server's domain only: devices pull no accidents, so the reference keeps nothing."""
    return applied()


def disease_report(ctx: Ctx, a: mu.DiseaseReport) -> Outcome:
    """Recorded by the server's domain only, as an accident is: the reference keeps nothing."""
    return applied()


def _serial(ctx: Ctx, block_id: UUID, serial: int) -> None:
    """A serial is used once, issued or voided (the reference knows no blocks: the server checks them)."""
    key = f"{block_id}:{serial}"
    if ctx.store.get("notice_serial", key) is not None:
        raise Rejected("exists", f"serial {serial} of block {block_id} is used already")
    ctx.store.put("notice_serial", key, {"by": ctx.actor.user_id}, f"user:{ctx.actor.user_id}")


def notice_issue(ctx: Ctx, a: mu.NoticeIssue) -> Outcome:
    if ctx.store.get("notice", str(a.notice_id)) is not None:
        raise Rejected("exists", f"notice {a.notice_id} already exists")
    _serial(ctx, a.block_id, a.serial)
    data = {**a.model_dump(mode="json", exclude={"notice_id"}), "status": "issued"}
    return applied(ctx.store.put("notice", str(a.notice_id), data, f"user:{ctx.actor.user_id}"))


def notice_void(ctx: Ctx, a: mu.NoticeVoid) -> Outcome:
    _serial(ctx, a.block_id, a.serial)
    return applied(ctx.store.put("notice_void", f"{a.block_id}:{a.serial}", {"reason": a.reason},
                                 f"user:{ctx.actor.user_id}"))  # fmt: skip


def follow_up_result(ctx: Ctx, a: mu.FollowUpResult) -> Outcome:
    _inspection(ctx, a.inspection_id)
    key = f"{a.inspection_id}:{a.action_id}"
    if ctx.store.get("follow_up_result", key) is not None:
        raise Rejected("exists", f"the result for action {a.action_id} is recorded already")
    data = {**a.model_dump(mode="json"), "author": ctx.actor.user_id}
    return applied(ctx.store.put_in("follow_up_result", key, data, str(a.inspection_id)))


def memory_registry() -> Registry:
    """A registry with every protocol-1 mutation bound to its memory handler."""
    registry = Registry()
    handlers: dict[str, Handler] = {
        "inspection.create": inspection_create, "inspection.update": inspection_update,
        "finding.record": finding_record, "finding.note": finding_note, "photo.attach": photo_attach,
        "photo.detach": photo_detach, "signature.attach": signature_attach, "inspection.submit": inspection_submit,
        "amendment.create": amendment_create, "conflict.resolve": conflict_resolve,
        "complaint.create": complaint_create, "action.record": action_record,
        "interview.record": interview_record, "accident.report": accident_report,
        "notice.issue": notice_issue, "notice.void": notice_void,
        "follow_up.result": follow_up_result,
        "disease.report": disease_report,
    }  # fmt: skip
    for name, fn in handlers.items():
        registry.register(name, fn)
    return registry
