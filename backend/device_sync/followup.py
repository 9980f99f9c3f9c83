"""SQL handlers of ``complaint.create``, ``accident.report``, ``disease.report`` and ``action.record`` (the rules
of ``sync.memory_handlers``), each made through the complaints, accidents and enforcement services too; the pulled
rows of complaints and actions are written by ``feed``.
"""

import uuid

from backend.accidents import service as accidents
from backend.accidents.models import AccidentCreate, DiseaseCaseCreate, PersonIn
from backend.complaints import service as complaints
from backend.complaints.models import Channel, ComplaintCreate
from backend.device_sync import feed, mirror
from backend.device_sync.mirror import Ctx, domain_rules
from backend.device_sync.visibility import PRIVILEGED
from backend.enforcement import service as enforcement
from backend.enforcement.models import ActionCreate
from sync import mutations as mu
from sync.errors import Rejected
from sync.protocol import Outcome
from sync.registry import applied
from sync.rules import member_check


def _optional_uuid(value: str | None, what: str) -> uuid.UUID | None:
    if value is None:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Rejected("invalid", f"{what} {value!r} is not a UUID") from None


@domain_rules
def complaint_create(ctx: Ctx, a: mu.ComplaintCreate) -> Outcome:
    """A complaint taken on the tablet, through the desk intake's own validation (``ComplaintCreate`` and
    ``complaints.create``): the matters alleged, the channel, an unregistered workplace; always anonymous."""
    session = ctx.store.session
    if ctx.store.get("complaint", str(a.complaint_id)) is not None or complaints.exists(session, a.complaint_id):
        raise Rejected("exists", f"complaint {a.complaint_id} already exists")
    data = ComplaintCreate(
        id=a.complaint_id, establishment_id=_optional_uuid(a.establishment_id, "establishment_id"),
        district_id=_optional_uuid(a.district_id, "district_id"), workplace_name=a.workplace_name,
        workplace_address=a.workplace_address, workplace_description=a.workplace_description, summary=a.summary,
        matters=list(a.matters), received_on=a.received_on, confidential=a.confidential, channel=Channel(a.channel),
    )  # fmt: skip
    complaint = complaints.create(session, ctx.store.user(ctx.actor), data)
    version = feed.put_followup(ctx.store, complaint, force=True)
    assert version is not None
    return applied(version)


@domain_rules
def accident_report(ctx: Ctx, a: mu.AccidentReport) -> Outcome:
    """An accident notified from a tablet, through the accidents service (class computed, audited); the same
    ``accident_id`` again is ``exists``."""
    session = ctx.store.session
    if accidents.exists(session, a.accident_id):
        raise Rejected("exists", f"accident {a.accident_id} already exists")
    try:
        establishment_id = uuid.UUID(a.establishment_id)
    except ValueError:
        raise Rejected("invalid", f"establishment_id {a.establishment_id!r} is not a UUID") from None
    data = AccidentCreate(
        id=a.accident_id,
        establishment_id=establishment_id,
        occurred_at=a.occurred_at,
        commuting=a.commuting,
        description=a.description,
        direct_loss_yuan=a.direct_loss_yuan,
        persons=[PersonIn.model_validate(p.model_dump()) for p in a.persons],
    )
    accidents.create(session, ctx.store.user(ctx.actor), data)
    return applied()


@domain_rules
def disease_report(ctx: Ctx, a: mu.DiseaseReport) -> Outcome:
    """An occupational disease case notified from a tablet, through the accidents service (audited); the same
    ``disease_id`` again is ``exists``."""
    session = ctx.store.session
    if accidents.disease_exists(session, a.disease_id):
        raise Rejected("exists", f"disease case {a.disease_id} already exists")
    establishment_id = _optional_uuid(a.establishment_id, "establishment_id")
    assert establishment_id is not None
    fields = a.model_dump(exclude={"disease_id", "establishment_id"})
    data = DiseaseCaseCreate(id=a.disease_id, establishment_id=establishment_id, **fields)
    accidents.record_disease(session, ctx.store.user(ctx.actor), data)
    return applied()


@domain_rules
def action_record(ctx: Ctx, a: mu.ActionRecord) -> Outcome:
    """Allowed after submission; the sender must be on the team, or a supervisor of the inspection's area."""
    iid = str(a.inspection_id)
    insp = ctx.store.get("inspection", iid)
    if insp is None:
        raise Rejected("not_found", f"inspection {iid} does not exist")
    privileged = ctx.actor.role in PRIVILEGED
    if privileged:
        mirror.domain_inspection(ctx, iid)  # outside the supervisor's area: not_found
    member_check(ctx.actor, insp, privileged=privileged, lead=False, supervisors=True)
    session = ctx.store.session
    if ctx.store.get("action", str(a.action_id)) is not None or enforcement.exists(session, a.action_id):
        raise Rejected("exists", f"action {a.action_id} already exists")
    inspection = mirror.domain_inspection(ctx, iid)
    data = ActionCreate(
        id=a.action_id, item_id=a.item_id, measure=a.measure, deadline_days=a.deadline_days, text=a.text or ""
    )
    action = enforcement.record(session, ctx.store.user(ctx.actor), inspection, data)
    version = feed.put_followup(ctx.store, action, force=True)
    assert version is not None
    return applied(version)
