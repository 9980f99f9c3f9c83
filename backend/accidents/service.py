"""Notifying accidents (with each person injured) and occupational disease cases, correcting an accident's
casualties later, opening its investigation, and the yearly 16th ICLS counts. Staff read what their area holds."""

import uuid
from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from backend.accidents.classification import CITATION, LABELS, AccidentClass, classify
from backend.accidents.models import (
    Accident,
    AccidentCreate,
    AccidentPublic,
    AccidentStatistics,
    AccidentUpdate,
    CaseCounts,
    DiseaseCase,
    DiseaseCaseCreate,
    Incapacity,
    InjuredPerson,
    InvestigationCreate,
    PersonIn,
    PersonPublic,
)
from backend.audit import service as audit_log
from backend.auth.models import Role, User
from backend.db import insert_once, utcnow, uuid7
from backend.errors import Conflict, Forbidden, Invalid, NotFound
from backend.inspections import service as inspections
from backend.inspections.models import Inspection, InspectionType
from backend.inspections.schemas import InspectionCreate
from backend.orgs import scope, timezone
from backend.orgs import service as orgs


def persons_of(session: Session, accident_id: uuid.UUID) -> list[InjuredPerson]:
    stmt = select(InjuredPerson).where(InjuredPerson.accident_id == accident_id)
    return list(session.exec(stmt.order_by(col(InjuredPerson.position))).all())


def to_public(session: Session, accident: Accident) -> AccidentPublic:
    cls = accident.accident_class
    return AccidentPublic.model_validate(
        accident.model_dump()
        | {
            "persons": [PersonPublic.model_validate(p) for p in persons_of(session, accident.id)],
            "class_label": LABELS[cls] if cls else None,
            "class_basis": CITATION if cls else None,
        }
    )


def _set_persons(session: Session, accident: Accident, persons: list[PersonIn], loss: int) -> None:
    for old in persons_of(session, accident.id):
        session.delete(old)
    session.flush()
    for position, p in enumerate(persons):
        session.add(InjuredPerson(accident_id=accident.id, position=position, **p.model_dump()))
    accident.deaths = sum(p.fatal for p in persons)
    accident.serious_injuries = sum(p.serious and not p.fatal for p in persons)
    accident.direct_loss_yuan = loss
    # A commuting accident is not a production safety accident (Regulation Art. 2): no class.
    accident.accident_class = None if accident.commuting else classify(accident.deaths, accident.serious_injuries, loss)


def exists(session: Session, accident_id: uuid.UUID) -> bool:
    return session.get(Accident, accident_id) is not None


def disease_exists(session: Session, disease_id: uuid.UUID) -> bool:
    return session.get(DiseaseCase, disease_id) is not None


def create(session: Session, user: User, data: AccidentCreate) -> Accident:
    establishment = orgs.get_establishment(session, user, data.establishment_id)
    if data.occurred_at > datetime.now(UTC):
        raise Invalid("accident.in_future", "An accident cannot have happened in the future.")
    if data.id is not None and session.get(Accident, data.id) is not None:
        raise Conflict("accident.id_taken", "An accident with this id already exists.", id=str(data.id))
    accident = Accident(
        id=data.id or uuid7(),
        establishment_id=establishment.id,
        district_id=establishment.district_id,
        occurred_at=data.occurred_at,
        commuting=data.commuting,
        description=data.description,
        created_by=user.id,
    )
    insert_once(session, Conflict("accident.id_taken", "An accident with this id already exists."), accident)
    _set_persons(session, accident, data.persons, data.direct_loss_yuan)
    session.add(accident)
    session.flush()
    audit_log.record(
        session,
        user.id,
        "accident.create",
        "accident",
        accident.id,
        after=to_public(session, accident).model_dump(mode="json"),
    )
    return accident


def get_visible(session: Session, user: User, accident_id: uuid.UUID) -> Accident:
    row = session.get(Accident, accident_id)
    if row is None or not scope.can_see(session, user, row.district_id):
        raise NotFound("accident.not_found", "No such accident in your area.", id=str(accident_id))
    return row


def update(session: Session, user: User, accident: Accident, data: AccidentUpdate) -> Accident:
    before = to_public(session, accident).model_dump(mode="json")
    _set_persons(session, accident, data.persons, data.direct_loss_yuan)
    session.add(accident)
    session.flush()
    after = to_public(session, accident).model_dump(mode="json")
    audit_log.record(session, user.id, "accident.update", "accident", accident.id, before=before, after=after)
    return accident


def open_investigation(session: Session, user: User, accident: Accident, data: InvestigationCreate) -> Inspection:
    """The investigation inspection (type ``accident``), assigned as any inspection is: it reaches the team's
    tablets by sync."""
    if user.role not in (Role.supervisor, Role.admin):
        raise Forbidden("accident.supervisor_only", "A supervisor of the area opens an accident's investigation.")
    if accident.investigation_id is not None:
        raise Conflict(
            "accident.investigation_exists", "The investigation is open.", inspection_id=str(accident.investigation_id)
        )
    inspection = inspections.create(
        session,
        user,
        InspectionCreate(
            id=data.id,
            establishment_id=accident.establishment_id,
            type=InspectionType.accident,
            lead_inspector_id=data.lead_inspector_id,
            team=data.team,
            checklists=data.checklists,
            visit_date=data.visit_date,
        ),
    )
    accident.investigation_id = inspection.id
    session.add(accident)
    session.flush()
    audit_log.record(
        session, user.id, "accident.investigate", "accident", accident.id, inspection_id=str(inspection.id)
    )
    return inspection


def search(
    session: Session, user: User, *, year: int | None = None, district_id: uuid.UUID | None = None
) -> list[Accident]:
    stmt = select(Accident)
    units = scope.visible_units(session, user)
    if units is not None:
        stmt = stmt.where(col(Accident.district_id).in_(units))
    if district_id is not None:
        stmt = stmt.where(col(Accident.district_id).in_(scope.descendants(session, [district_id])))
    if year is not None:
        start, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
        stmt = stmt.where(col(Accident.occurred_at) >= start, col(Accident.occurred_at) < end)
    return list(session.exec(stmt.order_by(col(Accident.occurred_at).desc(), col(Accident.id))).all())


def record_disease(session: Session, user: User, data: DiseaseCaseCreate) -> DiseaseCase:
    establishment = orgs.get_establishment(session, user, data.establishment_id)
    if data.diagnosed_on > timezone.local_date(session, establishment.district_id, datetime.now(UTC)):
        raise Invalid("disease_case.diagnosed_in_future", "A diagnosis date cannot be after today.")
    if data.id is not None and session.get(DiseaseCase, data.id) is not None:
        raise Conflict("disease_case.id_taken", "A disease case with this id already exists.", id=str(data.id))
    row = DiseaseCase(
        **data.model_dump(exclude={"id", "establishment_id"}),
        id=data.id or uuid7(),
        establishment_id=establishment.id,
        district_id=establishment.district_id,
        created_by=user.id,
        created_at=utcnow(),
    )
    insert_once(session, Conflict("disease_case.id_taken", "A disease case with this id already exists."), row)
    audit_log.record(session, user.id, "disease_case.create", "disease_case", row.id, disease=row.disease)
    return row


def diseases(session: Session, user: User, *, year: int | None = None) -> list[DiseaseCase]:
    stmt = select(DiseaseCase)
    units = scope.visible_units(session, user)
    if units is not None:
        stmt = stmt.where(col(DiseaseCase.district_id).in_(units))
    if year is not None:
        first, last = date(year, 1, 1), date(year, 12, 31)
        stmt = stmt.where(col(DiseaseCase.diagnosed_on) >= first, col(DiseaseCase.diagnosed_on) <= last)
    return list(session.exec(stmt.order_by(col(DiseaseCase.diagnosed_on).desc(), col(DiseaseCase.id))).all())


def statistics(session: Session, user: User, year: int, district_id: uuid.UUID | None = None) -> AccidentStatistics:
    """Cases (persons) by fatal or not, days lost and permanent incapacity; commuting accidents apart (16th ICLS)."""
    at_work, commuting = CaseCounts(), CaseCounts()
    by_class = {c.value: 0 for c in AccidentClass}
    for accident in search(session, user, year=year, district_id=district_id):
        counts = commuting if accident.commuting else at_work
        counts.accidents += 1
        if accident.accident_class is not None:
            by_class[accident.accident_class.value] += 1
        for p in persons_of(session, accident.id):
            counts.fatal_cases += p.fatal
            counts.nonfatal_cases += not p.fatal
            counts.days_lost += p.days_lost
            counts.permanent_incapacity += p.incapacity == Incapacity.permanent
    cases = [d for d in diseases(session, user, year=year) if district_id is None or d.district_id == district_id]
    return AccidentStatistics(
        year=year, at_work=at_work, commuting=commuting, by_class=by_class, disease_cases=len(cases)
    )
