"""Public disclosure of administrative penalty decisions (Administrative Penalty Law 2021, Art. 48: a decision of
some social impact is disclosed; one varied, revoked, declared unlawful or void is withdrawn with the reason made
public). A supervisor of the district decides to disclose a penalty that has its decision number; what is disclosed
is frozen with its SHA-256: the decision number and date, the deciding inspectorate, the party (withheld where it
may be a natural person), the provisions violated, the fine and its basis. The supervisor withdraws it with a
reason; a decision revoked or varied on appeal is withdrawn by the appeal itself (the list shows it at once).
"""

import hashlib
import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import JSON, CheckConstraint, Column
from sqlmodel import Field, Session, SQLModel, col, select

from backend.audit import service as audit_log
from backend.auth.models import Role, User
from backend.db import UTCDateTime, insert_once, utcnow
from backend.enforcement.models import (
    ActionAppeal,
    ActionEvent,
    ActionStatus,
    ActionViolation,
    EnforcementAction,
    Measure,
    Violation,
)
from backend.errors import Conflict, Forbidden, Invalid, NotFound
from backend.orgs import scope
from backend.orgs import service as orgs
from backend.orgs.models import OrgUnit
from backend.orgs.timezone import local_date
from sync.canonical import canonical_bytes


class WithdrawalReason(StrEnum):
    varied = "varied"  # 依法变更
    revoked = "revoked"  # 撤销
    declared_unlawful = "declared_unlawful"  # 确认违法
    declared_void = "declared_void"  # 确认无效


REASONS_SQL = ",".join(f"'{r.value}'" for r in WithdrawalReason)
APPEAL_OUTCOMES = {"appeal_revoked": WithdrawalReason.revoked, "appeal_varied": WithdrawalReason.varied}


class PenaltyDisclosure(SQLModel, table=True):
    """A penalty decision disclosed to the public, and its withdrawal (migration 0023_penalty_disclosure)."""

    __tablename__ = "penalty_disclosure"
    __table_args__ = (
        CheckConstraint(f"withdrawal_reason IS NULL OR withdrawal_reason IN ({REASONS_SQL})", name="reason"),
    )

    action_id: uuid.UUID = Field(foreign_key="enforcement_action.id", primary_key=True)
    district_id: uuid.UUID = Field(foreign_key="org_unit.id", index=True)
    disclosed_on: date
    disclosed_by: uuid.UUID = Field(foreign_key="user_account.id")
    disclosed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    content: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    sha256: str = Field(max_length=64)
    withdrawn_on: date | None = None
    withdrawn_by: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    withdrawal_reason: str | None = Field(default=None, max_length=32, description="A ``WithdrawalReason``")
    withdrawal_note: str = Field(default="", max_length=2000)


class DisclosurePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    action_id: uuid.UUID
    disclosed_on: date
    content: dict[str, Any]
    sha256: str
    status: str  # disclosed | withdrawn
    withdrawn_on: date | None
    withdrawal_reason: str | None
    withdrawal_note: str


def public_party(name: str, registration_type: str, number: str) -> tuple[str, str]:
    """The party's name and registration number as published: withheld where it may be a natural person (an
    individual business, USCC ``92…``; a registration that is not a USCC)."""
    if registration_type != "uscc" or number.upper().startswith("92"):
        return "", ""
    return name, number


def _supervisor(session: Session, user: User, action: EnforcementAction) -> None:
    if user.role not in (Role.supervisor, Role.admin) or not scope.can_see(session, user, action.district_id):
        raise Forbidden("disclosure.forbidden", "Only a supervisor of the district discloses or withdraws a decision.")


def content_of(session: Session, action: EnforcementAction) -> dict[str, Any]:
    establishment = orgs.get_establishment_unscoped(session, action.establishment_id)
    unit = session.get(OrgUnit, action.district_id)
    name, number = public_party(establishment.name, establishment.registration_type, establishment.registration_number)
    stmt = (
        select(Violation)
        .join(ActionViolation, col(ActionViolation.violation_id) == col(Violation.id))
        .where(ActionViolation.action_id == action.id)
        .order_by(col(Violation.item_id))
    )
    provisions = [p for v in session.exec(stmt) for p in v.provisions]
    return {
        "decision_number": action.decision_number,
        "decided_on": local_date(session, action.district_id, action.created_at).isoformat(),
        "authority": {"en": unit.name_en if unit else "", "zh": unit.name_zh if unit else ""},
        "party": {"name": name, "registration_number": number},
        "provisions": [{"en": p.get("en", ""), "zh": p.get("zh", "")} for p in provisions],
        "penalty": {"kind": "fine", "amount_minor": action.penalty_minor, "currency": action.currency or "CNY"},
        "basis": action.penalty_article,
    }


def disclose(session: Session, user: User, action: EnforcementAction) -> PenaltyDisclosure:
    _supervisor(session, user, action)
    if action.measure != Measure.penalty:
        raise Invalid("disclosure.not_a_penalty", "Only an administrative penalty decision is disclosed.")
    if action.status == ActionStatus.withdrawn:
        raise Conflict("action.closed", "The penalty was withdrawn.", status=action.status.value)
    if not action.decision_number:
        raise Invalid("disclosure.decision_number_required", "Record the decision number before disclosing it.")
    content = content_of(session, action)
    row = PenaltyDisclosure(
        action_id=action.id,
        district_id=action.district_id,
        disclosed_on=local_date(session, action.district_id, utcnow()),
        disclosed_by=user.id,
        content=content,
        sha256=hashlib.sha256(canonical_bytes(content)).hexdigest(),
    )
    if session.get(PenaltyDisclosure, action.id) is not None:
        raise Conflict("disclosure.exists", "This decision is disclosed already.")
    insert_once(session, Conflict("disclosure.exists", "This decision is disclosed already."), row)
    audit_log.record(session, user.id, "penalty.disclose", "enforcement_action", action.id, sha256=row.sha256,
                     decision_number=action.decision_number)  # fmt: skip
    return row


def get(session: Session, action: EnforcementAction) -> PenaltyDisclosure:
    row = session.get(PenaltyDisclosure, action.id)
    if row is None:
        raise NotFound("disclosure.not_found", "This decision is not disclosed.", action_id=str(action.id))
    return row


def withdraw(
    session: Session, user: User, action: EnforcementAction, reason: WithdrawalReason, note: str
) -> PenaltyDisclosure:
    _supervisor(session, user, action)
    row = get(session, action)
    if status_of(session, row, action)[0] == "withdrawn":
        raise Conflict("disclosure.withdrawn", "The disclosure is withdrawn already.")
    row.withdrawn_on = local_date(session, action.district_id, utcnow())
    row.withdrawn_by, row.withdrawal_reason, row.withdrawal_note = user.id, reason.value, note
    session.add(row)
    session.flush()
    audit_log.record(session, user.id, "penalty.disclosure_withdraw", "enforcement_action", action.id,
                     reason=reason.value, note=note)  # fmt: skip
    return row


def status_of(
    session: Session, row: PenaltyDisclosure, action: EnforcementAction
) -> tuple[str, date | None, str | None, str]:
    """(status, withdrawn on, reason, note): withdrawn by a supervisor, or by an appeal whose decision revoking or
    varying the penalty was recorded after the disclosure (the measure's history says when); the note then names
    the appeal, not its decision's free text."""
    if row.withdrawn_on is not None:
        return "withdrawn", row.withdrawn_on, row.withdrawal_reason, row.withdrawal_note
    stmt = select(ActionEvent).where(
        ActionEvent.action_id == action.id, col(ActionEvent.kind).in_(list(APPEAL_OUTCOMES))
    )
    for event in session.exec(stmt.order_by(col(ActionEvent.at))):
        if event.at >= row.disclosed_at:
            appeal = session.get(ActionAppeal, uuid.UUID(str(event.details.get("appeal_id"))))
            kind = appeal.kind.value if appeal is not None else "appeal"
            decided = appeal.decided_on.isoformat() if appeal is not None and appeal.decided_on else ""
            on = local_date(session, action.district_id, event.at)
            return "withdrawn", on, APPEAL_OUTCOMES[event.kind].value, f"{kind} {decided}".strip()
    return "disclosed", None, None, ""


def to_public(session: Session, row: PenaltyDisclosure, action: EnforcementAction) -> DisclosurePublic:
    status, on, reason, note = status_of(session, row, action)
    return DisclosurePublic(
        action_id=row.action_id, disclosed_on=row.disclosed_on, content=row.content, sha256=row.sha256,
        status=status, withdrawn_on=on, withdrawal_reason=reason, withdrawal_note=note,
    )  # fmt: skip
