"""What devices pull besides their own mutations' rows: establishments of their districts (with inspection
history), published checklists, inspections assigned to them, a supervisor's review of their inspections,
complaints (author and supervisors only, C81 Art. 15(c)) and enforcement actions (team and district staff).

The projection: domain services record typed change events (``backend.changes``) on the transaction's context,
whoever calls them (REST, CLI imports, device mutations); ``publish``, registered on the application's
``AppSession`` at ``before_commit``, writes the sync rows of what they name — under the global change counter, so
a pull cursor never skips them. It is the only writer of rows that no mutation produced.
"""

import json
import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import event
from sqlmodel import Session, col, select

from backend import db
from backend.auth.models import Role, User
from backend.changes import (
    ActionChanged,
    Changes,
    ChecklistChanged,
    ComplaintChanged,
    EstablishmentChanged,
    EstablishmentMoved,
    FindingChanged,
    InspectionChanged,
    ScopeChanged,
    changes_of,
)
from backend.checklists import service as checklists
from backend.checklists.models import PublishedChecklist
from backend.complaints.models import Complaint
from backend.complaints.public import employer_facing_type
from backend.db import AppSession, context_of
from backend.device_sync import scope_feed
from backend.device_sync.models import SyncRecord
from backend.device_sync.store import SqlStore
from backend.enforcement import followups
from backend.enforcement.models import EnforcementAction
from backend.inspections import review as reviews
from backend.inspections import review_comments, vocabulary
from backend.inspections import service as inspections
from backend.inspections.models import Finding, Inspection
from backend.inspections.workflow import EDITABLE
from backend.orgs import scope, timezone
from backend.orgs.models import Establishment

HISTORY = 10  # past inspections carried with each establishment
FEED_NS = uuid.UUID("0195f3a2-0000-7000-8000-0000000000fe")
PROFILE = (
    "name", "registration_type", "registration_number", "address", "district_id", "latitude", "longitude", "isic",
    "workers_total", "workers_women", "workers_under_18", "uses_hazardous_chemicals", "has_underground_work",
    "union_members", "contact_name", "contact_phone", "contact_email",
)  # fmt: skip


@event.listens_for(AppSession, "before_commit")
def _before_commit(session: Session) -> None:
    # A mutation's savepoint, or a service's insert_once: the request's commit will publish.
    if not changes_of(session).in_mutation and not context_of(session).part(db.InsertOnce).active:
        publish(session)


def publish(session: Session) -> None:
    """Write the sync rows of every object this transaction's change events name (no-op when there are none)."""
    session.flush()
    events = context_of(session).take(Changes)
    if events is None or not events.events:
        return
    by_kind: dict[type, set[uuid.UUID]] = defaultdict(set)
    scopes: list[ScopeChanged] = []
    moves: list[EstablishmentMoved] = []
    for change in events.events:
        if isinstance(change, ScopeChanged):
            scopes.append(change)
        elif isinstance(change, EstablishmentMoved):
            moves.append(change)
        else:
            by_kind[type(change)].add(change.id)
    store = SqlStore(session)
    for checklist_id in sorted(by_kind[ChecklistChanged]):
        _checklist(store, checklist_id)
    establishments = set(by_kind[EstablishmentChanged]) | {m.id for m in moves}
    for inspection_id in sorted(by_kind[InspectionChanged]):
        establishment_id = _inspection(store, inspection_id)
        if establishment_id is not None:  # its history lists the inspection
            establishments.add(establishment_id)
    for finding_id in sorted(by_kind[FindingChanged]):
        _finding(store, finding_id)
    for establishment_id in sorted(establishments):
        _establishment(store, establishment_id)
    for complaint_id in sorted(by_kind[ComplaintChanged]):
        if (complaint := session.get(Complaint, complaint_id)) is not None:
            put_followup(store, complaint)
    for action_id in sorted(by_kind[ActionChanged]):
        if (action := session.get(EnforcementAction, action_id)) is not None:
            put_followup(store, action)
    if scopes or moves:  # after the rows above: a moved establishment already carries its new district
        scope_feed.publish(store, scopes, moves)
    session.flush()
    context_of(session).take(Changes)  # what the writes above recorded is already written


def _put_if_changed(store: SqlStore, entity: str, key: str, data: dict[str, Any], **scope: uuid.UUID) -> None:
    row = store.session.get(SyncRecord, (entity, key))
    if row is not None:
        # Written earlier in this session, the row still holds the pre-serialised text the store wrote.
        held = json.loads(row.data) if isinstance(row.data, str) else row.data
        if held == {k: v for k, v in data.items() if k != "version"}:  # the store keeps no "version" in a row
            return
    inspection_id, district_id = scope.get("inspection_id"), scope.get("district_id")
    store.put(entity, key, data, str(inspection_id) if inspection_id else None,
              district_id=str(district_id) if district_id else None)  # fmt: skip


def _checklist(store: SqlStore, checklist_id: uuid.UUID) -> None:
    row = store.session.get(PublishedChecklist, checklist_id)
    if row is None:
        return
    data = {
        "key": row.key, "version": row.version, "title": {"en": row.title_en, "zh": row.title_zh},
        "sha256": row.sha256, "item_count": row.item_count, "definition": checklists.served_definition(row),
    }  # fmt: skip
    _put_if_changed(store, "checklist", f"{row.key}@{row.version}", data)


def _review_of(session: Session, inspection: Inspection) -> dict[str, Any] | None:
    latest = [r for r in reviews.reviews_of(session, inspection.id) if r.revision == inspection.revision]
    if not latest:
        return None
    r = latest[-1]
    out: dict[str, Any] = {"decision": r.decision, "comment": r.comment, "at": r.at.isoformat(), "revision": r.revision}
    comments = review_comments.comments_of(session, [r.id])[r.id]
    if comments:  # beside each item on the device (PROTOCOL.md §5); absent when none, as before
        out["finding_comments"] = [c.model_dump() for c in comments]
    return out


def _root(session: Session, inspection: Inspection) -> Inspection:
    """The original of an amendment chain: devices hold one protocol row per original."""
    while inspection.amends_id is not None:
        original = session.get(Inspection, inspection.amends_id)
        assert original is not None
        inspection = original
    return inspection


def _inspection(store: SqlStore, inspection_id: uuid.UUID) -> uuid.UUID | None:
    """Keep the device's view of the workflow: a returned inspection is a draft again, with the comment.
    Returns the inspection's establishment (whose history shows it)."""
    session = store.session
    inspection = session.get(Inspection, inspection_id)
    if inspection is None:
        return None
    key = str(_root(session, inspection).id)
    current = store.get("inspection", key)
    if current is None:
        if inspection.amends_id is not None:
            return inspection.establishment_id  # an amendment made over REST of a record no device holds
        current = _new_inspection_row(session, inspection)
    elif current.get("record_id", key) != str(inspection.id):
        return inspection.establishment_id  # not the version the devices hold
    current.pop("version", None)
    team = sorted(str(u) for u in inspections.team_of(session, inspection.id))
    data = {
        **current, "status": "draft" if inspection.status in EDITABLE else "submitted", "team": team,
        "lead": str(inspection.lead_inspector_id),
    }  # fmt: skip
    review = _review_of(session, inspection)
    if review is not None or "review" in data:
        data["review"] = review
    joined = set(team) - set(current.get("team", team))
    left = set(current.get("team", team)) - set(team)
    _put_if_changed(store, "inspection", key, data, inspection_id=uuid.UUID(key))
    if joined:  # a newcomer's device pulls from its own cursor: the whole record gets new versions
        scope_feed.redeliver(store, [uuid.UUID(key)], [])
    for user_id in sorted(left):
        user = session.get(User, uuid.UUID(user_id))
        if user is None or user.role == Role.admin:
            continue
        if user.role == Role.supervisor and scope.can_see(session, user, inspection.district_id):
            continue  # supervisors keep seeing their area (``visibility.changes_since``)
        scope_feed.left_team(store, user, key)
    return inspection.establishment_id


def _finding(store: SqlStore, finding_id: uuid.UUID) -> None:
    """A finding recorded over REST on an inspection devices hold: its protocol row takes the new values at a
    new version, so a device that edits from an older base gets a conflict, never a silent overwrite."""
    session = store.session
    finding = session.get(Finding, finding_id)
    inspection = session.get(Inspection, finding.inspection_id) if finding else None
    if finding is None or inspection is None:
        return
    iid = str(_root(session, inspection).id)
    held = store.get("inspection", iid)
    if held is None or held.get("record_id", iid) != str(inspection.id):
        return
    key = f"{iid}/{finding.item_id}"
    row = store.get("finding", key) or {"inspection_id": iid, "item_id": finding.item_id, "fields": {},
                                        "fields_meta": {}, "fields_conflicts": {}}  # fmt: skip
    row.pop("version", None)
    values = vocabulary.finding_to_wire(finding)
    if not any(values["workers_affected"].values()) and "workers_affected" not in row["fields"]:
        del values["workers_affected"]
    changed = {f: v for f, v in values.items() if row["fields"].get(f) != v and (v is not None or f in row["fields"])}
    if not changed:
        return
    mutation_id = str(uuid.uuid5(FEED_NS, f"{finding.id}:{finding.version}"))
    meta = {"version": store.next_version(), "author": str(finding.recorded_by), "mutation_id": mutation_id}
    for name, value in changed.items():
        row["fields"][name] = value
        row["fields_meta"][name] = dict(meta)
    store.put("finding", key, row, iid)


def _new_inspection_row(session: Session, inspection: Inspection) -> dict[str, Any]:
    """The protocol row of an inspection created outside sync (assigned by a supervisor over REST)."""
    pinned = inspections.checklists_of(session, inspection.id)
    header = vocabulary.header_to_wire(inspection)
    meta = {
        "version": 0,
        "author": str(inspection.created_by),
        "mutation_id": str(uuid.uuid5(FEED_NS, str(inspection.id))),
    }
    return {
        "establishment_id": str(inspection.establishment_id),
        "checklist": f"{pinned[0].key}@{pinned[0].version}" if pinned else None,
        "lead": str(inspection.lead_inspector_id),
        "team": sorted(str(u) for u in inspections.team_of(session, inspection.id)),
        "status": "draft", "type": inspection.type.value, "header": header,
        "header_meta": {f: dict(meta) for f in header}, "header_conflicts": {},
        "submission_id": None, "submitted_hash": None, "author": str(inspection.created_by),
    }  # fmt: skip


def _establishment(store: SqlStore, establishment_id: uuid.UUID) -> None:
    session = store.session
    establishment = session.get(Establishment, establishment_id)
    if establishment is None:
        return
    profile = establishment.model_dump(mode="json", include=set(PROFILE))
    stmt = (
        select(Inspection)
        .where(Inspection.establishment_id == establishment_id, col(Inspection.submitted_at).is_not(None))
        .order_by(col(Inspection.submitted_at).desc())
        .limit(HISTORY)
    )
    history = [
        {"inspection_id": str(i.id), "type": employer_facing_type(i.type).value, "status": i.status.value,
         "revision": i.revision,
         "amends": str(i.amends_id) if i.amends_id else None,
         "visited_on": i.visit_date.isoformat() if i.visit_date else None}
        for i in session.exec(stmt)
    ]  # fmt: skip
    # The zone its district works in: a device dates a new visit there, as the server does (orgs/timezone.py).
    data = {**profile, "time_zone": timezone.zone_of(session, establishment.district_id).key, "history": history}
    _put_if_changed(store, "establishment", str(establishment_id), data, district_id=establishment.district_id)


def complaint_row(complaint: Complaint) -> dict[str, Any]:
    """The pulled shape (PROTOCOL.md §5): never the complainant's identity (``source``)."""
    return {
        "establishment_id": str(complaint.establishment_id) if complaint.establishment_id else None,
        "summary": complaint.summary,
        "received_on": complaint.received_on.isoformat(), "confidential": complaint.confidential,
        "status": complaint.status.value, "author": str(complaint.created_by),
    }  # fmt: skip


def action_row(action: EnforcementAction, inspection_id: str) -> dict[str, Any]:
    """The pulled shape: the ``action.record`` args plus where it applies, its deadline and its status.
    ``inspection_id`` is the protocol record's id: for an order recorded on an amendment, the original's."""
    return {
        "inspection_id": inspection_id, "item_id": action.item_id, "measure": action.measure.value,
        "deadline_days": action.deadline_days, "text": action.text or None, "author": str(action.created_by),
        "establishment_id": str(action.establishment_id),
        "deadline": action.deadline.isoformat() if action.deadline else None, "status": action.status.value,
    }  # fmt: skip


def put_followup(store: SqlStore, obj: Complaint | EnforcementAction, *, force: bool = False) -> int | None:
    """Write the object's sync row (unless unchanged); complaints are scoped to the author and the district's
    supervisors (``store`` hides district-scoped complaints from inspectors), actions to the team and district."""
    if isinstance(obj, Complaint):
        entity, data, inspection_id, owner_id = "complaint", complaint_row(obj), None, str(obj.created_by)
    else:
        # Devices hold one record per original (``_root``): an order on an amendment belongs to it there.
        inspection = store.session.get(Inspection, obj.inspection_id)
        inspection_id = str(obj.inspection_id if inspection is None else _root(store.session, inspection).id)
        entity, data, owner_id = "action", action_row(obj, inspection_id), None
        verify_in = followups.pending_for(store.session, obj.id)  # issue 17: the follow-up that verifies it
        data["verify_in"] = str(verify_in) if verify_in is not None else None
    row = store.session.get(SyncRecord, (entity, str(obj.id)))
    if not force and row is not None and row.data == data:
        return None
    return store.put(entity, str(obj.id), data, inspection_id, owner_id=owner_id, district_id=str(obj.district_id))
