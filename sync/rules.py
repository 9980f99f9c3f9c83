"""The mutation rules both servers share — the in-memory reference store and the SQL store — written once
over the small ``RecordStore`` protocol: field checks, create-once, and the per-field merge with open conflicts.
"""

from collections.abc import Mapping
from typing import Any, Protocol
from uuid import UUID, uuid5

from . import mutations as mu
from .errors import Rejected
from .merge import FieldState, add_candidate, merge_fields
from .protocol import Outcome
from .registry import MutationContext, applied, conflict
from .store import Actor, AppliedRecord

NS = UUID("0195f3a2-0000-7000-8000-000000000000")
STATUSES = ("compliant", "non_compliant", "not_applicable", "not_checked")
WORKER_COUNTS = ("men", "women", "under_18")
MAX_WORKERS = 1_000_000


class RecordStore(Protocol):
    """Row access the rules need; every row belongs to an inspection (its pull scope) or to a user."""

    def get(self, entity: str, key: str) -> dict[str, Any] | None: ...

    def get_applied(self, mutation_id: UUID) -> AppliedRecord | None: ...

    def next_version(self) -> int: ...

    def put_in(self, entity: str, key: str, data: dict[str, Any], inspection_id: str) -> int:
        """Store the whole row under the next global version, visible to the inspection's team."""
        ...

    def inspection_rows(self, entity: str, inspection_id: str) -> dict[str, dict[str, Any]]: ...


Ctx = MutationContext[Any]


def check_workers(value: Any) -> None:
    """``workers_affected`` is ``{"men": n, "women": n, "under_18": n}`` with non-negative integer counts."""
    if not isinstance(value, dict) or set(value) != set(WORKER_COUNTS):
        raise Rejected("invalid", f"workers_affected must have exactly the counts {', '.join(WORKER_COUNTS)}")
    for name in WORKER_COUNTS:
        count = value[name]
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_WORKERS:
            raise Rejected("invalid", f"workers_affected.{name} must be an integer from 0 to {MAX_WORKERS}")
    if value["under_18"] > value["men"] + value["women"]:
        raise Rejected("invalid", "workers_affected.under_18 cannot exceed men + women")


def check_fields(fields: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    """Refuse unknown fields and values outside a field's domain (``rejected: invalid``)."""
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise Rejected("invalid", f"unknown fields: {', '.join(unknown)}")
    if "status" in fields and fields["status"] not in STATUSES:
        raise Rejected("invalid", f"status must be one of {', '.join(STATUSES)}")
    if "workers_affected" in fields:
        check_workers(fields["workers_affected"])


def new_record(ctx: Ctx, entity: str, key: UUID, data: dict[str, Any], inspection_id: str) -> Outcome:
    """Create a row once: an id already taken is ``rejected: exists``."""
    if ctx.store.get(entity, str(key)) is not None:
        raise Rejected("exists", f"{entity} {key} already exists")
    return applied(ctx.store.put_in(entity, str(key), {**data, "author": ctx.actor.user_id}, inspection_id))


def detach_photo(ctx: Ctx, row: Mapping[str, Any] | None, key: str, inspection_id: str) -> Outcome:
    """Mark a draft's photo ``detached`` (it leaves the evidence and the content hash); again is a no-op."""
    if row is None or row.get("inspection_id") != inspection_id:
        raise Rejected("not_found", f"photo {key} does not exist in inspection {inspection_id}")
    if row.get("detached"):
        return applied(row.get("version"))
    data = {k: v for k, v in row.items() if k != "version"}
    return applied(ctx.store.put_in("photo", key, {**data, "detached": True}, inspection_id))


def member_check(
    actor: Actor, insp: Mapping[str, Any], *, privileged: bool, lead: bool, supervisors: bool = False
) -> None:
    """Only the team writes to an inspection, and only its lead submits or resolves. A supervisor of the area
    (``privileged``) may also submit and resolve (``lead``) and record measures (``supervisors``), but never
    writes the team's findings, notes, photos or interviews."""
    bypass = privileged and (lead or supervisors)
    if not bypass and actor.user_id not in insp["team"]:
        raise Rejected("forbidden", "not a member of this inspection's team")
    if lead and not bypass and insp["lead"] != actor.user_id:
        raise Rejected("forbidden", "only the lead inspector or a supervisor may do this")


def team_check(actor: Actor, insp: Mapping[str, Any]) -> None:
    """Amendments carry new evidence: only the team makes them, whoever supervises."""
    if actor.user_id not in insp["team"]:
        raise Rejected("forbidden", "only the inspection's team amends it")


def draft_check(insp: Mapping[str, Any]) -> None:
    if insp["status"] != "draft":
        raise Rejected("immutable", "the inspection is submitted; use amendment.create")


def _writer(ctx: Ctx, meta: Mapping[str, Any]) -> str | None:
    """The device whose mutation last wrote a field (its later writes correct it rather than conflict)."""
    record = ctx.store.get_applied(UUID(meta["mutation_id"]))
    return str(record.device_id) if record else None


def write_fields(
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
        ctx.store.put_in("conflict", str(cid), record, inspection_id)
        conflict_ids.append(cid)
    version = ctx.store.next_version()
    for name, value in merged.apply.items():
        values[name] = value
        meta[name] = {"version": version, **me}
    ctx.store.put_in(entity, key, row, inspection_id)
    if conflict_ids:
        return conflict("field_conflict", conflict_ids, version)
    return applied(version)


def open_conflicts(ctx: Ctx, inspection_id: str) -> list[UUID]:
    rows = ctx.store.inspection_rows("conflict", inspection_id)
    return sorted(UUID(k) for k, r in rows.items() if r["status"] == "open")


def empty_finding(inspection_id: str, item_id: str) -> dict[str, Any]:
    return {"inspection_id": inspection_id, "item_id": item_id, "fields": {}, "fields_meta": {}, "fields_conflicts": {}}


def resolve_conflict(ctx: Ctx, record: dict[str, Any], a: mu.ConflictResolve) -> tuple[int, dict[str, Any]]:
    """Write the chosen candidate into its field and close the conflict; returns (version, the changed row)."""
    if record["status"] != "open":
        raise Rejected("already_resolved", "this conflict is already resolved")
    chosen = next((c for c in record["candidates"] if c["mutation_id"] == str(a.choose)), None)
    if chosen is None:
        raise Rejected("invalid", "choose must be the mutation_id of one of the candidates")
    iid = record["inspection_id"]
    part, _, name = record["field"].partition(".")
    row = ctx.store.get(record["entity"], record["record_id"])
    assert row is not None
    version = ctx.store.next_version()
    row[part][name] = chosen["value"]
    row[part + "_meta"][name] = {"version": version, "author": chosen["author"], "mutation_id": chosen["mutation_id"]}
    del row[part + "_conflicts"][name]
    ctx.store.put_in(record["entity"], record["record_id"], row, iid)
    record.update(status="resolved", resolution={"choose": str(a.choose), "by": ctx.actor.user_id, "note": a.note})
    ctx.store.put_in("conflict", str(a.conflict_id), record, iid)
    return version, row
