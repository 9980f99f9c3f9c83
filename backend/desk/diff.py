"""What changed between two submission snapshots (pure): header fields, findings per item, and the other parts.

Works on either snapshot shape (the whole-record one, or a device's ``hash_version: 2`` document): lists of
dicts that carry ``item_id`` are compared per item, other values as a whole."""

from typing import Any

from pydantic import BaseModel

IGNORED = frozenset({"device_content_hash", "hash_version", "inspection_id"})


class Differences(BaseModel):
    header: list[str] = []
    items_changed: list[str] = []
    items_added: list[str] = []
    items_removed: list[str] = []
    parts: list[str] = []

    def empty(self) -> bool:
        return not (self.header or self.items_changed or self.items_added or self.items_removed or self.parts)


def _item_key(row: dict[str, Any]) -> str:
    key = row.get("checklist_key")
    return f"{key}/{row['item_id']}" if key else str(row["item_id"])


def _per_item(rows: list[Any]) -> dict[str, Any] | None:
    if not all(isinstance(r, dict) and "item_id" in r for r in rows):
        return None
    return {_item_key(r): r for r in rows}


def between(before: dict[str, Any], after: dict[str, Any]) -> Differences:
    out = Differences()
    for name in sorted((set(before) | set(after)) - IGNORED):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if name == "header" and isinstance(old, dict) and isinstance(new, dict):
            out.header = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
        elif name == "findings" and isinstance(old, list) and isinstance(new, list):
            a, b = _per_item(old), _per_item(new)
            if a is None or b is None:
                out.parts.append(name)
                continue
            out.items_changed = sorted(k for k in set(a) & set(b) if a[k] != b[k])
            out.items_added = sorted(set(b) - set(a))
            out.items_removed = sorted(set(a) - set(b))
        else:
            out.parts.append(name)
    return out
