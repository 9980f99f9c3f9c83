"""Sign-in guard (issue 21): growing delay per account and address, bounded lockout per account and address,
password policy, sign-out that revokes the token, and the security events in the audit chain."""

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import col, select
from world import PASSWORD

from backend.audit.models import AuditEvent
from backend.auth.models import SignInCounter
from backend.config import settings
from backend.main import app

EMAIL = "inspector@test.example"


def sign_in(client, password, email=EMAIL):
    return client.post("/api/v1/auth/token", data={"username": email, "password": password})


def earlier(session, **delta):
    """Move every failure counter back in time (instead of sleeping)."""
    for counter in session.exec(select(SignInCounter)).all():
        counter.last_failure_at -= timedelta(**delta)
        if counter.locked_until is not None:
            counter.locked_until -= timedelta(**delta)
        session.add(counter)
    session.flush()


def test_failures_beyond_the_free_ones_wait_a_growing_delay_and_the_password_is_not_checked(client, session):
    for _ in range(settings.sign_in_free_failures):
        assert sign_in(client, "wrong-password-here").json()["code"] == "auth.invalid_credentials"
    first = sign_in(client, PASSWORD)  # even the right password: no check before the delay has passed
    assert first.status_code == 429 and first.json()["code"] == "auth.throttled", first.text
    assert first.headers["Retry-After"] == "1"  # 2**0 s
    earlier(session, seconds=1)
    assert sign_in(client, "wrong-password-here").status_code == 401  # counted: the 4th failure
    second = sign_in(client, "wrong-password-here")
    assert second.status_code == 429 and int(second.headers["Retry-After"]) == 2  # 2**1 s
    earlier(session, seconds=2)
    assert sign_in(client, PASSWORD).status_code == 200


def test_an_address_guessing_many_accounts_is_throttled_too(client):
    for i in range(settings.sign_in_free_failures):
        assert sign_in(client, "wrong-password-here", email=f"ghost{i}@test.example").status_code == 401
    r = sign_in(client, PASSWORD)  # another account, the same address
    assert r.status_code == 429 and r.json()["code"] == "auth.throttled"


def test_lockout_refuses_the_right_password_but_ends_and_binds_only_the_attackers_address(client, session):
    for _ in range(settings.sign_in_lockout_failures):
        assert sign_in(client, "wrong-password-here").status_code == 401
        earlier(session, seconds=settings.sign_in_max_delay_seconds)
    locked = sign_in(client, PASSWORD)
    assert locked.status_code == 429 and locked.json()["code"] == "auth.locked", locked.text
    assert int(locked.headers["Retry-After"]) > 60 * (settings.sign_in_lockout_minutes - 1)
    owner = TestClient(app, client=("203.0.113.7", 40000))  # the owner, elsewhere: only the account's delay
    assert sign_in(owner, PASSWORD).status_code == 200
    assert sign_in(client, PASSWORD).json()["code"] == "auth.locked"  # the attacker's address stays locked
    earlier(session, minutes=settings.sign_in_lockout_minutes)
    assert sign_in(client, PASSWORD).status_code == 200  # bounded: it ends by itself
    actions = [e.action for e in session.exec(select(AuditEvent).order_by(col(AuditEvent.seq))).all()]
    assert actions.count("auth.sign_in_failed") == settings.sign_in_lockout_failures
    assert actions.count("auth.lockout") == 1 and actions.count("auth.sign_in") == 2
    for event in session.exec(select(AuditEvent).where(col(AuditEvent.action).startswith("auth."))).all():
        text = str(event.details)
        assert PASSWORD not in text and "wrong-password-here" not in text and "Bearer" not in text


def test_passwords_shorter_than_12_or_common_are_refused_on_creation_and_change(as_, admin, world):
    body = {"email": "new@test.example", "name": "New", "sex": "female", "role": "inspector",
            "org_unit_ids": [str(world.district.id)]}  # fmt: skip
    short = as_(admin).post("/users", json=body | {"password": "elevenchars"})
    assert short.status_code == 422
    for common in ("password1234", "Qwertyuiop123", "iloveyou2026!", "aaaaaaaaaaaaaa"):
        r = as_(admin).post("/users", json=body | {"password": common})
        assert r.status_code == 422 and r.json()["code"] == "user.weak_password", (common, r.text)
    created = as_(admin).post("/users", json=body | {"password": "tea kettle on the hill"})
    assert created.status_code == 201, created.text
    change = as_(admin).patch(f"/users/{created.json()['id']}", json={"password": "1234567890123"})
    assert change.status_code == 422 and change.json()["code"] == "user.weak_password"


def test_sign_out_revokes_the_token_it_carries_and_only_that_one(client, session):
    one = sign_in(client, PASSWORD).json()["access_token"]
    two = sign_in(client, PASSWORD).json()["access_token"]
    assert one != two
    out = client.post("/api/v1/auth/sign-out", headers={"Authorization": f"Bearer {one}"})
    assert out.status_code == 204, out.text
    r = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {one}"})
    assert r.status_code == 401 and r.json()["code"] == "auth.token_revoked"
    assert client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {two}"}).status_code == 200
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "auth.sign_out")).first() is not None


def test_refusals_and_dead_tokens_are_security_events_recorded_centrally(client, as_, session, inspector, admin):
    from uuid import uuid4

    before = len(session.exec(select(AuditEvent)).all())
    assert as_(inspector).get(f"/inspections/{uuid4()}").status_code == 404  # another area's, or none: alike
    assert as_(inspector).get("/users").status_code == 403
    token = sign_in(client, PASSWORD).json()["access_token"]
    client.post("/api/v1/auth/sign-out", headers={"Authorization": f"Bearer {token}"})
    dead = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    assert dead.json()["code"] == "auth.token_revoked"
    events = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq))).all()[before:]
    refused = [e for e in events if e.action == "access.refused"]
    assert [(e.details["status"], e.details["code"]) for e in refused] == [
        (404, "inspection.not_found"), (403, "auth.role_required")]  # fmt: skip
    assert refused[0].actor_id == inspector.id and refused[0].details["path"].startswith("/api/v1/inspections/")
    [dead_use] = [e for e in events if e.action == "auth.token_refused"]
    assert dead_use.details["code"] == "auth.token_revoked" and token not in str(dead_use.details)
