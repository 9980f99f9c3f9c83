"""Passwords (argon2), access tokens (short-lived JWT), device tokens (opaque, hashed at rest) and users."""

import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from backend.audit import service as audit_log
from backend.auth import guard, passwords
from backend.auth.models import (
    Device,
    DeviceCreate,
    DeviceRegistered,
    RevokedToken,
    Role,
    User,
    UserCreate,
    UserOrgUnit,
    UserPublic,
    UserUpdate,
)
from backend.changes import ScopeChanged
from backend.changes import record as record_change
from backend.config import settings
from backend.db import insert_once, utcnow
from backend.errors import Conflict, Invalid, NotFound, Problem, Unauthorized

_hasher = PasswordHasher()
# Verifying against this keeps unknown-email logins as slow as wrong-password ones (no user enumeration).
_DUMMY_HASH = _hasher.hash("not-a-real-password")
DEVICE_TOKEN_PREFIX = "lid_"
LAST_SEEN_EVERY = timedelta(minutes=1)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(session: Session, email: str, password: str, *, address: str) -> User | Problem:
    """The user, or the refusal to answer: throttled, locked (``auth.guard``) or wrong credentials. Returned, not
    raised, so the failure counters and the audit events of a refusal commit."""
    email = email.strip().lower()
    keys, now = guard.Keys.of(email, address), utcnow()
    refused = guard.refusal(session, keys, now)
    if refused is not None:
        return refused
    # No stored email holds a NUL character (PostgreSQL refuses one in a query): such an email is simply unknown.
    user = None if "\x00" in email else session.exec(select(User).where(User.email == email)).first()
    if user is None:
        verify_password(_DUMMY_HASH, password)
    elif verify_password(user.password_hash, password) and user.active:
        guard.succeeded(session, keys, user, address=address)
        return user
    guard.failed(session, keys, now, user=user, address=address)
    return Unauthorized("auth.invalid_credentials", "Wrong email or password.")


def sign_out(session: Session, token: str) -> None:
    """Revoke the access token presented (its ``jti``) until it would have expired anyway."""
    claims = jwt.decode(token, settings.secret_key.get_secret_value(), algorithms=["HS256"])
    jti, exp = claims.get("jti"), claims.get("exp")
    if isinstance(jti, str) and isinstance(exp, int) and session.get(RevokedToken, jti) is None:
        session.add(RevokedToken(jti=jti, expires_at=datetime.fromtimestamp(exp, UTC)))
        audit_log.record(session, _subject(claims), "auth.sign_out", "user", _subject(claims))
    now = utcnow()
    session.execute(delete(RevokedToken).where(col(RevokedToken.expires_at) < now))  # expired anyway


def sign_out_device(session: Session, user: User, device: Device) -> None:
    """Sign-out on a tablet: its device token is revoked with its device (audited as both events)."""
    revoke_device(session, device.id, actor_id=user.id)
    audit_log.record(session, user.id, "auth.sign_out", "user", user.id, device_id=str(device.id))


def password_stamp(user: User) -> str:
    """A token generation: changes whenever the password does (argon2 salts every hash), so an access token
    issued before a password change no longer matches. Reveals nothing about the password."""
    return hashlib.sha256(f"stamp:{user.password_hash}".encode()).hexdigest()[:16]


def issue_access_token(user: User, signed_in_at: datetime | None = None) -> tuple[str, int]:
    """A short-lived access token; ``sia`` is when the password was given (kept across renewals)."""
    ttl = settings.access_token_minutes * 60
    now = utcnow()
    claims = {
        "sub": str(user.id),
        "typ": "access",
        "pwd": password_stamp(user),
        "jti": secrets.token_urlsafe(16),
        "iat": now,
        "exp": now + timedelta(seconds=ttl),
        "sia": int((signed_in_at or now).timestamp()),
    }
    return jwt.encode(claims, settings.secret_key.get_secret_value(), algorithm="HS256"), ttl


def renew_access_token(session: Session, user: User, token: str) -> tuple[str, int]:
    """A fresh access token for a desk session still within ``LI_SESSION_MAX_HOURS`` of its password sign-in; the
    token renewed is revoked, so each token renews once and a copied one dies with the renewal."""
    claims = jwt.decode(token, settings.secret_key.get_secret_value(), algorithms=["HS256"])  # checked by the caller
    signed_in_at = datetime.fromtimestamp(int(claims.get("sia") or claims["iat"]), UTC)
    if utcnow() - signed_in_at >= timedelta(hours=settings.session_max_hours):
        raise Unauthorized(
            "auth.session_expired", "This session is too old to renew; sign in again with your password."
        )
    refused = Unauthorized("auth.token_revoked", "This access token was renewed already; sign in again.")
    insert_once(
        session, refused, RevokedToken(jti=str(claims["jti"]), expires_at=datetime.fromtimestamp(claims["exp"], UTC))
    )
    audit_log.record(session, user.id, "auth.renew", "user", user.id, signed_in_at=signed_in_at.isoformat())
    return issue_access_token(user, signed_in_at)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def resolve_bearer(session: Session, token: str) -> tuple[User, Device | None]:
    """The active user behind an access token or a device token, and the device for the latter."""
    device: Device | None = None
    stamp: str | None = None
    if token.startswith(DEVICE_TOKEN_PREFIX):
        device = session.exec(select(Device).where(Device.token_hash == _token_hash(token))).first()
        if device is None:  # never issued, or unset by a password change: the owner signs in again and renews it
            raise Unauthorized("auth.device_revoked", "This device token is unknown or has been revoked.")
        if device.revoked_at is not None:
            raise _wipe("This device was revoked by the inspectorate.")
        user_id = device.user_id
        owner = session.get(User, user_id)
        if owner is None or not owner.active:  # before the expiry checks: an idle tablet of a leaver wipes too
            raise _wipe("The account of this device was disabled.")
        now = utcnow()
        if device.token_issued_at + timedelta(days=settings.device_token_max_days) < now:  # however active
            raise Unauthorized("auth.device_token_expired", "The device token is too old; sign in again to renew it.")
        if (device.last_seen_at or device.created_at) + timedelta(days=settings.device_token_days) < now:
            raise Unauthorized("auth.token_expired", "The device token has expired; sign in again.")
        _seen(session, device, now)
    else:
        try:
            claims = jwt.decode(token, settings.secret_key.get_secret_value(), algorithms=["HS256"])
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("auth.token_expired", "The access token has expired.") from exc
        except jwt.PyJWTError as exc:
            raise Unauthorized("auth.invalid_token", "The access token is not valid.") from exc
        if claims.get("typ") != "access":
            raise Unauthorized("auth.invalid_token", "The access token is not valid.")
        user_id, stamp = _subject(claims), claims.get("pwd")
        jti = claims.get("jti")
        if isinstance(jti, str) and session.get(RevokedToken, jti) is not None:
            raise Unauthorized("auth.token_revoked", "This access token was signed out; sign in again.")
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise Unauthorized("auth.inactive_user", "This account is disabled.")
    if device is None and stamp != password_stamp(user):  # device tokens are revoked explicitly instead
        raise Unauthorized("auth.token_revoked", "The password changed after this token was issued; sign in again.")
    return user, device


class DeviceWipe(Unauthorized):
    """The lost-tablet signal (hardening, issue 21): the token of a revoked device, or of a disabled account's
    device, is no longer trusted — nothing it sends is accepted, not even a push — and the tablet is told to
    delete every local copy of the data (``401 device.wipe``, sync/PROTOCOL.md §1, SECURITY.md). The header
    says it too, for a ``HEAD`` (a blob probe), whose answer has no body."""

    headers = {"WWW-Authenticate": "Bearer", "Device-Wipe": "true"}


def _wipe(why: str) -> DeviceWipe:
    return DeviceWipe("device.wipe", f"{why} Delete every local copy of the data; sign in again to register anew.")


def _subject(claims: dict[str, object]) -> uuid.UUID:
    """The user id a validly signed access token names; a token without one is as invalid as a forged one."""
    sub = claims.get("sub")
    try:
        if isinstance(sub, str):
            return uuid.UUID(sub)
    except ValueError:
        pass
    raise Unauthorized("auth.invalid_token", "The access token is not valid.")


def _seen(session: Session, device: Device, now: datetime) -> None:
    """Note when a device last authenticated, at most once per ``LAST_SEEN_EVERY`` (not a write per request)."""
    if device.last_seen_at is None or now - device.last_seen_at >= LAST_SEEN_EVERY:
        device.last_seen_at = now
        session.add(device)


def org_unit_ids(session: Session, user_id: uuid.UUID) -> list[uuid.UUID]:
    stmt = select(UserOrgUnit.org_unit_id).where(UserOrgUnit.user_id == user_id)
    return sorted(session.exec(stmt).all())


def to_public(session: Session, user: User) -> UserPublic:
    return UserPublic.model_validate(user, update={"org_unit_ids": org_unit_ids(session, user.id)})


def _set_units(session: Session, user: User, unit_ids: list[uuid.UUID]) -> None:
    for link in session.exec(select(UserOrgUnit).where(UserOrgUnit.user_id == user.id)).all():
        session.delete(link)
    session.flush()
    for unit_id in dict.fromkeys(unit_ids):
        session.add(UserOrgUnit(user_id=user.id, org_unit_id=unit_id))
    try:
        session.flush()
    except IntegrityError as exc:
        raise Invalid("user.unknown_org_unit", "One of the org units does not exist.") from exc


def email_taken(session: Session, email: str) -> bool:
    return session.exec(select(User.id).where(User.email == email)).first() is not None


def create_user(session: Session, data: UserCreate, *, actor_id: uuid.UUID | None) -> User:
    email = data.email.lower()
    if email_taken(session, email):
        raise Conflict("user.email_taken", f"A user with email {email} already exists.", email=email)
    if data.role != Role.admin and not data.org_unit_ids:
        raise Invalid("user.org_units_required", "Inspectors and supervisors need at least one org unit.")
    passwords.check(data.password)
    user = User.model_validate(data, update={"email": email, "password_hash": hash_password(data.password)})
    try:
        with session.begin_nested():  # a concurrent insert of the same email loses here, not with a 500
            session.add(user)
            session.flush()
    except IntegrityError as exc:
        raise Conflict("user.email_taken", f"A user with email {email} already exists.", email=email) from exc
    _set_units(session, user, data.org_unit_ids)
    audit_log.record(
        session,
        actor_id,
        "user.create",
        "user",
        user.id,
        after={"email": user.email, "role": user.role, "org_unit_ids": data.org_unit_ids},
    )
    return user


def _check_update(session: Session, user: User, data: UserUpdate, *, actor_id: uuid.UUID) -> None:
    """Refuse a change whose result breaks a rule, before anything is written."""
    role = data.role if data.role is not None else user.role
    if user.id == actor_id and (data.active is False or role != Role.admin):
        raise Conflict("user.cannot_demote_self", "An admin cannot disable or demote their own account.")
    if role == Role.admin:
        return
    sex = data.sex if "sex" in data.model_fields_set else user.sex
    if sex is None:
        raise Invalid("user.sex_required", "Inspectors and supervisors need sex recorded (C81 staff statistics).")
    units = data.org_unit_ids if data.org_unit_ids is not None else org_unit_ids(session, user.id)
    if not units:
        raise Invalid("user.org_units_required", "Inspectors and supervisors need at least one org unit.")


def update_user(session: Session, user: User, data: UserUpdate, *, actor_id: uuid.UUID) -> User:
    _check_update(session, user, data, actor_id=actor_id)
    before = to_public(session, user).model_dump(mode="json")
    role_before, units_before = Role(user.role), frozenset(org_unit_ids(session, user.id))
    changes = data.model_dump(exclude_unset=True, exclude={"password", "org_unit_ids"})
    user.sqlmodel_update(changes)
    if data.password is not None:
        passwords.check(data.password)
        user.password_hash = hash_password(data.password)
        _unset_device_tokens(session, user)
    if data.org_unit_ids is not None:
        _set_units(session, user, data.org_unit_ids)
    session.add(user)
    session.flush()
    if Role(user.role) != role_before or frozenset(org_unit_ids(session, user.id)) != units_before:
        record_change(session, ScopeChanged(user.id, role_before.value, units_before))
    after = to_public(session, user).model_dump(mode="json")
    audit_log.record(
        session,
        actor_id,
        "user.update",
        "user",
        user.id,
        before=before,
        after=after,
        password_changed=data.password is not None,
    )
    return user


def get_user(session: Session, user_id: uuid.UUID) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("user.not_found", "No such user.")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(col(User.email))).all())


def register_device(session: Session, user: User, data: DeviceCreate) -> DeviceRegistered:
    token = DEVICE_TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    device = Device(
        user_id=user.id,
        name=data.name,
        platform=data.platform,
        token_hash=_token_hash(token),
        created_at=now,
        token_issued_at=now,
    )
    session.add(device)
    session.flush()
    audit_log.record(session, user.id, "device.register", "device", device.id, name=data.name)
    return DeviceRegistered.model_validate(device, update={"token": token})


def _unset_device_tokens(session: Session, user: User) -> None:
    """After a password change no device token works until its owner signs in with the new password and renews
    it (``renew_device_token``): the devices keep their ids and outboxes, a thief's copy of a token dies."""
    for device in session.exec(select(Device).where(Device.user_id == user.id, col(Device.revoked_at).is_(None))):
        device.token_hash = _token_hash(DEVICE_TOKEN_PREFIX + secrets.token_urlsafe(32))
        session.add(device)


def renew_device_token(session: Session, user: User, device_id: uuid.UUID) -> DeviceRegistered:
    """A fresh token for the same device (its id, seq and outbox carry on) after its owner signed in again.

    The old token stops working at once; the new one has a full lifetime (``LI_DEVICE_TOKEN_MAX_DAYS``), so this
    is also the way back after an absolute expiry. A revoked device is never renewed: it registers anew."""
    device = session.get(Device, device_id)
    if device is None or device.user_id != user.id:
        raise NotFound("device.not_found", "No such device.")
    if device.revoked_at is not None:
        raise Conflict("device.revoked", "This device was revoked; register the tablet again.")
    token = DEVICE_TOKEN_PREFIX + secrets.token_urlsafe(32)
    device.token_hash = _token_hash(token)
    device.token_issued_at = device.last_seen_at = utcnow()  # a new absolute lifetime starts
    session.add(device)
    session.flush()
    audit_log.record(session, user.id, "device.token_renew", "device", device.id)
    return DeviceRegistered.model_validate(device, update={"token": token})


def revoke_device(session: Session, device_id: uuid.UUID, *, actor_id: uuid.UUID) -> Device:
    device = session.get(Device, device_id)
    if device is None:
        raise NotFound("device.not_found", "No such device.")
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        session.add(device)
        audit_log.record(session, actor_id, "device.revoke", "device", device.id, user_id=device.user_id)
    return device


def list_devices(session: Session, user_id: uuid.UUID | None = None) -> list[Device]:
    stmt = select(Device).order_by(col(Device.created_at))
    if user_id is not None:
        stmt = stmt.where(Device.user_id == user_id)
    return list(session.exec(stmt).all())
