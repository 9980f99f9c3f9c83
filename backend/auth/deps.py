"""Authentication at the HTTP boundary: who is calling, which credential a route accepts, and role checks.

Two credentials: an access token from a password sign-in (short-lived) and a device token (long-lived, kept on a
tablet). ``CurrentUser``/``CurrentPrincipal`` — and so every route by default — accept only the former; a route
the field app calls with its device token says so by taking ``FieldUser``/``FieldPrincipal`` instead
(``tests/backend/test_device_token_routes.py`` lists them and fails on a route nobody decided for).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from backend.api import SessionDep
from backend.auth import events, service
from backend.auth.models import Device, Role, User
from backend.errors import Forbidden, Unauthorized

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


@dataclass(frozen=True)
class Principal:
    user: User
    device: Device | None


def field_principal(session: SessionDep, request: Request, token: Annotated[str | None, Depends(oauth2)]) -> Principal:
    """The caller behind either credential (the field app's routes: sync, blobs, the reference data it holds)."""
    if not token:
        raise Unauthorized("auth.not_authenticated", "Sign in first: this needs a bearer token.")
    events.note(session, user_id=None, method=request.method, path=request.url.path)  # hardening (issue 21)
    user, device = service.resolve_bearer(session, token)
    events.note(session, user_id=user.id, method=request.method, path=request.url.path)
    return Principal(user=user, device=device)


FieldPrincipal = Annotated[Principal, Depends(field_principal)]


def needs_token(route: Any) -> bool:
    """Whether a route authenticates its caller (``field_principal`` is among its dependencies)."""
    stack = [route.dependant] if getattr(route, "dependant", None) is not None else []
    while stack:
        dependant = stack.pop()
        if dependant.call is field_principal:
            return True
        stack.extend(dependant.dependencies)
    return False


READS = frozenset({"GET", "HEAD", "OPTIONS"})
F = TypeVar("F", bound=Callable[..., Any])


def changes_nothing(endpoint: F) -> F:
    """Marks a POST that changes no record (renewing the caller's own access token, asking for an export job): a
    statistician may call it."""
    endpoint.changes_nothing = True  # type: ignore[attr-defined]
    return endpoint


def _changes_nothing(request: Request) -> bool:
    return bool(getattr(request.scope.get("endpoint"), "changes_nothing", False))


def current_principal(principal: FieldPrincipal, request: Request) -> Principal:
    """The caller, signed in with a password: a stolen tablet's device token opens no other route."""
    if principal.device is not None:
        raise Forbidden(
            "auth.password_sign_in_required", "This needs a password sign-in (an access token), not a device token."
        )
    if principal.user.role == Role.statistician and request.method not in READS and not _changes_nothing(request):
        # hardening (issue 21, found by the authorization matrix): the statistician reads and changes nothing
        raise Forbidden("auth.role_required", "A statistician reads reports; this change needs another role.")
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def field_user(principal: FieldPrincipal) -> User:
    return principal.user


def current_user(principal: CurrentPrincipal) -> User:
    return principal.user


FieldUser = Annotated[User, Depends(field_user)]
CurrentUser = Annotated[User, Depends(current_user)]


def requires(*roles: Role) -> Callable[[User], User]:
    def check(user: CurrentUser) -> User:
        if user.role not in roles:
            raise Forbidden("auth.role_required", f"This needs the role {' or '.join(roles)}.")
        return user

    return check


AdminUser = Annotated[User, Depends(requires(Role.admin))]
SupervisorUser = Annotated[User, Depends(requires(Role.supervisor, Role.admin))]
# reporting: the roles that read and export reports of their area (GET only; the statistician changes nothing)
ReaderUser = Annotated[User, Depends(requires(Role.supervisor, Role.admin, Role.statistician))]
