"""Desk sessions renew their access token (issue 16): a fresh token keeps the sign-in time, the renewed one is
revoked (a copy cannot renew or call again), past LI_SESSION_MAX_HOURS the password is asked again, a device token
is refused; every renewal is audited (SQLite and PostgreSQL)."""

from datetime import timedelta

import jwt
import pytest
from sqlmodel import col, select

from backend.audit.models import AuditEvent
from backend.auth import service as auth
from backend.config import settings
from backend.db import utcnow

pytestmark = pytest.mark.usefixtures("world")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def claims(token: str) -> dict:
    return jwt.decode(token, settings.secret_key.get_secret_value(), algorithms=["HS256"])


def test_renewal_keeps_the_sign_in_time_and_revokes_the_renewed_token(client, session, supervisor):
    signed_in = utcnow() - timedelta(hours=3)
    old, _ = auth.issue_access_token(supervisor, signed_in)
    r = client.post("/api/v1/auth/token/renew", headers=bearer(old))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["expires_in"] == settings.access_token_minutes * 60 and body["token_type"] == "bearer"
    new = body["access_token"]
    assert new != old and claims(new)["sia"] == int(signed_in.timestamp())
    assert claims(new)["exp"] - claims(new)["iat"] == settings.access_token_minutes * 60
    assert claims(new)["jti"] != claims(old)["jti"]
    assert client.get("/api/v1/users/me", headers=bearer(new)).json()["id"] == str(supervisor.id)
    for attempt in (client.get("/api/v1/users/me", headers=bearer(old)),
                    client.post("/api/v1/auth/token/renew", headers=bearer(old))):  # fmt: skip
        assert attempt.status_code == 401 and attempt.json()["code"] == "auth.token_revoked"
    events = session.exec(select(AuditEvent).where(col(AuditEvent.action) == "auth.renew")).all()
    assert [e.actor_id for e in events] == [supervisor.id]


def test_renewal_stops_at_the_session_limit(client, supervisor):
    late, _ = auth.issue_access_token(supervisor, utcnow() - timedelta(hours=settings.session_max_hours, minutes=1))
    r = client.post("/api/v1/auth/token/renew", headers=bearer(late))
    assert r.status_code == 401 and r.json()["code"] == "auth.session_expired"
    assert r.headers["content-type"] == "application/problem+json"
    assert client.get("/api/v1/users/me", headers=bearer(late)).status_code == 200  # not revoked by the refusal
    within, _ = auth.issue_access_token(supervisor, utcnow() - timedelta(hours=settings.session_max_hours - 1))
    assert client.post("/api/v1/auth/token/renew", headers=bearer(within)).status_code == 200


def test_a_token_without_a_sign_in_time_counts_from_its_issue(client, supervisor):
    """Tokens issued before renewal existed carry no ``sia``: their session starts when they were issued."""
    now = utcnow()
    legacy = {"sub": str(supervisor.id), "typ": "access", "pwd": auth.password_stamp(supervisor), "jti": "legacy-1",
              "iat": now, "exp": now + timedelta(minutes=5)}  # fmt: skip
    token = jwt.encode(legacy, settings.secret_key.get_secret_value(), algorithm="HS256")
    r = client.post("/api/v1/auth/token/renew", headers=bearer(token))
    assert r.status_code == 200, r.text
    assert claims(r.json()["access_token"])["sia"] == int(now.timestamp())


def test_a_device_token_and_no_token_are_refused(as_, client, inspector):
    device = as_(inspector).post("/devices", json={"name": "Tablet"}).json()
    r = client.post("/api/v1/auth/token/renew", headers=bearer(device["token"]))
    assert r.status_code == 403 and r.json()["code"] == "auth.password_sign_in_required"
    r = client.post("/api/v1/auth/token/renew")
    assert r.status_code == 401
