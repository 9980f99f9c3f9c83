"""Shared HTTP plumbing for every domain's routes: the per-request session dependency."""

from typing import Annotated

from fastapi import Depends
from sqlmodel import Session

from backend.db import get_session

# scope="function": the commit runs before the response is sent, so a 200 always means committed.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
