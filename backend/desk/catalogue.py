"""What the desk needs to know of every published checklist item: its text, section, severity and the
conventions and laws it rests on (with their official citations). Published versions never change, so each
version's definition is read once per process."""

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from backend.checklists import service as checklists
from backend.checklists.models import PublishedChecklist


@dataclass(frozen=True)
class ItemInfo:
    key: str
    item_id: str
    text: dict[str, str]
    section_id: str
    section: dict[str, str]
    severity: str
    instruments: tuple[str, ...]
    citations: tuple[dict[str, Any], ...] = field(default=())


# A published version never changes: its served form (citations resolved) is kept per process, keyed by its content
# hash too, so two databases with a different version under the same number never share an entry.
_served: dict[str, dict[str, Any]] = {}


def served(session: Session, key: str, version: int) -> dict[str, Any]:
    """A published version's definition as served (with citations), cached by content hash."""
    row = checklists.get_published(session, key, version)
    found = _served.get(row.sha256)
    if found is None:
        found = _served[row.sha256] = checklists.served_definition(row)
    return found


def items_of(definition: dict[str, Any], key: str) -> list[ItemInfo]:
    out = []
    for section in definition["sections"]:
        for item in section["items"]:
            out.append(
                ItemInfo(
                    key=key,
                    item_id=item["id"],
                    text=item["text"],
                    section_id=section["id"],
                    section=section["title"],
                    severity=item["severity"],
                    instruments=tuple(b["instrument"] for b in item["legal_basis"]),
                    citations=tuple(item.get("citations", [])),
                )
            )
    return out


def all_items(session: Session) -> dict[tuple[str, str], ItemInfo]:
    """Every item of every published checklist, the newest version's wording winning."""
    rows = session.exec(
        select(PublishedChecklist.key, PublishedChecklist.version).order_by(
            col(PublishedChecklist.key), col(PublishedChecklist.version)
        )
    ).all()
    out: dict[tuple[str, str], ItemInfo] = {}
    for key, version in rows:
        for info in items_of(served(session, key, version), key):
            out[(key, info.item_id)] = info
    return out
