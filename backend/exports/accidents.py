"""The accidents dataset (one row per notified accident: when, class, deaths, serious injuries, direct loss) and the
injured persons dataset (one row per case: sex, age group, occupation, nature of injury, days lost). No names and no
free text: a description may name the injured."""

from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from backend.accidents.models import Accident, InjuredPerson
from backend.auth.models import User
from backend.exports import filters as flt
from backend.exports.datasets import Dataset, register
from backend.orgs.models import Establishment
from backend.orgs.timezone import zone_of

ACCIDENTS = (
    "accident_id", "establishment_id", "establishment_name", "isic", "district_id", "occurred_at", "commuting",
    "accident_class", "deaths", "serious_injuries", "direct_loss_yuan", "investigated",
)  # fmt: skip
PERSONS = (
    "person_id", "accident_id", "establishment_id", "isic", "district_id", "occurred_at", "commuting", "position",
    "sex", "age_group", "occupation", "employment_status", "nature_of_injury", "part_of_body", "fatal", "serious",
    "days_lost", "incapacity",
)  # fmt: skip


def _moment(session: Session, f: flt.Filters, day: date) -> datetime:
    """The start of a local day, in the time zone of the unit filtered by (or the default one)."""
    return datetime.combine(day, time(0), tzinfo=zone_of(session, f.org_unit_id))


def _scoped(session: Session, user: User | None, f: flt.Filters, stmt: Any) -> Any:
    stmt = stmt.join(Establishment, col(Establishment.id) == Accident.establishment_id)
    stmt = flt.where_units(stmt, Accident.district_id, flt.units(session, user, f))
    if f.since is not None:
        stmt = stmt.where(col(Accident.occurred_at) >= _moment(session, f, f.since))
    if f.until is not None:  # the local day ``until`` included
        stmt = stmt.where(col(Accident.occurred_at) < _moment(session, f, f.until + timedelta(days=1)))
    return flt.where_isic(stmt, Establishment.isic, f)


def accidents(session: Session, user: User | None, f: flt.Filters) -> Any:
    columns: list[Any] = [
        Accident.id, Accident.establishment_id, Establishment.name, Establishment.isic, Accident.district_id,
        Accident.occurred_at, Accident.commuting, Accident.accident_class, Accident.deaths, Accident.serious_injuries,
        Accident.direct_loss_yuan, col(Accident.investigation_id).is_not(None),
    ]  # fmt: skip
    return _scoped(session, user, f, sa.select(*columns)).order_by(col(Accident.occurred_at), col(Accident.id))


def persons(session: Session, user: User | None, f: flt.Filters) -> Any:
    P = InjuredPerson
    columns: list[Any] = [
        P.id, P.accident_id, Accident.establishment_id, Establishment.isic, Accident.district_id, Accident.occurred_at,
        Accident.commuting, P.position, P.sex, P.age_group, P.occupation, P.employment_status, P.nature_of_injury,
        P.part_of_body, P.fatal, P.serious, P.days_lost, P.incapacity,
    ]  # fmt: skip
    stmt = sa.select(*columns).join(Accident, col(Accident.id) == P.accident_id)
    return _scoped(session, user, f, stmt).order_by(col(Accident.occurred_at), col(P.accident_id), col(P.position))


register(Dataset("accidents", ACCIDENTS, frozenset({"isic"}), accidents))
register(Dataset("injured_persons", PERSONS, frozenset({"isic"}), persons))
