"""Start-up tasks: the first admin from LI_FIRST_ADMIN_* exists before anything else is loaded."""

from sqlmodel import Session, select

from backend import db
from backend.auth import service as auth
from backend.auth.models import Role, User, UserCreate
from backend.config import settings
from backend.db import AppSession


def ensure_first_admin(session: Session | None = None) -> User | None:
    """Create the configured admin when the database has no users yet; a no-op otherwise."""
    email, password = settings.first_admin_email, settings.first_admin_password
    if not email or password is None:
        return None
    if session is None:
        with AppSession(db.engine, expire_on_commit=False) as own, own.begin():
            return ensure_first_admin(own)
    if session.exec(select(User.id).limit(1)).first() is not None:
        return None
    data = UserCreate(email=email, name="Administrator", role=Role.admin, password=password.get_secret_value())
    return auth.create_user(session, data, actor_id=None)
