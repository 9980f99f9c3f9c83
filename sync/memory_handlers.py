"""Reference mutation handlers over ``MemoryStore``: the domain rules the SQL handlers must match."""

from collections.abc import Mapping
from typing import Any
from uuid import UUID, uuid5

from . import mutations as mu
from .errors import Rejected
from .hashing import Tables, content_hash, finding_key, inspection_content
from .memory import PRIVILEGED, MemoryStore
from .merge import FieldState, add_candidate, merge_fields
from .protocol import Outcome
from .registry import MutationContext, Registry, applied, conflict

NS = UUID("0195f3a2-0000-7000-8000-000000000000")
Ctx = MutationContext[MemoryStore]
STATUSES = ("compliant", "non_compliant", "not_applicable", "not_checked")


def _inspection(ctx: Ctx, inspection_id: UUID, *, draft: bool = True, lead: bool = False) -> dict[str, Any]:
    insp = ctx.store.get("inspection", str(inspection_id))
    if insp is None:
        raise Rejected("not_found", f"inspection {inspection_id} does not exist")
    privileged = ctx.actor.role in PRIVILEGED
    if not privileged and ctx.actor.user_id not in insp["team"]:
        raise Rejected("forbidden", "not a member of this inspection's team")
    if lead and not privileged and insp["lead"] != ctx.actor.user_id:
        raise Rejected("forbidden", "only the lead inspector or a supervisor may do this")
    if draft and insp["status"] != "draft":
        raise Rejected("immutable", "the inspection is submitted; use amendment.create")
    return insp


def _new(ctx: Ctx, entity: str, key: UUID, data: dict[str, Any], scope: str) -> Outcome:
    if ctx.store.get(entity, str(key)) is not None:
        raise Rejected("exists", f"{entity} {key} already exists")
    return applied(ctx.store.put(entity, str(key), {**data, "author": ctx.actor.user_id}, scope))


def _check_fields(fields: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise Rejected("invalid", f"unknown fields: {', '.join(unknown)}")
    if "status" in allowed and "status" in fields and fields["status"] not in STATUSES:
        raise Rejected("invalid", f"status must be one of {', '.join(STATUSES)}")


def _writer(ctx: Ctx, meta: Mapping[str, Any]) -> str | None:
    """The device whose mutation last wrote a field, from the record of applied mutations."""
    record = ctx.store.get_applied(UUID(meta["mutation_id"]))
    return str(record.device_id) if record else None


def _write_fields(
    ctx: Ctx,
    entity: str,
    key: str,
    row: dict[str, Any],
    part: str,
    writes: mu.FieldWrites,
    inspection_id: str,
) -> Outcome:
    """Merge ``writes`` into ``row[part]`` (with ``row[part + '_meta']`` and open conflicts per field)."""
    values, meta, open_ = row[part], row[part + "_meta"], row[part + "_conflicts"]
    current = {f: FieldState(values[f], meta[f]["version"], f in open_, _writer(ctx, meta[f])) for f in values}
    merged = merge_fields(current, writes.fields, writes.base_version, str(ctx.actor.device_id))
    if not merged.apply and merged.clean:
        return applied(row.get("version"))
    me = {"author": ctx.actor.user_id, "mutation_id": str(ctx.mutation_id)}
    conflict_ids: list[UUID] = []
    for name, value in merged.conflicts.items():
        if name in open_:
            cid = UUID(open_[name])
            record = ctx.store.get("conflict", str(cid))
            assert record is not None
        else:
            cid = uuid5(NS, f"{ctx.mutation_id}:{part}.{name}")
            first = {
                "value": values[name],
                "author": meta[name]["author"],
                "mutation_id": meta[name]["mutation_id"],
            }
            record = {
                "inspection_id": inspection_id, "entity": entity, "record_id": key,
                "field": f"{part}.{name}", "base_version": writes.base_version, "candidates": [first],
                "status": "open", "resolution": None,
            }  # fmt: skip
            open_[name] = str(cid)
        record["candidates"] = add_candidate(record["candidates"], {**me, "value": value})
        ctx.store.put("conflict", str(cid), record, f"inspection:{inspection_id}")
        conflict_ids.append(cid)
    version = ctx.store.next_version()
    for name, value in merged.apply.items():
        values[name] = value
        meta[name] = {"version": version, "author": ctx.actor.user_id, "mutation_id": str(ctx.mutation_id)}
    ctx.store.put(entity, key, row, f"inspection:{inspection_id}")
    if conflict_ids:
        return conflict("field_conflict", conflict_ids, version)
    return applied(version)


def inspection_create(ctx: Ctx, a: mu.InspectionCreate) -> Outcome:
    _check_fields(a.header, mu.HEADER_FIELDS)
    version = ctx.store.next_version()
    me = {"version": version, "author": ctx.actor.user_id, "mutation_id": str(ctx.mutation_id)}
    data = {
        "establishment_id": a.establishment_id, "checklist": a.checklist, "lead": ctx.actor.user_id,
        "team": sorted({*a.team, ctx.actor.user_id}), "status": "draft", "header": dict(a.header),
        "header_meta": {f: dict(me) for f in a.header}, "header_conflicts": {},
        "submission_id": None, "submitted_hash": None,
    }  # fmt: skip
    return _new(ctx, "inspection", a.inspection_id, data, f"inspection:{a.inspection_id}")


def inspection_update(ctx: Ctx, a: mu.InspectionUpdate) -> Outcome:
    insp = _inspection(ctx, a.inspection_id)
    _check_fields(a.fields, mu.HEADER_FIELDS)
    return _write_fields(ctx, "inspection", str(a.inspection_id), insp, "header", a, str(a.inspection_id))


def finding_record(ctx: Ctx, a: mu.FindingRecord) -> Outcome:
    _inspection(ctx, a.inspection_id)
    _check_fields(a.fields, mu.FINDING_FIELDS)
    key = finding_key(a.inspection_id, a.item_id)
    row = ctx.store.get("finding", key) or {
        "inspection_id": str(a.inspection_id), "item_id": a.item_id,
        "fields": {}, "fields_meta": {}, "fields_conflicts": {},
    }  # fmt: skip
    return _write_fields(ctx, "finding", key, row, "fields", a, str(a.inspection_id))


def finding_note(ctx: Ctx, a: mu.FindingNote) -> Outcome:
    _inspection(ctx, a.inspection_id)
    data = {"inspection_id": str(a.inspection_id), "item_id": a.item_id, "text": a.text}
    return _new(ctx, "note", a.note_id, data, f"inspection:{a.inspection_id}")


def photo_attach(ctx: Ctx, a: mu.PhotoAttach) -> Outcome:
    _inspection(ctx, a.inspection_id)
    data = a.model_dump(mode="json", exclude={"photo_id"})
    return _new(ctx, "photo", a.photo_id, data, f"inspection:{a.inspection_id}")


def signature_attach(ctx: Ctx, a: mu.SignatureAttach) -> Outcome:
    _inspection(ctx, a.inspection_id)
    data = a.model_dump(mode="json", exclude={"signature_id"})
    return _new(ctx, "signature", a.signature_id, data, f"inspection:{a.inspection_id}")


def _open_conflicts(ctx: Ctx, inspection_id: str) -> list[UUID]:
    rows = ctx.store.rows("conflict")
    return sorted(UUID(k) for k, r in rows.items() if r["inspection_id"] == inspection_id and r["status"] == "open")


def _seal(ctx: Ctx, insp: dict[str, Any], inspection_id: str, claimed: str, extra: dict[str, Any]) -> Outcome:
    """Check attachments and the device's hash, then record a submission (original or amendment)."""
    tables: Tables = {e: ctx.store.rows(e) for e in ("finding", "note", "photo", "signature")}
    tables["inspection"] = {inspection_id: insp}
    content = inspection_content(tables, inspection_id)
    missing = sorted(h for h in set(content.attachments) if not ctx.store.blob_verified(h))
    if missing:
        raise Rejected("missing_attachments", "some attachments are not uploaded and verified", {"missing": missing})
    server_hash = content_hash(content)
    if server_hash != claimed:
        raise Rejected("hash_mismatch", "the server computed another content hash", {"server_hash": server_hash})
    submission_id = uuid5(NS, f"{ctx.mutation_id}:submission")
    data = {
        "inspection_id": inspection_id,
        "content_hash": server_hash,
        "submitted_by": ctx.actor.user_id,
        **extra,
    }
    ctx.store.put("submission", str(submission_id), data, f"inspection:{inspection_id}")
    insp.update(status="submitted", submission_id=str(submission_id), submitted_hash=server_hash)
    version = ctx.store.put("inspection", inspection_id, insp, f"inspection:{inspection_id}")
    return applied(version, {"submission_id": str(submission_id), "server_hash": server_hash})


def inspection_submit(ctx: Ctx, a: mu.InspectionSubmit) -> Outcome:
    insp = _inspection(ctx, a.inspection_id, lead=True)
    open_ = _open_conflicts(ctx, str(a.inspection_id))
    if open_:
        return conflict("open_conflicts", open_)
    return _seal(ctx, insp, str(a.inspection_id), a.content_hash, {"amends": None, "reason": None})


def amendment_create(ctx: Ctx, a: mu.AmendmentCreate) -> Outcome:
    iid = str(a.inspection_id)
    insp = _inspection(ctx, a.inspection_id, draft=False, lead=True)
    if insp["status"] != "submitted":
        raise Rejected("not_submitted", "only a submitted inspection can be amended")
    if insp["submission_id"] != str(a.amends):
        return conflict("stale_amendment", current=insp["submission_id"])
    _check_fields(a.header, mu.HEADER_FIELDS)
    version = ctx.store.next_version()
    me = {"version": version, "author": ctx.actor.user_id, "mutation_id": str(ctx.mutation_id)}
    for item_id, fields in a.findings.items():
        _check_fields(fields, mu.FINDING_FIELDS)
        key = finding_key(iid, item_id)
        row = ctx.store.get("finding", key) or {
            "inspection_id": iid, "item_id": item_id, "fields": {}, "fields_meta": {}, "fields_conflicts": {},
        }  # fmt: skip
        row["fields"].update(fields)
        row["fields_meta"].update({f: dict(me) for f in fields})
        ctx.store.put("finding", key, row, f"inspection:{iid}")
        me["version"] = ctx.store.next_version()
    insp["header"].update(a.header)
    insp["header_meta"].update({f: dict(me) for f in a.header})
    return _seal(ctx, insp, iid, a.content_hash, {"amends": str(a.amends), "reason": a.reason})


def conflict_resolve(ctx: Ctx, a: mu.ConflictResolve) -> Outcome:
    record = ctx.store.get("conflict", str(a.conflict_id))
    if record is None:
        raise Rejected("not_found", f"conflict {a.conflict_id} does not exist")
    iid = record["inspection_id"]
    _inspection(ctx, UUID(iid), lead=True)
    if record["status"] != "open":
        raise Rejected("already_resolved", "this conflict is already resolved")
    chosen = next((c for c in record["candidates"] if c["mutation_id"] == str(a.choose)), None)
    if chosen is None:
        raise Rejected("invalid", "choose must be the mutation_id of one of the candidates")
    part, _, name = record["field"].partition(".")
    row = ctx.store.get(record["entity"], record["record_id"])
    assert row is not None
    version = ctx.store.next_version()
    row[part][name] = chosen["value"]
    row[part + "_meta"][name] = {
        "version": version,
        "author": chosen["author"],
        "mutation_id": chosen["mutation_id"],
    }
    del row[part + "_conflicts"][name]
    ctx.store.put(record["entity"], record["record_id"], row, f"inspection:{iid}")
    record.update(status="resolved", resolution={"choose": str(a.choose), "by": ctx.actor.user_id, "note": a.note})
    ctx.store.put("conflict", str(a.conflict_id), record, f"inspection:{iid}")
    return applied(version)


def complaint_create(ctx: Ctx, a: mu.ComplaintCreate) -> Outcome:
    data = a.model_dump(mode="json", exclude={"complaint_id"})
    return _new(ctx, "complaint", a.complaint_id, data, f"user:{ctx.actor.user_id}")


def action_record(ctx: Ctx, a: mu.ActionRecord) -> Outcome:
    _inspection(ctx, a.inspection_id, draft=False)
    data = a.model_dump(mode="json", exclude={"action_id"})
    return _new(ctx, "action", a.action_id, data, f"inspection:{a.inspection_id}")


def memory_registry() -> Registry:
    """A registry with every protocol-1 mutation bound to its memory handler."""
    registry = Registry()
    for name, fn in {
        "inspection.create": inspection_create, "inspection.update": inspection_update,
        "finding.record": finding_record, "finding.note": finding_note, "photo.attach": photo_attach,
        "signature.attach": signature_attach, "inspection.submit": inspection_submit,
        "amendment.create": amendment_create, "conflict.resolve": conflict_resolve,
        "complaint.create": complaint_create, "action.record": action_record,
    }.items():  # fmt: skip
        registry.register(name, fn)
    return registry
