"""A simulated tablet for the device-sync tests (``Dev``: a registered device with its own seq counter) and
the helpers that build protocol mutations, upload blobs and answer checklist items."""

import hashlib
from typing import Any

from backend.db import uuid7
from sync.protocol import INSPECTION_PARTS
from tests.images import jpeg


class Dev:
    """A registered device of ``user``."""

    def __init__(self, as_: Any, user: Any) -> None:
        self.api = as_(user)
        registered = self.api.post("/devices", json={"name": "T"}).json()
        self.token, self.id, self.user_id = registered["token"], registered["id"], str(user.id)
        self.seq = 0

    def auth(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token}"}

    def mutation(self, name: str, **args: Any) -> dict[str, Any]:
        self.seq += 1
        return {"id": str(uuid7()), "seq": self.seq, "name": name, "v": 1, "args": args}

    def push(self, *mutations: dict[str, Any], device_id: str | None = None, token: str | None = None) -> Any:
        body = {"protocol": 1, "device_id": device_id or self.id, "mutations": list(mutations)}
        return self.api.post("/sync/push", json=body, headers=self.auth(token))

    def send(self, name: str, **args: Any) -> dict[str, Any]:
        r = self.push(self.mutation(name, **args))
        assert r.status_code == 200, r.text
        return r.json()["results"][0]

    def pull(self, cursor: int = 0, limit: int = 500) -> Any:
        body = {"protocol": 1, "device_id": self.id, "cursor": cursor, "limit": limit}
        return self.api.post("/sync/pull", json=body, headers=self.auth())

    def pull_all(self, limit: int = 500) -> dict[str, dict[str, dict[str, Any]]]:
        """Pull from 0 until ``more`` is false, applying each change as a device does."""
        tables: dict[str, dict[str, dict[str, Any]]] = {}
        cursor, more = 0, True
        while more:
            r = self.pull(cursor, limit)
            assert r.status_code == 200, r.text
            page = r.json()
            assert len(page["changes"]) <= limit
            for change in page["changes"]:
                if change["op"] == "delete":
                    drop(tables, change)
                    continue
                held = tables.setdefault(change["entity"], {}).get(change["id"])
                if held is None or held["version"] < change["version"]:
                    tables[change["entity"]][change["id"]] = change["data"]
            cursor, more = page["cursor"], page["more"]
        return tables


def drop(tables: dict[str, dict[str, dict[str, Any]]], change: dict[str, Any]) -> None:
    """A pulled ``delete``: the row, and for an inspection the rows of its record (PROTOCOL.md §5)."""
    tables.get(change["entity"], {}).pop(change["id"], None)
    if change["entity"] == "inspection":
        for entity in INSPECTION_PARTS:
            rows = tables.get(entity, {})
            for key in [k for k, row in rows.items() if row.get("inspection_id") == change["id"]]:
                del rows[key]


def upload(api: Any, data: bytes | None = None) -> str:
    data = data or jpeg()
    digest = hashlib.sha256(data).hexdigest()
    api.post(f"/blobs/{digest}", json={"bytes": len(data), "mime": "image/jpeg"})
    r = api.patch(f"/blobs/{digest}", content=data,
                  headers={"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"})  # fmt: skip
    assert r.status_code == 200 and r.json()["verified"], r.text
    return digest


CHECKLIST = "general-administration"


def create(dev, world, checklist, team=(), establishment=None, **header):
    iid = str(uuid7())
    result = dev.send(
        "inspection.create", inspection_id=iid, establishment_id=str((establishment or world.factory).id),
        checklist=f"{checklist['key']}@{checklist['version']}", team=list(team),
        header=header or {"visit_date": "2026-11-02", "location": "Gate 2"},
    )  # fmt: skip
    assert result["outcome"] == "applied", result
    return iid


def items(checklist):
    return [item for section in checklist["definition"]["sections"] for item in section["items"]]


def answer(item):
    if item["answer_type"] == "number":
        return {"status": "compliant", "value": 1}
    if item["answer_type"] == "choice":
        return {"status": "compliant", "value": item["choices"][0]["en"]}
    return {"status": "compliant"}
