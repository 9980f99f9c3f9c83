"""A seeded synthetic province-year for the standards reports: raw rows written straight into the tables, and kept
in lists so that tests recompute every figure from them in plain Python."""

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from backend.accidents.models import (
    Accident,
    AgeGroup,
    BodyPart,
    DiseaseCase,
    EmploymentStatus,
    InjuredPerson,
    NatureOfInjury,
    Sex,
)
from backend.auth.models import Role, User, UserOrgUnit
from backend.auth.models import Sex as UserSex
from backend.checklists.models import PublishedChecklist
from backend.enforcement.models import EnforcementAction, Measure
from backend.inspections.models import Finding, FindingStatus, Inspection, InspectionChecklist, InspectionType
from backend.inspections.workflow import Status
from backend.orgs.models import Establishment, Level, OrgUnit
from tests.backend.world import uscc

YEAR = 2025
ISICS = ["0111", "0510", "1071", "C", "2511", "4100", "4711", "5610", "8610", "9999"]
ITEMS = [("rpt-wages", "w1"), ("rpt-wages", "w2"), ("rpt-hours", "h1"), ("rpt-safety", "s1")]
BASIS = {
    "w1": [("C95", "12"), ("C131", "3(1)")],
    "w2": [("C95", "12(2)"), ("CN-LL", "50")],
    "h1": [("C1", "2")],
    "s1": [("C155", "16"), ("C81", "12")],
}


@dataclass
class Data:
    province: OrgUnit
    districts: list[OrgUnit]
    users: list[User] = field(default_factory=list)
    memberships: list[UserOrgUnit] = field(default_factory=list)
    establishments: list[Establishment] = field(default_factory=list)
    inspections: list[Inspection] = field(default_factory=list)
    checklists: list[InspectionChecklist] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    actions: list[EnforcementAction] = field(default_factory=list)
    accidents: list[Accident] = field(default_factory=list)
    persons: list[InjuredPerson] = field(default_factory=list)
    diseases: list[DiseaseCase] = field(default_factory=list)


def generate(session: Session, parent: OrgUnit, seed: int = 7, establishments: int = 40) -> Data:
    rnd = random.Random(seed)
    tag = f"{seed:02d}"
    province = OrgUnit(code=f"R{tag}", level=Level.province, name_en="Report P", name_zh="报告省", parent_id=parent.id)
    session.add(province)
    session.flush()
    districts = [
        OrgUnit(code=f"R{tag}D{i}", level=Level.district, name_en=f"D{i}", name_zh=f"区{i}", parent_id=province.id)
        for i in range(3)
    ]
    session.add_all(districts)
    session.flush()
    d = Data(province, districts)
    for key in sorted({k for k, _ in ITEMS}):
        items = [{"id": i, "legal_basis": [{"instrument": c, "article": a} for c, a in BASIS[i]]}
                 for k, i in ITEMS if k == key]  # fmt: skip
        session.add(
            PublishedChecklist(
                key=key,
                version=1,
                sha256="0" * 64,
                title_en=key,
                title_zh=key,
                item_count=len(items),
                definition={"sections": [{"id": "s", "items": items}]},
            )
        )
    for i in range(6):
        sex = rnd.choice([UserSex.female, UserSex.male])
        role = Role.inspector if i < 5 else Role.supervisor
        u = User(email=f"r{tag}u{i}@example.test", name=f"U{i}", sex=sex, role=role, password_hash="x", active=i != 4)
        d.users.append(u)
    session.add_all(d.users)
    session.flush()
    for i, u in enumerate(d.users):
        d.memberships.append(UserOrgUnit(user_id=u.id, org_unit_id=districts[i % 3].id))
    d.memberships.append(UserOrgUnit(user_id=d.users[0].id, org_unit_id=districts[1].id))
    session.add_all(d.memberships)
    for i in range(establishments):
        total = rnd.choice([0, 3, 9, 10, 49, 50, 120, 249, 250, 900])
        e = Establishment(
            name=f"E{i}",
            registration_number=uscc(seed * 10_000 + i),
            district_id=rnd.choice(districts).id,
            isic=rnd.choice(ISICS),
            workers_total=total,
            workers_women=total // 3,
        )
        d.establishments.append(e)
    session.add_all(d.establishments)
    session.flush()
    lead = d.users[0]
    for _ in range(establishments * 3):
        e = rnd.choice(d.establishments)
        day = date(YEAR, 1, 1) + timedelta(days=rnd.randrange(-40, 400))
        ins = Inspection(
            establishment_id=e.id,
            district_id=e.district_id,
            type=rnd.choice(list(InspectionType)),
            status=rnd.choice(list(Status)),
            lead_inspector_id=lead.id,
            created_by=lead.id,
            visit_date=day,
        )
        d.inspections.append(ins)
    session.add_all(d.inspections)
    session.flush()
    for ins in d.inspections:
        for key in sorted({k for k, _ in rnd.sample(ITEMS, rnd.randrange(1, 4))}):
            d.checklists.append(InspectionChecklist(inspection_id=ins.id, checklist_key=key, checklist_version=1))
            for k, item in ITEMS:
                if k == key:
                    d.findings.append(
                        Finding(
                            inspection_id=ins.id,
                            checklist_key=k,
                            item_id=item,
                            status=rnd.choice(list(FindingStatus)),
                            recorded_by=lead.id,
                        )
                    )
        for _ in range(rnd.randrange(0, 3)):
            m = rnd.choice(list(Measure))
            d.actions.append(
                EnforcementAction(
                    inspection_id=ins.id,
                    establishment_id=ins.establishment_id,
                    district_id=ins.district_id,
                    measure=m,
                    created_by=lead.id,
                    penalty_minor=rnd.randrange(1, 10**7) if m == Measure.penalty else None,
                    currency="CNY" if m == Measure.penalty else None,
                )
            )
    session.add_all(d.checklists + d.findings + d.actions)
    for _ in range(establishments // 2):
        e = rnd.choice(d.establishments)
        at = datetime(YEAR, 1, 1, tzinfo=UTC) + timedelta(hours=rnd.randrange(-500, 9200))
        a = Accident(
            establishment_id=e.id,
            district_id=e.district_id,
            occurred_at=at,
            commuting=rnd.random() < 0.2,
            created_by=lead.id,
        )
        d.accidents.append(a)
    session.add_all(d.accidents)
    session.flush()
    for a in d.accidents:
        for p in range(rnd.randrange(1, 4)):
            d.persons.append(
                InjuredPerson(
                    accident_id=a.id,
                    position=p,
                    sex=rnd.choice(list(Sex)),
                    age_group=AgeGroup.a25_34,
                    employment_status=EmploymentStatus.employee,
                    nature_of_injury=NatureOfInjury.fracture,
                    part_of_body=BodyPart.back,
                    fatal=rnd.random() < 0.2,
                    days_lost=rnd.randrange(0, 200),
                )
            )
    for _ in range(establishments // 3):
        e = rnd.choice(d.establishments)
        d.diseases.append(
            DiseaseCase(
                establishment_id=e.id,
                district_id=e.district_id,
                disease=rnd.choice(["尘肺病", "噪声聋"]),
                exposure="dust",
                diagnosed_on=date(YEAR, 1, 1) + timedelta(days=rnd.randrange(-30, 395)),
                sex=rnd.choice(list(Sex)),
                age_group=AgeGroup.a45_54,
                fatal=rnd.random() < 0.1,
                created_by=lead.id,
            )
        )
    session.add_all(d.persons + d.diseases)
    session.flush()
    return d


def ids(rows: list[Any]) -> set[uuid.UUID]:
    return {r.id for r in rows}
