"""HTTP routes for sign-in, the signed-in user, devices and admin user management."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordRequestForm

from backend.api import SessionDep
from backend.auth import service
from backend.auth.deps import (
    AdminUser,
    CurrentPrincipal,
    CurrentUser,
    FieldPrincipal,
    FieldUser,
    changes_nothing,
    oauth2,
)
from backend.auth.models import (
    DeviceCreate,
    DevicePublic,
    DeviceRegistered,
    Role,
    Token,
    UserCreate,
    UserPublic,
    UserUpdate,
)
from backend.errors import Problem

router = APIRouter(tags=["auth"])


@router.post(
    "/auth/token",
    response_model=Token,
    responses={429: {"description": "Throttled or locked after failed sign-ins (auth.throttled, auth.locked)"}},
)
def issue_token(
    session: SessionDep, request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> Token | JSONResponse:
    """Throttled per account and per address, locked after repeated failures (``auth.guard``)."""
    address = request.client.host if request.client else "unknown"
    user = service.authenticate(session, form.username, form.password, address=address)
    if isinstance(user, Problem):  # answered, not raised: the failure counts commit
        return JSONResponse(user.body(), status_code=user.status, media_type="application/problem+json",
                            headers=user.headers or None)  # fmt: skip
    token, ttl = service.issue_access_token(user)
    return Token(access_token=token, expires_in=ttl)


@router.post(
    "/auth/token/renew",
    response_model=Token,
    responses={401: {"description": "Expired, revoked or renewed token; session too old (auth.session_expired)"}},
)
@changes_nothing
def renew_token(
    session: SessionDep, principal: CurrentPrincipal, token: Annotated[str | None, Depends(oauth2)]
) -> Token:
    """A fresh access token for the desk session this one belongs to (it is revoked); refused
    ``LI_SESSION_MAX_HOURS`` after the password sign-in. Any role renews (a statistician too: it changes no
    record: ``deps.changes_nothing``); tablets renew their device token by device (``POST /devices/{id}/token``)."""
    assert token is not None  # CurrentPrincipal resolved it
    new, ttl = service.renew_access_token(session, principal.user, token)
    return Token(access_token=new, expires_in=ttl)


@router.post("/auth/sign-out", status_code=204)
def sign_out(session: SessionDep, principal: FieldPrincipal, token: Annotated[str | None, Depends(oauth2)]) -> Response:
    """Revoke the credential this request carries (the app forgets it too): an access token until it would have
    expired; a device token for good, revoking its device (the tablet registers anew at the next sign-in)."""
    if principal.device is not None:
        service.sign_out_device(session, principal.user, principal.device)
    elif token:
        service.sign_out(session, token)
    return Response(status_code=204)


@router.get("/users/me", response_model=UserPublic)
def read_me(session: SessionDep, user: FieldUser) -> UserPublic:
    return service.to_public(session, user)


@router.post("/devices", response_model=DeviceRegistered, status_code=201)
def register_device(session: SessionDep, principal: CurrentPrincipal, data: DeviceCreate) -> DeviceRegistered:
    return service.register_device(session, principal.user, data)  # a device token cannot mint fresh ones


@router.post("/devices/{device_id}/token", response_model=DeviceRegistered)
def renew_device_token(session: SessionDep, principal: CurrentPrincipal, device_id: uuid.UUID) -> DeviceRegistered:
    """A new token for the signed-in user's own device, e.g. after its token expired (PROTOCOL.md §9)."""
    return service.renew_device_token(session, principal.user, device_id)


@router.get("/devices", response_model=list[DevicePublic])
def list_devices(session: SessionDep, user: CurrentUser, user_id: uuid.UUID | None = None) -> list:
    if user.role != Role.admin:
        user_id = user.id
    return service.list_devices(session, user_id)


@router.post("/devices/{device_id}/revoke", response_model=DevicePublic)
def revoke_device(session: SessionDep, admin: AdminUser, device_id: uuid.UUID) -> object:
    return service.revoke_device(session, device_id, actor_id=admin.id)


@router.get("/users", response_model=list[UserPublic])
def list_users(session: SessionDep, admin: AdminUser) -> list[UserPublic]:
    return [service.to_public(session, u) for u in service.list_users(session)]


@router.post("/users", response_model=UserPublic, status_code=201)
def create_user(session: SessionDep, admin: AdminUser, data: UserCreate) -> UserPublic:
    return service.to_public(session, service.create_user(session, data, actor_id=admin.id))


@router.get("/users/{user_id:uuid}", response_model=UserPublic)  # not /users/colleagues (backend.orgs)
def read_user(session: SessionDep, admin: AdminUser, user_id: uuid.UUID) -> UserPublic:
    return service.to_public(session, service.get_user(session, user_id))


@router.patch("/users/{user_id}", response_model=UserPublic)
def update_user(session: SessionDep, admin: AdminUser, user_id: uuid.UUID, data: UserUpdate) -> UserPublic:
    user = service.get_user(session, user_id)
    return service.to_public(session, service.update_user(session, user, data, actor_id=admin.id))
