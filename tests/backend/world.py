"""The small world every backend test starts from: an org tree, the four personas, and establishments."""

import uuid
from dataclasses import dataclass

from sqlmodel import Session

from backend import changes
from backend.auth import service as auth
from backend.auth.models import Role, Sex, User, UserCreate
from backend.orgs.models import Establishment, EstablishmentCreate, Level, OrgUnit
from backend.orgs.uscc import check_character

PASSWORD = "correct horse battery"


def uscc(serial: int, division: str = "110101") -> str:
    first17 = f"91{division}{serial:09d}"
    return first17 + check_character(first17)


@dataclass
class World:
    nation: OrgUnit
    province: OrgUnit
    other_province: OrgUnit
    district: OrgUnit
    other_district: OrgUnit
    far_district: OrgUnit
    inspector: User
    other_district_inspector: User
    second_inspector: User
    supervisor: User
    admin: User
    factory: Establishment
    building_site: Establishment
    other_factory: Establishment
    far_factory: Establishment


def _unit(session: Session, code: str, level: Level, name: str, parent: OrgUnit | None) -> OrgUnit:
    unit = OrgUnit(code=code, level=level, name_en=name, name_zh=name, parent_id=parent.id if parent else None)
    session.add(unit)
    session.flush()
    return unit


def _user(session: Session, email: str, role: Role, sex: Sex, units: list[uuid.UUID]) -> User:
    data = UserCreate(
        email=email,
        name=email.split("@")[0].title(),
        sex=sex,
        role=role,
        password=PASSWORD,
        org_unit_ids=units,
    )
    return auth.create_user(session, data, actor_id=None)


def _establishment(session: Session, name: str, serial: int, district: OrgUnit, isic: str, **kw: int) -> Establishment:
    data = EstablishmentCreate(
        name=name,
        registration_number=uscc(serial),
        district_id=district.id,
        isic=isic,
        address=f"{serial} Test Road",
        **kw,
    )
    row = Establishment.model_validate(data)
    session.add(row)
    session.flush()
    changes.record(session, changes.EstablishmentChanged(row.id))  # as the domain service does
    return row


def build_world(session: Session) -> World:
    nation = _unit(session, "CN", Level.national, "Nation", None)
    province = _unit(session, "110000", Level.province, "North Province", nation)
    other_province = _unit(session, "310000", Level.province, "East Province", nation)
    district = _unit(session, "110101", Level.district, "Riverside", province)
    other_district = _unit(session, "110102", Level.district, "Hillside", province)
    far_district = _unit(session, "310101", Level.district, "Harbour", other_province)
    return World(
        nation=nation,
        province=province,
        other_province=other_province,
        district=district,
        other_district=other_district,
        far_district=far_district,
        inspector=_user(session, "inspector@test.example", Role.inspector, Sex.female, [district.id]),
        other_district_inspector=_user(session, "other@test.example", Role.inspector, Sex.male, [other_district.id]),
        second_inspector=_user(session, "second@test.example", Role.inspector, Sex.male, [district.id]),
        supervisor=_user(session, "supervisor@test.example", Role.supervisor, Sex.female, [province.id]),
        admin=_user(session, "admin@test.example", Role.admin, Sex.male, []),
        factory=_establishment(
            session,
            "Riverside Garments",
            1,
            district,
            "1410",
            workers_total=120,
            workers_women=90,
            workers_under_18=2,
        ),
        building_site=_establishment(session, "Riverside Tower Site", 2, district, "4100", workers_total=60),
        other_factory=_establishment(
            session, "Hillside Electronics", 3, other_district, "2610", workers_total=300, workers_women=150
        ),
        far_factory=_establishment(session, "Harbour Shipyard", 4, far_district, "3011", workers_total=500),
    )
