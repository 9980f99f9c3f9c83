"""Demo data for a first look: an org tree, ~200 establishments, staff with fresh passwords, past inspections.

Loaded only into an empty database, through the same services as real use, so the audit trail is complete.
"""

import random
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from backend import changes
from backend.attachments import service as attachments
from backend.auth import service as auth
from backend.auth.models import Role, Sex, User, UserCreate
from backend.changes import EstablishmentChanged
from backend.checklists import service as checklists
from backend.checklists.definition import AnswerType, EstablishmentProfile
from backend.inspections import findings, review
from backend.inspections import service as inspections
from backend.inspections.models import FindingStatus, InspectionType
from backend.inspections.schemas import FindingRecord, GpsFix, InspectionCreate, PinnedChecklist, ReviewCreate
from backend.orgs import scope
from backend.orgs import service as orgs
from backend.orgs.models import Establishment, EstablishmentCreate, Level, OrgUnit
from backend.orgs.uscc import check_character
from backend.pngmaker import flat_png

PROVINCES = {
    ("350000", "Fujian", "福建省"): [
        ("350102", "Gulou District", "鼓楼区", 26.08, 119.30),
        ("350103", "Taijiang District", "台江区", 26.05, 119.31),
        ("350104", "Cangshan District", "仓山区", 26.04, 119.27),
        ("350105", "Mawei District", "马尾区", 26.00, 119.45),
    ],
    ("440000", "Guangdong", "广东省"): [
        ("440103", "Liwan District", "荔湾区", 23.12, 113.24),
        ("440104", "Yuexiu District", "越秀区", 23.13, 113.27),
        ("440105", "Haizhu District", "海珠区", 23.10, 113.32),
        ("440106", "Tianhe District", "天河区", 23.14, 113.36),
    ],
}
# (ISIC class, English trade, Chinese trade, typical workforce)
SECTORS = [
    ("1410", "Garments", "服装", 250),
    ("1520", "Footwear", "制鞋", 400),
    ("2610", "Electronics", "电子", 600),
    ("4100", "Construction", "建筑工程", 120),
    ("4290", "Civil Engineering", "土木工程", 80),
    ("0510", "Coal Mining", "煤矿", 300),
    ("0810", "Quarrying", "采石", 60),
    ("0113", "Vegetable Farm", "蔬菜种植", 40),
    ("2011", "Chemicals", "化工", 150),
    ("5610", "Restaurant", "餐饮", 25),
    ("4711", "Supermarket", "超市", 45),
    ("4923", "Logistics", "物流运输", 90),
    ("8610", "Hospital", "医院", 350),
    ("1071", "Bakery", "食品加工", 35),
]
NAME_PARTS = [
    "Golden",
    "Harbour",
    "Evergreen",
    "Sunrise",
    "Riverside",
    "Unity",
    "Pearl",
    "Mountain",
    "Jade",
    "Eastern",
]
NAME_PARTS_ZH = ["金", "港湾", "常青", "旭日", "滨江", "联合", "明珠", "山峰", "翡翠", "东方"]


@dataclass
class DemoAccount:
    email: str
    role: Role
    password: str


def uscc_for(division: str, rng: random.Random) -> str:
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    first17 = "91" + division + body
    return first17 + check_character(first17)


def _tree(session: Session) -> dict[str, list[OrgUnit]]:
    nation = orgs.create_unit(
        session,
        code="CN",
        level=Level.national,
        name_en="Ministry of Human Resources",
        name_zh="人力资源和社会保障部",
        parent_id=None,
        actor_id=None,
    )
    tree: dict[str, list[OrgUnit]] = {}
    for (code, en, zh), districts in PROVINCES.items():
        province = orgs.create_unit(
            session,
            code=code,
            level=Level.province,
            name_en=en,
            name_zh=zh,
            parent_id=nation.id,
            actor_id=None,
        )
        tree[code] = [province] + [
            orgs.create_unit(
                session,
                code=c,
                level=Level.district,
                name_en=e,
                name_zh=z,
                parent_id=province.id,
                actor_id=None,
            )
            for c, e, z, _, _ in districts
        ]
    return tree


def _establishments(session: Session, tree: dict[str, list[OrgUnit]], rng: random.Random, n: int) -> None:
    centres = {c: (lat, lon) for ds in PROVINCES.values() for c, _, _, lat, lon in ds}
    districts = [d for units in tree.values() for d in units[1:]]
    for i in range(n):
        district = districts[i % len(districts)]
        isic, trade, trade_zh, size = SECTORS[i % len(SECTORS)]
        total = max(3, int(rng.lognormvariate(0, 0.6) * size))
        lat, lon = centres[district.code]
        part = rng.randrange(len(NAME_PARTS))
        data = EstablishmentCreate(
            name=f"{NAME_PARTS[part]} {trade} Co. {i + 1:03d} / {NAME_PARTS_ZH[part]}{trade_zh}有限公司",
            registration_number=uscc_for(district.code, rng),
            district_id=district.id,
            isic=isic,
            address=f"{rng.randint(1, 999)} {district.name_en} Road / {district.name_zh}{rng.randint(1, 99)}号",
            latitude=round(lat + rng.uniform(-0.03, 0.03), 5),
            longitude=round(lon + rng.uniform(-0.03, 0.03), 5),
            workers_total=total,
            workers_women=int(total * rng.uniform(0.1, 0.7)),
            workers_under_18=rng.choice([0, 0, 0, 0, 1, 2]) if total > 20 else 0,
            # Derived, not drawn: the random sequence (and the demo data built from it) stays as it was.
            uses_hazardous_chemicals=isic[:2] in {"19", "20", "21", "22", "26"},
            has_underground_work=isic[:2] in {"05", "07"},
            union_members=total // 2 if total >= 50 else 0,
            contact_name=f"Manager {i + 1}",
            contact_phone=f"+86 591 {rng.randint(1000000, 9999999)}",
        )
        row = Establishment.model_validate(data)
        session.add(row)
        changes.record(session, EstablishmentChanged(row.id))
    session.flush()


def _staff(session: Session, tree: dict[str, list[OrgUnit]], admin_exists: bool) -> list[DemoAccount]:
    (fj, *fj_districts), (gd, *gd_districts) = tree.values()
    plan: list[tuple[str, Role, Sex, list[OrgUnit]]] = [
        ("supervisor.fujian@demo.example", Role.supervisor, Sex.female, [fj]),
        ("supervisor.guangdong@demo.example", Role.supervisor, Sex.male, [gd]),
        ("inspector.gulou@demo.example", Role.inspector, Sex.female, [fj_districts[0]]),
        ("inspector.taijiang@demo.example", Role.inspector, Sex.male, [fj_districts[1]]),
        ("inspector.liwan@demo.example", Role.inspector, Sex.female, [gd_districts[0]]),
        ("inspector.yuexiu@demo.example", Role.inspector, Sex.male, [gd_districts[1], gd_districts[2]]),
    ]
    if not admin_exists:
        plan.insert(0, ("admin@demo.example", Role.admin, Sex.female, []))
    accounts = []
    for email, role, sex, units in plan:
        password = secrets.token_urlsafe(12)
        name = email.split("@")[0].replace(".", " ").title()
        auth.create_user(
            session,
            UserCreate(
                email=email,
                name=name,
                sex=sex,
                role=role,
                password=password,
                org_unit_ids=[u.id for u in units],
            ),
            actor_id=None,
        )
        accounts.append(DemoAccount(email, role, password))
    return accounts


def _past_inspections(session: Session, rng: random.Random, count: int) -> int:
    staff = session.exec(select(User).where(User.role == Role.inspector)).all()
    supervisors = session.exec(select(User).where(User.role == Role.supervisor)).all()
    published = {c.key: c for c in checklists.list_published(session)}
    general = published.get("general-administration")
    if general is None:
        return 0
    definition = checklists.definition_of(checklists.get_published(session, general.key, general.version))
    made = 0
    for n in range(count):
        inspector = staff[n % len(staff)]
        page = orgs.search_establishments(session, inspector, limit=200)
        target = page.items[rng.randrange(len(page.items))]
        profile = EstablishmentProfile.of(target)
        started = datetime.now(UTC) - timedelta(days=rng.randint(3, 300), hours=rng.randint(0, 6))
        insp = inspections.create(
            session,
            inspector,
            InspectionCreate(
                establishment_id=target.id,
                type=rng.choice(list(InspectionType)),
                started_at=started,
                checklists=[PinnedChecklist(key=general.key, version=general.version)],
                gps=GpsFix(
                    latitude=target.latitude or 0,
                    longitude=target.longitude or 0,
                    accuracy_m=rng.uniform(4, 30),
                ),
            ),
        )
        for item in definition.items():
            if not item.applies_to(profile):
                continue
            status = rng.choices(list(FindingStatus), weights=[70, 20, 5, 5])[0]
            value = str(rng.randint(1, target.workers_total)) if item.answer_type == AnswerType.number else None
            if item.answer_type == AnswerType.choice:
                value = item.choices[0].en
            evidence = []
            if status == FindingStatus.non_compliant:
                colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
                evidence = [attachments.put_bytes(session, inspector, flat_png(64, 48, colour), "image/png")]
            findings.record(
                session,
                inspector,
                insp,
                FindingRecord(
                    checklist_key=general.key,
                    item_id=item.id,
                    status=status,
                    value=value,
                    evidence=evidence,
                    workers_women=rng.randint(0, 5) if status == FindingStatus.non_compliant else 0,
                    note="Demo finding" if status == FindingStatus.non_compliant else "",
                ),
            )
        review.submit(session, inspector, insp, ended_at=started + timedelta(hours=3))
        reviewer = next((s for s in supervisors if scope.can_see(session, s, insp.district_id)), None)
        if reviewer is not None and n % 3 != 0:
            review.review(session, reviewer, insp, ReviewCreate(decision="approve", comment="Checked."))
        made += 1
    return made


def is_empty(session: Session) -> bool:
    return session.exec(select(OrgUnit.id).limit(1)).first() is None


def load(session: Session, *, seed: int = 81, establishments: int = 200, past: int = 36) -> list[DemoAccount]:
    """Load the demo into an empty database and return the accounts with their one-time passwords."""
    rng = random.Random(seed)
    tree = _tree(session)
    _establishments(session, tree, rng, establishments)
    admin_exists = session.exec(select(User.id).where(User.role == Role.admin)).first() is not None
    accounts = _staff(session, tree, admin_exists)
    _past_inspections(session, rng, past)
    return accounts
