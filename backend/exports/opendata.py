"""Open enforcement data in the spirit of OSHA's published enforcement tables: inspections, violations and
penalties of the caller's area, keyed by the inspection number (the original version's id, as violations are), with
personal data removed — no inspector, no complainant, no contact, no free text (notes, measure texts), and neither
name nor registration number of a party that may be a natural person (an individual business, USCC ``92…``, or a
registration that is not a USCC). Only submitted records, each visit once: its newest submitted version; penalties
only once disclosed (Administrative Penalty Law Art. 48) and while not withdrawn. No inspection type:
a complaint-triggered visit must not be recognisable (C81 Art. 15(c)).
"""

import uuid
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from backend.auth.models import User
from backend.enforcement.disclosure import PenaltyDisclosure, public_party, status_of
from backend.enforcement.models import ActionViolation, EnforcementAction, Measure, Violation, ViolationStatus
from backend.inspections.models import Finding, FindingStatus, Inspection
from backend.orgs import scope
from backend.orgs.models import Establishment, OrgUnit
from backend.orgs.timezone import zone_of

INSPECTIONS = (
    "inspection_number", "district_code", "district_en", "district_zh", "establishment_name", "registration_number",
    "isic", "workers_total", "visit_date", "status", "revision", "items_checked", "items_non_compliant",
    "violations_active",
)  # fmt: skip
VIOLATIONS = (
    "inspection_number", "violation_id", "district_code", "checklist_key", "checklist_version", "item_id",
    "provisions_zh", "provisions_en", "severity", "authority", "found_on", "status", "workers_exposed",
    "workers_women", "workers_under_18", "repeat", "measures",
)  # fmt: skip
PENALTIES = (
    "inspection_number", "action_id", "district_code", "decision_number", "decided_on", "amount", "currency",
    "penalty_article", "status", "payment_status", "paid_on", "violation_ids",
)  # fmt: skip
PENALTY_DECISIONS = (
    "decision_number", "decided_on", "authority_zh", "authority_en", "party_name", "registration_number",
    "provisions_zh", "provisions_en", "penalty", "amount", "currency", "basis", "disclosed_on", "status",
    "withdrawn_on", "withdrawal_reason", "withdrawal_note", "sha256",
)  # fmt: skip
SUBMITTED = ("submitted", "approved")


class Scope:
    """The caller's districts (None: all), the amendment links within them and their codes, read once."""

    def __init__(self, session: Session, user: User, org_unit_id: uuid.UUID | None) -> None:
        units = scope.visible_units(session, user)
        if org_unit_id is not None:
            below = scope.descendants(session, [org_unit_id])
            units = below if units is None else units & below
        self.units = units
        stmt = sa.select(col(Inspection.id), col(Inspection.amends_id), col(Inspection.status)).where(
            col(Inspection.amends_id).is_not(None)
        )
        links = session.execute(self.within(stmt, Inspection)).all()
        self.parent: dict[uuid.UUID, uuid.UUID] = {i: a for i, a, _ in links}
        # a version is replaced only by a submitted amendment: one still a draft leaves it the newest published
        self.amended = {a for _, a, status in links if str(status) in SUBMITTED}
        self.codes: dict[uuid.UUID, str] = dict(session.execute(sa.select(col(OrgUnit.id), col(OrgUnit.code))).all())

    def within(self, stmt: Any, model: Any) -> Any:
        return stmt if self.units is None else stmt.where(col(model.district_id).in_(self.units))

    def root(self, inspection_id: uuid.UUID) -> uuid.UUID:
        seen = 0
        while inspection_id in self.parent and seen < 1000:
            inspection_id, seen = self.parent[inspection_id], seen + 1
        return inspection_id


def _period(stmt: Any, column: Any, since: date | None, until: date | None) -> Any:
    if since is not None:
        stmt = stmt.where(column >= since)
    if until is not None:
        stmt = stmt.where(column <= until)
    return stmt


def inspections(
    session: Session, user: User, org_unit_id: uuid.UUID | None, since: date | None, until: date | None
) -> Iterator[Sequence[Any]]:
    s = Scope(session, user, org_unit_id)
    checked = (
        sa.select(sa.func.count())
        .where(col(Finding.inspection_id) == col(Inspection.id))
        .correlate(Inspection)
        .scalar_subquery()
    )
    bad = (
        sa.select(sa.func.count())
        .where(col(Finding.inspection_id) == col(Inspection.id), col(Finding.status) == FindingStatus.non_compliant)
        .correlate(Inspection)
        .scalar_subquery()
    )
    columns = (
        col(Inspection.id), col(Inspection.district_id), col(OrgUnit.name_en), col(OrgUnit.name_zh),
        col(Establishment.name), col(Establishment.registration_type), col(Establishment.registration_number),
        col(Establishment.isic), col(Establishment.workers_total), col(Inspection.visit_date),
        col(Inspection.status), col(Inspection.revision), checked, bad,
    )  # fmt: skip
    stmt = (
        sa.select(*columns)
        .join(Establishment, col(Establishment.id) == col(Inspection.establishment_id))
        .join(OrgUnit, col(OrgUnit.id) == col(Inspection.district_id))
        .where(col(Inspection.status).in_(SUBMITTED))
    )
    stmt = _period(s.within(stmt, Inspection), col(Inspection.visit_date), since, until)
    active: dict[uuid.UUID, int] = dict(
        session.execute(
            s.within(
                sa.select(col(Violation.inspection_id), sa.func.count())
                .where(col(Violation.status) == ViolationStatus.active)
                .group_by(col(Violation.inspection_id)),
                Violation,
            )
        ).all()
    )
    stmt = stmt.order_by(col(Inspection.visit_date), col(Inspection.id)).execution_options(yield_per=1000)
    for row in session.execute(stmt):
        (iid, district, en, zh, name, kind, number, isic, workers, visited, status, revision, n, nc) = row
        if iid in s.amended:
            continue  # an older version: the visit is published once, as its newest version says
        root = s.root(iid)
        party, reg = public_party(name, kind, number)
        yield (root, s.codes.get(district, ""), en, zh, party, reg, isic, workers, visited, status, revision, n, nc,
               active.get(root, 0))  # fmt: skip


def violations(
    session: Session, user: User, org_unit_id: uuid.UUID | None, since: date | None, until: date | None
) -> Iterator[Sequence[Any]]:
    s = Scope(session, user, org_unit_id)
    measures: dict[uuid.UUID, list[str]] = {}
    links = sa.select(col(ActionViolation.violation_id), col(EnforcementAction.measure)).join(
        EnforcementAction, col(EnforcementAction.id) == col(ActionViolation.action_id)
    )
    for vid, measure in session.execute(s.within(links, EnforcementAction).order_by(col(EnforcementAction.id))):
        measures.setdefault(vid, []).append(str(getattr(measure, "value", measure)))
    stmt = _period(s.within(sa.select(Violation), Violation), col(Violation.found_on), since, until)
    stmt = stmt.order_by(col(Violation.found_on), col(Violation.id)).execution_options(yield_per=1000)
    for (v,) in session.execute(stmt):
        yield (
            v.inspection_id, v.id, s.codes.get(v.district_id, ""), v.checklist_key, v.checklist_version, v.item_id,
            "; ".join(p.get("zh", "") for p in v.provisions), "; ".join(p.get("en", "") for p in v.provisions),
            v.severity, v.authority or "", v.found_on, str(v.status), v.workers_exposed, v.workers_women,
            v.workers_under_18, v.repeat_of_id is not None, " ".join(measures.get(v.id, [])),
        )  # fmt: skip


def amount(minor: int | None) -> str:
    """Minor units (fen) as a decimal amount: 200050 -> 2000.50."""
    return "" if minor is None else f"{minor // 100}.{minor % 100:02d}"


def penalties(
    session: Session, user: User, org_unit_id: uuid.UUID | None, since: date | None, until: date | None
) -> Iterator[Sequence[Any]]:
    s = Scope(session, user, org_unit_id)
    linked: dict[uuid.UUID, list[str]] = {}
    links = sa.select(col(ActionViolation.action_id), col(ActionViolation.violation_id)).join(
        EnforcementAction, col(EnforcementAction.id) == col(ActionViolation.action_id)
    )
    for aid, vid in session.execute(s.within(links.where(col(EnforcementAction.measure) == Measure.penalty),
                                             EnforcementAction)):  # fmt: skip
        linked.setdefault(aid, []).append(str(vid))
    # only decisions disclosed to the public (Administrative Penalty Law 2021, Art. 48) and not withdrawn since
    stmt = (
        sa.select(EnforcementAction, PenaltyDisclosure)
        .join(Inspection, col(Inspection.id) == col(EnforcementAction.inspection_id))
        .join(PenaltyDisclosure, col(PenaltyDisclosure.action_id) == col(EnforcementAction.id))
        .where(col(EnforcementAction.measure) == Measure.penalty, col(Inspection.status).in_(SUBMITTED))
    )
    stmt = s.within(stmt, EnforcementAction)
    stmt = stmt.order_by(col(EnforcementAction.created_at), col(EnforcementAction.id)).execution_options(yield_per=1000)
    zones: dict[uuid.UUID, Any] = {}
    for a, disclosed in session.execute(stmt):
        if status_of(session, disclosed, a)[0] == "withdrawn":
            continue
        zone = zones.get(a.district_id) or zones.setdefault(a.district_id, zone_of(session, a.district_id))
        decided = a.created_at.astimezone(zone).date()
        if (since is not None and decided < since) or (until is not None and decided > until):
            continue
        yield (
            s.root(a.inspection_id), a.id, s.codes.get(a.district_id, ""), a.decision_number, decided,
            amount(a.penalty_minor), a.currency or "", a.penalty_article, str(a.status),
            str(a.payment_status) if a.payment_status else "", a.paid_on, " ".join(sorted(linked.get(a.id, []))),
        )  # fmt: skip


def penalty_decisions(
    session: Session, user: User, org_unit_id: uuid.UUID | None, since: date | None, until: date | None
) -> Iterator[Sequence[Any]]:
    """The penalty decisions disclosed (Administrative Penalty Law 2021, Art. 48), by date disclosed; a withdrawn
    one keeps only its number, date and authority, with when and why it was withdrawn."""
    s = Scope(session, user, org_unit_id)
    stmt = sa.select(PenaltyDisclosure, EnforcementAction).join(
        EnforcementAction, col(EnforcementAction.id) == col(PenaltyDisclosure.action_id)
    )
    stmt = _period(s.within(stmt, PenaltyDisclosure), col(PenaltyDisclosure.disclosed_on), since, until)
    for row, action in session.execute(
        stmt.order_by(col(PenaltyDisclosure.disclosed_on), col(PenaltyDisclosure.action_id))
    ):
        c = row.content
        status, withdrawn_on, reason, note = status_of(session, row, action)
        head = (c["decision_number"], c["decided_on"], c["authority"]["zh"], c["authority"]["en"])
        tail = (row.disclosed_on, status, withdrawn_on, reason or "", note, row.sha256)
        if status == "withdrawn":
            yield (*head, "", "", "", "", "", "", "", "", *tail)
            continue
        penalty = c["penalty"]
        yield (
            *head, c["party"]["name"], c["party"]["registration_number"],
            "; ".join(p["zh"] for p in c["provisions"]), "; ".join(p["en"] for p in c["provisions"]),
            penalty["kind"], amount(penalty["amount_minor"]), penalty["currency"], c["basis"], *tail,
        )  # fmt: skip
