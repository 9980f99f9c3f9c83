"""The measures dataset (enforcement actions: advice to referral, with their state and deadline) and the penalties
dataset (the penalty decisions among them: number, article, amount, payment). Filtered by checklist or convention
through the violations a measure addresses."""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from backend.auth.models import User
from backend.enforcement.models import ActionViolation, EnforcementAction, Measure, Violation
from backend.exports import filters as flt
from backend.exports.datasets import Dataset, Mapper, register
from backend.inspections.models import Inspection
from backend.orgs.models import Establishment

A = EnforcementAction
MEASURES = (
    "action_id", "inspection_id", "establishment_id", "establishment_name", "isic", "district_id", "visit_date",
    "measure", "item_ids", "text", "deadline_days", "deadline", "status", "overdue_since", "authority",
    "referral_to", "created_at", "closed_at", "escalated_from_id", "escalated_to_id",
)  # fmt: skip
PENALTIES = (
    "action_id", "inspection_id", "establishment_id", "establishment_name", "isic", "district_id", "visit_date",
    "decision_number", "penalty_article", "penalty_minor", "currency", "payment_status", "paid_on", "status",
    "created_at",
)  # fmt: skip
SUPPORTS = frozenset({"isic", "checklist", "convention"})


def _scoped(session: Session, user: User | None, f: flt.Filters, columns: list[Any]) -> Any:
    stmt = (
        sa.select(*columns)
        .join(Inspection, col(Inspection.id) == A.inspection_id)
        .join(Establishment, col(Establishment.id) == A.establishment_id)
    )
    stmt = flt.where_units(stmt, A.district_id, flt.units(session, user, f))
    stmt = flt.where_period(stmt, col(Inspection.visit_date), f)
    stmt = flt.where_isic(stmt, Establishment.isic, f)
    cond = flt.item_condition(session, col(Violation.checklist_key), col(Violation.item_id), f)
    if cond is not None:
        addressed = (
            sa.select(col(ActionViolation.action_id))
            .join(Violation, col(Violation.id) == ActionViolation.violation_id)
            .where(col(ActionViolation.action_id) == A.id, cond)
        )
        stmt = stmt.where(addressed.exists())
    return stmt.order_by(col(Inspection.visit_date), col(A.id))


def measures(session: Session, user: User | None, f: flt.Filters) -> Any:
    columns: list[Any] = [
        A.id, A.inspection_id, A.establishment_id, Establishment.name, Establishment.isic, A.district_id,
        Inspection.visit_date, A.measure, A.item_id, A.item_ids, A.text, A.deadline_days, A.deadline, A.status,
        A.overdue_since, A.authority, A.referral_to, A.created_at, A.closed_at, A.escalated_from_id, A.escalated_to_id,
    ]  # fmt: skip
    return _scoped(session, user, f, columns)


def measures_mapper(session: Session) -> Mapper:
    def row(r: Any) -> Sequence[Any]:
        items = [r[8]] if r[8] else []
        items += [i for i in r[9] or [] if i not in items]
        return (*r[:8], ";".join(items), *r[10:])

    return row


def penalties(session: Session, user: User | None, f: flt.Filters) -> Any:
    columns: list[Any] = [
        A.id, A.inspection_id, A.establishment_id, Establishment.name, Establishment.isic, A.district_id,
        Inspection.visit_date, A.decision_number, A.penalty_article, A.penalty_minor, A.currency, A.payment_status,
        A.paid_on, A.status, A.created_at,
    ]  # fmt: skip
    return _scoped(session, user, f, columns).where(col(A.measure) == Measure.penalty)


register(Dataset("measures", MEASURES, SUPPORTS, measures, measures_mapper))
register(Dataset("penalties", PENALTIES, SUPPORTS, penalties))
