"""A device token is not an admin credential: every route of the app, called with an admin's device token, is
refused (403 ``auth.password_sign_in_required``) except the few the field app needs, declared by their taking
``FieldUser``/``FieldPrincipal`` (``backend/auth/deps.py``). A new route fails here until someone decides."""

import re
import uuid
from typing import Any

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts
from sqlmodel import select

from backend.audit.models import AuditEvent
from backend.auth import deps
from backend.auth.models import Device, User
from backend.main import app

# (method, path) -> why the field app calls it with its device token (pwa/src: transport.ts, reference.ts,
# views/EstablishmentProfile.tsx).
DEVICE_ROUTES = {
    ("POST", "/api/v1/sync/push"): "sync",
    ("POST", "/api/v1/sync/pull"): "sync",
    ("HEAD", "/api/v1/blobs/{sha256}"): "photo upload: resume",
    ("POST", "/api/v1/blobs/{sha256}"): "photo upload: start",
    ("PATCH", "/api/v1/blobs/{sha256}"): "photo upload: chunk",
    ("GET", "/api/v1/blobs/{sha256}"): "the device's own upload, read back",
    ("GET", "/api/v1/checklists"): "reference data",
    ("GET", "/api/v1/checklists/{key}/{version}"): "reference data",
    ("GET", "/api/v1/establishments"): "reference data",
    ("GET", "/api/v1/inspections"): "an establishment's earlier inspections",
    ("GET", "/api/v1/users/me"): "who the tablet belongs to",
    ("GET", "/api/v1/users/colleagues"): "a team chosen by name",
    ("GET", "/api/v1/inspections/{inspection_id}/evidence/{sha256}"): "a photo not on the tablet: its preview",
    ("POST", "/api/v1/auth/sign-out"): "sign-out on the tablet: its device token revoked (hardening, issue 21)",
    ("POST", "/api/v1/devices/me/notice-blocks"): "notice numbers issued offline: the tablet's own block",
    # per inspection (ntc2): the report and notice PDFs, open data and a penalty decision's disclosure
    # (/actions/{action_id}/disclosure, .../withdraw) are desk routes: a password sign-in only, not listed here
}
PUBLIC = {
    ("GET", "/api/v1/health"),
    ("POST", "/api/v1/auth/token"),
    ("GET", "/{path:path}"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/docs"),
    ("GET", "/docs/oauth2-redirect"),
    # ops: readiness for the load balancer, Prometheus (the proxy does not forward /metrics), offline docs' assets
    ("GET", "/api/v1/ready"),
    ("GET", "/metrics"),
    ("GET", "/api/docs/assets/{name}"),
}
SAMPLE = {"sha256": "0" * 64, "key": "general_administration", "version": "1", "path": "x"}


def _calls(dependant: Dependant) -> set[Any]:
    found = {dependant.call}
    for sub in dependant.dependencies:
        found |= _calls(sub)
    return found


def _routes() -> list[tuple[str, str, set[Any]]]:
    routes = []
    for route in iter_route_contexts(app.routes):
        dependant = getattr(route, "dependant", None)
        calls = _calls(dependant) if dependant is not None else set()
        for method in sorted(route.methods - {"HEAD"} if len(route.methods) > 1 else route.methods):
            routes.append((method, route.path, calls))
    return routes


def test_the_routes_that_take_a_device_token_are_the_declared_ones():
    field, password, public = set(), set(), set()
    for method, path, calls in _routes():
        if deps.current_principal in calls:
            password.add((method, path))
        elif deps.field_principal in calls:
            field.add((method, path))
        else:
            public.add((method, path))
    assert field == set(DEVICE_ROUTES), "a route takes a device token: add it to DEVICE_ROUTES with its reason"
    assert public == PUBLIC, "a route needs no sign-in at all"
    assert password, "every other route needs a password sign-in"


def _url(path: str) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: SAMPLE.get(m[1], str(uuid.uuid4())), path)


@pytest.fixture
def admin_device(as_: Any, admin: User) -> dict[str, str]:
    token = as_(admin).post("/devices", json={"name": "Admin's tablet"}).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def test_every_other_route_refuses_an_admins_device_token(client, admin_device):
    checked = 0
    last = ("POST", "/api/v1/auth/sign-out")  # it revokes the device token: called after every other route
    for method, path, _ in sorted(_routes(), key=lambda route: route[:2] == last):
        if (method, path) in PUBLIC:
            continue
        kwargs: dict[str, Any] = {} if method in ("GET", "HEAD") else {"json": {}}
        r = client.request(method, _url(path), headers=admin_device, **kwargs)
        body = r.json() if r.content and r.headers.get("content-type", "").endswith("json") else None
        code = body.get("code") if isinstance(body, dict) else None
        if (method, path) in DEVICE_ROUTES:
            assert r.status_code != 401 and code != "auth.password_sign_in_required", (method, path, r.text)
        else:
            assert r.status_code == 403 and code == "auth.password_sign_in_required", (method, path, r.text)
            assert r.headers["content-type"] == "application/problem+json"
            checked += 1
    assert checked > 25


def test_an_admins_device_token_cannot_create_users_change_passwords_revoke_devices_or_read_the_audit_trail(
    anon, as_, admin, inspector, session, admin_device
):
    victim = as_(inspector).post("/devices", json={"name": "Inspector's tablet"}).json()
    events = len(session.exec(select(AuditEvent)).all())
    created = anon.post(
        "/users",
        headers=admin_device,
        json={"email": "mallory@test.example", "name": "Mallory", "password": "correct horse battery",
              "role": "admin", "org_unit_ids": []},
    )  # fmt: skip
    password = anon.patch(f"/users/{inspector.id}", headers=admin_device, json={"password": "taken over 12345"})
    revoked = anon.post(f"/devices/{victim['id']}/revoke", headers=admin_device)
    trail = anon.get("/audit/events", headers=admin_device)
    verify = anon.get("/audit/verify", headers=admin_device)
    for r in (created, password, revoked, trail, verify):
        assert r.status_code == 403 and r.json()["code"] == "auth.password_sign_in_required", r.text
    assert session.exec(select(User).where(User.email == "mallory@test.example")).first() is None
    assert session.get(Device, uuid.UUID(victim["id"])).revoked_at is None
    assert len([e for e in session.exec(select(AuditEvent)).all() if e.action != "access.refused"]) == events
    assert (
        anon.post("/auth/token", data={"username": inspector.email, "password": "taken over 12345"}).status_code == 401
    )
    # the same admin signed in with a password may
    assert as_(admin).get("/audit/events").status_code == 200


def test_the_field_app_reads_its_reference_data_with_its_device_token(anon, as_, inspector):
    device = {"Authorization": f"Bearer {as_(inspector).post('/devices', json={'name': 'T'}).json()['token']}"}
    summaries = anon.get("/checklists", headers=device)
    assert summaries.status_code == 200 and summaries.json(), summaries.text
    first = summaries.json()[0]
    assert anon.get(f"/checklists/{first['key']}/{first['version']}", headers=device).status_code == 200
    assert anon.get("/establishments?limit=10&offset=0", headers=device).status_code == 200
    assert anon.get("/inspections?limit=20", headers=device).status_code == 200
    assert anon.get("/users/me", headers=device).json()["id"] == str(inspector.id)
