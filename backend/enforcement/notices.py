"""Official notices (责令改正指令书, 行政处罚决定书, stop-work and referral notices) with serial numbers per org unit
and year that never collide: the server hands out blocks of serials from one locked counter, a device numbers
notices from its block offline, a spoiled number is voided and recorded (never reused: ``uq_notice_serial``). The
notice's content is frozen and hashed (canonical JSON, SHA-256) when it is issued.
"""

import hashlib
import uuid
from typing import Any

from sqlmodel import Session, col, select

from backend.audit import service as audit_log
from backend.auth.models import Device, User
from backend.db import insert_once, utcnow, uuid7
from backend.enforcement import violations
from backend.enforcement.case_models import Notice, NoticeBlock, NoticeCounter, NoticeKind, NoticeStatus
from backend.enforcement.models import EnforcementAction, Measure
from backend.errors import Conflict, Forbidden, Invalid, NotFound
from backend.inspections import service as inspections
from backend.orgs import scope
from backend.orgs import service as orgs
from backend.orgs.models import OrgUnit
from backend.orgs.timezone import local_date
from sync.canonical import canonical_bytes

KINDS = {
    Measure.order_to_rectify: NoticeKind.order_to_rectify,
    Measure.penalty: NoticeKind.penalty_decision,
    Measure.stop_work: NoticeKind.stop_work,
    Measure.referral: NoticeKind.referral,
}


def number_of(unit: OrgUnit, year: int, serial: int) -> str:
    from backend.config import settings

    return settings.notice_number_pattern.format(unit=unit.code, year=year, serial=serial)


def _take(session: Session, org_unit_id: uuid.UUID, year: int, size: int) -> int:
    """The first of ``size`` serials taken from the unit's counter for ``year`` (row-locked until commit)."""
    stmt = select(NoticeCounter).where(NoticeCounter.org_unit_id == org_unit_id, NoticeCounter.year == year)
    counter = session.exec(stmt.with_for_update().execution_options(populate_existing=True)).first()
    if counter is None:
        fresh = NoticeCounter(org_unit_id=org_unit_id, year=year, next_serial=1)
        try:
            insert_once(session, Conflict("notice.counter_race", "Try again."), fresh)
            counter = fresh
        except Conflict:  # another transaction created it first: lock theirs
            counter = session.exec(stmt.with_for_update().execution_options(populate_existing=True)).one()
    first = counter.next_serial
    counter.next_serial = first + size
    session.add(counter)
    session.flush()
    return first


def reserve_block(
    session: Session, user: User, org_unit_id: uuid.UUID, device_id: uuid.UUID | None, size: int | None = None
) -> NoticeBlock:
    """Reserve the next ``size`` (``LI_NOTICE_BLOCK_SIZE``) serials of the unit's current year for a device."""
    from backend.config import settings

    if not scope.can_see(session, user, org_unit_id) or session.get(OrgUnit, org_unit_id) is None:
        raise NotFound("org_unit.not_found", "No such org unit in your area.", id=str(org_unit_id))
    if device_id is not None:
        device = session.get(Device, device_id)
        if device is None or device.user_id != user.id or device.revoked_at is not None:
            raise NotFound("device.not_found", "No such device (or not yours).", id=str(device_id))
    count = size or settings.notice_block_size
    year = local_date(session, org_unit_id, utcnow()).year  # the unit's year, in its time zone
    first = _take(session, org_unit_id, year, count)
    block = NoticeBlock(
        org_unit_id=org_unit_id,
        year=year,
        first_serial=first,
        last_serial=first + count - 1,
        device_id=device_id,
        reserved_by=user.id,
    )
    session.add(block)
    session.flush()
    audit_log.record(
        session,
        user.id,
        "notice_block.reserve",
        "notice_block",
        block.id,
        org_unit_id=str(org_unit_id),
        year=year,
        first=block.first_serial,
        last=block.last_serial,
    )
    return block


def numbers_of(session: Session, block: NoticeBlock) -> list[str]:
    """The official numbers of a block's serials, so a device shows the one it issues offline."""
    unit = session.get(OrgUnit, block.org_unit_id)
    assert unit is not None
    return [number_of(unit, block.year, s) for s in range(block.first_serial, block.last_serial + 1)]


def _own_block(session: Session, user: User, block_id: uuid.UUID, serial: int) -> NoticeBlock:
    block = session.get(NoticeBlock, block_id)
    if block is None or block.reserved_by != user.id:
        raise NotFound("notice.block_not_found", "No such number block of yours.", id=str(block_id))
    if not block.first_serial <= serial <= block.last_serial:
        raise Invalid(
            "notice.serial_outside_block",
            f"Serial {serial} is not in the block {block.first_serial}-{block.last_serial}.",
            first=block.first_serial,
            last=block.last_serial,
        )
    return block


def content_of(session: Session, action: EnforcementAction, number: str, kind: NoticeKind) -> dict[str, Any]:
    """What the notice says, as plain JSON: the measure, the establishment, the violations with their provisions."""
    establishment = orgs.get_establishment_unscoped(session, action.establishment_id)
    cited = [
        {"item_id": v.item_id, "provisions": v.provisions, "severity": v.severity}
        for v in session.exec(
            select(violations.Violation).where(
                col(violations.Violation.id).in_(violations.violations_of_action(session, action.id))
            )
        )
    ]
    return {
        "number": number,
        "kind": kind.value,
        "action_id": str(action.id),
        "measure": action.measure.value,
        "text": action.text,
        "deadline": action.deadline.isoformat() if action.deadline else None,
        "establishment": {
            "id": str(establishment.id),
            "name": establishment.name,
            "registration_number": establishment.registration_number,
        },
        "violations": cited,
        "penalty_minor": action.penalty_minor,
        "currency": action.currency,
        "penalty_article": action.penalty_article,
        "decision_number": action.decision_number,
        "referral_to": action.referral_to,
    }


def _taken(unit_id: uuid.UUID, year: int, serial: int) -> Conflict:
    return Conflict("notice.number_taken", f"Serial {serial} of {year} is issued or voided already.", serial=serial)


def _refuse_second(session: Session, action: EnforcementAction, kind: NoticeKind) -> None:
    """One issued notice of a kind per measure (the desk online and a tablet offline may both issue one): the
    measure's row is locked first, so two transactions issuing at once see each other's notice."""
    session.exec(select(EnforcementAction.id).where(EnforcementAction.id == action.id).with_for_update()).first()
    stmt = select(Notice).where(
        Notice.action_id == action.id, Notice.kind == kind.value, Notice.status == NoticeStatus.issued
    )
    held = session.exec(stmt).first()
    if held is not None:
        raise Conflict(
            "notice.already_issued",
            f"The measure has an issued notice {held.number} already: void it before issuing another.",
            number=held.number,
            notice_id=str(held.id),
        )


def issue(
    session: Session,
    user: User,
    action: EnforcementAction,
    *,
    notice_id: uuid.UUID | None = None,
    block_id: uuid.UUID | None = None,
    serial: int | None = None,
) -> Notice:
    """Issue the measure's notice: with a number from the user's block (offline), or the unit's next one."""
    inspection = inspections.get_visible(session, user, action.inspection_id)
    if not (inspections.is_member(session, user, inspection) or user.role.value in ("supervisor", "admin")):
        raise Forbidden("inspection.not_team_member", "Only the inspection team or a supervisor issues a notice.")
    kind = KINDS.get(action.measure)
    if kind is None:
        raise Invalid("notice.no_notice", f"A {action.measure.value} has no official notice.")
    _refuse_second(session, action, kind)
    if block_id is not None and serial is not None:
        block = _own_block(session, user, block_id, serial)
        if block.org_unit_id != action.district_id:
            raise Invalid("notice.wrong_unit", "The block belongs to another org unit than the measure.")
        year = block.year
    else:
        block, year = None, local_date(session, action.district_id, utcnow()).year
        serial = _take(session, action.district_id, year, 1)
    unit = session.get(OrgUnit, action.district_id)
    assert unit is not None
    number = number_of(unit, year, serial)
    content = content_of(session, action, number, kind)
    notice = Notice(
        id=notice_id or uuid7(),
        org_unit_id=action.district_id,
        year=year,
        serial=serial,
        number=number,
        kind=kind.value,
        status=NoticeStatus.issued,
        action_id=action.id,
        block_id=block.id if block else None,
        content=content,
        sha256=hashlib.sha256(canonical_bytes(content)).hexdigest(),
        issued_by=user.id,
    )
    insert_once(session, _taken(action.district_id, year, serial), notice)
    audit_log.record(
        session,
        user.id,
        "notice.issue",
        "notice",
        notice.id,
        number=number,
        sha256=notice.sha256,
        action_id=str(action.id),
    )
    return notice


def void(session: Session, user: User, block_id: uuid.UUID, serial: int, reason: str) -> Notice:
    """Record a spoiled number of the user's block as voided (an issued notice of it is voided too)."""
    block = _own_block(session, user, block_id, serial)
    stmt = select(Notice).where(
        Notice.org_unit_id == block.org_unit_id, Notice.year == block.year, Notice.serial == serial
    )
    notice = session.exec(stmt).first()
    if notice is not None and notice.status == NoticeStatus.voided:
        raise _taken(block.org_unit_id, block.year, serial)
    if notice is None:
        unit = session.get(OrgUnit, block.org_unit_id)
        assert unit is not None
        notice = Notice(
            org_unit_id=block.org_unit_id,
            year=block.year,
            serial=serial,
            block_id=block.id,
            number=number_of(unit, block.year, serial),
            status=NoticeStatus.voided,
            issued_by=user.id,
        )
    notice.status, notice.void_reason = NoticeStatus.voided, reason
    session.add(notice)
    session.flush()
    audit_log.record(session, user.id, "notice.void", "notice", notice.id, number=notice.number, reason=reason)
    return notice


def of_action(session: Session, action_id: uuid.UUID) -> list[Notice]:
    stmt = select(Notice).where(Notice.action_id == action_id)
    return list(session.exec(stmt.order_by(col(Notice.year), col(Notice.serial))).all())


def of_unit(session: Session, org_unit_id: uuid.UUID, year: int) -> list[Notice]:
    stmt = select(Notice).where(Notice.org_unit_id == org_unit_id, Notice.year == year)
    return list(session.exec(stmt.order_by(col(Notice.serial))).all())
