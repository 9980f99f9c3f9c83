"""The authorization matrix (hardening, issue 21): every route of the app (``app.routes``) called as every
persona, through the real app, against real records of the home area (the Riverside district of the North
province), each answer compared with the declared policy in ``authz_policy.py``. A route without a policy line
fails with the line to add. Each call runs in a savepoint rolled back afterwards, so personas see the same data."""

import re
import uuid
from typing import Any

import pytest
from authz_policy import PERSONAS, POLICY, expected_for
from fastapi.routing import iter_route_contexts
from test_accidents import notify, person
from test_blobs import put_chunk, sha
from test_complaints import body as complaint_body
from test_inspections import start

from backend.auth import service as auth
from backend.auth.models import Role, Sex, User, UserCreate
from backend.main import app
from tests.images import jpeg


def routes() -> list[tuple[str, str]]:
    found = []
    for route in iter_route_contexts(app.routes):
        methods = getattr(route, "methods", None) or set()
        for method in sorted(methods - {"HEAD"} if len(methods) > 1 else methods):
            found.append((method, route.path))
    return found


def _user(session, email: str, role: Role, units: list[uuid.UUID]) -> User:
    data = UserCreate(email=email, name=email.split("@")[0].title(), sex=Sex.female, role=role,
                      password="long enough password", org_unit_ids=units)  # fmt: skip
    return auth.create_user(session, data, actor_id=None)


@pytest.fixture
def cast(as_, session, world, checklist) -> dict[str, dict[str, str]]:
    """The headers of each persona (None: anonymous)."""
    headers = {p: as_(u).headers for p, u in [("inspector", world.inspector),
               ("other_inspector", world.other_district_inspector), ("supervisor", world.supervisor),
               ("admin", world.admin)]}  # fmt: skip
    far = _user(session, "far-supervisor@test.example", Role.supervisor, [world.other_province.id])
    stat = _user(session, "statistician@test.example", Role.statistician, [world.district.id])
    gone = _user(session, "disabled@test.example", Role.inspector, [world.district.id])
    headers |= {"other_supervisor": as_(far).headers, "statistician": as_(stat).headers,
                "disabled": as_(gone).headers}  # fmt: skip
    gone.active = False
    session.add(gone)
    session.flush()
    device = as_(world.inspector).post("/devices", json={"name": "Tablet"}).json()
    revoked = as_(world.inspector).post("/devices", json={"name": "Lost tablet"}).json()
    assert as_(world.admin).post(f"/devices/{revoked['id']}/revoke").status_code == 200
    headers |= {"device": {"Authorization": f"Bearer {device['token']}"},
                "revoked_device": {"Authorization": f"Bearer {revoked['token']}"}, "anonymous": {}}  # fmt: skip
    return headers


@pytest.fixture
def records(as_, world, checklist) -> dict[str, str]:
    """Real records of the home area, named by the path parameters that take them."""
    api = as_(world.inspector)
    inspection = start(api, world.factory, checklist)
    action = api.post(f"/inspections/{inspection['id']}/actions",
                      json={"measure": "order_to_rectify", "item_id": "ga.est.01", "deadline_days": 14})  # fmt: skip
    complaint = as_(world.supervisor).post("/complaints", json=complaint_body(world.factory))
    accident = notify(api, world, [person()])
    photo = jpeg(600)
    api.post(f"/blobs/{sha(photo)}", json={"bytes": len(photo), "mime": "image/jpeg"})
    assert put_chunk(api, sha(photo), 0, photo).json()["verified"] is True
    device = api.post("/devices", json={"name": "Records' tablet"}).json()
    return {"inspection_id": inspection["id"], "establishment_id": str(world.factory.id),
            "user_id": str(world.inspector.id), "device_id": device["id"], "complaint_id": complaint.json()["id"],
            "action_id": action.json()["id"], "accident_id": accident["id"], "unit_id": str(world.district.id),
            "sha256": sha(photo), "key": checklist["key"], "version": str(checklist["version"]),
            "name": "swagger-ui.css", "path": "index.html"}  # fmt: skip


def url(path: str, records: dict[str, str]) -> str:
    """Ids no record here has (a plan, a campaign, an appeal...) are random: 404 to everyone allowed."""
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: records.get(m[1], str(uuid.uuid4())), path)


def answer(client, session, method: str, target: str, headers: dict[str, str]) -> int:
    savepoint = session.begin_nested()
    try:
        kwargs: dict[str, Any] = {} if method in ("GET", "HEAD") else {"json": {}}
        return client.request(method, target, headers=headers, **kwargs).status_code
    finally:
        savepoint.rollback()


def test_every_route_answers_every_persona_as_the_policy_declares(client, session, cast, records):
    missing, wrong, calls = [], [], 0
    for method, path in routes():
        target = url(path, records)
        got = {p: answer(client, session, method, target, cast[p]) for p in PERSONAS}
        calls += len(got)
        line = f'    "{method} {path}": "{" ".join(f"{p}={got[p]}" for p in PERSONAS if p in POLICY_PERSONAS)}",'
        if f"{method} {path}" not in POLICY:
            missing.append(line)
            continue
        for persona in PERSONAS:
            want = expected_for(f"{method} {path}", persona)
            if got[persona] != want:
                wrong.append(f"{method} {path} as {persona}: {got[persona]}, policy says {want}")
    assert not missing, "routes without a policy line; add to authz_policy.POLICY:\n" + "\n".join(missing)
    assert not wrong, "\n".join(wrong)
    assert len(set(routes())) == len(POLICY), "a policy line names no route: remove it"
    assert calls == len(routes()) * len(PERSONAS) >= 1000  # the matrix's size (routes x personas)


POLICY_PERSONAS = ("inspector", "other_inspector", "supervisor", "other_supervisor", "admin", "statistician")
