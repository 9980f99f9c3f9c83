"""The complaints dataset: only what ``complaints.public.to_public`` keeps (received, channel, matters, status,
outcome...). Never the complainant, never a free text, never the inspection a complaint triggered (C81 Art. 15(c))."""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from backend.auth.models import User
from backend.complaints.models import Complaint
from backend.complaints.public import to_public
from backend.exports import filters as flt
from backend.exports.datasets import Dataset, Mapper, register
from backend.orgs.models import Establishment

FIELDS = (
    "id", "district_id", "establishment_id", "unregistered_workplace", "received_on", "channel", "matters",
    "anonymous", "status", "priority", "due_on", "inspected", "outcome", "concluded_on", "replied",
)  # fmt: skip
HEADER = ("complaint_id", *FIELDS[1:])


def statement(session: Session, user: User | None, f: flt.Filters) -> Any:
    stmt = sa.select(Complaint)
    if f.isic:
        stmt = stmt.join(Establishment, col(Establishment.id) == Complaint.establishment_id)
        stmt = flt.where_isic(stmt, Establishment.isic, f)
    stmt = flt.where_units(stmt, Complaint.district_id, flt.units(session, user, f))
    stmt = flt.where_period(stmt, col(Complaint.received_on), f)
    return stmt.order_by(col(Complaint.received_on), col(Complaint.id))


def mapper(session: Session) -> Mapper:
    def row(r: Any) -> Sequence[Any]:
        public = to_public(r[0]).model_dump()
        return tuple(";".join(public[k]) if k == "matters" else public[k] for k in FIELDS)

    return row


DATASET = register(Dataset("complaints", HEADER, frozenset({"isic"}), statement, mapper))
