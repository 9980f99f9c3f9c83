"""Sign-in, tokens, devices, revocation and admin user management."""

from world import PASSWORD


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
    assert r.status_code == 401 and r.json()["code"] == "auth.device_revoked"


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
    assert [e["action"] for e in events] == ["user.create", "user.update"]
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
    assert r.status_code == 403 and r.json()["code"] == "device.password_required"
