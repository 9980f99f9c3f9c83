"""Authentication at the HTTP boundary: who is calling, and role checks as dependencies."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer

from backend.api import SessionDep
from backend.auth import service
from backend.auth.models import Device, Role, User
from backend.errors import Forbidden, Unauthorized

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


@dataclass(frozen=True)
class Principal:
    user: User
    device: Device | None


def current_principal(session: SessionDep, token: Annotated[str | None, Depends(oauth2)]) -> Principal:
    if not token:
        raise Unauthorized("auth.not_authenticated", "Sign in first: this needs a bearer token.")
    user, device = service.resolve_bearer(session, token)
    return Principal(user=user, device=device)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def current_user(principal: CurrentPrincipal) -> User:
    return principal.user


CurrentUser = Annotated[User, Depends(current_user)]


def requires(*roles: Role) -> Callable[[User], User]:
    def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise Forbidden("auth.role_required", f"This needs the role {' or '.join(roles)}.")
        return user

    return check


AdminUser = Annotated[User, Depends(requires(Role.admin))]
SupervisorUser = Annotated[User, Depends(requires(Role.supervisor, Role.admin))]
