"""Sign-out on a tablet (hardening, issue 21): ``POST /auth/sign-out`` with a device token revokes that device's
token for good (audited), so a tablet handed on after sign-out holds no credential the server still accepts."""

import uuid

from sqlmodel import select

from backend.audit.models import AuditEvent
from backend.auth.models import Device


def test_sign_out_with_a_device_token_revokes_that_device_only(anon, as_, inspector, session):
    one = as_(inspector).post("/devices", json={"name": "Tablet one"}).json()
    two = as_(inspector).post("/devices", json={"name": "Tablet two"}).json()
    bearer = {"Authorization": f"Bearer {one['token']}"}
    assert anon.get("/users/me", headers=bearer).status_code == 200
    out = anon.post("/auth/sign-out", headers=bearer)
    assert out.status_code == 204, out.text
    for path in ("/users/me", "/checklists"):
        dead = anon.get(path, headers=bearer)
        assert dead.status_code == 401 and dead.json()["code"] == "device.wipe", dead.text
    pushed = anon.post("/sync/push", headers=bearer, json={"device_id": one["id"], "mutations": []})
    assert pushed.status_code == 401 and pushed.json()["code"] == "device.wipe"
    assert anon.get("/users/me", headers={"Authorization": f"Bearer {two['token']}"}).status_code == 200
    assert session.get(Device, uuid.UUID(one["id"])).revoked_at is not None
    actions = [e.action for e in session.exec(select(AuditEvent)).all()]
    assert "device.revoke" in actions and "auth.sign_out" in actions
    signed_out = session.exec(select(AuditEvent).where(AuditEvent.action == "auth.sign_out")).one()
    assert signed_out.details == {"device_id": one["id"]} and signed_out.actor_id == inspector.id
    assert anon.post("/auth/sign-out", headers=bearer).status_code == 401  # signed out already


def test_sign_out_without_a_token_is_refused(anon):
    r = anon.post("/auth/sign-out")
    assert r.status_code == 401 and r.json()["code"] == "auth.not_authenticated"
