"""Sign-in, tokens, devices, revocation and admin user management."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from world import PASSWORD

from backend.auth import service as auth
from backend.auth.models import Device, Role, User, UserUpdate
from backend.config import settings
from backend.errors import Conflict


def test_password_grant_returns_a_working_access_token(anon, as_, inspector):
    r = anon.post("/auth/token", data={"username": "INSPECTOR@test.example", "password": PASSWORD})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 30 * 60
    me = anon.get("/users/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["email"] == "inspector@test.example"
    assert me.json()["role"] == "inspector"
    assert me.json()["sex"] == "female"


def test_wrong_password_and_unknown_email_are_the_same_problem(anon):
    wrong = anon.post("/auth/token", data={"username": "inspector@test.example", "password": "nope-nope-nope"})
    unknown = anon.post("/auth/token", data={"username": "ghost@test.example", "password": PASSWORD})
    for r in (wrong, unknown):
        assert r.status_code == 401
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["code"] == "auth.invalid_credentials"


def test_requests_without_or_with_bad_token_are_refused(anon):
    assert anon.get("/users/me").json()["code"] == "auth.not_authenticated"
    r = anon.get("/users/me", headers={"Authorization": "Bearer not-a-jwt"})
    assert r.status_code == 401 and r.json()["code"] == "auth.invalid_token"
    assert r.headers["www-authenticate"] == "Bearer"


def test_device_token_works_until_an_admin_revokes_it(as_, anon, inspector, admin):
    r = as_(inspector).post("/devices", json={"name": "Tablet 7", "platform": "Android"})
    assert r.status_code == 201, r.text
    device = r.json()
    bearer = {"Authorization": f"Bearer {device['token']}"}
    assert anon.get("/users/me", headers=bearer).json()["id"] == str(inspector.id)
    assert as_(inspector).post(f"/devices/{device['id']}/revoke").status_code == 403
    assert as_(admin).post(f"/devices/{device['id']}/revoke").status_code == 200
    r = anon.get("/users/me", headers=bearer)
    assert r.status_code == 401 and r.json()["code"] == "device.wipe"


def test_inspector_lists_only_own_devices(as_, inspector, other_district_inspector):
    as_(inspector).post("/devices", json={"name": "Mine"})
    as_(other_district_inspector).post("/devices", json={"name": "Theirs"})
    names = {d["name"] for d in as_(inspector).get("/devices").json()}
    assert names == {"Mine"}


def test_unknown_fields_are_rejected(as_, inspector):
    r = as_(inspector).post("/devices", json={"name": "T", "colour": "red"})
    assert r.status_code == 422
    assert r.json()["code"] == "request.invalid"
    assert r.json()["errors"][0]["loc"][-1] == "colour"


def test_admin_manages_users_and_everything_is_audited(as_, admin, world):
    new = {
        "email": "New.Inspector@Test.example",
        "name": "New",
        "sex": "male",
        "role": "inspector",
        "password": "a-long-enough-password",
        "org_unit_ids": [str(world.district.id)],
    }
    r = as_(admin).post("/users", json=new)
    assert r.status_code == 201, r.text
    user = r.json()
    assert user["email"] == "new.inspector@test.example"
    assert as_(admin).post("/users", json=new).json()["code"] == "user.email_taken"
    r = as_(admin).patch(f"/users/{user['id']}", json={"active": False})
    assert r.json()["active"] is False
    login = as_(None).post("/auth/token", data={"username": new["email"], "password": new["password"]})
    assert login.status_code == 401
    events = as_(admin).get("/audit/events", params={"subject_id": user["id"]}).json()
    assert [e["action"] for e in events] == ["user.create", "user.update", "auth.sign_in_failed"]  # issue 21
    assert events[1]["details"]["before"]["active"] is True
    assert events[1]["details"]["after"]["active"] is False


def test_staff_need_sex_and_org_units(as_, admin):
    base = {"email": "x@test.example", "name": "X", "role": "inspector", "password": "a-long-enough-password"}
    assert as_(admin).post("/users", json=base | {"org_unit_ids": []}).status_code == 422
    r = as_(admin).post("/users", json=base | {"sex": "female"})
    assert r.status_code == 422 and r.json()["code"] == "user.org_units_required"


def test_non_admins_cannot_manage_users(as_, supervisor, inspector):
    for user in (supervisor, inspector):
        assert as_(user).get("/users").status_code == 403


def test_admin_cannot_lock_themselves_out(as_, admin):
    r = as_(admin).patch(f"/users/{admin.id}", json={"active": False})
    assert r.status_code == 409 and r.json()["code"] == "user.cannot_demote_self"


def test_a_device_token_cannot_register_more_devices(as_, anon, inspector):
    token = as_(inspector).post("/devices", json={"name": "Tablet"}).json()["token"]
    r = anon.post("/devices", json={"name": "Copy"}, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 403 and r.json()["code"] == "auth.password_sign_in_required"


def new_user(as_, admin, world, **extra):
    body = {
        "email": "fresh@test.example",
        "name": "Fresh",
        "sex": "female",
        "role": "inspector",
        "password": "a-long-enough-password",
        "org_unit_ids": [str(world.district.id)],
    } | extra
    r = as_(admin).post("/users", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def test_explicit_null_in_a_user_patch_is_a_422_and_nothing_changes(as_, admin, world):
    user = new_user(as_, admin, world)
    for field in ("role", "active", "name", "password", "org_unit_ids"):
        r = as_(admin).patch(f"/users/{user['id']}", json={field: None})
        assert r.status_code == 422 and r.json()["code"] == "request.invalid", (field, r.text)
    assert as_(admin).get(f"/users/{user['id']}").json() == user


def test_an_update_cannot_leave_staff_without_units_or_sex(as_, admin, world):
    user = new_user(as_, admin, world)
    r = as_(admin).patch(f"/users/{user['id']}", json={"org_unit_ids": []})
    assert r.status_code == 422 and r.json()["code"] == "user.org_units_required"
    r = as_(admin).patch(f"/users/{user['id']}", json={"sex": None})
    assert r.status_code == 422 and r.json()["code"] == "user.sex_required"
    boss = new_user(as_, admin, world, email="boss@test.example", role="admin", sex=None, org_unit_ids=[])
    r = as_(admin).patch(f"/users/{boss['id']}", json={"role": "supervisor", "sex": "male"})
    assert r.status_code == 422 and r.json()["code"] == "user.org_units_required"
    r = as_(admin).patch(f"/users/{boss['id']}", json={"role": "supervisor", "org_unit_ids": [str(world.province.id)]})
    assert r.status_code == 422 and r.json()["code"] == "user.sex_required"
    assert as_(admin).get(f"/users/{user['id']}").json() == user
    assert as_(admin).get(f"/users/{boss['id']}").json() == boss
    r = as_(admin).patch(f"/users/{user['id']}", json={"role": "admin", "org_unit_ids": [], "sex": None})
    assert r.status_code == 200 and r.json()["role"] == "admin"


def test_the_self_demotion_rule_lives_in_the_service(session, admin):
    with pytest.raises(Conflict) as exc:
        auth.update_user(session, admin, UserUpdate(role=Role.supervisor), actor_id=admin.id)
    assert exc.value.code == "user.cannot_demote_self"
    assert session.get(User, admin.id).role == Role.admin


def test_a_duplicate_email_that_slips_past_the_check_is_a_409(as_, admin, world, monkeypatch):
    new_user(as_, admin, world)
    monkeypatch.setattr(auth, "email_taken", lambda *_: False)  # as if another request inserted it meanwhile
    r = as_(admin).post("/users", json={"email": "fresh@test.example", "name": "Twin", "sex": "male",
                                        "role": "admin", "password": "a-long-enough-password"})  # fmt: skip
    assert r.status_code == 409 and r.json()["code"] == "user.email_taken"


def test_a_password_change_revokes_earlier_access_tokens_and_device_tokens_until_renewed(as_, anon, admin, world):
    user = new_user(as_, admin, world)
    login = {"username": "fresh@test.example", "password": "a-long-enough-password"}
    old = {"Authorization": "Bearer " + anon.post("/auth/token", data=login).json()["access_token"]}
    device = {"Authorization": "Bearer " + anon.post("/devices", json={"name": "T"}, headers=old).json()["token"]}
    assert anon.get("/users/me", headers=old).status_code == 200
    r = as_(admin).patch(f"/users/{user['id']}", json={"password": "another-long-password"})
    assert r.status_code == 200
    r = anon.get("/users/me", headers=old)
    assert r.status_code == 401 and r.json()["code"] == "auth.token_revoked"
    assert anon.get("/users/me", headers=device).status_code == 401  # until renewed with the new password
    new = anon.post("/auth/token", data=login | {"password": "another-long-password"}).json()["access_token"]
    fresh = {"Authorization": f"Bearer {new}"}
    assert anon.get("/users/me", headers=fresh).status_code == 200
    mine = anon.get("/devices", headers=fresh).json()
    renewed = anon.post(f"/devices/{mine[0]['id']}/token", headers=fresh)
    assert renewed.status_code == 200 and renewed.json()["id"] == mine[0]["id"]  # the same device carries on
    assert anon.get("/users/me", headers={"Authorization": f"Bearer {renewed.json()['token']}"}).status_code == 200


def test_device_last_seen_is_written_at_most_once_a_minute_and_drives_expiry(as_, anon, inspector, session):
    registered = as_(inspector).post("/devices", json={"name": "Tablet"}).json()
    bearer = {"Authorization": f"Bearer {registered['token']}"}
    device = session.get(Device, uuid.UUID(registered["id"]))
    assert device.last_seen_at is None
    assert anon.get("/users/me", headers=bearer).status_code == 200
    session.refresh(device)
    first = device.last_seen_at
    assert first is not None
    assert anon.get("/users/me", headers=bearer).status_code == 200
    session.refresh(device)
    assert device.last_seen_at == first  # throttled: no write per request
    now = datetime.now(UTC)
    device.created_at = now - timedelta(days=settings.device_token_days + 30)
    device.last_seen_at = now - timedelta(minutes=2)
    session.add(device)
    session.flush()
    assert anon.get("/users/me", headers=bearer).status_code == 200  # old, but in use: still valid
    session.refresh(device)
    assert device.last_seen_at > now - timedelta(minutes=1)
    device.last_seen_at = now - timedelta(days=settings.device_token_days + 1)
    session.add(device)
    session.flush()
    r = anon.get("/users/me", headers=bearer)
    assert r.status_code == 401 and r.json()["code"] == "auth.token_expired"


def test_a_device_token_is_renewed_for_the_same_device_and_the_old_one_stops(as_, inspector, world, anon):
    api = as_(inspector)
    device = api.post("/devices", json={"name": "Tablet 7"}).json()
    old = {"Authorization": f"Bearer {device['token']}"}
    renewed = api.post(f"/devices/{device['id']}/token")
    assert renewed.status_code == 200, renewed.text
    assert renewed.json()["id"] == device["id"] and renewed.json()["token"] != device["token"]
    assert anon.get("/users/me", headers=old).status_code == 401
    fresh = {"Authorization": f"Bearer {renewed.json()['token']}"}
    assert anon.get("/users/me", headers=fresh).status_code == 200
    # A device token cannot renew itself, nobody renews another user's device, a revoked device stays revoked.
    assert anon.post(f"/devices/{device['id']}/token", headers=fresh).json()["code"] == "auth.password_sign_in_required"
    assert as_(world.second_inspector).post(f"/devices/{device['id']}/token").status_code == 404
    as_(world.admin).post(f"/devices/{device['id']}/revoke")
    refused = api.post(f"/devices/{device['id']}/token")
    assert refused.status_code == 409 and refused.json()["code"] == "device.revoked"
    assert anon.get("/users/me", headers=fresh).status_code == 401
