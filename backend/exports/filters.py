"""What an export may be filtered by (period, org unit, ISIC sector, checklist, convention) and the SQL each filter
becomes; the org unit filter is always intersected with the caller's area, exactly as the inspections export."""

import uuid
from datetime import date
from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import ConfigDict, Field, StringConstraints
from sqlmodel import Session, col

from backend.auth.models import User
from backend.checklists.models import PublishedChecklist
from backend.errors import Invalid
from backend.fields import Input
from backend.orgs import scope
from backend.reports.isic import section_of

Isic = Annotated[str, StringConstraints(pattern=r"^[A-U0-9]{1,4}$")]
ChecklistKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{1,63}$")]
Convention = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,31}$")]


class Filters(Input):
    """The filters of one export; each dataset says which of them apply to it (``supports``)."""

    model_config = ConfigDict(extra="forbid")

    since: date | None = None
    until: date | None = None
    org_unit_id: uuid.UUID | None = None
    isic: Isic | None = Field(default=None, description="ISIC Rev.4 prefix: section letter or 1-4 digits")
    checklist: ChecklistKey | None = Field(default=None, description="A checklist key")
    convention: Convention | None = Field(default=None, description="An instrument code cited, e.g. C81 or CN-LL")

    def asked(self) -> dict[str, str | None]:
        """The filters as the audit trail records them (JSON strings, keys sorted)."""
        values = self.model_dump(mode="json")
        return {k: values[k] for k in sorted(values)}


def check_supported(f: Filters, dataset: str, supports: frozenset[str]) -> None:
    given = {k for k, v in f.model_dump().items() if v is not None}
    extra = sorted(given - supports - {"since", "until", "org_unit_id"})
    if extra:
        raise Invalid("export.filter_not_applicable", f"The {dataset} export cannot be filtered by {', '.join(extra)}.",
                      dataset=dataset, filters=extra)  # fmt: skip
    if f.since is not None and f.until is not None and f.until < f.since:
        raise Invalid("export.period_reversed", "The period ends before it begins.")


def units(session: Session, user: User | None, f: Filters) -> set[uuid.UUID] | None:
    """The districts the rows may come from (None: everywhere), the caller's area narrowed by ``org_unit_id``
    (no user: the operator at the console, who sees everything)."""
    visible = scope.visible_units(session, user) if user is not None else None
    if f.org_unit_id is not None:
        below = scope.descendants(session, [f.org_unit_id])
        visible = below if visible is None else visible & below
    return visible


def ids_as_text(session: Session, *columns: Any) -> list[Any]:
    """UUID columns as PostgreSQL's text of them (the same dashed form an export writes), sparing a ``uuid.UUID``
    made and printed again per cell; on SQLite (stored as hex) the columns as they are."""
    if session.get_bind().dialect.name == "postgresql":
        return [sa.cast(c, sa.String).label(c.key) for c in columns]
    return list(columns)


def where_units(stmt: Any, column: Any, allowed: set[uuid.UUID] | None) -> Any:
    return stmt if allowed is None else stmt.where(col(column).in_(allowed))


def where_period(stmt: Any, column: Any, f: Filters) -> Any:
    if f.since is not None:
        stmt = stmt.where(column >= f.since)
    if f.until is not None:
        stmt = stmt.where(column <= f.until)
    return stmt


def where_isic(stmt: Any, column: Any, f: Filters) -> Any:
    """A prefix of digits (a division, group or class), or a section letter: its divisions (the mapping of the
    standards reports, ``reports/isic_sections.json``) or the letter as stored."""
    if not f.isic:
        return stmt
    if not f.isic[0].isalpha():
        return stmt.where(col(column).startswith(f.isic))
    divisions = [f"{d:02d}" for d in range(1, 100) if section_of(f"{d:02d}") == f.isic]
    return stmt.where(sa.or_(col(column) == f.isic, sa.func.substr(column, 1, 2).in_(divisions)))


def cited_items(session: Session, instrument: str) -> dict[str, set[str]]:
    """checklist key -> the item ids whose legal basis (in any published version) cites ``instrument``."""
    out: dict[str, set[str]] = {}
    wanted = instrument.upper()
    for key, definition in session.execute(sa.select(col(PublishedChecklist.key), col(PublishedChecklist.definition))):
        for section in definition.get("sections", []):
            for item in section.get("items", []):
                if any(str(b.get("instrument", "")).upper() == wanted for b in item.get("legal_basis", [])):
                    out.setdefault(key, set()).add(item["id"])
    return out


def item_condition(session: Session, key_column: Any, item_column: Any, f: Filters) -> Any:
    """The condition on (checklist key, item id) columns for the checklist and convention filters (None: none)."""
    conditions: list[Any] = []
    if f.checklist:
        conditions.append(key_column == f.checklist)
    if f.convention:
        cited = cited_items(session, f.convention)
        conditions.append(
            sa.or_(*[sa.and_(key_column == k, item_column.in_(sorted(ids))) for k, ids in sorted(cited.items())])
            if cited
            else sa.false()
        )
    return sa.and_(*conditions) if conditions else None
