"""SQL mutation handlers: the reference rules of ``sync.memory_handlers`` over ``SqlStore``, with every
change also made through the inspection domain's services (see ``mirror``).
"""

from collections.abc import Mapping
from typing import Any
from uuid import UUID, uuid5

from backend.attachments import service as attachments
from backend.device_sync import mirror
from backend.device_sync.mirror import Ctx, domain_rules
from backend.device_sync.store import PRIVILEGED
from backend.inspections import review
from backend.inspections import service as inspections
from backend.inspections.models import InspectionType
from backend.inspections.schemas import InspectionCreate, PinnedChecklist
from sync import mutations as mu
from sync.errors import Rejected
from sync.hashing import Tables, content_hash, finding_key, inspection_content
from sync.merge import FieldState, add_candidate, merge_fields
from sync.protocol import Outcome
from sync.registry import Registry, applied, conflict

NS = UUID("0195f3a2-0000-7000-8000-000000000000")
STATUSES = ("compliant", "non_compliant", "not_applicable", "not_checked")
NOT_SUPPORTED = ("amendment.create", "complaint.create", "action.record")


def _inspection(ctx: Ctx, inspection_id: UUID, *, draft: bool = True, lead: bool = False) -> dict[str, Any]:
    insp = ctx.store.get("inspection", str(inspection_id))
    if insp is None:
        raise Rejected("not_found", f"inspection {inspection_id} does not exist")
    privileged = ctx.actor.role in PRIVILEGED
    if privileged:
        mirror.domain_inspection(ctx, str(inspection_id))  # outside the supervisor's area: not_found
    elif ctx.actor.user_id not in insp["team"]:
        raise Rejected("forbidden", "not a member of this inspection's team")
    if lead and not privileged and insp["lead"] != ctx.actor.user_id:
        raise Rejected("forbidden", "only the lead inspector or a supervisor may do this")
    if draft and insp["status"] != "draft":
        raise Rejected("immutable", "the inspection is submitted; use amendment.create")
    return insp


def _new(ctx: Ctx, entity: str, key: UUID, data: dict[str, Any], inspection_id: str) -> Outcome:
    if ctx.store.get(entity, str(key)) is not None:
        raise Rejected("exists", f"{entity} {key} already exists")
    return applied(ctx.store.put(entity, str(key), {**data, "author": ctx.actor.user_id}, inspection_id))


def _writer(ctx: Ctx, meta: Mapping[str, Any]) -> str | None:
    """The device whose mutation last wrote a field (its later writes correct it rather than conflict)."""
    record = ctx.store.get_applied(UUID(meta["mutation_id"]))
    return str(record.device_id) if record else None


def _check_fields(fields: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise Rejected("invalid", f"unknown fields: {', '.join(unknown)}")
    if "status" in allowed and "status" in fields and fields["status"] not in STATUSES:
        raise Rejected("invalid", f"status must be one of {', '.join(STATUSES)}")


def _write_fields(
    ctx: Ctx, entity: str, key: str, row: dict[str, Any], part: str, writes: mu.FieldWrites, inspection_id: str
) -> Outcome:
    """Merge ``writes`` into ``row[part]`` per PROTOCOL.md §4.1 (per-field versions, open conflicts)."""
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
            first = {"value": values[name], "author": meta[name]["author"], "mutation_id": meta[name]["mutation_id"]}
            record = {
                "inspection_id": inspection_id, "entity": entity, "record_id": key,
                "field": f"{part}.{name}", "base_version": writes.base_version, "candidates": [first],
                "status": "open", "resolution": None,
            }  # fmt: skip
            open_[name] = str(cid)
        record["candidates"] = add_candidate(record["candidates"], {**me, "value": value})
        ctx.store.put("conflict", str(cid), record, inspection_id)
        conflict_ids.append(cid)
    version = ctx.store.next_version()
    for name, value in merged.apply.items():
        values[name] = value
        meta[name] = {"version": version, **me}
    ctx.store.put(entity, key, row, inspection_id)
    if conflict_ids:
        return conflict("field_conflict", conflict_ids, version)
    return applied(version)


def _uuid(value: str, what: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise Rejected("invalid", f"{what} {value!r} is not a UUID") from None


@domain_rules
def inspection_create(ctx: Ctx, a: mu.InspectionCreate) -> Outcome:
    _check_fields(a.header, mu.HEADER_FIELDS)
    iid = str(a.inspection_id)
    if ctx.store.get("inspection", iid) is not None:
        raise Rejected("exists", f"inspection {iid} already exists")
    key, _, version = a.checklist.partition("@")
    team = [_uuid(t, "team member") for t in a.team]
    data = InspectionCreate(
        id=a.inspection_id, establishment_id=_uuid(a.establishment_id, "establishment_id"),
        type=InspectionType.planned, team=team, checklists=[PinnedChecklist(key=key, version=int(version))],
    )  # fmt: skip
    inspection = inspections.create(ctx.store.session, ctx.store.user(ctx.actor), data)
    version_ = ctx.store.next_version()
    me = {"version": version_, "author": ctx.actor.user_id, "mutation_id": str(ctx.mutation_id)}
    row = {
        "establishment_id": a.establishment_id, "checklist": a.checklist, "lead": ctx.actor.user_id,
        "team": sorted(str(u) for u in inspections.team_of(ctx.store.session, inspection.id)),
        "status": "draft", "header": dict(a.header), "header_meta": {f: dict(me) for f in a.header},
        "header_conflicts": {}, "submission_id": None, "submitted_hash": None,
    }  # fmt: skip
    outcome = _new(ctx, "inspection", a.inspection_id, row, iid)
    mirror.header(ctx, iid, a.header)
    return outcome


@domain_rules
def inspection_update(ctx: Ctx, a: mu.InspectionUpdate) -> Outcome:
    iid = str(a.inspection_id)
    insp = _inspection(ctx, a.inspection_id)
    _check_fields(a.fields, mu.HEADER_FIELDS)
    outcome = _write_fields(ctx, "inspection", iid, insp, "header", a, iid)
    mirror.header(ctx, iid, insp["header"])
    return outcome


@domain_rules
def finding_record(ctx: Ctx, a: mu.FindingRecord) -> Outcome:
    iid = str(a.inspection_id)
    _inspection(ctx, a.inspection_id)
    _check_fields(a.fields, mu.FINDING_FIELDS)
    mirror.check_item(ctx, iid, a.item_id)
    key = finding_key(iid, a.item_id)
    row = ctx.store.get("finding", key) or {
        "inspection_id": iid, "item_id": a.item_id, "fields": {}, "fields_meta": {}, "fields_conflicts": {},
    }  # fmt: skip
    outcome = _write_fields(ctx, "finding", key, row, "fields", a, iid)
    mirror.finding(ctx, iid, a.item_id)
    return outcome


@domain_rules
def finding_note(ctx: Ctx, a: mu.FindingNote) -> Outcome:
    _inspection(ctx, a.inspection_id)
    data = {"inspection_id": str(a.inspection_id), "item_id": a.item_id, "text": a.text}
    return _new(ctx, "note", a.note_id, data, str(a.inspection_id))


@domain_rules
def photo_attach(ctx: Ctx, a: mu.PhotoAttach) -> Outcome:
    iid = str(a.inspection_id)
    _inspection(ctx, a.inspection_id)
    outcome = _new(ctx, "photo", a.photo_id, a.model_dump(mode="json", exclude={"photo_id"}), iid)
    if a.item_id is not None:
        mirror.finding(ctx, iid, a.item_id)
    return outcome


@domain_rules
def signature_attach(ctx: Ctx, a: mu.SignatureAttach) -> Outcome:
    _inspection(ctx, a.inspection_id)
    data = a.model_dump(mode="json", exclude={"signature_id"})
    return _new(ctx, "signature", a.signature_id, data, str(a.inspection_id))


def _open_conflicts(ctx: Ctx, inspection_id: str) -> list[UUID]:
    rows = ctx.store.rows("conflict", inspection_id)
    return sorted(UUID(k) for k, r in rows.items() if r["status"] == "open")


@domain_rules
def inspection_submit(ctx: Ctx, a: mu.InspectionSubmit) -> Outcome:
    iid = str(a.inspection_id)
    insp = _inspection(ctx, a.inspection_id, lead=True)
    open_ = _open_conflicts(ctx, iid)
    if open_:
        return conflict("open_conflicts", open_)
    tables: Tables = {e: ctx.store.rows(e, iid) for e in ("finding", "note", "photo", "signature")}
    tables["inspection"] = {iid: insp}
    content = inspection_content(tables, iid)
    missing = attachments.unverified(ctx.store.session, sorted(set(content.attachments)))
    if missing:
        raise Rejected("missing_attachments", "some attachments are not uploaded and verified", {"missing": missing})
    server_hash = content_hash(content)
    if server_hash != a.content_hash:
        raise Rejected("hash_mismatch", "the server computed another content hash", {"server_hash": server_hash})
    inspection = mirror.domain_inspection(ctx, iid)
    review.submit(ctx.store.session, ctx.store.user(ctx.actor), inspection)
    submission_id = uuid5(NS, f"{ctx.mutation_id}:submission")
    data = {"inspection_id": iid, "content_hash": server_hash, "submitted_by": ctx.actor.user_id, "amends": None,
            "reason": None}  # fmt: skip
    ctx.store.put("submission", str(submission_id), data, iid)
    insp.update(status="submitted", submission_id=str(submission_id), submitted_hash=server_hash)
    version = ctx.store.put("inspection", iid, insp, iid)
    return applied(version, {"submission_id": str(submission_id), "server_hash": server_hash})


@domain_rules
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
    row[part + "_meta"][name] = {"version": version, "author": chosen["author"], "mutation_id": chosen["mutation_id"]}
    del row[part + "_conflicts"][name]
    ctx.store.put(record["entity"], record["record_id"], row, iid)
    record.update(status="resolved", resolution={"choose": str(a.choose), "by": ctx.actor.user_id, "note": a.note})
    ctx.store.put("conflict", str(a.conflict_id), record, iid)
    if record["entity"] == "finding":
        mirror.finding(ctx, iid, row["item_id"])
    else:
        mirror.header(ctx, iid, row["header"])
    return applied(version)


def not_supported(_ctx: Ctx, _args: Any) -> Outcome:
    raise Rejected("not_supported", "this server does not apply this mutation yet")


def sql_registry() -> Registry:
    """A registry with every protocol-1 mutation bound to its SQL handler."""
    registry = Registry()
    for name, fn in {
        "inspection.create": inspection_create, "inspection.update": inspection_update,
        "finding.record": finding_record, "finding.note": finding_note, "photo.attach": photo_attach,
        "signature.attach": signature_attach, "inspection.submit": inspection_submit,
        "conflict.resolve": conflict_resolve,
    }.items():  # fmt: skip
        registry.register(name, fn)
    for name in NOT_SUPPORTED:
        registry.register(name, not_supported)
    return registry
