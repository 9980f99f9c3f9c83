"""HTTP routes of the enforcement case: violations, a measure's history, escalation, appeals, payment, the
employer's claim, follow-up results."""

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlmodel import Session

from backend.api import SessionDep
from backend.auth.deps import CurrentUser, FieldPrincipal
from backend.enforcement import case, followups, history, notice_pdf, notices, profile, queue, service, violations
from backend.enforcement.case_models import Notice, NoticeBlock, RelationKind
from backend.enforcement.models import ActionAppeal, ActionPublic
from backend.enforcement.schemas import (
    ActionEventPublic,
    AppealDecide,
    AppealLodge,
    AppealPublic,
    BlockPublic,
    BlockReserve,
    Claim,
    DeviceBlockReserve,
    Escalate,
    EscalationDismiss,
    FollowUpResult,
    NoticePublic,
    Payment,
    RelationCreate,
    SerialVoid,
    ViolationPublic,
)
from backend.errors import Forbidden, NotFound
from backend.inspections import service as inspections

router = APIRouter(tags=["enforcement"])


def violation_public(v: object) -> ViolationPublic:
    public = ViolationPublic.model_validate(v)
    return public.model_copy(update={"repeat": public.repeat_of_id is not None})


def block_public(session: Session, block: NoticeBlock) -> BlockPublic:
    """A reserved block with the official number of each of its serials (the tablet shows them offline)."""
    public = BlockPublic.model_validate(block)
    return public.model_copy(update={"numbers": notices.numbers_of(session, block)})


@router.get("/inspections/{inspection_id}/violations", response_model=list[ViolationPublic])
def list_violations(session: SessionDep, user: CurrentUser, inspection_id: uuid.UUID) -> list[ViolationPublic]:
    """The violations of the visit (one per non-compliant item, across its revisions and amendments)."""
    inspection = inspections.get_visible(session, user, inspection_id)
    return [violation_public(v) for v in violations.of_inspection(session, inspection)]


@router.get("/actions/{action_id}/history", response_model=list[ActionEventPublic])
def action_history(session: SessionDep, user: CurrentUser, action_id: uuid.UUID) -> list[ActionEventPublic]:
    action = service.get_visible(session, user, action_id)
    return [ActionEventPublic.model_validate(e) for e in history.events_of(session, action.id)]


@router.post("/actions/{action_id}/escalate", response_model=ActionPublic, status_code=201)
def escalate(session: SessionDep, user: CurrentUser, action_id: uuid.UUID, data: Escalate) -> ActionPublic:
    """A supervisor decides the next measure; answers the new measure."""
    action = service.get_visible(session, user, action_id)
    return service.to_public(case.escalate(session, user, action, data), session=session)


@router.post("/actions/{action_id}/escalation/dismiss", response_model=ActionPublic)
def dismiss_escalation(
    session: SessionDep, user: CurrentUser, action_id: uuid.UUID, data: EscalationDismiss
) -> ActionPublic:
    """A supervisor declines the sweep's proposed next measure, with a reason kept in the measure's history."""
    action = service.get_visible(session, user, action_id)
    return service.to_public(case.dismiss_proposal(session, user, action, data), session=session)


@router.get("/actions/{action_id}/appeals", response_model=list[AppealPublic])
def list_appeals(session: SessionDep, user: CurrentUser, action_id: uuid.UUID) -> list[AppealPublic]:
    action = service.get_visible(session, user, action_id)
    return [AppealPublic.model_validate(a) for a in history.appeals_of(session, action.id)]


@router.post("/actions/{action_id}/appeals", response_model=AppealPublic, status_code=201)
def lodge_appeal(session: SessionDep, user: CurrentUser, action_id: uuid.UUID, data: AppealLodge) -> AppealPublic:
    action = service.get_visible(session, user, action_id)
    return AppealPublic.model_validate(case.lodge_appeal(session, user, action, data))


@router.post("/appeals/{appeal_id}/decide", response_model=AppealPublic)
def decide_appeal(session: SessionDep, user: CurrentUser, appeal_id: uuid.UUID, data: AppealDecide) -> AppealPublic:
    appeal = session.get(ActionAppeal, appeal_id)
    if appeal is None:
        raise NotFound("appeal.not_found", "No such appeal.", id=str(appeal_id))
    try:
        service.get_visible(session, user, appeal.action_id)
    except NotFound:
        raise NotFound("appeal.not_found", "No such appeal.", id=str(appeal_id)) from None
    return AppealPublic.model_validate(case.decide_appeal(session, user, appeal, data))


@router.post("/actions/{action_id}/payment", response_model=ActionPublic)
def record_payment(session: SessionDep, user: CurrentUser, action_id: uuid.UUID, data: Payment) -> ActionPublic:
    action = service.get_visible(session, user, action_id)
    return service.to_public(case.pay(session, user, action, data), session=session)


@router.post("/actions/{action_id}/claim", response_model=ActionPublic)
def record_claim(session: SessionDep, user: CurrentUser, action_id: uuid.UUID, data: Claim) -> ActionPublic:
    """The employer reports having complied; the next follow-up scheduling sends an inspector to verify."""
    action = service.get_visible(session, user, action_id)
    return service.to_public(case.claim(session, user, action, data), session=session)


@router.post("/inspections/{inspection_id}/follow-up/{action_id}", response_model=ActionPublic)
def follow_up_result(
    session: SessionDep, user: CurrentUser, inspection_id: uuid.UUID, action_id: uuid.UUID, data: FollowUpResult
) -> ActionPublic:
    """The follow-up's result for one measure it verifies: complied closes it, not complied escalates it."""
    inspection = inspections.get_visible(session, user, inspection_id)
    followups.record_result(session, user, inspection, action_id, data)
    return service.to_public(service.get_visible(session, user, action_id), session=session)


@router.post("/notice-blocks", response_model=BlockPublic, status_code=201)
def reserve_block(session: SessionDep, user: CurrentUser, data: BlockReserve) -> BlockPublic:
    """Reserve serials of the org unit's notices for a device to number notices from offline."""
    block = notices.reserve_block(session, user, data.org_unit_id, data.device_id, data.size)
    return block_public(session, block)


@router.post("/devices/me/notice-blocks", response_model=BlockPublic, status_code=201)
def reserve_device_block(session: SessionDep, principal: FieldPrincipal, data: DeviceBlockReserve) -> BlockPublic:
    """The tablet, with its device token, reserves a block for itself before going offline (it numbers notices
    from it through ``notice.issue``); a password sign-in uses ``POST /notice-blocks`` instead."""
    if principal.device is None:
        raise Forbidden("notice.device_token_required", "Only a device, with its device token, reserves its block.")
    block = notices.reserve_block(session, principal.user, data.org_unit_id, principal.device.id, data.size)
    return block_public(session, block)


@router.post("/notice-blocks/{block_id}/void", response_model=NoticePublic)
def void_serial(session: SessionDep, user: CurrentUser, block_id: uuid.UUID, data: SerialVoid) -> NoticePublic:
    """A spoiled number of your block: recorded as voided, never reused."""
    return NoticePublic.model_validate(notices.void(session, user, block_id, data.serial, data.reason))


@router.get("/actions/{action_id}/notices", response_model=list[NoticePublic])
def list_notices(session: SessionDep, user: CurrentUser, action_id: uuid.UUID) -> list[NoticePublic]:
    action = service.get_visible(session, user, action_id)
    return [NoticePublic.model_validate(n) for n in notices.of_action(session, action.id)]


@router.post("/actions/{action_id}/notices", response_model=NoticePublic, status_code=201)
def issue_notice(session: SessionDep, user: CurrentUser, action_id: uuid.UUID) -> NoticePublic:
    """Issue the measure's notice online, with the org unit's next number; its content is frozen and hashed."""
    action = service.get_visible(session, user, action_id)
    return NoticePublic.model_validate(notices.issue(session, user, action))


PDF: dict[int | str, dict[str, Any]] = {200: {"content": {"application/pdf": {}}, "description": "The PDF"}}


@router.get("/actions/{action_id}/notices/{notice_id}.pdf", response_class=Response, responses=PDF)
def notice_document(
    session: SessionDep,
    user: CurrentUser,
    action_id: uuid.UUID,
    notice_id: uuid.UUID,
    lang: Annotated[Literal["zh", "en", "both"], Query(description="zh, en, or both side by side")] = "both",
) -> Response:
    """The official notice as PDF, printed from its content frozen at issue with its SHA-256 (per inspection:
    issue 19), to anyone who may read the measure."""
    action = service.get_visible(session, user, action_id)
    notice = session.get(Notice, notice_id)
    if notice is None or notice.action_id != action.id:
        raise NotFound("notice.not_found", "The measure has no such notice.", id=str(notice_id))
    return Response(
        notice_pdf.render(session, notice, action, lang),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{notice_pdf.filename(notice, lang)}"',
            "Cache-Control": "private, no-store",
        },
    )


@router.get("/enforcement/queue", response_model=queue.Queue)
def enforcement_queue(session: SessionDep, user: CurrentUser, org_unit_id: uuid.UUID | None = None) -> queue.Queue:
    """The desk's work: overdue measures, escalation proposals, appeals pending, penalties unpaid (in your area, or
    under ``org_unit_id``)."""
    return queue.queue(session, user, org_unit_id)


@router.get("/establishments/{establishment_id}/compliance", response_model=profile.ComplianceHistory)
def compliance_history(
    session: SessionDep, user: CurrentUser, establishment_id: uuid.UUID
) -> profile.ComplianceHistory:
    """The establishment's timeline, compliance rate per visit, repeats, relations and the liabilities they bring."""
    return profile.compliance_history(session, user, establishment_id)


@router.post("/establishments/{establishment_id}/relations", response_model=profile.RelationPublic, status_code=201)
def create_relation(
    session: SessionDep, user: CurrentUser, establishment_id: uuid.UUID, data: RelationCreate
) -> profile.RelationPublic:
    relation = profile.relate(
        session, user, establishment_id, data.partner_id, RelationKind(data.kind), data.project, data.since, data.until
    )
    return next(r for r in profile.relations_of(session, establishment_id) if r.id == relation.id)
