"""Application of conventions (ILO Constitution Art. 22 reports): per ILO instrument and article cited by the
checklists' items, the inspections that checked it (compliant or non-compliant answer), the non-compliances found
and the share of checked establishments found non-compliant; in total, by ISIC section and by district, for a year.
The item -> article mapping comes from the published checklists and joins the findings in SQL as a VALUES table."""

import re
import uuid
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Session, col

from backend.checklists.models import PublishedChecklist
from backend.inspections.models import Finding, FindingStatus, Inspection
from backend.orgs.models import Establishment, OrgUnit
from backend.reports.annual import visit_filter
from backend.reports.isic import section_of

ILO = re.compile(r"^[CP]\d+$")


class Row(BaseModel):
    convention: str
    article: str
    breakdown: str  # "total", "isic:<section>" or "district:<code>"
    inspections: int
    non_compliances: int
    establishments_checked: int
    establishments_non_compliant: int
    share_non_compliant: str  # establishments non-compliant / checked, 4 decimals


class Application(BaseModel):
    year: int
    org_unit_id: uuid.UUID
    rows: list[Row]


def article_of(ref: str) -> str:
    """``7(a)`` -> ``7``: the table is per article."""
    return ref.split("(", 1)[0]


def item_articles(session: Session) -> set[tuple[str, str, str, str]]:
    """(checklist key, item id, instrument, article) for every ILO instrument an item of any version cites."""
    out: set[tuple[str, str, str, str]] = set()
    for key, definition in session.execute(sa.select(col(PublishedChecklist.key), col(PublishedChecklist.definition))):
        for section in definition.get("sections", []):
            for item in section.get("items", []):
                for basis in item.get("legal_basis", []):
                    if ILO.match(str(basis.get("instrument", ""))):
                        out.add((key, item["id"], basis["instrument"], article_of(str(basis["article"]))))
    return out


def _section_sql() -> Any:
    isic = col(Establishment.isic)
    whens = [(sa.func.substr(isic, 1, 2) == f"{d:02d}", section_of(f"{d:02d}")) for d in range(1, 100)]
    whens = [w for w in whens if w[1] != "X"]
    letters = [chr(c) for c in range(ord("A"), ord("V"))]
    return sa.case((sa.func.substr(isic, 1, 1).in_(letters), sa.func.substr(isic, 1, 1)), *whens, else_="X")


def build(session: Session, year: int, units: set[uuid.UUID], root: uuid.UUID) -> Application:
    mapping = sorted(item_articles(session))
    if not mapping:
        return Application(year=year, org_unit_id=root, rows=[])
    # A UNION ALL of literal rows (SQLite has no column aliases on a VALUES list); a few hundred rows at most.
    parts = [
        sa.select(sa.literal(k).label("checklist_key"), sa.literal(i).label("item_id"),
                  sa.literal(c).label("convention"), sa.literal(a).label("article"))
        for k, i, c, a in mapping
    ]  # fmt: skip
    m = sa.union_all(*parts).subquery("item_article")
    checked = col(Finding.status).in_([FindingStatus.compliant, FindingStatus.non_compliant])
    bad = col(Finding.status) == FindingStatus.non_compliant
    section = _section_sql()
    codes = {u.id: u.code for u in session.execute(sa.select(OrgUnit).where(col(OrgUnit.id).in_(units))).scalars()}
    rows: list[Row] = []
    for name, extra in (("total", None), ("isic", section), ("district", col(Inspection.district_id))):
        keys: list[Any] = [m.c.convention, m.c.article] + ([extra] if extra is not None else [])
        q = (
            sa.select(
                *keys,
                sa.func.count(sa.distinct(col(Inspection.id))),
                sa.func.sum(sa.case((bad, 1), else_=0)),
                sa.func.count(sa.distinct(col(Inspection.establishment_id))),
                sa.func.count(sa.distinct(sa.case((bad, col(Inspection.establishment_id)), else_=None))),
            )
            .select_from(Finding)
            .join(m, sa.and_(m.c.checklist_key == col(Finding.checklist_key), m.c.item_id == col(Finding.item_id)))
            .join(Inspection, col(Inspection.id) == col(Finding.inspection_id))
            .join(Establishment, col(Establishment.id) == col(Inspection.establishment_id))
            .where(visit_filter(units, year), checked)
            .group_by(*keys)
        )
        for r in session.execute(q):
            conv, art = r[0], r[1]
            label = "total" if extra is None else f"{name}:{codes.get(r[2], r[2]) if name == 'district' else r[2]}"
            n_ins, n_bad, n_est, n_est_bad = (int(x or 0) for x in r[-4:])
            rows.append(Row(convention=conv, article=art, breakdown=label, inspections=n_ins, non_compliances=n_bad,
                            establishments_checked=n_est, establishments_non_compliant=n_est_bad,
                            share_non_compliant=f"{n_est_bad / n_est:.4f}"))  # fmt: skip
    rows.sort(key=lambda x: (x.convention, x.article, x.breakdown))
    return Application(year=year, org_unit_id=root, rows=rows)
