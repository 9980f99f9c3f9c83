"""GET /users/colleagues: the people a device offers as team members, by name, within the caller's scope."""


def test_an_inspector_sees_the_colleagues_of_their_district_by_name(as_, inspector, world):
    r = as_(inspector).get("/users/colleagues")
    assert r.status_code == 200, r.text
    people = r.json()
    assert [p["id"] for p in people] == [str(world.second_inspector.id)]  # not the other district, not oneself
    assert set(people[0]) == {"id", "name", "role"}  # no e-mail, no org units
    assert people[0]["name"] == world.second_inspector.name and people[0]["role"] == "inspector"


def test_a_supervisor_sees_the_inspectors_below_and_an_admin_no_admins(as_, supervisor, admin, world):
    ids = {p["id"] for p in as_(supervisor).get("/users/colleagues").json()}
    staff = [world.inspector, world.second_inspector]
    assert {str(u.id) for u in staff} <= ids and str(world.supervisor.id) not in ids
    assert str(world.admin.id) not in {p["id"] for p in as_(admin).get("/users/colleagues").json()}


def test_a_device_token_may_list_colleagues_and_admin_user_routes_still_work(as_, lead, world, admin, anon):
    r = lead.api.get("/users/colleagues", headers=lead.auth())
    assert r.status_code == 200 and [p["id"] for p in r.json()] == [str(world.second_inspector.id)]
    assert anon.get("/users/colleagues").status_code == 401
    assert as_(admin).get(f"/users/{world.inspector.id}").json()["email"] == world.inspector.email
